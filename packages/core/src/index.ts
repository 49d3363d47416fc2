// Public surface of @baton/core: an explicit list of named exports, grouped by concept.

export type { Result, Issue } from './result.ts';
export { ok, fail, formatIssue, formatPath, fromZodIssues } from './result.ts';

export type { EventKind, CaseEvent } from './model/event.ts';
export { EVENT_KINDS, EventKindSchema, CaseEventSchema } from './model/event.ts';
export type { AttributeValue, CaseRecord, StateCategoryHints } from './model/case.ts';
export { AttributeValueSchema, CaseRecordSchema } from './model/case.ts';
export type { Phase, WaitingReason, StateMapping, WorkflowMap, WorkflowResolver } from './model/workflow.ts';
export {
  PHASES,
  PhaseSchema,
  WAITING_REASONS,
  WaitingReasonSchema,
  StateMappingSchema,
  WorkflowMapSchema,
  defaultStateMapping,
  createWorkflowResolver,
} from './model/workflow.ts';

export type { Timestamp } from './time/timestamp.ts';
export { parseTimestamp, formatTimestamp, epochOf, daysFromCivil, MAX_OFFSET_MINUTES } from './time/timestamp.ts';

export { isStatusChase } from './text/status-chase.ts';

export type { Calendar, CalendarDefinition, CalendarInput, Weekday } from './time/calendar.ts';
export {
  WEEKDAYS,
  CalendarSchema,
  defineCalendar,
  DEFAULT_CALENDAR,
  isBusinessTime,
  nextBusinessTime,
  nextBusinessBoundary,
  addBusinessTime,
  businessTimeBetween,
  workingDayMs,
} from './time/calendar.ts';

// Language models: a port, guard rails around any provider, and the deterministic fallback.
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
} from './llm/language-model.ts';
export { LLM_PURPOSES, LLM_ISSUE_CODES, llmIssue } from './llm/language-model.ts';
export type { RedactionKind, Redactor, RedactorOptions } from './llm/redactor.ts';
export { REDACTION_KINDS, createRedactor, passesLuhn, mapStrings } from './llm/redactor.ts';
export { buildPrompt, jsonSchemaOf, isStrictCompatible, schemaNameFor } from './llm/prompt.ts';
export type { GroundingContext, GroundingResult } from './llm/grounding.ts';
export { groundAnswer, repeatsInstructions } from './llm/grounding.ts';
export type { CounterStore, CacheStore } from './llm/stores.ts';
export { createMemoryCounterStore, createMemoryCacheStore } from './llm/stores.ts';
export type { LlmOutcome, LlmAuditRecord, LlmAuditSink, ModelPricing } from './llm/llm-audit.ts';
export { estimateCostUsd, estimateTokens } from './llm/llm-audit.ts';
export type { LlmBudget, GuardedModelOptions, GuardStats, GuardedModel } from './llm/guarded-model.ts';
export { createGuardedModel } from './llm/guarded-model.ts';
export type { LlmFieldPrediction, LlmClassifyRequest } from './llm/llm-classifier.ts';
export {
  classifyWithLanguageModel,
  classifyWithLanguageModelResult,
  LLM_CONFIDENCE_CAP,
} from './llm/llm-classifier.ts';
export type { ModelClassification, ModelClassifySummary } from './llm/classify-cases.ts';
export {
  classifyCasesWithLanguageModel,
  createModelAssistedClassifier,
  creationEvidence,
} from './llm/classify-cases.ts';
export type { Assisted } from './llm/assist.ts';
export { assist } from './llm/assist.ts';
export type {
  PacketSummaryAnswer,
  DraftUpdateAnswer,
  ExtractedItemsAnswer,
  IntentAnswer,
} from './llm/answer-schemas.ts';
export {
  PacketSummaryAnswerSchema,
  DraftUpdateAnswerSchema,
  ExtractedItemsAnswerSchema,
  intentAnswerSchema,
} from './llm/answer-schemas.ts';
export { sha256Hex } from './text/sha256.ts';
export { rewordPacketSummary, rewordAudienceDraft } from './llm/wording.ts';

