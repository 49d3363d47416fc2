import type { CaseRecord } from '../model/case.ts';
import type { CaseEvent } from '../model/event.ts';
import type { Phase, StateMapping, WorkflowResolver } from '../model/workflow.ts';
import { isStatusChase } from '../text/status-chase.ts';
import { addBusinessTime, businessClockOf, businessTimeBetween, type Calendar } from '../time/calendar.ts';
import { countHandoffs, countPingPong } from './owner-sequence.ts';

/** One stay of a case in a state, from the event that entered it to the next state change (or the case's last event). */
export interface StateVisit {
  readonly state: string;
  readonly phase: Phase;
  readonly ms: number;
  readonly businessMs: number;
}

export type SlaOutcome = 'met' | 'breached' | 'open' | 'none';

/** Everything the analysis knows about one case. Times are epoch ms; durations ms. */
export interface CaseSummary {
  readonly id: string;
  readonly source: string;
  readonly events: number;
  readonly firstAt: number;
  readonly firstOffsetMinutes: number;
  readonly lastAt: number;
  readonly lastOffsetMinutes: number;
  readonly cycleMs: number;
  readonly cycleBusinessMs: number;
  readonly owners: readonly string[];
  readonly handoffs: number;
  readonly pingPongBounces: number;
  readonly comments: number;
  readonly statusChases: number;
  readonly visits: readonly StateVisit[];
  readonly finalState: string | null;
  readonly waitingMs: number;
  readonly waitingBusinessMs: number;
  readonly exceptions: { readonly reopened: number; readonly waiting: number; readonly escalated: number };
  readonly sla: { readonly due: number | null; readonly resolvedAt: number | null; readonly outcome: SlaOutcome };
}

export interface SummarizeOptions {
  readonly calendar: Calendar;
  readonly resolve: WorkflowResolver;
  /** A business-time resolution target for the case (ms), when an SLA goal applies to it. */
  readonly slaTargetMs?: (record: CaseRecord) => number | undefined;
}

/** The state a case is in after an event: what the source says, or the target of a status change/activity. */
function stateAfter(event: CaseEvent): string | undefined {
  if (event.state !== undefined && event.state !== null && event.state !== '') return event.state;
  if (
    (event.kind === 'status' || event.kind === 'activity') &&
    event.to !== undefined &&
    event.to !== null &&
    event.to !== ''
  )
    return event.to;
  return undefined;
}

const ESCALATED_STATE = /escalat/i;
const URGENT_PRIORITY = /\b(highest|critical|blocker|urgent|immediate|emergency|p1|sev(erity)? ?1)\b/i;

/** An escalation by a field: an escalation field set, or the priority raised to urgent. */
function isFieldEscalation(event: CaseEvent): boolean {
  if (event.kind !== 'field' || event.field === undefined) return false;
  if (/escalat/i.test(event.field)) return event.to !== null && event.to !== undefined && event.to !== '';
  return event.field === 'priority' && event.to != null && URGENT_PRIORITY.test(event.to);
}

/**
 * A state name with what a case's walk needs of it: its mapping, and whether its name says escalation.
 * An analysis makes one per state name (`createAnalysis`), so that a case looks each state it
 * enters up once, and what reads the case's visits afterwards finds the state without a name lookup.
 */
export interface StateSlot {
  readonly name: string;
  readonly mapping: StateMapping;
  /** The name says escalation (`/escalat/i`). */
  readonly escalates: boolean;
}

/**
 * A case's visits, filled by `summarizeInto` and reused from case to case: visit i is the stay in
 * `slots[i]` of `ms[i]` ms, `businessMs[i]` of them business time. Read it before the next case.
 */
export class VisitScratch<S extends StateSlot = StateSlot> {
  slots: S[] = [];
  ms: number[] = [];
  businessMs: number[] = [];
  length = 0;
  /** The case's events in time order, as its visits were found from them (the diagnosis walks them again). */
  events: readonly CaseEvent[] = [];

  push(slot: S, ms: number, businessMs: number): void {
    const i = this.length++;
    // Written in place: arrays that only grow (their length is the most cases' visits ever seen).
    if (i < this.slots.length) {
      this.slots[i] = slot;
      this.ms[i] = ms;
      this.businessMs[i] = businessMs;
    } else {
      this.slots.push(slot);
      this.ms.push(ms);
      this.businessMs.push(businessMs);
    }
  }

  /** The visits as `StateVisit`s. */
  toVisits(): StateVisit[] {
    const out: StateVisit[] = new Array<StateVisit>(this.length);
    for (let i = 0; i < this.length; i++) {
      const slot = this.slots[i]!;
      out[i] = { state: slot.name, phase: slot.mapping.phase, ms: this.ms[i]!, businessMs: this.businessMs[i]! };
    }
    return out;
  }
}

