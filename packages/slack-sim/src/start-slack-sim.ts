import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  blockActionsPayload,
  eventCallback,
  formPayload,
  viewSubmissionPayload,
  type InteractSpec,
  type ViewSubmitSpec,
} from './interactions.ts';
import { METHODS, METHOD_SCOPES, SlackSimStore, type MethodResult } from './methods.ts';
import { deliverToApp, type DeliverOptions, type Delivery } from './deliver.ts';
import { signRequest, type SignOptions, type SignedSlackRequest } from './sign.ts';
import { RateLimiter } from './tiers.ts';
import { SimWorkspaceSchema, type SimWorkspaceInput } from './workspace.ts';

export interface SlackSimOptions {
  readonly workspace: SimWorkspaceInput;
  /** The app's signing secret, for the requests the sim sends the app. */
  readonly signingSecret: string;
  /** The sim's clock (ms): rate windows, message `ts` and request timestamps use it. */
  readonly clock?: () => number;
  readonly host?: string;
}

/** One Web API call as the sim saw it. */
export interface SlackSimCall {
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly status: number;
  readonly result: MethodResult;
  readonly at: number;
}

/** Forced rate limiting: the next `times` calls of `method` answer 429 with this `Retry-After`. */
export interface RateLimitFault {
  readonly method: string;
  readonly times: number;
  readonly retryAfter: number;
}