// Coordination analytics: per-case summaries, the streaming aggregator, costs and the KPIs schema.
export type { Distribution } from './analysis/stats.ts';
export { quantileSorted, distributionOf, histogram } from './analysis/stats.ts';
export { ownerSequence, countHandoffs, countPingPong, pingPongPairs } from './analysis/owner-sequence.ts';
export type { CaseSummary, StateVisit, SlaOutcome, SummarizeOptions } from './analysis/summarize-case.ts';
export { summarizeCase } from './analysis/summarize-case.ts';
export type { Costs, CostsInput } from './analysis/costs.ts';
export { CostsSchema, defineCosts, DEFAULT_COSTS } from './analysis/costs.ts';
export type { Kpis, StateKpi, Cohort } from './analysis/kpis.ts';
export type { Diagnosis, DiagnosedChokePoint, Intervention, CauseKind } from './analysis/diagnosis-schema.ts';
export { DiagnosisSchema, CAUSE_KINDS } from './analysis/diagnosis-schema.ts';
export { createDiagnosis, escalationReason, supportLine } from './analysis/diagnose.ts';
export { PLAYBOOK } from './analysis/shortlist.ts';
export type { CohortComparison } from './analysis/cohort-comparison.ts';
export {
  CohortComparisonSchema,
  compareCohorts,
  mannWhitney,
  normalCdf,
  seededRandom,
} from './analysis/cohort-comparison.ts';
export {
  KpisSchema,
  DistributionSchema,
  HistogramSchema,
  StateKpiSchema,
  ChokePointSchema,
  CohortSchema,
  kpisJsonSchema,
} from './analysis/kpis.ts';
export type { Analysis, AnalysisOptions } from './analysis/create-analysis.ts';
export { createAnalysis, CYCLE_TIME_EDGES_DAYS } from './analysis/create-analysis.ts';
export type { QuantileSketch, QuantileSketchState } from './analysis/quantile-sketch.ts';
export { createQuantileSketch, QuantileSketchSchema, SKETCH_RELATIVE_ACCURACY } from './analysis/quantile-sketch.ts';
export type { AnalysisPartial } from './analysis/analysis-partial.ts';
export { AnalysisPartialSchema } from './analysis/analysis-partial.ts';
export { mergeAnalysisPartials } from './analysis/merge-analyses.ts';

// Clerk: the handoff packet (deterministic extraction; a model may reword only `summary`).
export type { StatementKind, ExtractedStatement, LinkKind, ExtractedLink } from './agent/clerk/clerk-extract.ts';
export {
  STATEMENT_KINDS,
  LINK_KINDS,
  extractStatements,
  extractLinks,
  extractMentions,
  splitSentences,
  withoutQuotedText,
} from './agent/clerk/clerk-extract.ts';
export type { ReadinessRequirement } from './model/readiness.ts';
export { ReadinessRequirementSchema, describeRequirement } from './model/readiness.ts';
export type { ReadinessItem, Readiness } from './agent/clerk/clerk-readiness.ts';
export { ReadinessItemSchema, ReadinessSchema, checkReadiness } from './agent/clerk/clerk-readiness.ts';
export type {
  PacketStatement,
  PacketQuestion,
  PacketLink,
  Stakeholder,
  PacketRisk,
  NextOwner,
  TrimNote,
  HandoffPacket,
} from './agent/clerk/clerk-packet.ts';
export {
  PACKET_VERSION,
  ISSUE_PROPERTY_LIMIT,
  STAKEHOLDER_ROLES,
  RISK_SEVERITIES,
  HandoffPacketSchema,
  PacketStatementSchema,
  PacketQuestionSchema,
  PacketLinkSchema,
  StakeholderSchema,
  PacketRiskSchema,
  NextOwnerSchema,
  TrimNoteSchema,
} from './agent/clerk/clerk-packet.ts';
export type { ClerkOptions } from './agent/clerk/clerk.ts';
export { buildHandoffPacket, renderPacketSummary } from './agent/clerk/clerk.ts';
export type { FittedPacket } from './agent/clerk/clerk-fit.ts';
export { fitPacket } from './agent/clerk/clerk-fit.ts';
export type { SlaRisk, CaseSnapshot } from './model/case-snapshot.ts';
export {
  SLA_RISKS,
  SlaRiskSchema,
  CaseSnapshotSchema,
  snapshotCase,
  settleSnapshot,
  emptySnapshot,
  advanceSnapshot,
  stateAfter,
  ownerAfter,
} from './model/case-snapshot.ts';

