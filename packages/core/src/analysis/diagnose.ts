import * as z from 'zod';
import type { CaseRecord } from '../model/case.ts';
import type { CaseEvent } from '../model/event.ts';
import { compareText } from '../text/compare-text.ts';
import { PhaseSchema, WaitingReasonSchema, type StateMapping, type WorkflowResolver } from '../model/workflow.ts';
import type { CauseKind, Diagnosis, DiagnosedChokePoint } from './diagnosis-schema.ts';
import type { Kpis } from './kpis.ts';
import { ExactSum } from './exact-sum.ts';
import {
  createQuantileSketch,
  createSquaringSketch,
  QuantileSketchSchema,
  type ExactSketchState,
  type QuantileSketch,
  type SquaringSketch,
} from './quantile-sketch.ts';
import { createShortlist } from './shortlist.ts';
import { distributionFrom } from './stats.ts';
import type { CaseSummary, StateSlot, VisitScratch } from './summarize-case.ts';
import { activeMonthsOf, createWipTracker, wipOf, WipStateSchema, type WipState } from './wip.ts';

const DAY = 86_400_000;

export interface StateDiag {
  readonly mapping: StateMapping;
  /** Stay durations in days; with their sum of squares, for the spread (the squares of ms added when it settles). */
  readonly stays: SquaringSketch;
  /**
   * Squares of the stays: of ms (as added, by `stays`: read after `stays.settle()`) and of days (as
   * merged from partials).
   */
  readonly staysSumSqMs: ExactSum;
  readonly staysSumSq: ExactSum;
  visits: number;
  cases: number;
  /** Cycle days of each case that passed here (for the long-tail risk). */
  readonly cycles: QuantileSketch;
  slaCases: number;
  slaBreached: number;
  readonly unassignedMs: ExactSum;
  readonly totalMs: ExactSum;
  /** Visits after which the owner was someone else (handed on). */
  handedOn: number;
  /** Owner changes back to an earlier owner while here (A → B → A). */
  bounces: number;
  toCustomerWait: number;
  reentries: number;
  reopenedCases: number;
  escalations: number;
  /** The number of the last case that visited (first visits count a case once, without a set per case). */
  lastCase: number;
  /** The exception-recovery kind of a stay here (`waiting-customer`, …), for waiting states. */
  readonly recoveryKind: string | undefined;
  /** The recoveries of that kind, once a stay here added one (found without a lookup by kind). */
  recovery: Recovery | undefined;
}

interface Recovery {
  count: number;
  readonly days: QuantileSketch;
}

/**
 * A state as an analysis interns it (`StateSlot`), with the diagnosis's own per-state facts kept on
 * it, so that walking a case's visits and events finds them without looking the name up.
 */
export interface DiagnosisSlot extends StateSlot {
  /** The state's diagnosis, once it has one. */
  diag: StateDiag | undefined;
  /** The name asks for information (`NEEDS_INFO`), once asked. */
  needsInfo: boolean | undefined;
}

const ESCALATED_STATE = /escalat/i;
const URGENT_PRIORITY = /\b(highest|critical|blocker|urgent|immediate|emergency|p1|sev(erity)? ?1)\b/i;
const LINE = /\b(1st|2nd|3rd|first|second|third|tier ?[123]|l[123])\b/gi;
const NEEDS_INFO = /info|information|details|clarif/i;
/** Entries at most in each per-name cache of a diagnosis. */
const CACHE_LIMIT = 1 << 16;

/** The events in time order: as they are when they already are (usual), else a stable sorted copy. */
function inTimeOrder(events: readonly CaseEvent[]): readonly CaseEvent[] {
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.at < events[i - 1]!.at) return [...events].sort((a, b) => a.at - b.at);
  }
  return events;
}

/** Whether `value` is among the first `count` of `values`. */
function includes(values: readonly string[], count: number, value: string): boolean {
  for (let i = 0; i < count; i++) if (values[i] === value) return true;
  return false;
}

/** Whether a state's name asks for information (kept on its slot, when it has one). */
function needsInfo(name: string, slot: DiagnosisSlot | undefined): boolean {
  if (slot === undefined) return NEEDS_INFO.test(name);
  let x = slot.needsInfo;
  if (x === undefined) x = slot.needsInfo = NEEDS_INFO.test(name);
  return x;
}

