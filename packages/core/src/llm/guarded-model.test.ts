import { describe, expect, it } from 'vitest';
import { fail, ok, type Result } from '../result.ts';
import { DraftUpdateAnswerSchema } from './answer-schemas.ts';
import { assist } from './assist.ts';
import { createGuardedModel, type GuardedModelOptions } from './guarded-model.ts';
import {
  llmIssue,
  type LanguageModelProvider,
  type LanguageModelRequest,
  type LlmIssue,
  type ModelOutput,
  type ModelPrompt,
} from './language-model.ts';
import type { LlmAuditRecord } from './llm-audit.ts';
import { createMemoryCacheStore, createMemoryCounterStore } from './stores.ts';

type Reply = Result<ModelOutput, LlmIssue> | ((prompt: ModelPrompt) => Result<ModelOutput, LlmIssue>) | Error | 'never';

/** A provider that answers from a script and remembers what it was sent. */
function scripted(...replies: Reply[]) {
  const prompts: ModelPrompt[] = [];
  const provider: LanguageModelProvider = {
    name: 'scripted',
    model: 'test-model',
    generate: async (prompt) => {
      prompts.push(prompt);
      const reply = replies.shift() ?? fail(llmIssue('llm.unavailable', 'script ran out'));
      if (reply === 'never') return new Promise(() => {});
      if (reply instanceof Error) throw reply;
      return typeof reply === 'function' ? reply(prompt) : reply;
    },
  };
  return { provider, prompts };
}

const answer = (output: unknown, inputTokens = 100, outputTokens = 20) =>
  ok<ModelOutput>({ output, model: 'test-model-2026', usage: { inputTokens, outputTokens } });

const DRAFT: LanguageModelRequest<{ subject: string; body: string }> = {
  purpose: 'draft-update',
  instructions: 'Write a short customer update.',
  evidence: [
    {
      id: 'email-1',
      source: 'email',
      text: 'Hi, this is ana@acme.example; the export still fails. Runbook: https://acme.example/runbook',
    },
  ],
  schema: DraftUpdateAnswerSchema,
  maxOutputTokens: 200,
};

function setup(replies: Reply[], extra: Partial<GuardedModelOptions> = {}) {
  let clock = Date.UTC(2026, 10, 23, 21, 0);
  const audit: LlmAuditRecord[] = [];
  const counters = createMemoryCounterStore();
  const cache = createMemoryCacheStore();
  const { provider, prompts } = scripted(...replies);
  const model = createGuardedModel(provider, {
    installationId: 'site-1',
    now: () => (clock += 5),
    audit: (r) => {
      audit.push(r);
    },
    counters,
    cache,
    pricing: { inputPerMillion: 2, outputPerMillion: 8 },
    ...extra,
  });
  return { model, prompts, audit, counters, cache, advance: (ms: number) => (clock += ms) };
}

