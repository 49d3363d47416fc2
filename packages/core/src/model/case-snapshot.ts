import * as z from 'zod';
import type { CaseEvent } from './event.ts';
import type { CaseRecord } from './case.ts';
import { PhaseSchema, WaitingReasonSchema, type WorkflowResolver } from './workflow.ts';
import { parseTimestamp } from '../time/timestamp.ts';

/** How close a case is to missing its SLA, as the SLA clocks report it. */
export const SLA_RISKS = ['none', 'ok', 'at-risk', 'breached'] as const;
export const SlaRiskSchema = z.enum(SLA_RISKS);
export type SlaRisk = z.infer<typeof SlaRiskSchema>;

/**
 * Where a case stands at one moment: the facts the concierge compares and the clerk reports.
 * Labels, rank and other cosmetic fields are deliberately absent: a change there is never news.
 */
export const CaseSnapshotSchema = z.object({
  caseId: z.string().min(1),
  at: z.number().int(),
  title: z.string().nullable(),
  state: z.string().nullable(),
  phase: PhaseSchema.nullable(),
  waitingReason: WaitingReasonSchema.nullable(),
  owner: z.string().nullable(),
  /** What blocks the case: `waiting:customer`, `flagged`, ... ; null when nothing does. */
  blocker: z.string().nullable(),
  /** The Jira flag ("impediment") is set. */
  flagged: z.boolean(),
  /** Epoch ms of the due date, when known. */
  due: z.number().int().nullable(),
  sla: SlaRiskSchema,
  /** The event that last touched the case (epoch ms), or null before its first event. */
  lastActivityAt: z.number().int().nullable(),
  eventCount: z.number().int().min(0),
});
export type CaseSnapshot = z.infer<typeof CaseSnapshotSchema>;

const DUE_FIELDS = new Set(['duedate', 'due', 'dueDate', 'case:deadline', 'deadline']);
const FLAG_FIELDS = new Set(['flagged', 'Flagged', 'customfield_10021']);

function dueFrom(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const ts = parseTimestamp(value);
  return ts === undefined ? null : ts.at;
}

/**
 * The due date before the case's first event: what its first change of a due field changed from, else
 * the record's (which is today's value, so a due date set later would seem to have been there all along).
 */
function dueBefore(record: CaseRecord): number | null {
  const first = record.events.find((e) => e.kind === 'field' && e.field !== undefined && DUE_FIELDS.has(e.field));
  return first === undefined ? (record.due ?? null) : dueFrom(first.from);
}

/** The state a single event leaves the case in, when the event says. */
export function stateAfter(event: CaseEvent): string | null | undefined {
  if (event.state !== undefined) return event.state;
  if (event.kind === 'status' || event.kind === 'activity') return event.to;
  return undefined;
}

/** The owner a single event leaves the case with, when the event says. */
export function ownerAfter(event: CaseEvent): string | null | undefined {
  if (event.owner !== undefined) return event.owner;
  if (event.kind === 'owner') return event.to;
  return undefined;
}

/** The snapshot of a case before its first event. */
export function emptySnapshot(record: CaseRecord, at: number): CaseSnapshot {
  return {
    caseId: record.id,
    at,
    title: record.title ?? null,
    state: null,
    phase: null,
    waitingReason: null,
    owner: null,
    blocker: record.attributes['flagged'] === true ? 'flagged' : null,
    flagged: record.attributes['flagged'] === true,
    due: dueBefore(record),
    sla: 'none',
    lastActivityAt: null,
    eventCount: 0,
  };
}

function withState(s: CaseSnapshot, state: string | null, resolve: WorkflowResolver, flagged: boolean): CaseSnapshot {
  const mapping = state === null ? null : resolve(state);
  const waitingReason = mapping?.phase === 'waiting' ? (mapping.waitingReason ?? 'internal') : null;
  const blocker = waitingReason !== null ? `waiting:${waitingReason}` : flagged ? 'flagged' : null;
  return { ...s, state, phase: mapping?.phase ?? null, waitingReason, blocker, flagged };
}

/**
 * The snapshot after one more event: the incremental form of `snapshotCase`, for replays and
 * event-driven triggers that must not re-read a case's whole history at every event.
 */
export function advanceSnapshot(s: CaseSnapshot, event: CaseEvent, resolve: WorkflowResolver): CaseSnapshot {
  let state = s.state;
  let owner = s.owner;
  let due = s.due;
  let flagged = s.flagged;
  const st = stateAfter(event);
  if (st !== undefined) state = st;
  const o = ownerAfter(event);
  if (o !== undefined) owner = o;
  if (event.kind === 'field' && event.field !== undefined) {
    if (DUE_FIELDS.has(event.field)) due = dueFrom(event.to);
    if (FLAG_FIELDS.has(event.field)) flagged = event.to !== null && event.to !== undefined && event.to !== '';
  }
  const next = {
    ...s,
    at: Math.max(s.at, event.at),
    owner,
    due,
    lastActivityAt: event.at,
    eventCount: s.eventCount + 1,
  };
  return withState(next, state, resolve, flagged);
}

/**
 * The snapshot once every event of a case has been seen: a source that knows only the current
 * state and owner (a Jira export without changelog) still has them, as of the last event.
 */
export function settleSnapshot(
  s: CaseSnapshot,
  record: Pick<CaseRecord, 'state' | 'owner'>,
  resolve: WorkflowResolver,
): CaseSnapshot {
  if ((s.state !== null || record.state == null) && (s.owner !== null || record.owner == null)) return s;
  const owner = s.owner ?? record.owner ?? null;
  return withState({ ...s, owner }, s.state ?? record.state ?? null, resolve, s.flagged);
}

/**
 * The case as it stood at `at`: folds its events up to and including `at` (events after it are
 * ignored, so a replay sees only the past). `sla` comes from the SLA clocks when the caller has them.
 */
export function snapshotCase(
  record: CaseRecord,
  at: number,
  resolve: WorkflowResolver,
  sla: SlaRisk = 'none',
): CaseSnapshot {
  let snap = emptySnapshot(record, at);
  for (const event of record.events) {
    if (event.at > at) break;
    snap = advanceSnapshot(snap, event, resolve);
  }
  let { state, owner } = snap;
  // A source that knows only the current state (a Jira export without changelog) still has one.
  if (snap.eventCount === record.events.length) {
    if (state === null) state = record.state ?? null;
    if (owner === null) owner = record.owner ?? null;
  }
  return withState({ ...snap, at, owner, sla }, state, resolve, snap.flagged);
}
