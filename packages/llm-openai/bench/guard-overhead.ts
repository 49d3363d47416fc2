/**
 * What the guard rails cost: redaction throughput on real issue text, and the latency a guarded
 * call adds over the bare provider, both against the local OpenAI server (no network).
 * Run: pnpm exec tsx packages/llm-openai/bench/guard-overhead.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DraftUpdateAnswerSchema,
  buildPrompt,
  createGuardedModel,
  createMemoryCacheStore,
  createRedactor,
  sha256Hex,
} from '@baton/core/llm';
import { createOpenAIProvider } from '../src/index.ts';
import { startOpenAIServer } from '../test/server.ts';

interface RawIssue {
  fields: { summary: string; description: string | null; comment: { comments: { body: string }[] } };
}
const issues = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'core', 'test', 'fixtures', 'appcelerator-issues.json'), 'utf8'),
) as RawIssue[];
const texts = issues.flatMap((i) => [
  i.fields.summary,
  i.fields.description ?? '',
  ...i.fields.comment.comments.map((c) => c.body),
]);
const corpus = texts.join('\n');

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

// 1. Redaction throughput.
{
  const rounds = 5;
  const started = performance.now();
  let counts = { secret: 0, card: 0, email: 0, phone: 0 };
  for (let r = 0; r < rounds; r++) {
    const redactor = createRedactor();
    for (const t of texts) redactor.redact(t);
    counts = redactor.counts();
  }
  const ms = performance.now() - started;
  const mb = (corpus.length * rounds) / 1e6;
  console.log(
    `redaction: ${texts.length} real texts (${(corpus.length / 1e3).toFixed(0)} kB), ${(mb / (ms / 1000)).toFixed(1)} MB/s; found ${JSON.stringify(counts)}`,
  );
}

// 2. Guard overhead per call.
const server = await startOpenAIServer(() => ({ kind: 'json', value: { subject: 'Update', body: 'We are on it.' } }));
const provider = createOpenAIProvider({
  apiKey: 'sk-bench-000000000000000000000000',
  model: 'bench',
  baseURL: server.baseURL,
  maxRetries: 0,
});
const guarded = createGuardedModel(provider, {
  installationId: 'bench',
  now: () => performance.now(),
  cache: createMemoryCacheStore(),
});
const requests = texts.slice(0, 200).map((text, i) => ({
  purpose: 'draft-update' as const,
  instructions: 'Write a short update.',
  evidence: [{ id: `c-${i}`, source: 'comment', text }],
  schema: DraftUpdateAnswerSchema,
  maxOutputTokens: 200,
}));
const bare: number[] = [];
const withGuard: number[] = [];
const cached: number[] = [];
for (const req of requests) {
  const prompt = buildPrompt(req, createRedactor(), sha256Hex);
  let t = performance.now();
  await provider.generate(prompt);
  bare.push(performance.now() - t);
  t = performance.now();
  await guarded.complete(req);
  withGuard.push(performance.now() - t);
  t = performance.now();
  await guarded.complete(req);
  cached.push(performance.now() - t);
}
await server.close();
const fmt = (xs: number[]) => `p50 ${percentile(xs, 0.5).toFixed(2)} ms, p95 ${percentile(xs, 0.95).toFixed(2)} ms`;
console.log(`bare provider (${requests.length} calls, local server): ${fmt(bare)}`);
console.log(`guarded call:  ${fmt(withGuard)}`);
console.log(`guarded, cache hit: ${fmt(cached)}`);
console.log(`guard stats: ${JSON.stringify(guarded.stats())}`);
