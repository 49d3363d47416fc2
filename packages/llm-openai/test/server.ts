import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server that speaks the OpenAI wire format (POST /v1/chat/completions and /v1/responses)
 * with answers in the shapes the API reference documents. Tests point the real `openai` client at
 * it (`baseURL: server.baseURL`); nothing reaches the network. Replies are scripted per request, or
 * computed from the request (a "model" that obeys injected instructions, for the injection suite).
 */

export type Endpoint = 'chat' | 'responses';

export interface RecordedRequest {
  readonly endpoint: Endpoint;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body. */
  readonly body: Record<string, unknown>;
  /** System/instructions text and user text, pulled out of either endpoint's body. */
  readonly system: string;
  readonly user: string;
}

export type Reply =
  /** A structured-output answer: the value is serialised as the message's JSON text. */
  | { readonly kind: 'json'; readonly value: unknown; readonly model?: string }
  /** Free text as the answer (malformed JSON, prose). */
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'refusal'; readonly text: string }
  /** Stopped by max tokens (`finish_reason: length` / `status: incomplete`). */
  | { readonly kind: 'truncated' }
  /** An API error with an OpenAI error body. */
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly code?: string;
      readonly message?: string;
      readonly headers?: Record<string, string>;
    }
  /** A 200 whose body is not JSON. */
  | { readonly kind: 'garbage'; readonly body: string }
  /** Waits before answering with `then` (or never, if absent). */
  | { readonly kind: 'delay'; readonly ms: number; readonly then?: Reply };

export type Responder = (request: RecordedRequest) => Reply | Promise<Reply>;

export interface OpenAITestServer {
  /** `http://127.0.0.1:PORT/v1`, for the client's `baseURL`. */
  readonly baseURL: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

/** Replies in order, one per request; the last one repeats. */
export function scripted(...replies: Reply[]): Responder {
  let i = 0;
  return () => {
    const reply = replies[Math.min(i, replies.length - 1)];
    i += 1;
    if (reply === undefined) throw new Error('scripted() needs at least one reply');
    return reply;
  };
}

const tokens = (text: string) => Math.ceil(text.length / 4);
let counter = 0;
const id = (prefix: string) => `${prefix}_${(++counter).toString(16).padStart(24, '0')}`;
const CREATED = 1_763_930_000; // a fixed epoch second: replies are reproducible

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (typeof p === 'object' && p !== null && 'text' in p ? String((p as { text: unknown }).text) : ''))
      .join('');
  }
  return '';
}

function recorded(endpoint: Endpoint, req: IncomingMessage, body: Record<string, unknown>): RecordedRequest {
  let system = '';
  let user = '';
  if (endpoint === 'chat') {
    for (const m of (body.messages as { role: string; content: unknown }[] | undefined) ?? []) {
      if (m.role === 'system' || m.role === 'developer') system += textOf(m.content);
      else if (m.role === 'user') user += textOf(m.content);
    }
  } else {
    system = typeof body.instructions === 'string' ? body.instructions : '';
    const input = body.input;
    if (typeof input === 'string') user = input;
    else
      for (const m of (input as { role?: string; content: unknown }[] | undefined) ?? [])
        if (m.role === 'user') user += textOf(m.content);
  }
  return { endpoint, path: req.url ?? '', headers: { ...req.headers }, body, system, user };
}

function chatBody(request: RecordedRequest, reply: Reply & { kind: 'json' | 'text' | 'refusal' | 'truncated' }) {
  const content =
    reply.kind === 'json'
      ? JSON.stringify(reply.value)
      : reply.kind === 'text'
        ? reply.text
        : reply.kind === 'truncated'
          ? '{"subject": "Upd'
          : null;
  const completion = content === null ? 0 : tokens(content);
  const prompt = tokens(request.system + request.user);
  return {
    id: id('chatcmpl'),
    object: 'chat.completion',
    created: CREATED,
    model: (reply.kind === 'json' && reply.model) || `${String(request.body.model)}-2026-01-01`,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: reply.kind === 'refusal' ? reply.text : null, annotations: [] },
        logprobs: null,
        finish_reason: reply.kind === 'truncated' ? 'length' : 'stop',
      },
    ],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_local',
  };
}

