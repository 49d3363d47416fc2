import { fail, fromZodIssues, ok, type Result } from '../result.ts';
import { groundAnswer, repeatsInstructions } from './grounding.ts';
import {
  llmIssue,
  type LanguageModel,
  type LanguageModelAnswer,
  type LanguageModelProvider,
  type LanguageModelRequest,
  type LlmIssue,
  type LlmIssueCode,
  type ModelOutput,
  type TokenUsage,
} from './language-model.ts';
import { estimateCostUsd, estimateTokens, type LlmAuditSink, type LlmOutcome, type ModelPricing } from './llm-audit.ts';
import { buildPrompt } from './prompt.ts';
import { createRedactor, mapStrings, type RedactionKind } from './redactor.ts';
import { sha256Hex } from '../text/sha256.ts';
import type { CacheStore, CounterStore } from './stores.ts';

export interface LlmBudget {
  /** Tokens (input + output) one installation may spend per UTC day. */
  readonly dailyTokens?: number;
  /** Tokens one installation may spend in total (a hard ceiling for a trial or a plan). */
  readonly totalTokens?: number;
}

export interface GuardedModelOptions {
  /** Whose budget and audit trail this is: a Jira site's installation id, or `cli`. */
  readonly installationId: string;
  /** Epoch milliseconds. Injected: core does not read the clock. */
  readonly now: () => number;
  /** Hex digest used for cache keys, prompt digests and evidence fences. Default: pure SHA-256. */
  readonly hash?: (text: string) => string;
  readonly audit?: LlmAuditSink;
  /** Needed for budgets and to count outcomes across processes; without it budgets are not enforced. */
  readonly counters?: CounterStore;
  readonly cache?: CacheStore;
  readonly budget?: LlmBudget;
  readonly pricing?: ModelPricing;
  /** Redacted kinds whose values are put back into answers. Default: email and phone. */
  readonly restore?: readonly RedactionKind[];
  /**
   * A deadline of the guard's own, on top of the provider's timeout. `after` resolves after `ms`; it
   * hands `onAnswer` a function that stops its timer, which the guard calls once the provider answers.
   */
  readonly deadline?: {
    readonly ms: number;
    readonly after: (ms: number, onAnswer: (stopTimer: () => void) => void) => Promise<void>;
  };
}

/** Counts since the guard was created (the counter store keeps the long-running totals). */
export interface GuardStats {
  readonly calls: number;
  readonly ok: number;
  readonly cacheHits: number;
  readonly failures: Readonly<Partial<Record<LlmIssueCode, number>>>;
}

export interface GuardedModel extends LanguageModel {
  readonly provider: LanguageModelProvider;
  stats(): GuardStats;
}

const dayOf = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

/**
 * Wraps any provider with Baton's guard rails: redaction, evidence quoting, schema validation,
 * grounding of links and names, budgets, a cache keyed by the redacted input, and an audit line for
 * every call. Never throws: every failure comes back as a typed issue for the caller's fallback.
 */