/** The support line a group name says (`N52 2nd` → 2, `V13 2nd 3rd` → 3); 1 when it says none. */
export function supportLine(owner: string): number {
  let line = 1;
  for (const m of owner.matchAll(LINE)) {
    const t = m[0].toLowerCase();
    const n = /3|third/.test(t) ? 3 : /2|second/.test(t) ? 2 : 1;
    line = Math.max(line, n);
  }
  return line;
}

function stateAfter(e: CaseEvent): string | undefined {
  if (e.state !== undefined && e.state !== null && e.state !== '') return e.state;
  if ((e.kind === 'status' || e.kind === 'activity') && e.to !== undefined && e.to !== null && e.to !== '') return e.to;
  return undefined;
}

const REASONS = [
  'escalation state entered',
  'escalation field set',
  'priority raised to urgent',
  'handed to a higher support line',
] as const;
const STATE_ENTERED = 0;
const HIGHER_LINE = 3;

/** The reason of `REASONS` an event escalates the case for (−1: none); `line` gives an owner's support line. */
function reasonIndex(
  e: CaseEvent,
  enteredEscalates: boolean,
  ownerBefore: string | null,
  line: (owner: string) => number,
): number {
  if (enteredEscalates) return STATE_ENTERED;
  if (e.kind === 'field') {
    if (e.field !== undefined && /escalat/i.test(e.field) && e.to) return 1;
    if (e.field === 'priority' && e.to != null && URGENT_PRIORITY.test(e.to)) return 2;
  }
  const owner = e.owner ?? null;
  if (owner !== null && ownerBefore !== null && owner !== ownerBefore && line(owner) > line(ownerBefore))
    return HIGHER_LINE;
  return -1;
}

/** Why an event escalates the case, if it does. */
export function escalationReason(
  e: CaseEvent,
  entered: string | undefined,
  ownerBefore: string | null,
): string | undefined {
  const i = reasonIndex(e, entered !== undefined && ESCALATED_STATE.test(entered), ownerBefore, supportLine);
  return i < 0 ? undefined : REASONS[i];
}

export interface DiagnosisOptions {
  readonly resolve: WorkflowResolver;
}

const StateDiagStateSchema = z.object({
  name: z.string(),
  phase: PhaseSchema,
  waitingReason: WaitingReasonSchema.optional(),
  stays: QuantileSketchSchema.describe('Stay durations in days.'),
  staysSumSq: z.number().min(0),
  visits: z.int().min(0),
  cases: z.int().min(0),
  cycles: QuantileSketchSchema.describe('Cycle days of the cases that passed here.'),
  slaCases: z.int().min(0),
  slaBreached: z.int().min(0),
  unassignedMs: z.number(),
  totalMs: z.number(),
  handedOn: z.int().min(0),
  bounces: z.int().min(0),
  toCustomerWait: z.int().min(0),
  reentries: z.int().min(0),
  reopenedCases: z.int().min(0),
  escalations: z.int().min(0),
});

/**
 * The mergeable state of the diagnosis: counts and sums exact, distributions as quantile sketches,
 * WIP per day. A whole analysis computes its diagnosis from this state too, so partials of disjoint
 * cases, merged, give the diagnosis of their union.
 */
export const DiagnosisStateSchema = z.object({
  cases: z.int().min(0),
  escalatedCases: z.int().min(0),
  blocked: z.int().min(0),
  slaCases: z.int().min(0),
  slaBreached: z.int().min(0),
  cycles: QuantileSketchSchema,
  states: z.array(StateDiagStateSchema),
  recovery: z.array(z.object({ kind: z.string(), count: z.int().min(0), days: QuantileSketchSchema })),
  escalationReasons: z.array(z.object({ reason: z.string(), events: z.int().min(0), cases: z.int().min(0) })),
  wip: WipStateSchema,
});
export type DiagnosisState = z.infer<typeof DiagnosisStateSchema>;

