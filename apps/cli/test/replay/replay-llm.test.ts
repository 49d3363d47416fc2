import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAIServer, type OpenAITestServer, type Reply } from '@baton/llm-openai/test-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliEnv } from '../../src/env.ts';
import { runCli } from '../../src/run.ts';

// Issue #5: a model used for wording changes wording only. The real `openai` client talks to the
// local server that speaks the OpenAI wire format (@baton/llm-openai's test server); nothing leaves
// the machine.
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const RECEIPT = join(FIXTURES, 'eventlogs', 'receipt-40-cases.csv');
const CHARTER = join(FIXTURES, 'charters', 'receipt.yaml');

let server: OpenAITestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function replay(extra: readonly string[], env: CliEnv = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'baton-replay-llm-'));
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['replay', RECEIPT, '--charter', CHARTER, '--out', dir, ...extra], {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    interactive: false,
    cwd: '.',
    env,
  });
  const read = (f: string) => readFile(join(dir, f), 'utf8');
  return {
    code,
    out: out.join(''),
    decisions: await read('decisions.csv'),
    audit: await read('audit.jsonl'),
    summary: JSON.parse(await read('summary.json')) as {
      wording: {
        model: string | null;
        messages: number;
        worded: number;
        fellBack: number;
        reasons: Record<string, number>;
      };
    },
    html: await read('replay.html'),
  };
}

const model = (baseURL: string) => ['--llm', 'openai', '--llm-model', 'gpt-test', '--llm-base-url', baseURL];

describe('baton replay --llm: the model words, the rules decide', () => {
  it('writes byte-identical decisions.csv and audit.jsonl with a model that answers, and the page shows its wording', async () => {
    const plain = await replay([]);
    expect(plain.code).toBe(0);
    expect(plain.summary.wording).toMatchObject({ model: null, worded: 0, fellBack: 0 });
    let n = 0;
    // A model that rewords every message it is given (and, once, tries to add an action and a link).
    server = await startOpenAIServer((req): Reply => {
      n++;
      const draft = /Reword/.test(req.system + req.user) ? `Reworded ${n}: the case moved on.` : 'unexpected';
      return {
        kind: 'json',
        value: {
          subject: `Update ${n}`,
          body: n === 1 ? `${draft} Also reassign it to mallory and see https://evil.example/x` : draft,
        },
      };
    });
    const worded = await replay(model(server.baseURL));
    expect(worded.code).toBe(0);
    expect(worded.decisions).toBe(plain.decisions);
    expect(worded.audit).toBe(plain.audit);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(worded.summary.wording.model).toContain('gpt-test');
    expect(worded.summary.wording.messages).toBe(plain.summary.wording.messages);
    expect(worded.summary.wording.worded).toBeGreaterThan(0);
    expect(worded.summary.wording.worded + worded.summary.wording.fellBack).toBe(worded.summary.wording.messages);
    expect(worded.html).toContain('Reworded');
    expect(worded.html).toContain('worded by');
    // The guard rails dropped the link the evidence does not hold.
    expect(worded.html).not.toContain('evil.example');
    expect(worded.out).toMatch(
      /wording: \d+ of \d+ example messages by the model, \d+ fell back to the rules; model openai-compatible-local:gpt-test/,
    );
  });

  it('falls back to the rules when the server answers 500 or garbage, counts it, and still writes the same decisions', async () => {
    const plain = await replay([]);
    // By content, not by call count: the client retries a 500 once, and the retry must fail the same way.
    server = await startOpenAIServer((req): Reply =>
      /concierge\.update/.test(req.system + req.user)
        ? { kind: 'error', status: 500, message: 'upstream exploded' }
        : { kind: 'garbage', body: '<html>gateway</html>' },
    );
    const failing = await replay([...model(server.baseURL), '--llm-timeout', '5000']);
    expect(failing.code).toBe(0);
    expect(failing.decisions).toBe(plain.decisions);
    expect(failing.audit).toBe(plain.audit);
    const w = failing.summary.wording;
    expect(w.worded).toBe(0);
    expect(w.fellBack).toBe(w.messages);
    expect(w.messages).toBeGreaterThan(0);
    expect(w.reasons['llm.server_error']).toBeGreaterThan(0);
    expect(w.reasons['llm.malformed_output']).toBeGreaterThan(0);
    expect(w.reasons['llm.server_error']! + w.reasons['llm.malformed_output']!).toBe(w.messages);
    expect(failing.html).toContain('the model&#39;s answer was not used: llm.server_error');
    expect(failing.out).toMatch(/wording: 0 of \d+ example messages by the model, \d+ fell back to the rules/);
  });

  it('documents the flags in the command help', async () => {
    const out: string[] = [];
    const code = await runCli(['replay', '--help'], {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
      interactive: false,
      cwd: '.',
      env: {},
    });
    expect(code).toBe(0);
    expect(out.join('')).toContain('--llm-base-url <url>');
    expect(out.join('')).toContain('decisions.csv and audit.jsonl are byte for byte what');
  });

  it('a bad --llm flag is a usage error before anything is replayed', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      ['replay', RECEIPT, '--charter', CHARTER, '--out', join(tmpdir(), 'never'), '--llm', 'openai'],
      {
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
        interactive: false,
        cwd: '.',
        env: {},
      },
    );
    expect(code).toBe(2);
    expect(err.join('')).toContain('--llm openai needs --llm-model');
  });
});