export interface SlackSim {
  /** `http://127.0.0.1:<port>/api/`: pass as `slackApiUrl`. */
  readonly apiUrl: string;
  readonly store: SlackSimStore;
  readonly calls: SlackSimCall[];
  callsTo(method: string): SlackSimCall[];
  /** A 429 storm: the next calls of a method are rate-limited whatever the tier says. */
  rateLimit(fault: RateLimitFault): void;
  /** A person uses a posted message: the signed `block_actions` request Slack would send. */
  interact(spec: InteractSpec, sign?: Partial<SignOptions>): SignedSlackRequest;
  /** A person submits a modal: the signed `view_submission` request. */
  submitView(spec: ViewSubmitSpec, sign?: Partial<SignOptions>): SignedSlackRequest;
  /** An Events API delivery (JSON `event_callback`), signed. */
  event(event: Record<string, unknown>, eventId: string, sign?: Partial<SignOptions>): SignedSlackRequest;
  /**
   * Delivers an Events API event to the app's Request URL as Slack does (`deliver.ts`): three seconds for a
   * 2xx, then retries immediately, after one and after five minutes, each signed when sent.
   */
  deliverEvent(
    url: string,
    event: Record<string, unknown>,
    eventId: string,
    options?: DeliverOptions,
  ): Promise<Delivery>;
  /** Delivers a person's click as Slack does: three seconds for a 200, never retried. */
  deliverInteraction(url: string, spec: InteractSpec, options?: DeliverOptions): Promise<Delivery>;
  /** Sends a signed request to the app's Request URL and returns the app's answer. */
  send(url: string, request: SignedSlackRequest): Promise<{ status: number; headers: Headers; body: string }>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Parameters as Slack reads them: the query string, a form body or a JSON body
 * (https://docs.slack.dev/apis/web-api/#posting_json: JSON bodies need the token in `Authorization`).
 */
function readParams(
  url: URL,
  contentType: string,
  raw: string,
): { params: Record<string, unknown>; json: boolean } | 'invalid_json' {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (raw === '') return { params, json: false };
  if (contentType.startsWith('application/json')) {
    try {
      const body = JSON.parse(raw) as unknown;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'invalid_json';
      return { params: { ...params, ...(body as Record<string, unknown>) }, json: true };
    } catch {
      return 'invalid_json';
    }
  }
  return { params: { ...params, ...Object.fromEntries(new URLSearchParams(raw)) }, json: false };
}

/**
 * Starts a Slack Web API stand-in on a random loopback port.
 * @example
 * const sim = await startSlackSim({ workspace: sampleWorkspace(), signingSecret: 'shh' });
 * const web = new WebClient('xoxb-test-bot', { slackApiUrl: sim.apiUrl });
 */
export async function startSlackSim(options: SlackSimOptions): Promise<SlackSim> {
  const clock = options.clock ?? Date.now;
  const store = new SlackSimStore(SimWorkspaceSchema.parse(options.workspace));
  const limiter = new RateLimiter();
  const calls: SlackSimCall[] = [];
  let faults: { method: string; left: number; retryAfter: number }[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = url.pathname.replace(/^\/api\//, '');
    const raw = await readBody(req);
    const reply = (
      status: number,
      result: MethodResult,
      params: Record<string, unknown>,
      headers: Record<string, string> = {},
    ): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(result));
      calls.push({ method, params, status, result, at: clock() });
    };
    const read = readParams(url, String(req.headers['content-type'] ?? ''), raw);
    if (read === 'invalid_json') return reply(200, { ok: false, error: 'invalid_json' }, {});
    const { params, json } = read;
    const handler = METHODS[method];
    if (!url.pathname.startsWith('/api/') || handler === undefined)
      return reply(404, { ok: false, error: 'unknown_method' }, params);
    // https://docs.slack.dev/authentication/tokens: a bearer header, or a `token` parameter in a form body (never in JSON).
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const token = bearer ?? (json ? undefined : (params.token as string | undefined));
    const safeParams = { ...params, token: undefined };
    if (token === undefined) return reply(200, { ok: false, error: 'not_authed' }, safeParams);
    const scopes = store.workspace.tokens[token];
    if (scopes === undefined) return reply(200, { ok: false, error: 'invalid_auth' }, safeParams);
    const needed = METHOD_SCOPES[method];
    if (needed && !scopes.includes(needed))
      return reply(200, { ok: false, error: 'missing_scope', needed, provided: scopes.join(',') }, safeParams);
    const fault = faults.find((f) => f.method === method && f.left > 0);
    if (fault) {
      fault.left -= 1;
      faults = faults.filter((f) => f.left > 0);
      return reply(429, { ok: false, error: 'ratelimited' }, safeParams, { 'retry-after': String(fault.retryAfter) });
    }
    const wait = limiter.check(method, typeof params.channel === 'string' ? params.channel : undefined, clock());
    if (wait !== undefined)
      return reply(429, { ok: false, error: 'ratelimited' }, safeParams, { 'retry-after': String(wait) });
    reply(200, handler(store, { params, scopes, now: clock() }), safeParams);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`slack-sim: ${e instanceof Error ? e.message : String(e)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const sign = (
    body: string,
    contentType: SignOptions['contentType'],
    extra: Partial<SignOptions> = {},
  ): SignedSlackRequest =>
    signRequest(body, {
      signingSecret: options.signingSecret,
      timestamp: Math.floor(clock() / 1000),
      contentType,
      ...extra,
    });

  return {
    apiUrl: `http://${options.host ?? '127.0.0.1'}:${port}/api/`,
    store,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    rateLimit: (f) => faults.push({ method: f.method, left: f.times, retryAfter: f.retryAfter }),
    interact: (spec, s) =>
      sign(formPayload(blockActionsPayload(store, spec, clock())), 'application/x-www-form-urlencoded', s),
    submitView: (spec, s) =>
      sign(formPayload(viewSubmissionPayload(store, spec, clock())), 'application/x-www-form-urlencoded', s),
    event: (event, eventId, s) =>
      sign(JSON.stringify(eventCallback(store, event, eventId, clock())), 'application/json', s),
    deliverEvent: (target, event, eventId, o) => {
      const body = JSON.stringify(eventCallback(store, event, eventId, clock()));
      return deliverToApp(target, (retry) => sign(body, 'application/json', retry), o);
    },
    deliverInteraction: (target, spec, o) => {
      const body = formPayload(blockActionsPayload(store, spec, clock()));
      return deliverToApp(target, () => sign(body, 'application/x-www-form-urlencoded'), o);
    },
    send: async (target, request) => {
      const r = await fetch(target, { method: 'POST', headers: request.headers, body: request.body });
      return { status: r.status, headers: r.headers, body: await r.text() };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