/**
 * A case's summary written in place by `summarizeInto`, case after case: one object for an
 * analysis's whole run, where a summary made per case (with an object per visit) is garbage as soon
 * as its row is written. Its visits are in `scratch` and made into `StateVisit`s only when read.
 * Read it before the next case; `toSummary` makes a copy to keep.
 */
export class SummaryScratch<S extends StateSlot = StateSlot> implements CaseSummary {
  id = '';
  source = '';
  events = 0;
  firstAt = 0;
  firstOffsetMinutes = 0;
  lastAt = 0;
  lastOffsetMinutes = 0;
  cycleMs = 0;
  cycleBusinessMs = 0;
  owners: readonly string[] = [];
  handoffs = 0;
  pingPongBounces = 0;
  comments = 0;
  statusChases = 0;
  finalState: string | null = null;
  waitingMs = 0;
  waitingBusinessMs = 0;
  readonly exceptions = { reopened: 0, waiting: 0, escalated: 0 };
  readonly sla: { due: number | null; resolvedAt: number | null; outcome: SlaOutcome } = {
    due: null,
    resolvedAt: null,
    outcome: 'none',
  };

  constructor(readonly scratch: VisitScratch<S>) {}

  /** The visits as `StateVisit`s, made when asked (a new array each time). */
  get visits(): StateVisit[] {
    return this.scratch.toVisits();
  }

  /** The summary as a plain object of its own (what `summarizeCase` returns). */
  toSummary(): CaseSummary {
    return {
      id: this.id,
      source: this.source,
      events: this.events,
      firstAt: this.firstAt,
      firstOffsetMinutes: this.firstOffsetMinutes,
      lastAt: this.lastAt,
      lastOffsetMinutes: this.lastOffsetMinutes,
      cycleMs: this.cycleMs,
      cycleBusinessMs: this.cycleBusinessMs,
      owners: this.owners,
      handoffs: this.handoffs,
      pingPongBounces: this.pingPongBounces,
      comments: this.comments,
      statusChases: this.statusChases,
      visits: this.scratch.toVisits(),
      finalState: this.finalState,
      waitingMs: this.waitingMs,
      waitingBusinessMs: this.waitingBusinessMs,
      exceptions: { ...this.exceptions },
      sla: { ...this.sla },
    };
  }
}

/** The business clock's difference when it is a number, else business time computed from the instants. */
function cycleBusinessMs(calendar: Calendar, from: number, to: number, byClock: number): number {
  return byClock === byClock ? byClock : businessTimeBetween(calendar, from, to);
}

/** Every visit (at least one) is in a done state. */
function allDone(visits: VisitScratch): boolean {
  if (visits.length === 0) return false;
  for (let i = 0; i < visits.length; i++) if (visits.slots[i]!.mapping.phase !== 'done') return false;
  return true;
}

function inTimeOrder(events: readonly CaseEvent[]): readonly CaseEvent[] {
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.at < events[i - 1]!.at) return [...events].sort((a, b) => a.at - b.at); // stable
  }
  return events;
}

/**
 * Summarises one case (at least one event; the caller counts empty cases as skipped).
 * Definitions, repeated in the report:
 * - cycle time = last event − first event; business cycle time counts only the calendar's hours;
 * - handoffs and ping-pong from the owner sequence (see `ownerSequence`);
 * - time in state: from the event that entered a state to the next state change; the last state
 *   runs until the case's last event (nothing is known after it);
 * - exceptions: reopened (done → not done), each entry into a waiting state, escalations;
 * - SLA: due = the case's due date, else first event + the SLA target in business time; met when
 *   the case last entered a done state by then, breached when later (or still open past due);
 *   a case done from its first event (no history) counts as resolved at its last event.
 */
export function summarizeCase(record: CaseRecord, options: SummarizeOptions): CaseSummary {
  const { resolve } = options;
  const out = new SummaryScratch(new VisitScratch());
  const slotOf = (name: string): StateSlot => ({ name, mapping: resolve(name), escalates: ESCALATED_STATE.test(name) });
  return summarizeInto(record, options.calendar, slotOf, options.slaTargetMs, out).toSummary();
}

/**
 * `summarizeCase` for an analysis: states found by `slotOf` (once per state a case enters, told
 * the state the case leaves: a hint), the summary written to `out` and its visits to `out.scratch`
 * (cleared first) rather than made as objects.
 */