// Concierge: meaningful changes, audience drafts from one context; the daily operational report.
export type { ChangeKind, MeaningfulChange } from './agent/concierge/concierge-changes.ts';
export {
  CHANGE_KINDS,
  ChangeKindSchema,
  MeaningfulChangeSchema,
  meaningfulChanges,
  changesBetween,
} from './agent/concierge/concierge-changes.ts';
export type { Audience, AudienceDraft, UpdateContext } from './agent/concierge/concierge.ts';
export {
  AUDIENCES,
  AudienceSchema,
  AudienceDraftSchema,
  AUDIENCE_POLICIES,
  draftUpdates,
} from './agent/concierge/concierge.ts';
export type { DailyReport, DailyReportOptions } from './agent/concierge/report-daily.ts';
export {
  DailyReportSchema,
  buildDailyReport,
  renderDailyReportMarkdown,
  renderDailyReportText,
} from './agent/concierge/report-daily.ts';

// Router classifier: hashed n-gram models trained on a team's history, calibrated, saved as small JSON.
export type { RoutingInput, FeatureSpec, SparseVector } from './classify/features.ts';
export { FeatureSpecSchema, featurize, isEmptyInput } from './classify/features.ts';
export { tokenize } from './classify/tokenize.ts';
export type { RoutingTarget, RoutingTargetName } from './classify/targets.ts';
export { defineTarget, ROUTING_TARGETS, NEEDS_INFO_RESOLUTIONS } from './classify/targets.ts';
export type { ModelKind, TrainingExample, RankedLabel, RouterModel, TrainOptions } from './classify/router-model.ts';
export {
  MODEL_KINDS,
  DEFAULT_TRAIN_OPTIONS,
  DEFAULT_MAX_MODEL_BYTES,
  trainRouterModel,
  predict,
  byCreation,
} from './classify/router-model.ts';
export type { ModelFile } from './classify/model-file.ts';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, toModelFile, fromModelFile } from './classify/model-file.ts';
export type { LabelRanker } from './classify/baselines.ts';
export { trainMajorityBaseline, trainCentroidBaseline } from './classify/baselines.ts';
export type { ReliabilityBin } from './classify/calibration.ts';
export { fitTemperature, reliability, thresholdForPrecision } from './classify/calibration.ts';
export type { ScoredPrediction, ClassMetrics, RankingMetrics } from './classify/metrics.ts';
export { rankingMetrics, rocAuc } from './classify/metrics.ts';
export type { Evaluation } from './classify/evaluate.ts';
export { evaluateRanker } from './classify/evaluate.ts';
export { routingInputFromCase } from './classify/case-input.ts';
export type { ModelFieldPrediction } from './classify/model-classifier.ts';
export { createModelClassifier, withPredictedComponent } from './classify/model-classifier.ts';