/**
 * The diagnosis state with every sum exact (`ExactSum` parts) and every sketch's sum too: the part of
 * `Analysis.exactState` that `absorb` adds up, as if the other diagnosis's cases had been added here.
 */
export interface DiagnosisExactState {
  readonly cases: number;
  readonly escalatedCases: number;
  readonly blocked: number;
  readonly slaCases: number;
  readonly slaBreached: number;
  readonly cycles: ExactSketchState;
  readonly states: readonly {
    readonly name: string;
    readonly phase: StateMapping['phase'];
    readonly waitingReason?: StateMapping['waitingReason'];
    readonly stays: ExactSketchState;
    readonly staysSumSq: readonly number[];
    readonly staysSumSqMs: readonly number[];
    readonly cycles: ExactSketchState;
    readonly unassignedMs: readonly number[];
    readonly totalMs: readonly number[];
    readonly counts: readonly number[];
  }[];
  readonly recovery: readonly { readonly kind: string; readonly count: number; readonly days: ExactSketchState }[];
  readonly escalationReasons: readonly { readonly reason: string; readonly events: number; readonly cases: number }[];
  readonly wip: WipState;
}

/** Integer counters of a state's diagnosis (`DiagnosisExactState` keeps them in this order). */
const COUNTS = [
  'visits',
  'cases',
  'slaCases',
  'slaBreached',
  'handedOn',
  'bounces',
  'toCustomerWait',
  'reentries',
  'reopenedCases',
  'escalations',
] as const;

/**
 * The workshop's diagnosis, streamed: fed each case with its summary, it keeps per state the
 * numbers behind the choke-point ranking and cause evidence, per day the arrivals and departures
 * for WIP, and the exception recoveries — all in a state whose size does not grow with the cases
 * (`state`, `merge`); `result` turns it, with the KPIs, into figures and a shortlist.
 */