export function createGuardedModel(provider: LanguageModelProvider, options: GuardedModelOptions): GuardedModel {
  const hash = options.hash ?? sha256Hex;
  const failures: Partial<Record<LlmIssueCode, number>> = {};
  let calls = 0;
  let oks = 0;
  let cacheHits = 0;
  const inst = options.installationId;

  const count = async (outcome: string) => {
    await options.counters?.increment(`llm:outcome:${inst}:${outcome}`, 1);
  };

  const budgetIssue = async (estimate: number, at: number): Promise<LlmIssue | undefined> => {
    const { counters, budget } = options;
    if (counters === undefined || budget === undefined) return undefined;
    const checks: [number | undefined, string, string][] = [
      [budget.dailyTokens, `llm:tokens:${inst}:day:${dayOf(at)}`, 'daily'],
      [budget.totalTokens, `llm:tokens:${inst}:total`, 'total'],
    ];
    for (const [limit, key, label] of checks) {
      if (limit === undefined) continue;
      const used = await counters.get(key);
      if (used + estimate > limit) {
        return llmIssue(
          'llm.budget_exhausted',
          `the ${label} token budget (${limit}) would be exceeded: ${used} used, ~${estimate} needed`,
        );
      }
    }
    return undefined;
  };

  const charge = async (usage: TokenUsage, at: number) => {
    const spent = usage.inputTokens + usage.outputTokens;
    if (options.counters === undefined || spent === 0) return;
    await options.counters.increment(`llm:tokens:${inst}:day:${dayOf(at)}`, spent);
    await options.counters.increment(`llm:tokens:${inst}:total`, spent);
  };

  const callProvider = async (
    prompt: Parameters<LanguageModelProvider['generate']>[0],
  ): Promise<Result<ModelOutput, LlmIssue>> => {
    try {
      const call = provider.generate(prompt);
      if (options.deadline === undefined) return await call;
      const { ms, after } = options.deadline;
      let stopTimer = (): void => {};
      const late = after(ms, (stop) => (stopTimer = stop)).then(() =>
        fail(llmIssue('llm.timeout', `no answer within ${ms} ms`)),
      );
      try {
        return await Promise.race([call, late]);
      } finally {
        stopTimer();
      }
    } catch (error) {
      // A provider must map its failures to issues; one that throws is treated as unavailable.
      return fail(llmIssue('llm.unavailable', `the provider failed: ${(error as Error).message ?? String(error)}`));
    }
  };

  async function complete<T>(request: LanguageModelRequest<T>): Promise<Result<LanguageModelAnswer<T>, LlmIssue>> {
    calls += 1;
    const started = options.now();
    const redactor = createRedactor(options.restore === undefined ? {} : { restore: options.restore });
    const prompt = buildPrompt(request, redactor, hash);
    const promptDigest = hash(`${prompt.system}\n${prompt.user}\n${JSON.stringify(prompt.jsonSchema)}`);
    const cacheKey = `llm:cache:${provider.name}:${provider.model}:${prompt.purpose}:${promptDigest}`;
    let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    let model = provider.model;
    let dropped = 0;

    const finish = async (outcome: LlmOutcome, issues: readonly LlmIssue[]) => {
      if (outcome === 'failed') {
        for (const i of issues) failures[i.code] = (failures[i.code] ?? 0) + 1;
        await count(issues[0]?.code ?? 'failed');
      } else {
        if (outcome === 'cache_hit') cacheHits += 1;
        else oks += 1;
        await count(outcome);
      }
      await options.audit?.({
        at: started,
        installationId: inst,
        purpose: request.purpose,
        provider: provider.name,
        model,
        promptDigest,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        latencyMs: Math.max(0, options.now() - started),
        costEstimateUsd: estimateCostUsd(usage, options.pricing),
        outcome,
        issues: issues.map((i) => i.code),
        redactions: redactor.counts(),
        dropped,
      });
    };
    const failWith = async (...issues: LlmIssue[]) => {
      await finish('failed', issues);
      return fail(...issues);
    };

    // Validation, restoring placeholders and grounding run on fresh and cached answers alike.
    const accept = async (raw: unknown, cached: boolean): Promise<Result<LanguageModelAnswer<T>, LlmIssue>> => {
      const parsed = request.schema.safeParse(raw);
      if (!parsed.success) {
        const detail = fromZodIssues(parsed.error.issues).slice(0, 3);
        return failWith(
          ...detail.map((d) =>
            llmIssue('llm.schema_invalid', `the answer does not match its schema: ${d.message}`, { path: d.path }),
          ),
        );
      }
      if (!cached) await options.cache?.set(cacheKey, JSON.stringify(parsed.data));
      // Placeholders go back in; then any secret or card number the answer carries anyway (one the
      // model made up, or saw somewhere it should not have) is scrubbed.
      const scrub = createRedactor();
      const restored = mapStrings(mapStrings(parsed.data, redactor.restore), (t) => scrub.restore(scrub.redact(t)));
      if (
        repeatsInstructions(
          restored,
          prompt.system,
          request.evidence.map((e) => e.text),
        )
      ) {
        return failWith(llmIssue('llm.ungrounded', 'the answer repeats its instructions instead of doing the task'));
      }
      const grounded = groundAnswer(restored, {
        evidence: request.evidence.map((e) => e.text),
        ...(request.allowedLinks === undefined ? {} : { allowedLinks: request.allowedLinks }),
        ...(request.allowedAddresses === undefined ? {} : { allowedAddresses: request.allowedAddresses }),
        ...(request.knownNames === undefined ? {} : { knownNames: request.knownNames }),
        ...(request.nameFields === undefined ? {} : { nameFields: request.nameFields }),
      });
      dropped = grounded.dropped.length;
      const recheck = request.schema.safeParse(grounded.value);
      if (grounded.fatal || !recheck.success) {
        return failWith(
          llmIssue(
            'llm.ungrounded',
            `the answer names people or links that the evidence does not contain (${grounded.dropped.join(', ')})`,
          ),
        );
      }
      await finish(cached ? 'cache_hit' : 'ok', []);
      return ok({ value: recheck.data, model, usage, cached });
    };

    const hit = await options.cache?.get(cacheKey);
    if (hit !== undefined) {
      try {
        return await accept(JSON.parse(hit) as unknown, true);
      } catch {
        // A corrupt cache entry is ignored: the call goes to the provider as if it had missed.
      }
    }

    const issue = await budgetIssue(estimateTokens(prompt.system + prompt.user) + prompt.maxOutputTokens, started);
    if (issue !== undefined) return failWith(issue);

    const answer = await callProvider(prompt);
    if (!answer.ok) return failWith(...answer.issues);
    usage = answer.value.usage;
    model = answer.value.model;
    await charge(usage, started);
    return accept(answer.value.output, false);
  }

  return {
    name: `${provider.name}:${provider.model}`,
    provider,
    complete,
    stats: () => ({ calls, ok: oks, cacheHits, failures: { ...failures } }),
  };
}
