import {
  DraftUpdateAnswerSchema,
  assist,
  buildPrompt,
  createGuardedModel,
  createRedactor,
  sha256Hex,
} from '@baton/core/llm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createForgeLlmProvider, type ForgeLlmApi } from '../src/index.ts';

// The real @forge/llm SDK runs here: only the Forge runtime's two globals are stood in for — its
// tracing context and `__forge_fetch__`, the runtime's egress-free transport to Atlassian's LLMs.
// Replies follow the shapes in the SDK's README (choices[].message.tool_calls, usage.input_tokens).
interface Sent {
  readonly meta: unknown;
  readonly url: string;
  readonly body: Record<string, unknown>;
}
const sent: Sent[] = [];
let replies: (() => Response)[] = [];
const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const g = globalThis as Record<string, unknown>;
let api: ForgeLlmApi;

beforeAll(async () => {
  g.__forge_runtime__ = { tracing: { traceId: 'trace-1', spanId: 'span-1' } };
  g.__forge_fetch__ = async (meta: unknown, url: string, init: { body: string }) => {
    sent.push({ meta, url, body: JSON.parse(init.body) as Record<string, unknown> });
    const next = replies.shift();
    if (next === undefined) throw new Error('no scripted reply');
    return next();
  };
  api = (await import('../src/forge-llm-api.ts')).forgeLlmApi;
});
afterAll(() => {
  delete g.__forge_runtime__;
  delete g.__forge_fetch__;
});
beforeEach(() => {
  sent.length = 0;
  replies = [];
});

const prompt = buildPrompt(
  {
    purpose: 'draft-update',
    instructions: 'Write a short customer update.',
    evidence: [{ id: 'c-1', source: 'comment', text: 'Export fixed in build 1.24.3; deploying Thursday.' }],
    schema: DraftUpdateAnswerSchema,
    maxOutputTokens: 300,
  },
  createRedactor(),
  sha256Hex,
);
const ANSWER = { subject: 'Export fix on Thursday', body: 'The fix ships in build 1.24.3 on Thursday.' };
const toolAnswer = (args: unknown, finish = 'tool_use') =>
  json(200, {
    usage: { input_tokens: 412, output_tokens: 57, total_tokens: 469 },
    choices: [
      {
        index: 0,
        finish_reason: finish,
        message: {
          role: 'assistant',
          content: [{ type: 'text', text: '' }],
          tool_calls: [
            { id: 'toolu_1', type: 'function', index: 0, function: { name: 'draft_update', arguments: args } },
          ],
        },
      },
    ],
  });

describe('createForgeLlmProvider with @forge/llm', () => {
  it('asks for the answer through a forced tool call and reads its arguments', async () => {
    replies = [toolAnswer(ANSWER)];
    const provider = createForgeLlmProvider({ model: 'claude-haiku-4-5-20251001' }, api);
    expect(await provider.generate(prompt)).toEqual({
      ok: true,
      value: { output: ANSWER, model: 'claude-haiku-4-5-20251001', usage: { inputTokens: 412, outputTokens: 57 } },
    });
    expect(sent[0]?.url).toBe('https://llm/claude-haiku-4-5-20251001');
    expect(sent[0]?.meta).toEqual({ type: 'llm', model: 'claude-haiku-4-5-20251001' });
    expect(sent[0]?.body).toMatchObject({
      stream: false,
      max_completion_tokens: 300,
      tool_choice: { type: 'function', function: { name: 'draft_update' } },
      tools: [{ type: 'function', function: { name: 'draft_update', parameters: prompt.jsonSchema } }],
      messages: [
        { role: 'system', content: [{ type: 'text', text: prompt.system }] },
        { role: 'user', content: [{ type: 'text', text: prompt.user }] },
      ],
    });
  });

  it('accepts a JSON text answer when the model does not call the tool', async () => {
    replies = [
      json(200, {
        choices: [
          {
            finish_reason: 'end_turn',
            message: { role: 'assistant', content: [{ type: 'text', text: JSON.stringify(ANSWER) }] },
          },
        ],
      }),
    ];
    const result = await createForgeLlmProvider({}, api).generate(prompt);
    expect(result).toMatchObject({ ok: true, value: { output: ANSWER } });
  });

  it.each([
    ['a 429', json(429, { code: 'RATE_LIMIT_EXCEEDED', message: 'Too many requests' }), 'llm.rate_limited'],
    ['a 500', json(500, { code: 'INTERNAL_SERVER_ERROR', message: 'boom' }), 'llm.server_error'],
    ['a 403', json(403, { code: 'FORBIDDEN', message: 'llm module missing' }), 'llm.unauthorized'],
    [
      'prose instead of JSON',
      json(200, {
        choices: [{ finish_reason: 'end_turn', message: { role: 'assistant', content: 'Sure, here it is' } }],
      }),
      'llm.malformed_output',
    ],
    ['a cut-off answer', toolAnswer({ subject: 'x' }, 'max_tokens'), 'llm.truncated'],
    [
      'a refusal',
      json(200, { choices: [{ finish_reason: 'refusal', message: { role: 'assistant', content: '' } }] }),
      'llm.refused',
    ],
  ])('maps %s to %s', async (_label, reply, code) => {
    replies = [reply];
    const result = await createForgeLlmProvider({}, api).generate(prompt);
    expect(result).toEqual({ ok: false, issues: [expect.objectContaining({ code })] });
  });

  it('falls back to the template behind the guard when the tool arguments miss a field', async () => {
    replies = [toolAnswer({ subject: 'Only a subject' })];
    const model = createGuardedModel(createForgeLlmProvider({}, api), { installationId: 'site-1', now: () => 0 });
    const template = { subject: 'Update', body: 'Template.' };
    const result = await assist(
      model,
      {
        purpose: 'draft-update',
        instructions: 'Write an update.',
        evidence: [],
        schema: DraftUpdateAnswerSchema,
        maxOutputTokens: 100,
      },
      () => template,
    );
    expect(result).toMatchObject({ value: template, fallback: true, reason: [{ code: 'llm.schema_invalid' }] });
  });
});