// The agent's decisions: actions with declared traits, proposals, the charter gate.
export type { Action, ActionKind, ActionTraits } from './decision/action.ts';
export {
  ACTION_KINDS,
  ActionKindSchema,
  ActionSchema,
  ACTION_TRAITS,
  traitsOf,
  AssignActionSchema,
  CommentActionSchema,
  TransitionActionSchema,
  SetFieldActionSchema,
  AddLabelActionSchema,
  RequestInfoActionSchema,
  NotifyActionSchema,
  EscalateActionSchema,
} from './decision/action.ts';
export type {
  Pattern,
  Risk,
  Disposition,
  DecisionEvidence,
  Proposal,
  Decision,
  GateRule,
  GateRuleCode,
  ProposalSource,
} from './decision/decision.ts';
export {
  PATTERNS,
  PatternSchema,
  RISKS,
  RiskSchema,
  DISPOSITIONS,
  DispositionSchema,
  EvidenceSchema,
  ProposalSchema,
  DecisionSchema,
  GATE_RULE_CODES,
  GateRuleSchema,
  formatGateRule,
  PROPOSAL_SOURCES,
  idempotencyKey,
  maxRisk,
} from './decision/decision.ts';
export type { GateContext } from './charter/apply-charter.ts';
export { applyCharter } from './charter/apply-charter.ts';

// The charter: the agent's policy (versioned, migrated, validated whole), compiled once for the patterns.
export type {
  Charter,
  CharterInput,
  AttributeMatch,
  Scope,
  CharterState,
  ClockCondition,
  SlaGoal,
  Team,
  OwnershipRule,
  ClassifyRule,
  ModelClassify,
  Routing,
  StepKind,
  LadderStep,
  Ladder,
  Autonomy,
} from './charter/charter-schema.ts';
export {
  CHARTER_VERSION,
  CharterSchema,
  AttributeMatchSchema,
  ClockConditionSchema,
  SlaGoalSchema,
  TeamSchema,
  OwnershipRuleSchema,
  ClassifyRuleSchema,
  ModelClassifySchema,
  LadderSchema,
  LadderStepSchema,
  STEP_KINDS,
  AUTONOMY_LEVELS,
  AutonomySchema,
} from './charter/charter-schema.ts';
export {
  BUSINESS_HOUR_MS,
  BUSINESS_DAY_MS,
  BUSINESS_WEEK_MS,
  parseDuration,
  formatDuration,
  DurationSchema,
} from './charter/duration.ts';
export { CHARTER_MIGRATIONS, migrateCharter } from './charter/migrate-charter.ts';
export { parseCharter } from './charter/parse-charter.ts';
export type { CharterStore } from './charter/charter-store.ts';
export { createCharterStore } from './charter/charter-store.ts';
export { DEFAULT_CHARTER } from './charter/default-charter.ts';
export type { CompiledCharter, CompiledGoal, CompiledStep } from './charter/compile-charter.ts';
export { compileCharter, matchesAttributes } from './charter/compile-charter.ts';

// SLA clocks (incremental and one-pass), the watchdog and its escalation ladders.
export type { ClockStatus, SlaClockState, SlaReading } from './sla/sla.ts';
export { initialClock, advanceClock, computeClock, elapsedAt, readClock, goalsFor, slaClocks } from './sla/sla.ts';
export type { StepTargets } from './agent/watchdog/ladder-steps.ts';
export { LADDER_STEP_ACTIONS, renderTemplate } from './agent/watchdog/ladder-steps.ts';
export type { WatchCase, WatchdogOptions, Watchdog, WatchdogCheck } from './agent/watchdog/watchdog.ts';
export { createWatchdog, watchCaseOf, WATCHDOG_CHECKS } from './agent/watchdog/watchdog.ts';
export type { IdleNorms, IdleNormsOptions } from './agent/watchdog/idle-norms.ts';
export { createIdleNorms } from './agent/watchdog/idle-norms.ts';

// Audit: the hash-chained log of decisions and outcomes, its verification and the trust score.
export type { Outcome, AuditRecord, AuditEntry, AuditPosition, PatternTrust } from './decision/audit.ts';
export {
  OUTCOMES,
  OutcomeSchema,
  AuditRecordSchema,
  AuditEntrySchema,
  GENESIS_HASH,
  nextAuditEntry,
  appendAudit,
  verifyAudit,
  trustScore,
} from './decision/audit.ts';

// Router: the classifier port and its rule-based default, owner/due/missing-information proposals.
export type { FieldPrediction, RouterClassifier, RouterContext, RouterStep } from './agent/router/router.ts';
export { createRuleClassifier, routeCase, proposeRoutes, ROUTER_STEPS } from './agent/router/router.ts';

