import type { ClockCondition } from '../charter/charter-schema.ts';
import {
  compileCharter,
  matchesAttributes,
  type CompiledCharter,
  type CompiledGoal,
} from '../charter/compile-charter.ts';
import type { CaseRecord } from '../model/case.ts';
import type { CaseEvent } from '../model/event.ts';
import type { WorkflowResolver } from '../model/workflow.ts';
import { addBusinessTime, businessTimeBetween } from '../time/calendar.ts';
import type { Charter } from '../charter/charter-schema.ts';
import { ownerAfter, stateAfter } from '../model/case-snapshot.ts';

/**
 * SLA clocks in business time. A clock is `pending` until a start condition holds, then `running`
 * or `paused` (a pause condition holds) until a stop condition holds (`stopped`, final: a reopened
 * case keeps its stopped clock, the reopening is the concern of a new goal). Conditions are read
 * after every event. Two forms that must agree (property-tested): `advanceClock` event by event
 * (what the Forge app stores per issue) and `computeClock` in one pass over a history.
 */
export type ClockStatus = 'pending' | 'running' | 'paused' | 'stopped';

export interface SlaClockState {
  readonly goalId: string;
  readonly status: ClockStatus;
  readonly startedAt: number | null;
  readonly stoppedAt: number | null;
  /** Business ms of the running intervals closed so far. */
  readonly elapsedMs: number;
  /** Start of the open running interval (when `running`). */
  readonly runningSince: number | null;
  /** [from, to] of each pause; `to` is null while paused. */
  readonly pauses: readonly (readonly [number, number | null])[];
  /** What the conditions read: the case's state and the tracked fields, after the last event. */
  readonly caseState: string | null;
  readonly fields: Readonly<Record<string, string | null>>;
  readonly lastEventAt: number | null;
}

/** A clock read at a moment. */
export interface SlaReading {
  readonly goalId: string;
  readonly status: ClockStatus;
  readonly targetMs: number;
  readonly elapsedMs: number;
  /** Negative once breached. */
  readonly remainingMs: number;
  /** elapsed / target. */
  readonly consumed: number;
  readonly atRisk: boolean;
  readonly breached: boolean;
  /** When the target will be reached if the clock keeps running (null unless running and not yet breached). */
  readonly dueAt: number | null;
  /** When the first warning line will be reached if the clock keeps running (null unless running and not yet at risk or breached). */
  readonly atRiskAt: number | null;
  readonly startedAt: number | null;
  readonly stoppedAt: number | null;
  readonly pauses: readonly (readonly [number, number | null])[];
}

interface Facts {
  readonly state: string | null;
  readonly fields: Readonly<Record<string, string | null>>;
}

function holds(c: ClockCondition, f: Facts, resolve: WorkflowResolver): boolean {
  switch (c.on) {
    case 'created':
      return true;
    case 'status':
      return f.state !== null && c.in.some((s) => s.toLowerCase() === f.state!.toLowerCase());
    case 'phase':
      return f.state !== null && c.in.includes(resolve(f.state).phase);
    case 'waiting': {
      if (f.state === null) return false;
      const m = resolve(f.state);
      return m.phase === 'waiting' && c.reasons.includes(m.waitingReason ?? 'internal');
    }
    case 'field': {
      const v = Object.hasOwn(f.fields, c.field) ? f.fields[c.field] : undefined;
      const present = v !== undefined && v !== null && v !== '';
      if (c.present !== undefined && present !== c.present) return false;
      if (c.equals !== undefined && v !== c.equals) return false;
      return c.present !== undefined || c.equals !== undefined || present;
    }
  }
}

const any = (conds: readonly ClockCondition[], f: Facts, resolve: WorkflowResolver): boolean =>
  conds.some((c) => holds(c, f, resolve));

/** The status the conditions call for, given the previous status (a stopped clock stays stopped). */
function nextStatus(goal: CompiledGoal, prev: ClockStatus, f: Facts, resolve: WorkflowResolver): ClockStatus {
  if (prev === 'stopped') return 'stopped';
  if (prev === 'pending' && !any(goal.start, f, resolve)) return 'pending';
  if (any(goal.stop, f, resolve)) return 'stopped';
  return any(goal.pause, f, resolve) ? 'paused' : 'running';
}

function factsAfter(
  goal: CompiledGoal,
  state: string | null,
  fields: Readonly<Record<string, string | null>>,
  e: CaseEvent,
): Facts {
  const s = stateAfter(e);
  let nextFields = fields;
  // A change of owner is a change of its field (`assignee`), so `{ on: field, field: assignee }` reads it.
  if ((e.kind === 'field' || e.kind === 'owner') && e.field !== undefined && goal.fields.includes(e.field))
    nextFields = { ...fields, [e.field]: e.to ?? null };
  return { state: s === undefined ? state : s, fields: nextFields };
}

