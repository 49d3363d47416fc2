// @baton/core/llm — the language-model port for providers (OpenAI, Forge) and the guard rails around it.

export type {
  LlmPurpose,
  LlmIssueCode,
  LlmIssue,
  Evidence,
  LanguageModelRequest,
  ModelPrompt,
  TokenUsage,
  ModelOutput,
  LanguageModelProvider,
  LanguageModelAnswer,
  LanguageModel,
} from './language-model.ts';
export { LLM_PURPOSES, LLM_ISSUE_CODES, llmIssue } from './language-model.ts';
export type { LlmBudget, GuardedModelOptions, GuardStats, GuardedModel } from './guarded-model.ts';
export { createGuardedModel } from './guarded-model.ts';
export type { RedactionKind, Redactor, RedactorOptions } from './redactor.ts';
export { REDACTION_KINDS, createRedactor } from './redactor.ts';
export { buildPrompt } from './prompt.ts';
export type { CounterStore, CacheStore } from './stores.ts';
export { createMemoryCounterStore, createMemoryCacheStore } from './stores.ts';
export type { LlmOutcome, LlmAuditRecord, LlmAuditSink, ModelPricing } from './llm-audit.ts';
export type { Assisted } from './assist.ts';
export { assist } from './assist.ts';
export type { PacketSummaryAnswer, DraftUpdateAnswer, ExtractedItemsAnswer, IntentAnswer } from './answer-schemas.ts';
export {
  PacketSummaryAnswerSchema,
  DraftUpdateAnswerSchema,
  ExtractedItemsAnswerSchema,
  intentAnswerSchema,
} from './answer-schemas.ts';
export type { LlmFieldPrediction, LlmClassifyRequest } from './llm-classifier.ts';
export { classifyWithLanguageModel } from './llm-classifier.ts';
export type { ModelClassification, ModelClassifySummary } from './classify-cases.ts';
export { classifyCasesWithLanguageModel, createModelAssistedClassifier } from './classify-cases.ts';
export { rewordPacketSummary, rewordAudienceDraft } from './wording.ts';
// Providers key their caches by this digest.
export { sha256Hex } from '../text/sha256.ts';
