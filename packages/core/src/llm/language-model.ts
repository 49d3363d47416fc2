import type * as z from 'zod';
import type { Issue, Result } from '../result.ts';

/**
 * The language-model port. Core describes what it wants (a purpose, instructions, quoted evidence,
 * a zod schema for the answer, a token budget); a provider package (OpenAI, Forge LLM) turns the
 * prepared prompt into a vendor call. Core never imports a vendor.
 */

/** What a model may be asked to do. Interpretation and wording only: never routing or permissions. */
export const LLM_PURPOSES = ['summarise-packet', 'draft-update', 'extract-decisions', 'classify-intent'] as const;
export type LlmPurpose = (typeof LLM_PURPOSES)[number];

/** Every way a model call can fail. Each one sends the caller to its deterministic fallback. */
export const LLM_ISSUE_CODES = [
  'llm.timeout',
  'llm.rate_limited',
  'llm.server_error',
  'llm.schema_invalid',
  'llm.malformed_output',
  'llm.refused',
  'llm.truncated',
  'llm.budget_exhausted',
  'llm.ungrounded',
  'llm.unauthorized',
  'llm.bad_request',
  'llm.unavailable',
] as const;
export type LlmIssueCode = (typeof LLM_ISSUE_CODES)[number];

export interface LlmIssue extends Issue {
  readonly code: LlmIssueCode;
  /** HTTP status when the provider answered with one. */
  readonly status?: number;
  /** How long the provider asked us to wait (429 Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
}

export const llmIssue = (code: LlmIssueCode, message: string, extra: Partial<LlmIssue> = {}): LlmIssue => ({
  code,
  path: [],
  message,
  ...extra,
});

/** A piece of text the model may read. Always data: never instructions, whatever it says. */
export interface Evidence {
  /** Stable id the answer may cite, e.g. `comment-10023` or `email-2`. */
  readonly id: string;
  /** Where it came from: `comment`, `email`, `description`, `field:Summary`. */
  readonly source: string;
  readonly text: string;
}

/** What a feature asks of a model. `T` is the answer's shape; the schema is the only way in. */
export interface LanguageModelRequest<T> {
  readonly purpose: LlmPurpose;
  /** The task, written by Baton (never taken from evidence). */
  readonly instructions: string;
  readonly evidence: readonly Evidence[];
  /** The answer's shape. The model can fill these fields and nothing else. */
  readonly schema: z.ZodType<T>;
  /** Upper bound on output tokens for this call. */
  readonly maxOutputTokens: number;
  /**
   * Paths (dot-separated; arrays are walked) whose string values are names of people or recipients:
   * each must occur in the evidence or in `knownNames`, else it is dropped.
   */
  readonly nameFields?: readonly string[];
  /** Names Baton already knows (the issue's assignee, reporter, watchers). */
  readonly knownNames?: readonly string[];
  /**
   * Links from structured data (the issue's URL, linked issues). When set, the answer may contain
   * only these; otherwise only links that occur in the evidence.
   */
  readonly allowedLinks?: readonly string[];
  /**
   * Email addresses the answer may mention (the case's own people). When set, any other address is
   * dropped even if a quoted email contains it; otherwise only addresses in the evidence are kept.
   */
  readonly allowedAddresses?: readonly string[];
}

/** The prompt a provider sends: already redacted, evidence already quoted, schema already JSON Schema. */
export interface ModelPrompt {
  readonly purpose: LlmPurpose;
  /** Baton's standing rules plus the request's instructions (the system/developer message). */
  readonly system: string;
  /** The quoted evidence (the user message). */
  readonly user: string;
  /** A name for the schema (`[a-z0-9_]`), e.g. `draft_update`. */
  readonly schemaName: string;
  readonly jsonSchema: Record<string, unknown>;
  /** True when the schema meets OpenAI's strict structured-output rules (all keys required, closed objects). */
  readonly strictSchema: boolean;
  readonly maxOutputTokens: number;
}

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** A provider's raw answer: parsed JSON, not yet validated. */
export interface ModelOutput {
  readonly output: unknown;
  /** The model that answered, as the provider names it. */
  readonly model: string;
  readonly usage: TokenUsage;
}

/** A vendor adapter: one prepared prompt in, parsed JSON or a typed failure out. Never throws for API failures. */
export interface LanguageModelProvider {
  /** `openai`, `forge-llm`, `azure-openai`, … (for the audit). */
  readonly name: string;
  /** The model asked for (the answer names the model that replied). */
  readonly model: string;
  generate(prompt: ModelPrompt): Promise<Result<ModelOutput, LlmIssue>>;
}

/** A validated answer. */
export interface LanguageModelAnswer<T> {
  readonly value: T;
  readonly model: string;
  readonly usage: TokenUsage;
  readonly cached: boolean;
}

/** What features call: a request in, a validated value or typed failure out. */
export interface LanguageModel {
  readonly name: string;
  complete<T>(request: LanguageModelRequest<T>): Promise<Result<LanguageModelAnswer<T>, LlmIssue>>;
}