/**
 * The case's field values when it was created, which is what a clock's field conditions start from. A
 * case's attributes are its values today: a field its history changes starts at the `from` of its first
 * change (a resolution set last week was empty at creation), and the owner field (the field of its owner
 * changes, else `assignee`) at the owner the case was created with.
 * @example attributesAtCreation(record).priority // 'Low' for a case raised to 'Highest' later
 */
export function attributesAtCreation(
  record: Pick<CaseRecord, 'attributes' | 'events'>,
): Readonly<Record<string, unknown>> {
  // Names come from data: no prototype to write through.
  const out: Record<string, unknown> = Object.assign(Object.create(null), record.attributes);
  const changed = new Set<string>();
  let ownerField: string | undefined;
  for (const e of record.events) {
    if ((e.kind !== 'field' && e.kind !== 'owner') || e.field === undefined) continue;
    if (e.kind === 'owner') ownerField ??= e.field;
    if (changed.has(e.field)) continue;
    changed.add(e.field);
    out[e.field] = e.from ?? null;
  }
  ownerField ??= 'assignee';
  if (!changed.has(ownerField) && !Object.hasOwn(record.attributes, ownerField)) {
    const created = record.events.find((e) => e.kind === 'created');
    const owner = created === undefined ? undefined : ownerAfter(created);
    if (owner !== undefined) out[ownerField] = owner;
  }
  return out;
}

