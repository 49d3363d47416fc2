import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scripted, startOpenAIServer, type OpenAITestServer, type Reply } from '@baton/llm-openai/test-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliEnv } from '../../src/env.ts';
import { runCli } from '../../src/run.ts';

const KEY = 'sk-cli-test-key-000000000000000000000';
let server: OpenAITestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(args: string[], env: CliEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    interactive: false,
    cwd: '.',
    env,
  });
  return { code, out: out.join(''), err: err.join('') };
}

async function withServer(...replies: Reply[]) {
  server = await startOpenAIServer(scripted(...replies));
  return server.baseURL;
}

describe('baton llm-check', () => {
  it('without a model prints the template and succeeds', async () => {
    const r = await run(['llm-check']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('No model configured');
  });

  it('with a model: redacts before sending, prints the model’s draft and a summary, never the key', async () => {
    const baseURL = await withServer(
      {
        kind: 'json',
        value: {
          subject: 'CSV export fix',
          body: 'We are rolling back the export service on Thursday; we will write to [[EMAIL_1]].',
        },
      },
      { kind: 'json', value: { label: 'bug', confidence: 0.9, rationale: 'An error after an upgrade.' } },
    );
    const r = await run(
      [
        'llm-check',
        '--llm',
        'openai',
        '--llm-model',
        'gpt-test',
        '--llm-base-url',
        baseURL,
        '--llm-price',
        '0.15,0.60',
      ],
      {
        OPENAI_API_KEY: KEY,
      },
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('Redacted before sending: 1 secret, 0 card, 1 email, 1 phone');
    expect(r.out).toContain('we will write to ana@customer.example');
    expect(r.out).toContain('Classification (model-made, a suggestion at most): bug p=0.75');
    expect(r.out).toMatch(
      /model openai-compatible-local:gpt-test: 2 calls, 2 answered, 0 from cache, 0 fell back to the rules; [\d,]+ tokens, ~\$0\.\d{4}/,
    );
    expect(r.out + r.err).not.toContain(KEY);
    expect(server!.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    for (const req of server!.requests) expect(JSON.stringify(req.body)).not.toMatch(/ana@customer|ghp_0123|7946 0958/);
  });

  it('falls back to the template when the server fails, says why, exits 1 and writes the audit file', async () => {
    const baseURL = await withServer({ kind: 'error', status: 500, message: 'upstream exploded' });
    const audit = join(mkdtempSync(join(tmpdir(), 'baton-llm-')), 'audit.jsonl');
    const r = await run([
      'llm-check',
      '--llm',
      'openai',
      '--llm-model',
      'gpt-test',
      '--llm-base-url',
      baseURL,
      '--llm-audit',
      audit,
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("Draft (template; the model's answer was not usable: llm.server_error");
    expect(r.out).toContain('2 fell back to the rules (llm.server_error×2)');
    const lines = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { outcome: string; purpose: string });
    expect(lines.map((l) => [l.purpose, l.outcome])).toEqual([
      ['draft-update', 'failed'],
      ['classify-intent', 'failed'],
    ]);
  });

  it.each([
    [['--llm', 'openai'], {}, '--llm openai needs --llm-model'],
    [['--llm', 'openai', '--llm-model', 'gpt-4o-mini'], {}, 'needs $OPENAI_API_KEY'],
    [['--llm', 'anthropic'], {}, "--llm expects 'none' or 'openai'"],
    [
      ['--llm', 'openai', '--llm-model', 'm', '--llm-base-url', 'nope'],
      { OPENAI_API_KEY: KEY },
      '--llm-base-url is not a URL',
    ],
    [
      ['--llm', 'openai', '--llm-model', 'm', '--llm-timeout=0'],
      { OPENAI_API_KEY: KEY },
      '--llm-timeout expects a positive whole number',
    ],
  ] as [string[], CliEnv, string][])('rejects %j with a usage error', async (args, env, message) => {
    const r = await run(['llm-check', ...args], env);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toContain(KEY);
  });

  it('takes its defaults from the environment', async () => {
    const baseURL = await withServer(
      { kind: 'json', value: { subject: 'S', body: 'B.' } },
      { kind: 'json', value: { label: 'bug', confidence: 0.5, rationale: 'r' } },
    );
    const r = await run(['llm-check'], {
      BATON_LLM: 'openai',
      BATON_LLM_MODEL: 'gpt-env',
      BATON_LLM_BASE_URL: baseURL,
    });
    expect(r.code).toBe(0);
    expect(server!.requests[0]?.body.model).toBe('gpt-env');
  });
});