export function summarizeInto<S extends StateSlot>(
  record: CaseRecord,
  calendar: Calendar,
  slotOf: (name: string, after: S | undefined) => S,
  slaTargetMs: ((record: CaseRecord) => number | undefined) | undefined,
  out: SummaryScratch<S>,
): SummaryScratch<S> {
  const visits = out.scratch;
  const events = inTimeOrder(record.events);
  visits.events = events;
  const first = events[0];
  const last = events[events.length - 1];
  if (first === undefined || last === undefined) throw new RangeError(`case ${record.id} has no events`);

  visits.length = 0;
  // Plain locals, no closure over them: a closure that writes its captured variables moves them
  // into a heap context, and every access in this loop (per event, per case) goes through it.
  let current: S | undefined;
  let currentPhase: Phase | undefined;
  let enteredAt = first.at;
  // The business clock (`businessClock`) at the first event and at each state change: a stay's
  // business time is the difference, one day lookup per change (NaN: ask `businessTimeBetween`).
  const clockAt = businessClockOf(calendar);
  const firstClock = clockAt(first.at);
  let enteredClock = firstClock;
  let comments = 0;
  let statusChases = 0;
  let reopened = 0;
  let waiting = 0;
  let escalated = 0;
  let resolvedAt: number | null = null;
  let waitingMs = 0;
  let waitingBusinessMs = 0;
  // The owner sequence (`ownerSequence`), built in the same pass.
  const owners: string[] = [];
  let lastOwner: string | undefined;

  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (event.kind === 'comment') {
      comments++;
      if (event.text !== undefined && isStatusChase(event.text)) statusChases++;
    }
    const owner = event.owner !== undefined ? event.owner : event.kind === 'owner' ? event.to : undefined;
    if (owner !== undefined && owner !== null && owner !== lastOwner && owner.trim() !== '') {
      owners.push(owner);
      lastOwner = owner;
    }
    const state = stateAfter(event);
    const entered = state !== undefined && state !== current?.name ? slotOf(state, current) : undefined;
    if ((entered !== undefined && entered.escalates) || isFieldEscalation(event)) escalated++;
    if (entered === undefined) continue;
    const phase = entered.mapping.phase;
    const clock = event.at === first.at ? firstClock : clockAt(event.at);
    if (current !== undefined && currentPhase !== undefined) {
      const ms = event.at - enteredAt;
      let businessMs = clock - enteredClock;
      if (businessMs !== businessMs) businessMs = businessTimeBetween(calendar, enteredAt, event.at);
      visits.push(current, ms, businessMs);
      if (currentPhase === 'waiting') {
        waitingMs += ms;
        waitingBusinessMs += businessMs;
      }
    }
    if (currentPhase === 'done' && phase !== 'done') reopened++;
    if (phase === 'waiting') waiting++;
    if (phase === 'done' && currentPhase !== 'done') resolvedAt = event.at;
    current = entered;
    currentPhase = phase;
    enteredAt = event.at;
    enteredClock = clock;
  }
  const lastClock = last.at === enteredAt ? enteredClock : clockAt(last.at);
  if (current !== undefined && currentPhase !== undefined) {
    const ms = last.at - enteredAt;
    let businessMs = lastClock - enteredClock;
    if (businessMs !== businessMs) businessMs = businessTimeBetween(calendar, enteredAt, last.at);
    visits.push(current, ms, businessMs);
    if (currentPhase === 'waiting') {
      waitingMs += ms;
      waitingBusinessMs += businessMs;
    }
  }
  if (currentPhase !== 'done') resolvedAt = null;
  // Done from its first event (an export without history shows only today's status): when it
  // was resolved is unknown, so the case's last event stands in, as it does for cycle time.
  else if (resolvedAt === first.at && allDone(visits)) resolvedAt = last.at;

  const target = slaTargetMs?.(record);
  const due = record.due ?? (target === undefined ? null : addBusinessTime(calendar, first.at, target));
  let outcome: SlaOutcome = 'none';
  if (due !== null) {
    if (resolvedAt !== null) outcome = resolvedAt <= due ? 'met' : 'breached';
    else outcome = last.at > due ? 'breached' : 'open';
  }

  out.id = record.id;
  out.source = record.source;
  out.events = events.length;
  out.firstAt = first.at;
  out.firstOffsetMinutes = first.offsetMinutes;
  out.lastAt = last.at;
  out.lastOffsetMinutes = last.offsetMinutes;
  out.cycleMs = last.at - first.at;
  out.cycleBusinessMs = cycleBusinessMs(calendar, first.at, last.at, lastClock - firstClock);
  out.owners = owners;
  out.handoffs = countHandoffs(owners);
  out.pingPongBounces = countPingPong(owners);
  out.comments = comments;
  out.statusChases = statusChases;
  out.finalState = current?.name ?? null;
  out.waitingMs = waitingMs;
  out.waitingBusinessMs = waitingBusinessMs;
  out.exceptions.reopened = reopened;
  out.exceptions.waiting = waiting;
  out.exceptions.escalated = escalated;
  out.sla.due = due;
  out.sla.resolvedAt = resolvedAt;
  out.sla.outcome = outcome;
  return out;
}