/** A clock before the case's first event; `attributes` are the case's values at creation (`attributesAtCreation`). */
export function initialClock(goal: CompiledGoal, attributes: Readonly<Record<string, unknown>> = {}): SlaClockState {
  // Tracked fields the case carries as attributes count as present from the start. Field names come
  // from the charter and attributes from data: own keys only, so `constructor` is not "present".
  const fields: Record<string, string | null> = Object.create(null);
  for (const f of goal.fields) {
    const v = Object.hasOwn(attributes, f) ? attributes[f] : undefined;
    if (v !== undefined && v !== null) fields[f] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return {
    goalId: goal.id,
    status: 'pending',
    startedAt: null,
    stoppedAt: null,
    elapsedMs: 0,
    runningSince: null,
    pauses: [],
    caseState: null,
    fields,
    lastEventAt: null,
  };
}

/** The incremental form: the clock after one more event (events must come in time order). */
export function advanceClock(
  goal: CompiledGoal,
  resolve: WorkflowResolver,
  clock: SlaClockState,
  event: CaseEvent,
): SlaClockState {
  const f = factsAfter(goal, clock.caseState, clock.fields, event);
  const t = event.at;
  const status = nextStatus(goal, clock.status, f, resolve);
  let { elapsedMs, runningSince, startedAt, stoppedAt } = clock;
  let pauses = clock.pauses;
  if (status !== clock.status) {
    if (clock.status === 'running') elapsedMs += businessTimeBetween(goal.calendar, runningSince!, t);
    if (clock.status === 'paused') pauses = [...pauses.slice(0, -1), [pauses[pauses.length - 1]![0], t]];
    if (clock.status === 'pending') startedAt = t;
    runningSince = status === 'running' ? t : null;
    if (status === 'paused') pauses = [...pauses, [t, null]];
    if (status === 'stopped') stoppedAt = t;
  }
  return {
    goalId: goal.id,
    status,
    startedAt,
    stoppedAt,
    elapsedMs,
    runningSince,
    pauses,
    caseState: f.state,
    fields: f.fields,
    lastEventAt: t,
  };
}

/**
 * The one-pass form: walks the history once to find the running intervals, then sums them.
 * Agrees with folding `advanceClock` over the same events. `attributes`: the case's values at creation
 * (`attributesAtCreation`), which the field conditions start from.
 */
export function computeClock(
  goal: CompiledGoal,
  resolve: WorkflowResolver,
  events: readonly CaseEvent[],
  attributes: Readonly<Record<string, unknown>> = {},
): SlaClockState {
  const init = initialClock(goal, attributes);
  let facts: Facts = { state: null, fields: init.fields };
  let status: ClockStatus = 'pending';
  const running: [number, number | null][] = [];
  const pauses: [number, number | null][] = [];
  let startedAt: number | null = null;
  let stoppedAt: number | null = null;
  let lastEventAt: number | null = null;
  for (const e of events) {
    facts = factsAfter(goal, facts.state, facts.fields, e);
    lastEventAt = e.at;
    const next = nextStatus(goal, status, facts, resolve);
    if (next === status) continue;
    if (status === 'running') running[running.length - 1]![1] = e.at;
    if (status === 'paused') pauses[pauses.length - 1]![1] = e.at;
    if (status === 'pending') startedAt = e.at;
    if (next === 'running') running.push([e.at, null]);
    if (next === 'paused') pauses.push([e.at, null]);
    if (next === 'stopped') stoppedAt = e.at;
    status = next;
  }
  let elapsedMs = 0;
  let runningSince: number | null = null;
  for (const [from, to] of running) {
    if (to === null) runningSince = from;
    else elapsedMs += businessTimeBetween(goal.calendar, from, to);
  }
  return {
    goalId: goal.id,
    status,
    startedAt,
    stoppedAt,
    elapsedMs,
    runningSince,
    pauses,
    caseState: facts.state,
    fields: facts.fields,
    lastEventAt,
  };
}

/** Elapsed business ms at `now` without allocating (the watchdog's hot path). */
export function elapsedAt(goal: CompiledGoal, clock: SlaClockState, now: number): number {
  if (clock.status !== 'running' || clock.runningSince === null || now <= clock.runningSince) return clock.elapsedMs;
  return clock.elapsedMs + businessTimeBetween(goal.calendar, clock.runningSince, now);
}

/**
 * The least whole number of elapsed business ms at which `elapsed / targetMs` reaches `share`
 * (`strict`: goes beyond it), checked with the same division the readers use so that float rounding
 * cannot put the line a millisecond off.
 */
export function elapsedReaching(targetMs: number, share: number, strict: boolean): number {
  const holds = (e: number): boolean => (strict ? e / targetMs > share : e / targetMs >= share);
  let e = Math.max(0, Math.ceil(share * targetMs));
  while (e > 0 && holds(e - 1)) e--;
  while (!holds(e)) e++;
  return e;
}

/**
 * When a clock's elapsed business time reaches `elapsedMs` if nothing happens: null unless it is
 * running (a paused, pending or stopped clock does not move without an event); `runningSince` or
 * later. The earliest such instant, so a line can fall at 17:00 rather than 09:00 the next day.
 */
export function clockReachesAt(goal: CompiledGoal, clock: SlaClockState, elapsedMs: number): number | null {
  if (clock.status !== 'running' || clock.runningSince === null) return null;
  return elapsedMs <= clock.elapsedMs
    ? clock.runningSince
    : addBusinessTime(goal.calendar, clock.runningSince, elapsedMs - clock.elapsedMs);
}

/** Reads a clock at `now`: elapsed, remaining, at-risk (first warning line), breached, due time. */
export function readClock(goal: CompiledGoal, clock: SlaClockState, now: number): SlaReading {
  const elapsedMs = elapsedAt(goal, clock, now);
  const remainingMs = goal.targetMs - elapsedMs;
  const consumed = elapsedMs / goal.targetMs;
  const breached = elapsedMs > goal.targetMs;
  const dueAt =
    clock.status === 'running' && clock.runningSince !== null && goal.targetMs > clock.elapsedMs
      ? addBusinessTime(goal.calendar, clock.runningSince, goal.targetMs - clock.elapsedMs)
      : null;
  const atRisk = !breached && goal.warnAt.length > 0 && consumed >= goal.warnAt[0]!;
  const atRiskAt =
    breached || atRisk || goal.warnAt.length === 0
      ? null
      : clockReachesAt(goal, clock, elapsedReaching(goal.targetMs, goal.warnAt[0]!, false));
  return {
    goalId: goal.id,
    status: clock.status,
    targetMs: goal.targetMs,
    elapsedMs,
    remainingMs,
    consumed,
    atRisk,
    breached,
    dueAt,
    atRiskAt,
    startedAt: clock.startedAt,
    stoppedAt: clock.stoppedAt,
    pauses: clock.pauses,
  };
}

/** The charter's goals that apply to a case (by its attributes). */
export function goalsFor(charter: Charter | CompiledCharter, record: Pick<CaseRecord, 'attributes'>): CompiledGoal[] {
  const c = 'charter' in charter ? charter : compileCharter(charter);
  return c.goals.filter((g) => matchesAttributes(g.goal.when, record.attributes));
}

/**
 * Every applicable SLA clock of a case, read at `now` from the events up to `now`.
 * @example slaClocks(record, charter, Date.parse('2012-05-01T12:00:00Z'))
 */
export function slaClocks(record: CaseRecord, charter: Charter | CompiledCharter, now: number): SlaReading[] {
  const c = 'charter' in charter ? charter : compileCharter(charter);
  const events = record.events.filter((e) => e.at <= now);
  const atCreation = attributesAtCreation(record);
  return goalsFor(c, record).map((g) => readClock(g, computeClock(g, c.resolve, events, atCreation), now));
}
