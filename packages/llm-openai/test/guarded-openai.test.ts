import {
  DraftUpdateAnswerSchema,
  assist,
  createGuardedModel,
  createMemoryCounterStore,
  type LlmAuditRecord,
} from '@baton/core/llm';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIProvider } from '../src/index.ts';
import { scripted, startOpenAIServer, type OpenAITestServer, type Reply } from './server.ts';

// The whole path a feature takes: core's guard around the real openai client, against the local server.
let server: OpenAITestServer | undefined;
afterEach(async () => server?.close());

const request = {
  purpose: 'draft-update' as const,
  instructions: 'Write a short update for the customer.',
  evidence: [
    {
      id: 'email-1',
      source: 'email',
      text: 'From ana@acme.example: export fails. Our token is ghp_0123456789abcdefghijABCDEFGHIJ012345, card 4111 1111 1111 1111.',
    },
  ],
  schema: DraftUpdateAnswerSchema,
  maxOutputTokens: 200,
};
const template = () => ({ subject: 'Update on your request', body: 'We are looking into it.' });

async function guarded(replies: Reply[]) {
  server = await startOpenAIServer(scripted(...replies));
  const audit: LlmAuditRecord[] = [];
  const counters = createMemoryCounterStore();
  let t = 0;
  const model = createGuardedModel(
    createOpenAIProvider({
      apiKey: 'sk-local-test-000000000000000000',
      model: 'gpt-test',
      baseURL: server.baseURL,
      maxRetries: 0,
    }),
    {
      installationId: 'cli',
      now: () => (t += 10),
      audit: (r) => void audit.push(r),
      counters,
    },
  );
  return { model, audit, counters };
}

describe('guarded OpenAI model', () => {
  it('never sends the contact details, token or card number, and restores the address in the draft', async () => {
    const { model, audit } = await guarded([
      { kind: 'json', value: { subject: 'Export', body: 'Hello [[EMAIL_1]], token [[SECRET_1]]' } },
    ]);
    const result = await assist(model, request, template);
    expect(result).toMatchObject({ source: 'model', value: { body: 'Hello ana@acme.example, token [redacted]' } });
    const sent = JSON.stringify(server!.requests[0]!.body);
    expect(sent).not.toMatch(/ana@acme\.example|ghp_0123|4111 1111/);
    expect(audit[0]).toMatchObject({ outcome: 'ok', redactions: { email: 1, secret: 1, card: 1, phone: 0 } });
  });

  it.each<[string, Reply, string]>([
    ['a schema-invalid answer', { kind: 'json', value: { subject: 'x' } }, 'llm.schema_invalid'],
    ['malformed JSON', { kind: 'text', text: '{"subject": "x", ' }, 'llm.malformed_output'],
    ['a refusal', { kind: 'refusal', text: 'I cannot help with that.' }, 'llm.refused'],
    ['429', { kind: 'error', status: 429, headers: { 'retry-after': '3' } }, 'llm.rate_limited'],
    ['500', { kind: 'error', status: 500 }, 'llm.server_error'],
  ])('falls back to the template on %s, says why and counts it', async (_label, reply, code) => {
    const { model, counters } = await guarded([reply]);
    const result = await assist(model, request, template);
    expect(result).toMatchObject({ value: template(), source: 'rules', fallback: true, reason: [{ code }] });
    expect(counters.snapshot()[`llm:outcome:cli:${code}`]).toBe(1);
    expect(model.stats().failures).toEqual({ [code]: 1 });
  });
});
