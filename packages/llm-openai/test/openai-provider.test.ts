import { DraftUpdateAnswerSchema, buildPrompt, createRedactor, sha256Hex, type ModelPrompt } from '@baton/core/llm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOpenAIProvider, type OpenAIProviderConfig } from '../src/index.ts';
import { scripted, startOpenAIServer, type OpenAITestServer, type Reply } from './server.ts';

const KEY = 'sk-test-local-0000000000000000000000';
const prompt: ModelPrompt = buildPrompt(
  {
    purpose: 'draft-update',
    instructions: 'Write a short customer update.',
    evidence: [{ id: 'email-1', source: 'email', text: 'The export to CSV fails since Monday.' }],
    schema: DraftUpdateAnswerSchema,
    maxOutputTokens: 200,
  },
  createRedactor(),
  sha256Hex,
);

let server: OpenAITestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function providerFor(replies: Reply[], config: Partial<OpenAIProviderConfig> = {}) {
  server = await startOpenAIServer(scripted(...replies));
  return createOpenAIProvider({ apiKey: KEY, model: 'gpt-test', baseURL: server.baseURL, maxRetries: 0, ...config });
}

const ANSWER = { subject: 'CSV export', body: 'We are fixing the CSV export.' };

describe.each(['chat', 'responses'] as const)('createOpenAIProvider over the %s API', (api) => {
  it('sends the structured-output request and parses the answer', async () => {
    const provider = await providerFor([{ kind: 'json', value: ANSWER }], { api });
    const result = await provider.generate(prompt);
    expect(result).toEqual({
      ok: true,
      value: {
        output: ANSWER,
        model: 'gpt-test-2026-01-01',
        usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
      },
    });
    const request = server!.requests[0]!;
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.system).toBe(prompt.system);
    expect(request.user).toBe(prompt.user);
    if (api === 'chat') {
      expect(request.path).toBe('/v1/chat/completions');
      expect(request.body).toMatchObject({
        model: 'gpt-test',
        max_completion_tokens: 200,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'draft_update', strict: true, schema: prompt.jsonSchema },
        },
      });
    } else {
      expect(request.path).toBe('/v1/responses');
      expect(request.body).toMatchObject({
        model: 'gpt-test',
        max_output_tokens: 200,
        store: false,
        text: { format: { type: 'json_schema', name: 'draft_update', strict: true, schema: prompt.jsonSchema } },
      });
    }
  });

  it('maps 429 with Retry-After to llm.rate_limited with the wait', async () => {
    const provider = await providerFor(
      [{ kind: 'error', status: 429, code: 'rate_limit_exceeded', headers: { 'retry-after': '7' } }],
      { api },
    );
    expect(await provider.generate(prompt)).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: 'llm.rate_limited', status: 429, retryAfterMs: 7000 })],
    });
  });

  it('maps 500 to llm.server_error, and retries it when allowed', async () => {
    const once = await providerFor([{ kind: 'error', status: 500 }], { api });
    expect(await once.generate(prompt)).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: 'llm.server_error', status: 500 })],
    });
    await server!.close();
    const retrying = await providerFor(
      [
        { kind: 'error', status: 503, headers: { 'retry-after-ms': '1' } },
        { kind: 'json', value: ANSWER },
      ],
      {
        api,
        maxRetries: 1,
      },
    );
    expect((await retrying.generate(prompt)).ok).toBe(true);
    expect(server!.requests).toHaveLength(2);
  });

  it('maps a slow server to llm.timeout', async () => {
    const provider = await providerFor([{ kind: 'delay', ms: 5_000, then: { kind: 'json', value: ANSWER } }], {
      api,
      timeoutMs: 100,
    });
    expect(await provider.generate(prompt)).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: 'llm.timeout' })],
    });
  });

  it('maps an answer that is not JSON, and a body that is not JSON, to llm.malformed_output', async () => {
    const provider = await providerFor(
      [
        { kind: 'text', text: 'Sure! Here is your update: {subject: …' },
        { kind: 'garbage', body: '<html>502 Bad Gateway' },
      ],
      {
        api,
      },
    );
    expect(await provider.generate(prompt)).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: 'llm.malformed_output' })],
    });
    expect(await provider.generate(prompt)).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: 'llm.malformed_output' })],
    });
  });

  it('maps a refusal to llm.refused and a cut-off answer to llm.truncated', async () => {
    const provider = await providerFor(
      [{ kind: 'refusal', text: "I'm sorry, I can't help with that." }, { kind: 'truncated' }],
      { api },
    );
    expect(await provider.generate(prompt)).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: 'llm.refused' })],
    });
    expect(await provider.generate(prompt)).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: 'llm.truncated' })],
    });
  });

  it('maps 401 to llm.unauthorized without repeating the key', async () => {
    const provider = await providerFor(
      [{ kind: 'error', status: 401, message: `Incorrect API key provided: ${KEY}.` }],
      { api },
    );
    const result = await provider.generate(prompt);
    expect(result).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'llm.unauthorized', status: 401 })] });
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it('passes a schema-valid-JSON but schema-invalid answer through for the guard to reject', async () => {
    const provider = await providerFor([{ kind: 'json', value: { subject: 1 } }], { api });
    expect(await provider.generate(prompt)).toMatchObject({ ok: true, value: { output: { subject: 1 } } });
  });
});

describe('createOpenAIProvider configuration', () => {
  it('rejects a missing key or a bad base URL at construction', () => {
    expect(() => createOpenAIProvider({ apiKey: '', model: 'm' })).toThrow();
    expect(() => createOpenAIProvider({ apiKey: KEY, model: 'm', baseURL: 'not a url' })).toThrow();
  });

  it('sends Azure-style headers and query parameters when configured', async () => {
    const provider = await providerFor([{ kind: 'json', value: ANSWER }], {
      defaultHeaders: { 'api-key': 'azure-key-placeholder' },
      defaultQuery: { 'api-version': 'preview' },
      label: 'azure-openai',
    });
    expect(provider.name).toBe('azure-openai');
    await provider.generate(prompt);
    expect(server!.requests[0]?.headers['api-key']).toBe('azure-key-placeholder');
    expect(server!.requests[0]?.path).toBe('/v1/chat/completions?api-version=preview');
  });

  it('refuses a browser-like global scope unless told it runs in an extension background', async () => {
    // What the client checks: a window with a document (Firefox's background page has both).
    vi.stubGlobal('window', { document: {} });
    try {
      expect(() => createOpenAIProvider({ apiKey: KEY, model: 'm' })).toThrow(/browser-like environment/);
      const provider = await providerFor([{ kind: 'json', value: ANSWER }], { dangerouslyAllowBrowser: true });
      expect(await provider.generate(prompt)).toMatchObject({ ok: true, value: { output: ANSWER } });
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
