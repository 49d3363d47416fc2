import type { LlmIssueCode, LlmPurpose, TokenUsage } from './language-model.ts';
import type { RedactionKind } from './redactor.ts';

/** What happened to one model call. Holds digests and counts, never prompt or answer text. */
export type LlmOutcome = 'ok' | 'cache_hit' | 'failed';

export interface LlmAuditRecord {
  /** Epoch ms when the call started (from the injected clock). */
  readonly at: number;
  readonly installationId: string;
  readonly purpose: LlmPurpose;
  readonly provider: string;
  readonly model: string;
  /** SHA-256 of the redacted prompt (system + user + schema): joins audit lines to cache entries. */
  readonly promptDigest: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly latencyMs: number;
  readonly costEstimateUsd: number;
  readonly outcome: LlmOutcome;
  /** Failure codes; empty when the outcome is `ok` or `cache_hit`. */
  readonly issues: readonly LlmIssueCode[];
  readonly redactions: Readonly<Record<RedactionKind, number>>;
  /** Links, addresses and names removed from the answer by the grounding check. */
  readonly dropped: number;
}

export type LlmAuditSink = (record: LlmAuditRecord) => void | Promise<void>;

/** Price per million tokens, in US dollars. */
export interface ModelPricing {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

export function estimateCostUsd(usage: TokenUsage, pricing: ModelPricing | undefined): number {
  if (pricing === undefined) return 0;
  const cost =
    (usage.inputTokens * pricing.inputPerMillion + usage.outputTokens * pricing.outputPerMillion) / 1_000_000;
  // Round to a millionth of a dollar so that audit lines stay short and sums stay stable.
  return Math.round(cost * 1_000_000) / 1_000_000;
}

/** A rough token count (4 characters a token) for budgeting before a call; providers report the real one. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);
