import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createGuardedModel,
  createMemoryCacheStore,
  createMemoryCounterStore,
  type GuardedModel,
  type LlmAuditRecord,
  type ModelPricing,
} from '@baton/core/llm';
import { CliError } from '../command.ts';
import type { CliEnv } from '../env.ts';
import { createFileCacheStore } from './file-cache-store.ts';

/** The `--llm*` flags every command that can use a model accepts. */
export const LLM_OPTIONS = {
  llm: { type: 'string' },
  'llm-model': { type: 'string' },
  'llm-base-url': { type: 'string' },
  'llm-api': { type: 'string' },
  'llm-timeout': { type: 'string' },
  'llm-budget': { type: 'string' },
  'llm-price': { type: 'string' },
  'llm-audit': { type: 'string' },
  'llm-cache': { type: 'string' },
} as const;

export const LLM_HELP = `Language model (optional; wording only — decisions never depend on it, unless a replay's charter
  lets it classify with routing.modelClassify, and then only as suggestions marked model-made):
  --llm <none|openai>        provider (default: none, or $BATON_LLM)
  --llm-model <name>         model, e.g. gpt-4o-mini (or $BATON_LLM_MODEL)
  --llm-base-url <url>       OpenAI-compatible endpoint: Azure OpenAI (.../openai/v1/), vLLM, Ollama
                             (http://localhost:11434/v1) … (or $BATON_LLM_BASE_URL)
  --llm-api <chat|responses> chat completions (default) or the Responses API
  --llm-timeout <ms>         per request (default 20000)
  --llm-budget <tokens>      tokens this run may spend (default 200000)
  --llm-price <in,out>       USD per million input,output tokens, for the cost estimate
  --llm-audit <file.jsonl>   append one audit line per model call (no prompt or answer text)
  --llm-cache <file.jsonl>   keep answers across runs, keyed by the hash of the redacted input: a
                             second run asks nothing the first asked (and answers the same)
  The key comes from $OPENAI_API_KEY (not needed for a local server).`;

export interface CliLanguageModel {
  readonly model: GuardedModel;
  readonly audit: readonly LlmAuditRecord[];
  /** One line for stderr: calls, fallbacks by reason, tokens, estimated cost. */
  summary(): string;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

function positiveInt(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new CliError(`--${flag} expects a positive whole number, got '${String(value)}'`, 2);
  return n;
}

function pricing(value: unknown): ModelPricing | undefined {
  if (value === undefined) return undefined;
  const parts = String(value).split(',').map(Number);
  if (parts.length !== 2 || parts.some((p) => !Number.isFinite(p) || p < 0)) {
    throw new CliError(`--llm-price expects 'input,output' in USD per million tokens, e.g. 0.15,0.60`, 2);
  }
  return { inputPerMillion: parts[0]!, outputPerMillion: parts[1]! };
}

/**
 * Builds the guarded model the flags and environment ask for, or `undefined` for `--llm none`.
 * Usage errors are `CliError`s that never contain the key. The OpenAI client (two fifths of the
 * CLI's code) is loaded only here, so commands without a model never load it.
 */
export async function createCliLanguageModel(
  values: Record<string, unknown>,
  env: CliEnv,
  deps: { readonly now?: () => number; readonly cwd?: string } = {},
): Promise<CliLanguageModel | undefined> {
  const kind = (values.llm as string | undefined) ?? env.BATON_LLM ?? 'none';
  if (kind === 'none') return undefined;
  if (kind !== 'openai') throw new CliError(`--llm expects 'none' or 'openai', got '${kind}'`, 2);

  const model = (values['llm-model'] as string | undefined) ?? env.BATON_LLM_MODEL;
  if (model === undefined)
    throw new CliError('--llm openai needs --llm-model (or $BATON_LLM_MODEL), e.g. --llm-model gpt-4o-mini', 2);
  const baseURL = (values['llm-base-url'] as string | undefined) ?? env.BATON_LLM_BASE_URL ?? DEFAULT_BASE_URL;
  try {
    new URL(baseURL);
  } catch {
    throw new CliError(`--llm-base-url is not a URL: '${baseURL}'`, 2);
  }
  const local = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|\/)/.test(baseURL);
  // OpenAI-compatible local servers ignore the key; everything else needs one.
  const apiKey = env.OPENAI_API_KEY ?? (local ? 'not-needed-for-a-local-server' : undefined);
  if (apiKey === undefined)
    throw new CliError('--llm openai needs $OPENAI_API_KEY (not needed for a local --llm-base-url)', 2);
  const api = (values['llm-api'] as string | undefined) ?? 'chat';
  if (api !== 'chat' && api !== 'responses')
    throw new CliError(`--llm-api expects 'chat' or 'responses', got '${api}'`, 2);

  const timeoutMs = positiveInt(values['llm-timeout'], 'llm-timeout') ?? 20_000;
  const budget = positiveInt(values['llm-budget'], 'llm-budget') ?? 200_000;
  const price = pricing(values['llm-price']);
  const auditFile =
    values['llm-audit'] === undefined ? undefined : resolve(deps.cwd ?? '.', String(values['llm-audit']));
  const cache =
    values['llm-cache'] === undefined
      ? createMemoryCacheStore(2_000)
      : createFileCacheStore(resolve(deps.cwd ?? '.', String(values['llm-cache'])));
  const now = deps.now ?? (() => Date.now());
  const label = local ? 'openai-compatible-local' : baseURL === DEFAULT_BASE_URL ? 'openai' : 'openai-compatible';

  const { createOpenAIProvider } = await import('@baton/llm-openai');
  const audit: LlmAuditRecord[] = [];
  const guarded = createGuardedModel(
    createOpenAIProvider({ apiKey, model, baseURL, api, timeoutMs, maxRetries: 1, label }),
    {
      installationId: 'cli',
      now,
      counters: createMemoryCounterStore(),
      cache,
      budget: { dailyTokens: budget, totalTokens: budget },
      ...(price === undefined ? {} : { pricing: price }),
      audit: (record) => {
        audit.push(record);
        if (auditFile !== undefined) appendFileSync(auditFile, `${JSON.stringify(record)}\n`);
      },
    },
  );

  return {
    model: guarded,
    audit,
    summary: () => {
      const s = guarded.stats();
      const tokens = audit.reduce((n, r) => n + r.inputTokens + r.outputTokens, 0);
      const cost = audit.reduce((n, r) => n + r.costEstimateUsd, 0);
      const failures = Object.entries(s.failures)
        .map(([code, n]) => `${code}×${n}`)
        .join(', ');
      const fallbacks = s.calls - s.ok - s.cacheHits;
      return (
        `model ${label}:${model}: ${s.calls} call${s.calls === 1 ? '' : 's'}, ${s.ok} answered, ${s.cacheHits} from cache, ` +
        `${fallbacks} fell back to the rules${failures === '' ? '' : ` (${failures})`}; ${tokens.toLocaleString('en-US')} tokens` +
        (price === undefined ? '' : `, ~$${cost.toFixed(4)}`)
      );
    },
  };
}