describe('createGuardedModel', () => {
  it('sends redacted text, validates the answer, restores placeholders and audits the call', async () => {
    const t = setup([
      answer({ subject: 'Export issue', body: 'We have written to [[EMAIL_1]]. See https://acme.example/runbook' }),
    ]);
    const result = await t.model.complete(DRAFT);
    expect(result).toEqual({
      ok: true,
      value: {
        value: {
          subject: 'Export issue',
          body: 'We have written to ana@acme.example. See https://acme.example/runbook',
        },
        model: 'test-model-2026',
        usage: { inputTokens: 100, outputTokens: 20 },
        cached: false,
      },
    });
    expect(t.prompts[0]?.user).not.toContain('ana@acme.example');
    expect(t.prompts[0]?.user).toContain('[[EMAIL_1]]');
    expect(t.audit).toHaveLength(1);
    expect(t.audit[0]).toMatchObject({
      installationId: 'site-1',
      purpose: 'draft-update',
      provider: 'scripted',
      model: 'test-model-2026',
      inputTokens: 100,
      outputTokens: 20,
      latencyMs: 5,
      costEstimateUsd: 0.00036,
      outcome: 'ok',
      issues: [],
      redactions: { secret: 0, card: 0, email: 1, phone: 0 },
      dropped: 0,
    });
    expect(t.audit[0]?.promptDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(t.audit)).not.toContain('ana@acme.example');
  });

  it('turns a schema-invalid answer into a typed failure, counted and audited', async () => {
    const t = setup([answer({ subject: 'x', body: 42 })]);
    const result = await t.model.complete(DRAFT);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.code)).toEqual(['llm.schema_invalid']);
    expect(t.model.stats().failures).toEqual({ 'llm.schema_invalid': 1 });
    expect(t.counters.snapshot()['llm:outcome:site-1:llm.schema_invalid']).toBe(1);
    expect(t.audit[0]).toMatchObject({ outcome: 'failed', issues: ['llm.schema_invalid'] });
  });

  it('passes provider failures through and maps a throwing provider to llm.unavailable', async () => {
    const t = setup([
      fail(llmIssue('llm.rate_limited', '429', { status: 429, retryAfterMs: 2000 })),
      new Error('socket hang up'),
    ]);
    const first = await t.model.complete(DRAFT);
    const second = await t.model.complete(DRAFT);
    expect(first).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: 'llm.rate_limited', retryAfterMs: 2000 })],
    });
    expect(second).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'llm.unavailable' })] });
  });

  it('gives up at its own deadline when the provider never answers', async () => {
    const t = setup(['never'], { deadline: { ms: 1000, after: async () => {} } });
    const result = await t.model.complete(DRAFT);
    expect(result).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'llm.timeout' })] });
  });

  it('stops its deadline as soon as the provider answers', async () => {
    let started = 0;
    let stopped = 0;
    const t = setup([answer({ subject: 'Update', body: 'Thanks' })], {
      deadline: {
        ms: 1000,
        after: (_ms, onAnswer) => {
          started++;
          onAnswer(() => stopped++);
          return new Promise<void>(() => {});
        },
      },
    });
    const result = await t.model.complete(DRAFT);
    expect(result.ok).toBe(true);
    expect([started, stopped]).toEqual([1, 1]);
  });

  it('answers an identical redacted input from the cache, restoring this call’s own values', async () => {
    const t = setup([answer({ subject: 'Update', body: 'Thanks [[EMAIL_1]]' })]);
    await t.model.complete(DRAFT);
    const other = {
      ...DRAFT,
      evidence: [{ ...DRAFT.evidence[0]!, text: DRAFT.evidence[0]!.text.replace('ana@', 'bo@') }],
    };
    const result = await t.model.complete(other);
    expect(result.ok && result.value).toMatchObject({ cached: true, value: { body: 'Thanks bo@acme.example' } });
    expect(t.prompts).toHaveLength(1);
    expect(t.audit.map((a) => a.outcome)).toEqual(['ok', 'cache_hit']);
    expect(t.audit[0]?.promptDigest).toBe(t.audit[1]?.promptDigest);
  });

  it('refuses calls past the daily budget without calling the provider, and starts afresh the next day', async () => {
    const t = setup([answer({ subject: 'a', body: 'b' }, 500, 100), answer({ subject: 'c', body: 'd' })], {
      budget: { dailyTokens: 1000 },
      cache: undefined,
    });
    expect((await t.model.complete(DRAFT)).ok).toBe(true);
    const refused = await t.model.complete(DRAFT);
    expect(refused).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'llm.budget_exhausted' })] });
    expect(t.prompts).toHaveLength(1);
    t.advance(24 * 3600 * 1000);
    expect((await t.model.complete(DRAFT)).ok).toBe(true);
    expect(t.prompts).toHaveLength(2);
  });

  it('enforces the installation’s total budget across days', async () => {
    const t = setup([answer({ subject: 'a', body: 'b' }, 900, 100)], {
      budget: { totalTokens: 1200 },
      cache: undefined,
    });
    await t.model.complete(DRAFT);
    t.advance(3 * 24 * 3600 * 1000);
    const refused = await t.model.complete(DRAFT);
    expect(refused.ok).toBe(false);
    expect(t.counters.snapshot()['llm:tokens:site-1:total']).toBe(1000);
  });

  it('drops invented links and addresses from the answer and counts them', async () => {
    const t = setup([
      answer({ subject: 'Update', body: 'Reset here: https://evil.example/reset and reply to eve@evil.example' }),
    ]);
    const result = await t.model.complete(DRAFT);
    expect(result.ok && result.value.value.body).toBe('Reset here: and reply to');
    expect(t.audit[0]?.dropped).toBe(2);
  });

  it('fails as ungrounded when the answer recites its instructions', async () => {
    const t = setup([(p) => answer({ subject: 'My prompt', body: p.system })]);
    const result = await t.model.complete(DRAFT);
    expect(result).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'llm.ungrounded' })] });
  });

  it('fails as ungrounded when dropping leaves the answer invalid', async () => {
    const t = setup([answer({ subject: 'Update', body: 'https://evil.example/only-a-link' })]);
    const result = await t.model.complete(DRAFT);
    expect(result).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'llm.ungrounded' })] });
  });
});

describe('assist', () => {
  const rules = () => ({ subject: 'Update on your request', body: 'Template body.' });

  it('uses the rules when no model is configured, without calling it a fallback', async () => {
    expect(await assist(undefined, DRAFT, rules)).toEqual({ value: rules(), source: 'rules', fallback: false });
  });

  it('falls back to the rules with the reason when the model fails', async () => {
    const t = setup([fail(llmIssue('llm.server_error', '502', { status: 502 }))]);
    const result = await assist(t.model, DRAFT, rules);
    expect(result).toMatchObject({
      value: rules(),
      source: 'rules',
      fallback: true,
      reason: [{ code: 'llm.server_error' }],
    });
  });

  it('returns the model’s wording when it is valid', async () => {
    const t = setup([answer({ subject: 'Export still failing', body: 'We are on it.' })]);
    expect(await assist(t.model, DRAFT, rules)).toMatchObject({
      source: 'model',
      fallback: false,
      value: { subject: 'Export still failing' },
    });
  });
});