export function createDiagnosis(options: DiagnosisOptions) {
  const { resolve } = options;
  const states = new Map<string, StateDiag>();
  const wip = createWipTracker();
  const recovery = new Map<string, Recovery>();
  const escalationReasons = new Map<string, { events: number; cases: number }>();
  const cycles = createQuantileSketch(undefined, DAY);
  let cases = 0;
  let escalatedCases = 0;
  let blocked = 0;
  let slaCases = 0;
  let slaBreached = 0;

  const recoveryOf = (kind: string): Recovery => {
    let r = recovery.get(kind);
    if (r === undefined) {
      r = { count: 0, days: createQuantileSketch(undefined, DAY) };
      recovery.set(kind, r);
    }
    return r;
  };
  const recover = (kind: string, ms: number | undefined) => {
    const r = recoveryOf(kind);
    r.count++;
    if (ms !== undefined) r.days.addMs(ms);
  };
  const stateDiag = (name: string, mapping?: StateMapping): StateDiag => {
    let s = states.get(name);
    if (s === undefined) {
      const m = mapping ?? resolve(name);
      const staysSumSqMs = new ExactSum();
      s = {
        mapping: m,
        stays: createSquaringSketch(DAY, staysSumSqMs),
        staysSumSqMs,
        staysSumSq: new ExactSum(),
        visits: 0,
        cases: 0,
        cycles: createQuantileSketch(undefined, DAY),
        slaCases: 0,
        slaBreached: 0,
        unassignedMs: new ExactSum(),
        totalMs: new ExactSum(),
        handedOn: 0,
        bounces: 0,
        toCustomerWait: 0,
        reentries: 0,
        reopenedCases: 0,
        escalations: 0,
        lastCase: 0,
        recoveryKind: m.phase === 'waiting' ? `waiting-${m.waitingReason ?? 'internal'}` : undefined,
        recovery: undefined,
      };
      states.set(name, s);
    }
    return s;
  };
  // Per-name facts the event walk asks for again and again: whether a state's name says escalation,
  // and an owner's support line (a regex each; cached, and bounded should names be unbounded).
  const escalates = new Map<string, boolean>();
  const escalatesName = (name: string): boolean => {
    let x = escalates.get(name);
    if (x === undefined) {
      x = ESCALATED_STATE.test(name);
      if (escalates.size < CACHE_LIMIT) escalates.set(name, x);
    }
    return x;
  };
  const lines = new Map<string, number>();
  const lineOf = (owner: string): number => {
    let x = lines.get(owner);
    if (x === undefined) {
      x = supportLine(owner);
      if (lines.size < CACHE_LIMIT) lines.set(owner, x);
    }
    return x;
  };
  // The counters of each reason (also in `escalationReasons`, which keeps the order they were first seen).
  const reasonCounts: ({ events: number; cases: number } | undefined)[] = REASONS.map(() => undefined);
  const reasonCounter = (i: number) => {
    let r = reasonCounts[i];
    if (r === undefined) {
      const reason = REASONS[i]!;
      r = escalationReasons.get(reason) ?? { events: 0, cases: 0 };
      escalationReasons.set(reason, r);
      reasonCounts[i] = r;
    }
    return r;
  };
  // Reused by every case's walk (one case at a time): owners seen in the current stay, the first
  // `ownersHereCount` of them (cleared by count: an array's length set to 0 drops its store, and the
  // next push allocates another).
  const ownersHere: string[] = [];

  function add(record: CaseRecord, summary: CaseSummary): void {
    const stamp = addCase(summary);
    const visits = summary.visits;
    for (let i = 0; i < visits.length; i++) {
      const v = visits[i]!;
      addVisit(stateDiag(v.state), v.ms, stamp, summary);
    }
    walkEvents(record, summary, undefined);
  }

  /**
   * `add` for a case whose visits are in a scratch of interned states (`summarizeInto`): the same
   * figures, each state found on its slot rather than by name.
   */
  function addVisits(record: CaseRecord, summary: CaseSummary, visits: VisitScratch<DiagnosisSlot>): void {
    const stamp = addCase(summary);
    for (let i = 0; i < visits.length; i++) {
      const slot = visits.slots[i]!;
      let s = slot.diag;
      if (s === undefined) s = slot.diag = stateDiag(slot.name);
      addVisit(s, visits.ms[i]!, stamp, summary);
    }
    walkEvents(record, summary, visits);
  }

  /** Counts a case as a whole; its number (the stamp its visits carry). */
  function addCase(summary: CaseSummary): number {
    const stamp = ++cases;
    cycles.addMs(summary.cycleMs);
    wip.add(summary.firstAt, summary.lastAt);
    const outcome = summary.sla.outcome;
    if (outcome === 'met' || outcome === 'breached') slaCases++;
    if (outcome === 'breached') slaBreached++;
    return stamp;
  }

  function addVisit(s: StateDiag, ms: number, stamp: number, summary: CaseSummary): void {
    s.visits++;
    s.stays.addMs(ms);
    if (s.lastCase === stamp) s.reentries++;
    else {
      s.lastCase = stamp;
      s.cases++;
      s.cycles.addMs(summary.cycleMs);
      const outcome = summary.sla.outcome;
      if (outcome === 'met' || outcome === 'breached') s.slaCases++;
      if (outcome === 'breached') s.slaBreached++;
      if (summary.exceptions.reopened > 0) s.reopenedCases++;
    }
    if (s.recoveryKind !== undefined) {
      let r = s.recovery;
      if (r === undefined) r = s.recovery = recoveryOf(s.recoveryKind);
      r.count++;
      r.days.addMs(ms);
    }
  }

  /** One pass over the events for what the summary does not keep: owners per state, reasons, reopen recovery. */
  function walkEvents(record: CaseRecord, summary: CaseSummary, visits: VisitScratch<DiagnosisSlot> | undefined): void {
    // In time order: as `summarizeInto` found them, with interned visits (the same check, once).
    const events = visits !== undefined ? visits.events : inTimeOrder(record.events);
    let state: string | undefined;
    // The state's diagnosis (`stateDiag(state)`), looked up once per stay rather than per event.
    let here: StateDiag | undefined;
    let owner: string | null = null;
    let ownerAtEntry: string | null = null;
    let ownersHereCount = 0;
    let reopenedAt: number | undefined;
    let escalatedAt: number | undefined;
    let isBlocked = false;
    let reasonsHere = 0;
    // The gaps between events of the stay so far, and those without an owner: whole ms add up
    // exactly in a double below 2^53, so they go to the state's exact sums once a stay, not per event.
    let stayMs = 0;
    let stayUnassignedMs = 0;
    // The k-th change of state is the k-th visit (`summarizeCase` walks the same events alike).
    let k = 0;
    const n = events.length;
    for (let i = 0; i < n; i++) {
      const e = events[i]!;
      const entered = stateAfter(e);
      const changed = entered !== undefined && entered !== state;
      const slot = changed && visits !== undefined ? visits.slots[k++] : undefined;
      const enteredEscalates = changed && (slot !== undefined ? slot.escalates : escalatesName(entered));
      const reason = reasonIndex(e, enteredEscalates, owner, lineOf);
      if (reason >= 0) {
        const r = reasonCounter(reason);
        r.events++;
        if ((reasonsHere & (1 << reason)) === 0) r.cases++;
        reasonsHere |= 1 << reason;
        if (here !== undefined) here.escalations++;
        escalatedAt ??= e.at;
      }
      const newOwner: string | null = e.owner === undefined ? owner : e.owner;
      if (here !== undefined && newOwner !== owner && newOwner !== null) {
        if (includes(ownersHere, ownersHereCount, newOwner)) here.bounces++;
        ownersHere[ownersHereCount++] = newOwner;
      }
      if (changed) {
        const to = slot !== undefined ? slot.mapping : resolve(entered);
        if (here !== undefined) {
          if (newOwner !== ownerAtEntry) here.handedOn++;
          if (to.phase === 'waiting' && to.waitingReason === 'customer') here.toCustomerWait++;
          const wasDone = here.mapping.phase === 'done';
          if (wasDone && to.phase !== 'done') reopenedAt = e.at;
          if (!wasDone && to.phase === 'done' && reopenedAt !== undefined) {
            recover('reopened', e.at - reopenedAt);
            reopenedAt = undefined;
          }
        }
        if (to.phase === 'waiting' && (to.waitingReason === 'customer' || needsInfo(entered, slot))) isBlocked = true;
        if (here !== undefined) {
          if (stayMs !== 0) here.totalMs.add(stayMs);
          if (stayUnassignedMs !== 0) here.unassignedMs.add(stayUnassignedMs);
          stayMs = 0;
          stayUnassignedMs = 0;
        }
        state = entered;
        here = slot?.diag ?? stateDiag(entered);
        ownerAtEntry = newOwner;
        ownersHereCount = 0;
        if (newOwner !== null) ownersHere[ownersHereCount++] = newOwner;
      }
      owner = newOwner;
      if (here !== undefined && i + 1 < n) {
        const gap = events[i + 1]!.at - e.at;
        // Exact when the sum stays below 2^53 (a rounded sum there means the exact one is too).
        const whole = gap === Math.floor(gap);
        const total = stayMs + gap;
        if (whole && total < 9_007_199_254_740_992) stayMs = total;
        else here.totalMs.add(gap);
        if (owner === null || owner === '') {
          const unassigned = stayUnassignedMs + gap;
          if (whole && unassigned < 9_007_199_254_740_992) stayUnassignedMs = unassigned;
          else here.unassignedMs.add(gap);
        }
      }
    }
    if (here !== undefined) {
      if (stayMs !== 0) here.totalMs.add(stayMs);
      if (stayUnassignedMs !== 0) here.unassignedMs.add(stayUnassignedMs);
    }
    if (reopenedAt !== undefined) recover('reopened', undefined);
    if (escalatedAt !== undefined) {
      escalatedCases++;
      const at = summary.sla.resolvedAt;
      recover('escalated', at !== null && at >= escalatedAt ? at - escalatedAt : undefined);
    }
    if (isBlocked) blocked++;
  }

  /** The mergeable state (plain JSON). */
  function state(): DiagnosisState {
    return {
      cases,
      escalatedCases,
      blocked,
      slaCases,
      slaBreached,
      cycles: cycles.state(),
      states: [...states].map(([name, s]) => ({
        name,
        phase: s.mapping.phase,
        ...(s.mapping.waitingReason === undefined ? {} : { waitingReason: s.mapping.waitingReason }),
        stays: s.stays.state(),
        staysSumSq: sumSqDays(s),
        cycles: s.cycles.state(),
        ...Object.fromEntries(COUNTS.map((k) => [k, s[k]])),
        unassignedMs: s.unassignedMs.value(),
        totalMs: s.totalMs.value(),
      })) as DiagnosisState['states'],
      recovery: [...recovery].map(([kind, r]) => ({ kind, count: r.count, days: r.days.state() })),
      escalationReasons: [...escalationReasons].map(([reason, r]) => ({ reason, ...r })),
      wip: wip.state(),
    };
  }

  /**
   * What a merge of sketched state and an exact absorb add alike: the case counters, the cycle times,
   * the recoveries, the escalation reasons and WIP per day (the per-state figures differ and are theirs).
   */
  function addTotals(other: DiagnosisState | DiagnosisExactState): void {
    cases += other.cases;
    escalatedCases += other.escalatedCases;
    blocked += other.blocked;
    slaCases += other.slaCases;
    slaBreached += other.slaBreached;
    cycles.merge(other.cycles);
    for (const o of other.recovery) {
      const r = recoveryOf(o.kind);
      r.count += o.count;
      r.days.merge(o.days);
    }
    for (const o of other.escalationReasons) {
      const r = escalationReasons.get(o.reason) ?? { events: 0, cases: 0 };
      r.events += o.events;
      r.cases += o.cases;
      escalationReasons.set(o.reason, r);
    }
    wip.merge(other.wip);
  }

  /** Adds the state of a diagnosis of other cases (made with the same workflow map). */
  function merge(other: DiagnosisState): void {
    addTotals(other);
    for (const o of other.states) {
      const mapping =
        o.waitingReason === undefined ? { phase: o.phase } : { phase: o.phase, waitingReason: o.waitingReason };
      const s = stateDiag(o.name, mapping);
      s.stays.merge(o.stays);
      s.staysSumSq.add(o.staysSumSq);
      s.cycles.merge(o.cycles);
      for (const k of COUNTS) s[k] += o[k];
      s.unassignedMs.add(o.unassignedMs);
      s.totalMs.add(o.totalMs);
    }
  }

  /** Everything the diagnosis holds, exactly (plain data): `absorb` elsewhere adds it as if its cases were added there. */
  function exactState(): DiagnosisExactState {
    return {
      cases,
      escalatedCases,
      blocked,
      slaCases,
      slaBreached,
      cycles: cycles.exactState(),
      states: [...states].map(([name, s]) => ({
        name,
        phase: s.mapping.phase,
        ...(s.mapping.waitingReason === undefined ? {} : { waitingReason: s.mapping.waitingReason }),
        stays: s.stays.exactState(),
        staysSumSq: s.staysSumSq.partsOf(),
        staysSumSqMs: settled(s).staysSumSqMs.partsOf(),
        cycles: s.cycles.exactState(),
        unassignedMs: s.unassignedMs.partsOf(),
        totalMs: s.totalMs.partsOf(),
        counts: COUNTS.map((k) => s[k]),
      })),
      recovery: [...recovery].map(([kind, r]) => ({ kind, count: r.count, days: r.days.exactState() })),
      escalationReasons: [...escalationReasons].map(([reason, r]) => ({ reason, ...r })),
      wip: wip.state(),
    };
  }

  /**
   * Adds the exact state of a diagnosis of the cases that follow this one's (same workflow map):
   * afterwards every figure, and every first-seen order, is the one a diagnosis fed all the cases
   * in order would hold. States and kinds new here are appended in the other's order.
   */
  function absorb(other: DiagnosisExactState): void {
    addTotals(other);
    for (const o of other.states) {
      const mapping =
        o.waitingReason === undefined ? { phase: o.phase } : { phase: o.phase, waitingReason: o.waitingReason };
      const s = stateDiag(o.name, mapping);
      s.stays.merge(o.stays);
      s.staysSumSq.addParts(o.staysSumSq);
      s.staysSumSqMs.addParts(o.staysSumSqMs);
      s.cycles.merge(o.cycles);
      s.unassignedMs.addParts(o.unassignedMs);
      s.totalMs.addParts(o.totalMs);
      COUNTS.forEach((k, i) => (s[k] += o.counts[i]!));
    }
  }

  function result(kpis: Kpis): Diagnosis {
    const tail = cycles.quantile(0.9);
    const useSla = slaCases > 0;
    const overallRate = useSla ? slaBreached / slaCases : 0.1;
    const candidates = [...states].filter(([, s]) => s.mapping.phase === 'queue' || s.mapping.phase === 'waiting');
    const rows = candidates.map(([name, s]) => chokePointOf(name, s, useSla, tail, overallRate, s.mapping));
    rankBy(rows, (r) => r.totalDays, 'total');
    rankBy(rows, (r) => r.variation ?? -1, 'variation');
    rankBy(rows, (r) => r.slaRisk.rate ?? -1, 'slaRisk');
    for (const r of rows) r.score = (r.ranks.total + r.ranks.variation + r.ranks.slaRisk) / 3;
    rows.sort((a, b) => a.score - b.score || b.totalDays - a.totalDays || compareText(a.state, b.state));
    const chokePoints = rows.slice(0, 5);

    const kinds = [
      'waiting-customer',
      'waiting-vendor',
      'waiting-approval',
      'waiting-internal',
      'reopened',
      'escalated',
    ] as const;
    const exceptionRecovery = kinds
      .filter((k) => recovery.has(k))
      .map((kind) => {
        const r = recovery.get(kind)!;
        const d = distributionFrom(r.days);
        return { kind, count: r.count, recovered: d.count, medianDays: d.p50, p90Days: d.p90, meanDays: d.mean };
      });
    const wipState = wip.state();
    const diagnosis: Omit<Diagnosis, 'shortlist'> = {
      chokePoints,
      escalations: {
        cases: escalatedCases,
        rate: cases === 0 ? null : escalatedCases / cases,
        reasons: [...escalationReasons]
          .map(([reason, r]) => ({ reason, ...r }))
          .sort((a, b) => b.events - a.events || compareText(a.reason, b.reason)),
      },
      // One state for both (each sorts the days).
      wip: wipOf(wipState),
      activeMonths: activeMonthsOf(wipState),
      exceptionRecovery,
      blockedOnInformation: {
        cases: blocked,
        share: cases === 0 ? null : blocked / cases,
        definition: 'cases that entered a state waiting on the customer, or a waiting state named for information',
      },
    };
    return { ...diagnosis, shortlist: createShortlist(diagnosis, kpis, states) };
  }

  return { add, addVisits, state, merge, exactState, absorb, result };
}
export type DiagnosisAccumulator = ReturnType<typeof createDiagnosis>;

