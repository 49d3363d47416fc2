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
export { parseTimestamp, formatTimestamp } from './time/timestamp.ts';

export { isStatusChase } from './text/status-chase.ts';

export type { Calendar, CalendarDefinition, CalendarInput, Weekday } from './time/calendar.ts';
export {
  WEEKDAYS,
  CalendarSchema,
  defineCalendar,
  DEFAULT_CALENDAR,
  isBusinessTime,
  nextBusinessTime,
  addBusinessTime,
  businessTimeBetween,
} from './time/calendar.ts';
