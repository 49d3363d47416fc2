// @baton/core — the domain every Baton app speaks: cases and workflows, calendars, the charter and its
// gate, decisions and their audit, SLA clocks and the four patterns. An explicit list, grouped by room.
// Other audiences have their own doors: @baton/core/analysis, /classify, /llm and /replay.
// test/api-surface.test.ts holds the list of names per door, so the surface changes only on purpose.

export type { Result, Issue } from './result.ts';
export { ok, fail, formatIssue, formatPath, fromZodIssues } from './result.ts';

// model/: the case/event model, the workflow map, the definition of ready, a case at a moment.
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
  blockedState,
  blockedReasonOf,
  createWorkflowResolver,
} from './model/workflow.ts';
export type { ReadinessRequirement } from './model/readiness.ts';
export { ReadinessRequirementSchema, describeRequirement } from './model/readiness.ts';
export type { SlaRisk, CaseSnapshot } from './model/case-snapshot.ts';
export {
  SLA_RISKS,
  SlaRiskSchema,
  CaseSnapshotSchema,
  snapshotCase,
  stateAfter,
  ownerAfter,
} from './model/case-snapshot.ts';

// time/: timestamps and business calendars.
// Timestamps themselves (parse, format, epoch) are `@baton/core/time`'s.
export { daysFromCivil, civilFromDays, MAX_OFFSET_MINUTES } from './time/timestamp.ts';
export type { Calendar, CalendarDefinition, CalendarInput, Weekday } from './time/calendar.ts';
export {
  WEEKDAYS,
  CalendarSchema,
  defineCalendar,
  DEFAULT_CALENDAR,
  isBusinessTime,
  startOfLocalDay,
  nextBusinessTime,
  addBusinessTime,
  businessTimeBetween,
  workingDayMs,
} from './time/calendar.ts';

// decision/: actions with declared traits, proposals and decisions, the hash-chained audit.
export type { Action, ActionKind, ActionTraits } from './decision/action.ts';
export { ACTION_KINDS, ActionKindSchema, ActionSchema, ACTION_TRAITS, traitsOf } from './decision/action.ts';
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
  readLegacyRule,
  maxRisk,
} from './decision/decision.ts';
export type {
  Outcome,
  AuditRecord,
  AuditEntry,
  AuditPosition,
  AuditSeal,
  PatternTrust,
  TrustEvent,
} from './decision/audit.ts';
export {
  OUTCOMES,
  OutcomeSchema,
  AuditRecordSchema,
  AuditEntrySchema,
  GENESIS_HASH,
  nextAuditEntry,
  appendAudit,
  verifyAudit,
  AuditSealSchema,
  sealAudit,
  checkAuditSeal,
  trustScore,
  trustFromEvents,
  actionsDrift,
} from './decision/audit.ts';
export { finalActionsOf } from './decision/final-action.ts';

// charter/: the agent's policy (versioned, migrated, validated whole), compiled once; the gate.
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
  ReportSection,
  ConciergeSection,
  HandoffSection,
  ServiceDeskSection,
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
  ReportSectionSchema,
  ConciergeSectionSchema,
  HANDOFF_CHANNELS,
  HandoffSectionSchema,
  PUBLIC_MESSAGE_KINDS,
  ServiceDeskSectionSchema,
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
export type { CharterWithout } from './charter/charter-without.ts';
export { CLOSED_ACCOUNT_TEXT, charterWithout } from './charter/charter-without.ts';
export type { CharterStore } from './charter/charter-store.ts';
export { createCharterStore } from './charter/charter-store.ts';
export { DEFAULT_CHARTER } from './charter/default-charter.ts';
export type { CompiledCharter, CompiledGoal } from './charter/compile-charter.ts';
export { compileCharter } from './charter/compile-charter.ts';
export type { GateContext } from './charter/apply-charter.ts';
export { applyCharter } from './charter/apply-charter.ts';

// sla/: SLA clocks read against a case.
export type { ClockStatus, SlaClockState, SlaReading } from './sla/sla.ts';
export { attributesAtCreation, computeClock, readClock, goalsFor, slaClocks } from './sla/sla.ts';

// agent/clerk/: the handoff packet (deterministic extraction; a model may reword only `summary`), readiness.
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
export { PACKET_VERSION, ISSUE_PROPERTY_LIMIT, HandoffPacketSchema } from './agent/clerk/clerk-packet.ts';
export type { ClerkOptions } from './agent/clerk/clerk.ts';
export { buildHandoffPacket, renderPacketSummary } from './agent/clerk/clerk.ts';
export type { FittedPacket } from './agent/clerk/clerk-fit.ts';
export { fitPacket } from './agent/clerk/clerk-fit.ts';
export type { ReadinessItem, Readiness } from './agent/clerk/clerk-readiness.ts';
export { ReadinessSchema, checkReadiness } from './agent/clerk/clerk-readiness.ts';

// agent/watchdog/: stalls, idle ladders and SLA lines, and when a case is next due.
export type { WatchCase, WatchdogOptions, Watchdog, WatchdogCheck } from './agent/watchdog/watchdog.ts';
export { createWatchdog, watchCaseOf, WATCHDOG_CHECKS } from './agent/watchdog/watchdog.ts';
export type { IdleNorms, IdleNormsOptions } from './agent/watchdog/idle-norms.ts';
export { createIdleNorms } from './agent/watchdog/idle-norms.ts';
export type { StateNormsLearner, StateNormsOptions, StateNormsState } from './agent/watchdog/state-norms.ts';
export { createStateNorms, StateNormsStateSchema } from './agent/watchdog/state-norms.ts';

// agent/concierge/: meaningful changes, audience drafts from one context; the daily operational report.
export type { ChangeKind, MeaningfulChange } from './agent/concierge/concierge-changes.ts';
export {
  CHANGE_KINDS,
  MeaningfulChangeSchema,
  meaningfulChanges,
  changesBetween,
} from './agent/concierge/concierge-changes.ts';
export type { Audience, AudienceDraft, UpdateContext } from './agent/concierge/concierge.ts';
export {
  AUDIENCES,
  AudienceSchema,
  AudienceDraftSchema,
  draftForAudience,
  draftUpdates,
} from './agent/concierge/concierge.ts';
export { CONCIERGE_UPDATE_RULE, audienceOfRule } from './agent/concierge/audiences.ts';
export type { ProposeUpdatesOptions } from './agent/concierge/concierge-proposals.ts';
export {
  conciergeRetryAt,
  proposeOnChange,
  proposeUpdates,
  worthPushing,
} from './agent/concierge/concierge-proposals.ts';
export { dailyReportDue, reportRecipients } from './agent/concierge/report-delivery.ts';
export type { DailyReport, DailyReportOptions } from './agent/concierge/report-daily.ts';
export {
  DailyReportSchema,
  buildDailyReport,
  renderDailyReportMarkdown,
  renderDailyReportText,
} from './agent/concierge/report-daily.ts';

// agent/router/: the classifier port and its rule-based default, owner/due/missing-information proposals.
export type { FieldPrediction, RouterClassifier, RouterContext, RouterStep } from './agent/router/router.ts';
export type { MissingInfoClock } from './agent/router/router.ts';
export {
  createRuleClassifier,
  missingInfoDueAt,
  proposeRoutes,
  routeCase,
  ROUTER_STEPS,
} from './agent/router/router.ts';

// recommend/: a starting charter from a history (what `baton recommend` writes).
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

// chat/: the port a chat surface implements (messages out, answers in) and what an answer does to a case.
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
  UpdateMessage,
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
  UpdateMessageSchema,
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