/** Per-state counts the shortlist reads (by state name). */
export type StateEvidence = ReadonlyMap<string, Readonly<StateDiag>>;

/** The state with every stay added (their squares in `staysSumSqMs`). */
function settled(s: StateDiag): StateDiag {
  s.stays.settle();
  return s;
}

/** The sum of the squared stays in days: the squares added in ms, and those merged in days. */
function sumSqDays(s: StateDiag): number {
  return s.staysSumSq.value() + settled(s).staysSumSqMs.value() / (DAY * DAY);
}

type Row = DiagnosedChokePoint & { ranks: { total: number; variation: number; slaRisk: number } };

function rankBy(rows: Row[], key: (r: Row) => number, name: keyof Row['ranks']): void {
  const order = [...rows].sort((a, b) => key(b) - key(a) || compareText(a.state, b.state));
  order.forEach((r, i) => (r.ranks[name] = i + 1));
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

function chokePointOf(
  name: string,
  s: StateDiag,
  useSla: boolean,
  tail: number | null,
  overall: number,
  mapping: StateMapping,
): Row {
  const n = s.stays.count;
  const sum = s.stays.sum;
  const mean = n === 0 ? null : sum / n;
  // Sample variance from the sum and the sum of squares (stays are days: no cancellation to fear).
  const sumSq = sumSqDays(s);
  const sd = n < 2 || mean === null ? null : Math.sqrt(Math.max(0, sumSq - n * mean * mean) / (n - 1));
  const tailCases = tail === null ? 0 : s.cycles.countAbove(tail);
  const riskCases = useSla ? s.slaCases : s.cases;
  const risky = useSla ? s.slaBreached : tailCases;
  const rate = riskCases === 0 ? null : risky / riskCases;
  const causes = causesOf(s, mapping);
  const top = causes[0];
  return {
    state: name,
    phase: mapping.phase,
    ...(mapping.waitingReason === undefined ? {} : { waitingReason: mapping.waitingReason }),
    visits: s.visits,
    cases: s.cases,
    totalDays: sum,
    medianDays: s.stays.quantile(0.5),
    p90Days: s.stays.quantile(0.9),
    variation: mean === null || sd === null || mean === 0 ? null : sd / mean,
    slaRisk: {
      basis: useSla ? 'sla-breach' : 'long-tail',
      cases: riskCases,
      rate,
      lift: rate === null || overall === 0 ? null : rate / overall,
    },
    ranks: { total: 1, variation: 1, slaRisk: 1 },
    score: 0,
    causes,
    likelyCause: top !== undefined && top.share > 0 ? top.kind : null,
  };
}

function causesOf(s: StateDiag, mapping: StateMapping): DiagnosedChokePoint['causes'] {
  const v = Math.max(s.visits, 1);
  const c = Math.max(s.cases, 1);
  const waitsOn = mapping.phase === 'waiting' ? (mapping.waitingReason ?? 'internal') : undefined;
  const queue = mapping.phase === 'queue';
  const totalMs = s.totalMs.value();
  const unassignedMs = s.unassignedMs.value();
  const causes: { kind: CauseKind; share: number; evidence: string }[] = [
    {
      kind: 'missing-data',
      share: s.toCustomerWait / v,
      evidence: `${pct(s.toCustomerWait / v)} of ${s.visits} visits ended waiting on the customer (information asked for)`,
    },
    {
      kind: 'unclear-ownership',
      share: totalMs === 0 ? 0 : Math.max(unassignedMs / totalMs, s.bounces / v),
      evidence:
        `${pct(totalMs === 0 ? 0 : unassignedMs / totalMs)} of the time here had no owner; ` +
        `${s.bounces} bounces back to an earlier owner in ${s.visits} visits`,
    },
    {
      kind: 'external-wait',
      share: s.handedOn / v,
      evidence: `${pct(s.handedOn / v)} of visits ended with the case handed to another owner (team or tool)`,
    },
    {
      kind: 'policy-ambiguity',
      share: Math.max(queue ? 0 : s.reentries / v, s.reopenedCases / c, s.escalations / v),
      evidence:
        `${queue ? '' : `${pct(s.reentries / v)} of visits were re-entries; `}${pct(s.reopenedCases / c)} of cases here were reopened; ` +
        `${s.escalations} escalations while here`,
    },
  ];
  // Back in a queue again means looking for an owner again.
  if (queue)
    causes.push({
      kind: 'unclear-ownership',
      share: s.reentries / v,
      evidence: `${pct(s.reentries / v)} of visits were a return to this queue: the case was looking for an owner again`,
    });
  // A state that is itself a wait says whom it waits on: that is the first evidence.
  if (waitsOn === 'customer')
    causes.unshift({
      kind: 'missing-data',
      share: 1,
      evidence: 'the state is a wait on the customer: information asked for and not yet given',
    });
  else if (waitsOn === 'vendor' || waitsOn === 'approval')
    causes.unshift({
      kind: 'external-wait',
      share: 1,
      evidence: `the state is a wait on ${waitsOn === 'vendor' ? 'a vendor' : 'an approver'}`,
    });
  const strongest = new Map<CauseKind, { kind: CauseKind; share: number; evidence: string }>();
  for (const x of causes) if ((strongest.get(x.kind)?.share ?? -1) < x.share) strongest.set(x.kind, x);
  return [...strongest.values()]
    .sort((a, b) => b.share - a.share || compareText(a.kind, b.kind))
    .map((x) => ({ ...x, share: Math.min(1, x.share) }));
}