function responsesBody(request: RecordedRequest, reply: Reply & { kind: 'json' | 'text' | 'refusal' | 'truncated' }) {
  const part =
    reply.kind === 'refusal'
      ? { type: 'refusal', refusal: reply.text }
      : {
          type: 'output_text',
          text:
            reply.kind === 'json'
              ? JSON.stringify(reply.value)
              : reply.kind === 'text'
                ? reply.text
                : '{"subject": "Upd',
          annotations: [],
        };
  const input = tokens(request.system + request.user);
  const output = tokens(JSON.stringify(part));
  const b = request.body;
  return {
    id: id('resp'),
    object: 'response',
    created_at: CREATED,
    status: reply.kind === 'truncated' ? 'incomplete' : 'completed',
    error: null,
    incomplete_details: reply.kind === 'truncated' ? { reason: 'max_output_tokens' } : null,
    instructions: b.instructions ?? null,
    max_output_tokens: b.max_output_tokens ?? null,
    model: (reply.kind === 'json' && reply.model) || `${String(b.model)}-2026-01-01`,
    output: [
      {
        type: 'message',
        id: id('msg'),
        status: reply.kind === 'truncated' ? 'incomplete' : 'completed',
        role: 'assistant',
        content: [part],
      },
    ],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: b.store ?? true,
    temperature: b.temperature ?? 1,
    text: b.text ?? { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: {
      input_tokens: input,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: output,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: input + output,
    },
    user: null,
    metadata: {},
  };
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  429: 'requests',
  500: 'server_error',
};

async function send(
  res: ServerResponse,
  request: RecordedRequest,
  reply: Reply,
  pending: Set<NodeJS.Timeout>,
): Promise<void> {
  switch (reply.kind) {
    case 'delay': {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          pending.delete(t);
          resolve();
        }, reply.ms);
        pending.add(t);
      });
      if (reply.then === undefined || res.destroyed) {
        if (!res.destroyed) res.destroy();
        return;
      }
      return send(res, request, reply.then, pending);
    }
    case 'error': {
      const body = {
        error: {
          message: reply.message ?? `error ${reply.status}`,
          type: ERROR_TYPES[reply.status] ?? 'api_error',
          param: null,
          code: reply.code ?? null,
        },
      };
      res.writeHead(reply.status, { 'content-type': 'application/json', 'x-request-id': id('req'), ...reply.headers });
      res.end(JSON.stringify(body));
      return;
    }
    case 'garbage':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(reply.body);
      return;
    default: {
      const body = request.endpoint === 'chat' ? chatBody(request, reply) : responsesBody(request, reply);
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-request-id': id('req'),
        'openai-processing-ms': '1',
      });
      res.end(JSON.stringify(body));
    }
  }
}

/** Starts the server on a random local port. */
export async function startOpenAIServer(respond: Responder): Promise<OpenAITestServer> {
  const requests: RecordedRequest[] = [];
  const pending = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const path = (req.url ?? '').split('?')[0];
        const endpoint: Endpoint | undefined =
          path === '/v1/chat/completions' ? 'chat' : path === '/v1/responses' ? 'responses' : undefined;
        if (req.method !== 'POST' || endpoint === undefined) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              error: {
                message: `no route ${req.method} ${path}`,
                type: 'invalid_request_error',
                param: null,
                code: null,
              },
            }),
          );
          return;
        }
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              error: { message: 'invalid JSON body', type: 'invalid_request_error', param: null, code: null },
            }),
          );
          return;
        }
        const request = recorded(endpoint, req, body);
        requests.push(request);
        await send(res, request, await respond(request), pending);
      })().catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of pending) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