// Replay: the engine that feeds a history to the patterns through the charter's gate, and its summary.
export type {
  ReplayCase,
  ReplayObservation,
  PatternContext,
  ReplayHooks,
  ReplayPattern,
  ReplayEngineOptions,
  ReplayStats,
  ReplayEngine,
} from './replay/replay.ts';
export { createReplayEngine } from './replay/replay.ts';
export { ALL_REPLAY_PATTERNS } from './replay/replay-patterns.ts';
export type { RouterPatternOptions } from './replay/patterns/router-pattern.ts';
export { routerPattern, createRouterPattern } from './replay/patterns/router-pattern.ts';
export { slaPattern, breachMoment } from './replay/patterns/sla-pattern.ts';
export type { WatchdogPatternOptions } from './replay/patterns/watchdog-pattern.ts';
export { watchdogPattern, createWatchdogPattern, watchCaseOfReplay } from './replay/patterns/watchdog-pattern.ts';
export type { ReplayTimelineOptions, ReplayStep } from './replay/replay-timeline.ts';
export { replayTimeline } from './replay/replay-timeline.ts';
export { proposeUpdates, worthPushing, conciergePattern } from './replay/patterns/concierge-pattern.ts';
export { clerkPattern, handoffProposal } from './replay/patterns/clerk-pattern.ts';
export type { ReplayBreach, ReplaySummary, ReplaySummaryBuilder } from './replay/report-replay.ts';
export { ReplaySummarySchema, createReplaySummary } from './replay/report-replay.ts';

// Recommend: a starting charter from a history (what `baton recommend` writes).
export type {
  HistoryObservations,
  HistoryObserver,
  ObserveOptions,
  StateObservation,
} from './recommend/observe-history.ts';
export { createHistoryObserver } from './recommend/observe-history.ts';
export type { InferredCalendar } from './recommend/infer-calendar.ts';
export { inferCalendar } from './recommend/infer-calendar.ts';
export type { CharterNote, CharterRecommendation, RecommendOptions } from './recommend/recommend-charter.ts';
export { recommendCharter, roundUpDuration } from './recommend/recommend-charter.ts';

// Chat: the port a chat surface implements (messages out, answers in) and what an answer does to a case.
export type {
  ChatTarget,
  ChatCase,
  ChatReasonChoice,
  ChatMessage,
  ChatMessageKind,
  NudgeMessage,
  QuestionMessage,
  ApprovalMessage,
  ReportMessage,
} from './chat/chat-message.ts';
export {
  ChatPersonSchema,
  ChatChannelSchema,
  ChatTargetSchema,
  ChatCaseSchema,
  ChatReasonChoiceSchema,
  NudgeMessageSchema,
  QuestionMessageSchema,
  ApprovalMessageSchema,
  ReportMessageSchema,
  ChatMessageSchema,
  CHAT_MESSAGE_KINDS,
  reportMessageId,
} from './chat/chat-message.ts';
export type { ChatActor, ChatAnswer, ChatAnswerKind } from './chat/chat-answer.ts';
export {
  ChatActorSchema,
  ChatAnswerSchema,
  CHAT_ANSWER_KINDS,
  ANSWERS_OF,
  REASON_MAX,
  REPLY_MAX,
} from './chat/chat-answer.ts';
export type {
  ChatDelivery,
  DeliveryIssueCode,
  DeliveryIssue,
  ChatSurface,
  ChatInboundRequest,
  ChatInboundReply,
  ChatInboundOutcome,
  ChatInbound,
} from './chat/chat-surface.ts';
export type { AnswerEffect, AnswerIssueCode, AnswerIssue, AnswerContext, AnswerPlan } from './chat/plan-answer.ts';
export { planAnswer } from './chat/plan-answer.ts';
export {
  LINK_CODE_BYTES,
  LINK_CODE_TTL_MS,
  LINK_ATTEMPTS_PER_HOUR,
  linkCodeFrom,
  findLinkCode,
} from './chat/link-code.ts';
