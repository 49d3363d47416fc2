import type { CaseRecord, StateCategoryHints } from '../model/case.ts';
import {
  createWorkflowResolver,
  PHASES,
  type Phase,
  type StateMapping,
  type WorkflowMap,
  type WorkflowResolver,
} from '../model/workflow.ts';
import { type Calendar, DEFAULT_CALENDAR, workingDayMs } from '../time/calendar.ts';
import { formatTimestamp } from '../time/timestamp.ts';
import { compareText } from '../text/compare-text.ts';
import { type Costs, DEFAULT_COSTS } from './costs.ts';
import { compareCohorts } from './cohort-comparison.ts';
import { createDiagnosis, type DiagnosisExactState, type DiagnosisSlot } from './diagnose.ts';
import type { Cohort, Kpis, StateKpi } from './kpis.ts';
import { pingPongPairs } from './owner-sequence.ts';
import type { AnalysisPartial, CohortPartial } from './analysis-partial.ts';
import { BoundedSample, type BoundedSampleState } from './bounded-sample.ts';
import { ExactSum } from './exact-sum.ts';
import { ExactAnalysisStateSchema } from './exact-state-schema.ts';
import { countsSource, distributionFrom, type DistributionSource } from './stats.ts';
import { measureSavings, type CohortOverheadTotals } from './measured-savings.ts';
import { overheadBuckets, overheadMinutes } from './overhead.ts';
import { type CaseSummary, summarizeInto, SummaryScratch, VisitScratch } from './summarize-case.ts';

const DAY = 86_400_000;
const MONTH = 30.4375 * DAY;

/** Lower edges of the cycle-time histogram bins, in days (wall or business). */
export const CYCLE_TIME_EDGES_DAYS: readonly number[] = [0, 0.25, 1, 2, 3, 5, 7, 14, 30, 60, 90, 180, 365];

export interface AnalysisOptions {
  readonly calendar?: Calendar;
  readonly workflow?: WorkflowMap;
  readonly costs?: Costs;
  /** Keep cases whose first event is at or after this instant (epoch ms). */
  readonly since?: number;
  /** Keep cases whose first event is before this instant (epoch ms). */
  readonly until?: number;
  /** Compare cases first seen before this instant with those on or after it. */
  readonly cohort?: number;
  /** A business-time resolution target (ms) for a case, when an SLA goal applies to it. */
  readonly slaTargetMs?: (record: CaseRecord) => number | undefined;
}

/** A streaming analysis: feed cases one at a time, read the figures at the end. */
export interface Analysis {
  /** Adds a case; returns its summary, or `undefined` when the filter excludes it or it has no events. */
  add(record: CaseRecord): CaseSummary | undefined;
  /**
   * `add` for a caller that reads each summary before it adds the next case and keeps none (a row
   * written per case): the same figures, but the summary is the analysis's own, rewritten by the
   * next `add` or `addTransient`, and its `visits` are made only when read.
   */
  addTransient(record: CaseRecord): CaseSummary | undefined;
  /** Counts records that a reader reported and skipped. */
  addSkipped(count?: number): void;
  /** Jira status categories seen by a reader, for states that the workflow map does not name. */
  addHints(hints: StateCategoryHints): void;
  result(): Kpis;
  /** The mergeable state (`mergeAnalysisPartials`): counts and sums exact, distributions as sketches. */
  partial(): AnalysisPartial;
  /**
   * Everything `result()` and `partial()` read, exactly: plain data (objects, arrays, typed arrays),
   * structured-cloneable, so it can be posted to another thread.
   */
  exactState(): ExactAnalysisState;
  /**
   * Adds another analysis's exact state as if its cases (and its skipped records and hints) had been
   * added after this one's, in order: `result()` and `partial()` are then byte for byte those of one
   * analysis fed everything in that order. Refuses (throws an Error naming the difference) a state
   * made under other options, or one whose states were mapped to other phases (hints not shared).
   */
  absorb(state: ExactAnalysisState): void;
}

/** A cohort's accumulator as plain data (`CohortAccumulator.exactState`). */
export interface CohortExactState {
  readonly cases: number;
  readonly cycle: BoundedSampleState;
  readonly cycleBusiness: BoundedSampleState;
  readonly histogramWall: readonly number[];
  readonly histogramBusiness: readonly number[];
  /** handoffs, pingPongCases, exceptionCases, slaMet, slaBreached, statusChases, comments, exceptions, reopened. */
  readonly counts: readonly number[];
  /** `ExactSum` parts of the overhead minutes per case, and of their squares. */
  readonly minutes: readonly number[];
  readonly minutesSquared: readonly number[];
}

/**
 * What an analysis was made under, as data: two states add up only when these are equal. The SLA
 * target is a function and cannot be compared: only whether there is one is recorded (the caller
 * gives every shard the same).
 */
export interface AnalysisSettings {
  readonly since: number | null;
  readonly until: number | null;
  readonly cohort: number | null;
  readonly calendar: unknown;
  readonly costs: Costs;
  readonly workflow: WorkflowMap | null;
  readonly sla: boolean;
}

/** An analysis, exactly, as plain data (`Analysis.exactState`, `Analysis.absorb`). */
export interface ExactAnalysisState {
  readonly kind: 'baton.analysis.exact';
  readonly version: 1;
  readonly settings: AnalysisSettings;
  /** Status-category hints, first given first. */
  readonly hints: readonly (readonly [string, 'new' | 'indeterminate' | 'done'])[];
  /** Each state name's phase, as first resolved. */
  readonly mappings: readonly (readonly [string, StateMapping])[];
  /** Sources in the order first seen. */
  readonly sources: readonly string[];
  readonly events: number;
  readonly skipped: number;
  readonly excluded: number;
  readonly periodFrom: number | null;
  readonly periodTo: number | null;
  readonly all: CohortExactState;
  readonly before: CohortExactState | null;
  readonly after: CohortExactState | null;
  /** Per state, in the order first seen: visit durations, `ExactSum` parts of business ms, cases. */
  readonly states: readonly {
    readonly name: string;
    readonly durations: BoundedSampleState;
    readonly businessMs: readonly number[];
    readonly cases: number;
  }[];
  /** Per phase (`PHASES` order): visits and `ExactSum` parts of their ms. */
  readonly phases: readonly { readonly visits: number; readonly ms: readonly number[] }[];
  readonly handoffsPerCase: readonly (readonly [number, number])[];
  readonly handoffsHistogram: readonly number[];
  /** Ping-pong pairs in the order first seen. */
  readonly pairs: readonly { readonly a: string; readonly b: string; readonly bounces: number }[];
  /** pingPongBounces, comments, statusChases, statusChaseCases, reopened, waiting, escalated, slaOpen. */
  readonly counts: readonly number[];
  readonly waitingDays: BoundedSampleState;
  readonly diagnosis: DiagnosisExactState;
}

const COHORT_COUNTS = [
  'handoffs',
  'pingPongCases',
  'exceptionCases',
  'slaMet',
  'slaBreached',
  'statusChases',
  'comments',
  'exceptions',
  'reopened',
] as const;

/** What each cohort (and the whole) keeps per case: only numbers, so memory stays small. */
class CohortAccumulator {
  cases = 0;
  readonly cycle = new BoundedSample();
  readonly cycleBusiness = new BoundedSample();
  readonly histogramWall = CYCLE_TIME_EDGES_DAYS.map(() => 0);
  readonly histogramBusiness = CYCLE_TIME_EDGES_DAYS.map(() => 0);
  handoffs = 0;
  pingPongCases = 0;
  exceptionCases = 0;
  slaMet = 0;
  slaBreached = 0;
  statusChases = 0;
  comments = 0;
  exceptions = 0;
  reopened = 0;
  /** Sums exact (`ExactSum`): the minutes are not integers when the costs are not. */
  readonly overheadMinutes = new ExactSum();
  readonly overheadMinutesSquared = new ExactSum();

  add(s: CaseSummary, businessDayMs: number, costs: Costs): void {
    this.cases++;
    if (s.events >= 2) {
      const wall = s.cycleMs / DAY;
      const business = s.cycleBusinessMs / businessDayMs;
      this.cycle.push(wall);
      this.cycleBusiness.push(business);
      this.histogramWall[binOf(wall)]!++;
      this.histogramBusiness[binOf(business)]!++;
    }
    this.handoffs += s.handoffs;
    if (s.pingPongBounces > 0) this.pingPongCases++;
    if (s.exceptions.reopened + s.exceptions.waiting + s.exceptions.escalated > 0) this.exceptionCases++;
    if (s.sla.outcome === 'met') this.slaMet++;
    if (s.sla.outcome === 'breached') this.slaBreached++;
    const exceptions = s.exceptions.reopened + s.exceptions.waiting + s.exceptions.escalated;
    const minutes = overheadMinutes(
      { handoffs: s.handoffs, statusChases: s.statusChases, exceptions, comments: s.comments },
      costs,
    );
    this.statusChases += s.statusChases;
    this.comments += s.comments;
    this.exceptions += exceptions;
    this.reopened += s.exceptions.reopened;
    this.overheadMinutes.add(minutes);
    this.overheadMinutesSquared.add(minutes * minutes);
  }

  exactState(): CohortExactState {
    return {
      cases: this.cases,
      cycle: this.cycle.exactState(),
      cycleBusiness: this.cycleBusiness.exactState(),
      histogramWall: [...this.histogramWall],
      histogramBusiness: [...this.histogramBusiness],
      counts: COHORT_COUNTS.map((k) => this[k]),
      minutes: this.overheadMinutes.partsOf(),
      minutesSquared: this.overheadMinutesSquared.partsOf(),
    };
  }

  absorb(o: CohortExactState): void {
    this.cases += o.cases;
    this.cycle.absorb(o.cycle);
    this.cycleBusiness.absorb(o.cycleBusiness);
    o.histogramWall.forEach((c, i) => (this.histogramWall[i]! += c));
    o.histogramBusiness.forEach((c, i) => (this.histogramBusiness[i]! += c));
    COHORT_COUNTS.forEach((k, i) => (this[k] += o.counts[i]!));
    this.overheadMinutes.addParts(o.minutes);
    this.overheadMinutesSquared.addParts(o.minutesSquared);
  }

  /** The figures an exact analysis and a partial share: counts and histograms, exact either way. */
  private counts() {
    return {
      cases: this.cases,
      histogramWall: [...this.histogramWall],
      histogramBusiness: [...this.histogramBusiness],
      handoffs: this.handoffs,
      pingPongCases: this.pingPongCases,
      exceptionCases: this.exceptionCases,
      slaMet: this.slaMet,
      slaBreached: this.slaBreached,
      overhead: {
        statusChases: this.statusChases,
        comments: this.comments,
        exceptions: this.exceptions,
        reopened: this.reopened,
        minutes: this.overheadMinutes.value(),
        minutesSquared: this.overheadMinutesSquared.value(),
      },
    };
  }

  totals(): CohortTotals {
    return {
      ...this.counts(),
      cycle: this.cycle.source(),
      cycleBusiness: this.cycleBusiness.source(),
    };
  }

  partial(): CohortPartial {
    return {
      ...this.counts(),
      cycle: this.cycle.sketchState(),
      cycleBusiness: this.cycleBusiness.sketchState(),
    };
  }
}

/** What a cohort's figures are made of: numbers and distributions, exact or sketched. */
export interface CohortTotals {
  readonly cases: number;
  readonly cycle: DistributionSource;
  readonly cycleBusiness: DistributionSource;
  readonly histogramWall: readonly number[];
  readonly histogramBusiness: readonly number[];
  readonly handoffs: number;
  readonly pingPongCases: number;
  readonly exceptionCases: number;
  readonly slaMet: number;
  readonly slaBreached: number;
  /** Absent in a merge of partials written before cohorts carried it: then no savings are measured. */
  readonly overhead?: CohortOverheadTotals;
}

export function cohortOf(label: string, t: CohortTotals): Cohort {
  return {
    label,
    cases: t.cases,
    cycleTimeDays: distributionFrom(t.cycle),
    cycleTimeBusinessDays: distributionFrom(t.cycleBusiness),
    histogram: {
      edgesDays: [...CYCLE_TIME_EDGES_DAYS],
      wall: [...t.histogramWall],
      business: [...t.histogramBusiness],
    },
    handoffsPerCase: t.cases === 0 ? null : t.handoffs / t.cases,
    pingPongCaseRate: rate(t.pingPongCases, t.cases),
    exceptionCaseRate: rate(t.exceptionCases, t.cases),
    slaBreachRate: rate(t.slaBreached, t.slaMet + t.slaBreached),
  };
}

/** Everything `kpis.json` is computed from; the exact analysis and a merge of partials both give one. */
export interface AnalysisTotals {
  readonly options: { readonly since: number | null; readonly until: number | null; readonly cohort: number | null };
  readonly calendar: { readonly timeZone: string; readonly businessDayMs: number };
  readonly costs: Costs;
  readonly sources: readonly string[];
  readonly periodFrom: number;
  readonly periodTo: number;
  readonly events: number;
  readonly skipped: number;
  readonly excluded: number;
  readonly all: CohortTotals;
  readonly before: CohortTotals | null;
  readonly after: CohortTotals | null;
  readonly states: ReadonlyMap<
    string,
    {
      readonly mapping: { readonly phase: Phase; readonly waitingReason?: StateKpi['waitingReason'] };
      readonly durations: DistributionSource;
      readonly businessMs: number;
      readonly cases: number;
    }
  >;
  readonly phaseVisits: ReadonlyMap<Phase, { readonly visits: number; readonly ms: number }>;
  readonly handoffsPerCase: DistributionSource;
  readonly casesWithHandoffs: number;
  readonly handoffsHistogram: readonly number[];
  readonly pairs: readonly { readonly a: string; readonly b: string; readonly bounces: number }[];
  readonly pingPongBounces: number;
  readonly comments: number;
  readonly statusChases: number;
  readonly statusChaseCases: number;
  readonly reopened: number;
  readonly waiting: number;
  readonly escalated: number;
  readonly waitingDays: DistributionSource;
  readonly slaOpen: number;
  /** Before/after cycle times compared (bootstrap, rank test): needs the raw values, so exact analyses only. */
  readonly cohortComparison?: ReturnType<typeof compareCohorts>;
}

/** The histogram bin of a cycle time (as `histogram` bins it): edges[i] ≤ v < edges[i+1], the last open-ended. */
function binOf(v: number): number {
  let i = CYCLE_TIME_EDGES_DAYS.length - 1;
  while (i > 0 && v < CYCLE_TIME_EDGES_DAYS[i]!) i--;
  return i;
}

interface StateAccumulator {
  readonly durations: BoundedSample;
  readonly businessMs: ExactSum;
  cases: number;
  lastCase: number;
}

/** A state name interned by an analysis: its phase's index and accumulator found without a lookup. */
interface AnalysisSlot extends DiagnosisSlot {
  /** Index of its phase in `PHASES`. */
  readonly phaseIndex: number;
  acc: StateAccumulator | undefined;
  /** The state a case entered from this one last (`slotOf`'s guess for the next). */
  next: AnalysisSlot | undefined;
}

const ESCALATED_STATE = /escalat/i;
/** Handoffs per case below this are counted by index (`createAnalysis`). */
const FEW_HANDOFFS = 64;

function describe(m: StateMapping): string {
  return m.waitingReason === undefined ? m.phase : `${m.phase} (${m.waitingReason})`;
}

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/**
 * Creates a streaming coordination analysis. Every figure is documented in the KPIs schema and
 * in the report's definitions; the per-case rules live in `summarizeCase`.
 * @example
 * const analysis = createAnalysis({ calendar, costs });
 * for await (const item of read(file)) if (item.type === 'case') analysis.add(item.record);
 * const kpis = analysis.result();
 */
export function createAnalysis(options: AnalysisOptions = {}): Analysis {
  const calendar = options.calendar ?? DEFAULT_CALENDAR;
  const costs = options.costs ?? DEFAULT_COSTS;
  const hints: StateCategoryHints = new Map();
  const resolveByName = createWorkflowResolver(options.workflow, hints);
  /** Each state's mapping as first resolved (hints given later do not change it): part of the exact state. */
  const mappings = new Map<string, StateMapping>();
  const resolve: WorkflowResolver = (name) => {
    let m = mappings.get(name);
    if (m === undefined) {
      m = resolveByName(name);
      mappings.set(name, m);
    }
    return m;
  };
  const settings: AnalysisSettings = {
    since: options.since ?? null,
    until: options.until ?? null,
    cohort: options.cohort ?? null,
    calendar: { timeZone: calendar.timeZone, week: calendar.week, holidays: calendar.holidays },
    costs,
    workflow: options.workflow ?? null,
    sla: options.slaTargetMs !== undefined,
  };
  const diagnosis = createDiagnosis({ resolve });
  /** One slot per state name, made when a case first enters it (its mapping fixed by then). */
  const slots = new Map<string, AnalysisSlot>();
  /** The state a case began in last (`slotOf`'s guess for the next case's first). */
  let firstSlot: AnalysisSlot | undefined;
  // Cases of a process follow a few paths: the state entered after a state is most often the one
  // entered after it last time (its `next`), found without a lookup by name.
  const slotOf = (name: string, after: AnalysisSlot | undefined): AnalysisSlot => {
    const guess = after === undefined ? firstSlot : after.next;
    if (guess !== undefined && guess.name === name) return guess;
    let slot = slots.get(name);
    if (slot === undefined) {
      const mapping = resolve(name);
      slot = {
        name,
        mapping,
        escalates: ESCALATED_STATE.test(name),
        diag: undefined,
        needsInfo: undefined,
        phaseIndex: PHASES.indexOf(mapping.phase),
        acc: undefined,
        next: undefined,
      };
      slots.set(name, slot);
    }
    if (after === undefined) firstSlot = slot;
    else after.next = slot;
    return slot;
  };
  const visits = new VisitScratch<AnalysisSlot>();
  const summary = new SummaryScratch(visits);
  const businessDayMs = workingDayMs(calendar);

  const all = new CohortAccumulator();
  const before = new CohortAccumulator();
  const after = new CohortAccumulator();
  const sources = new Set<string>();
  const states = new Map<string, StateAccumulator>();
  const phaseVisits = new Map<Phase, { visits: number; ms: ExactSum }>(
    PHASES.map((p) => [p, { visits: 0, ms: new ExactSum() }]),
  );
  const phaseList = PHASES.map((p) => phaseVisits.get(p)!);
  const accOf = (name: string): StateAccumulator => {
    let acc = states.get(name);
    if (acc === undefined) {
      acc = { durations: new BoundedSample(), businessMs: new ExactSum(), cases: 0, lastCase: -1 };
      states.set(name, acc);
    }
    return acc;
  };
  /** Handoffs per case → cases: small integers, exact in a few entries. */
  const handoffsPerCase = new Map<number, number>();
  // The counts of the few handoffs most cases have are kept by index (a map's lookup and store by
  // key per case cost more): the map keeps the order values were first seen in, and their counts
  // once asked (`handoffCounts`).
  const fewHandoffs = new Float64Array(FEW_HANDOFFS);
  const handoffCounts = (): Map<number, number> => {
    for (const v of handoffsPerCase.keys()) if (v < FEW_HANDOFFS) handoffsPerCase.set(v, fewHandoffs[v]!);
    return handoffsPerCase;
  };
  const handoffsHistogram: number[] = Array.from({ length: 11 }, () => 0);
  const pairs = new Map<string, { a: string; b: string; bounces: number }>();
  const waitingDays = new BoundedSample();
  /** The source of the case before (a log's cases share one): the set is asked only when it changes. */
  let lastSource: string | undefined;
  let events = 0;
  let skipped = 0;
  let excluded = 0;
  let periodFrom = Infinity;
  let periodTo = -Infinity;
  let pingPongBounces = 0;
  let comments = 0;
  let statusChases = 0;
  let statusChaseCases = 0;
  let reopened = 0;
  let waiting = 0;
  let escalated = 0;
  let slaOpen = 0;

  function addCase(record: CaseRecord): SummaryScratch<AnalysisSlot> | undefined {
    if (record.events.length === 0) {
      skipped++;
      return undefined;
    }
    if (options.since !== undefined || options.until !== undefined) {
      let firstAt = Infinity;
      for (const e of record.events) if (e.at < firstAt) firstAt = e.at;
      if (
        (options.since !== undefined && firstAt < options.since) ||
        (options.until !== undefined && firstAt >= options.until)
      ) {
        excluded++;
        return undefined;
      }
    }
    const s = summarizeInto(record, calendar, slotOf, options.slaTargetMs, summary);
    diagnosis.addVisits(record, s, visits);
    if (s.source !== lastSource) {
      sources.add(s.source);
      lastSource = s.source;
    }
    events += s.events;
    periodFrom = Math.min(periodFrom, s.firstAt);
    periodTo = Math.max(periodTo, s.lastAt);
    all.add(s, businessDayMs, costs);
    if (options.cohort !== undefined) (s.firstAt < options.cohort ? before : after).add(s, businessDayMs, costs);
    const h = s.handoffs;
    if (h < FEW_HANDOFFS) {
      if (fewHandoffs[h] === 0) handoffsPerCase.set(h, 0);
      fewHandoffs[h]!++;
    } else handoffsPerCase.set(h, (handoffsPerCase.get(h) ?? 0) + 1);
    handoffsHistogram[Math.min(s.handoffs, 10)]!++;
    if (s.pingPongBounces > 0) {
      for (const [a, b] of pingPongPairs(s.owners)) {
        const key = `${a}\u0000${b}`;
        const pair = pairs.get(key) ?? { a, b, bounces: 0 };
        pair.bounces++;
        pairs.set(key, pair);
      }
    }
    pingPongBounces += s.pingPongBounces;
    comments += s.comments;
    statusChases += s.statusChases;
    if (s.statusChases > 0) statusChaseCases++;
    reopened += s.exceptions.reopened;
    waiting += s.exceptions.waiting;
    escalated += s.exceptions.escalated;
    if (s.waitingMs > 0) waitingDays.push(s.waitingMs / DAY);
    if (s.sla.outcome === 'open') slaOpen++;
    for (let i = 0; i < visits.length; i++) {
      const slot = visits.slots[i]!;
      let acc = slot.acc;
      if (acc === undefined) acc = slot.acc = accOf(slot.name);
      const ms = visits.ms[i]!;
      acc.durations.push(ms);
      acc.businessMs.add(visits.businessMs[i]!);
      if (acc.lastCase !== all.cases) {
        acc.cases++;
        acc.lastCase = all.cases;
      }
      const p = phaseList[slot.phaseIndex]!;
      p.visits++;
      p.ms.add(ms);
    }
    return s;
  }

  return {
    addSkipped(count = 1) {
      skipped += count;
    },
    addHints(more) {
      for (const [k, v] of more) if (!hints.has(k)) hints.set(k, v);
    },
    add(record) {
      return addCase(record)?.toSummary();
    },
    addTransient(record) {
      return addCase(record);
    },
    result() {
      const kpis = kpisOf(totals());
      return { ...kpis, diagnosis: diagnosis.result(kpis) };
    },
    partial() {
      const t = totals();
      return {
        kind: 'baton.analysis.partial',
        version: 2,
        options: t.options,
        calendar: t.calendar,
        costs: t.costs,
        sources: [...t.sources],
        periodFrom: all.cases === 0 ? null : periodFrom,
        periodTo: all.cases === 0 ? null : periodTo,
        events,
        skipped,
        excluded,
        all: all.partial(),
        before: options.cohort === undefined ? null : before.partial(),
        after: options.cohort === undefined ? null : after.partial(),
        states: [...states].map(([name, acc]) => {
          const mapping = resolve(name);
          return {
            name,
            phase: mapping.phase,
            ...(mapping.waitingReason === undefined ? {} : { waitingReason: mapping.waitingReason }),
            durations: acc.durations.sketchState(),
            businessMs: acc.businessMs.value(),
            cases: acc.cases,
          };
        }),
        phases: PHASES.map((p) => ({
          phase: p,
          visits: phaseVisits.get(p)!.visits,
          ms: phaseVisits.get(p)!.ms.value(),
        })),
        handoffsPerCase: [...handoffCounts()].sort((a, b) => a[0] - b[0]),
        handoffsHistogram: [...handoffsHistogram],
        pairs: [...pairs.values()].map((p) => ({ ...p })),
        pingPongBounces,
        comments,
        statusChases,
        statusChaseCases,
        reopened,
        waiting,
        escalated,
        waitingDays: waitingDays.sketchState(),
        slaOpen,
        diagnosis: diagnosis.state(),
      };
    },
    exactState() {
      const counts = [pingPongBounces, comments, statusChases, statusChaseCases, reopened, waiting, escalated, slaOpen];
      return {
        kind: 'baton.analysis.exact',
        version: 1,
        settings,
        hints: [...hints],
        mappings: [...mappings].map(([name, m]) => [name, { ...m }] as const),
        sources: [...sources],
        events,
        skipped,
        excluded,
        periodFrom: all.cases === 0 ? null : periodFrom,
        periodTo: all.cases === 0 ? null : periodTo,
        all: all.exactState(),
        before: options.cohort === undefined ? null : before.exactState(),
        after: options.cohort === undefined ? null : after.exactState(),
        states: [...states].map(([name, acc]) => ({
          name,
          durations: acc.durations.exactState(),
          businessMs: acc.businessMs.partsOf(),
          cases: acc.cases,
        })),
        phases: PHASES.map((p) => ({ visits: phaseVisits.get(p)!.visits, ms: phaseVisits.get(p)!.ms.partsOf() })),
        handoffsPerCase: [...handoffCounts()],
        handoffsHistogram: [...handoffsHistogram],
        pairs: [...pairs.values()].map((p) => ({ ...p })),
        counts,
        waitingDays: waitingDays.exactState(),
        diagnosis: diagnosis.exactState(),
      };
    },
    absorb(state) {
      refuseUnlike(state);
      for (const [k, v] of state.hints) if (!hints.has(k)) hints.set(k, v);
      for (const [name, m] of state.mappings) if (!mappings.has(name)) mappings.set(name, m);
      for (const source of state.sources) sources.add(source);
      events += state.events;
      skipped += state.skipped;
      excluded += state.excluded;
      if (state.periodFrom !== null) periodFrom = Math.min(periodFrom, state.periodFrom);
      if (state.periodTo !== null) periodTo = Math.max(periodTo, state.periodTo);
      all.absorb(state.all);
      if (state.before !== null) before.absorb(state.before);
      if (state.after !== null) after.absorb(state.after);
      for (const o of state.states) {
        const acc = accOf(o.name);
        acc.durations.absorb(o.durations);
        acc.businessMs.addParts(o.businessMs);
        acc.cases += o.cases;
      }
      PHASES.forEach((p, i) => {
        const acc = phaseVisits.get(p)!;
        acc.visits += state.phases[i]!.visits;
        acc.ms.addParts(state.phases[i]!.ms);
      });
      for (const [v, c] of state.handoffsPerCase) {
        if (Number.isInteger(v) && v >= 0 && v < FEW_HANDOFFS) {
          if (!handoffsPerCase.has(v)) handoffsPerCase.set(v, 0);
          fewHandoffs[v]! += c;
        } else handoffsPerCase.set(v, (handoffsPerCase.get(v) ?? 0) + c);
      }
      state.handoffsHistogram.forEach((c, i) => (handoffsHistogram[i]! += c));
      for (const o of state.pairs) {
        const key = `${o.a}\u0000${o.b}`;
        const pair = pairs.get(key) ?? { a: o.a, b: o.b, bounces: 0 };
        pair.bounces += o.bounces;
        pairs.set(key, pair);
      }
      const c = state.counts;
      pingPongBounces += c[0]!;
      comments += c[1]!;
      statusChases += c[2]!;
      statusChaseCases += c[3]!;
      reopened += c[4]!;
      waiting += c[5]!;
      escalated += c[6]!;
      slaOpen += c[7]!;
      waitingDays.absorb(state.waitingDays);
      diagnosis.absorb(state.diagnosis);
    },
  };

  /**
   * Throws, before anything changes, when a state cannot be added as if its cases had come here: made
   * under other settings, of another form, or with a state mapped to another phase than it is (or
   * would have been, with the hints given here) — then the two were not given the same hints.
   */
  function refuseUnlike(state: ExactAnalysisState): void {
    if (state?.kind !== 'baton.analysis.exact' || state.version !== 1)
      throw new Error('cannot absorb: expected the exactState() of an analysis (baton.analysis.exact, version 1)');
    const parsed = ExactAnalysisStateSchema.safeParse(state);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(
        `cannot absorb a malformed analysis state: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      );
    }
    for (const key of Object.keys(settings) as (keyof AnalysisSettings)[]) {
      const here = JSON.stringify(settings[key]);
      const there = JSON.stringify(state.settings[key]);
      if (here !== there)
        throw new Error(
          `cannot absorb an analysis made with other ${key}: ${there ?? 'none'} there, ${here ?? 'none'} here`,
        );
    }
    if ((state.before === null) !== (options.cohort === undefined))
      throw new Error('cannot absorb an analysis made with other cohort: its cohorts do not match');
    const hinted = createWorkflowResolver(options.workflow, hints);
    for (const [name, m] of state.mappings) {
      const mine = mappings.get(name) ?? (hints.has(name) ? hinted(name) : undefined);
      if (mine !== undefined && (mine.phase !== m.phase || mine.waitingReason !== m.waitingReason))
        throw new Error(
          `cannot absorb an analysis that mapped the state '${name}' to ${describe(m)} where this one maps it to ${describe(mine)}: give every analysis the same workflow map and status-category hints`,
        );
    }
  }

  function totals(): AnalysisTotals {
    const stateTotals = new Map<string, AnalysisTotals['states'] extends ReadonlyMap<string, infer V> ? V : never>();
    for (const [name, acc] of states) {
      const mapping = resolve(name);
      stateTotals.set(name, {
        mapping,
        durations: acc.durations.source(),
        businessMs: acc.businessMs.value(),
        cases: acc.cases,
      });
    }
    return {
      options: { since: options.since ?? null, until: options.until ?? null, cohort: options.cohort ?? null },
      calendar: { timeZone: calendar.timeZone, businessDayMs },
      costs,
      sources: [...sources].sort(),
      periodFrom,
      periodTo,
      events,
      skipped,
      excluded,
      all: all.totals(),
      before: options.cohort === undefined ? null : before.totals(),
      after: options.cohort === undefined ? null : after.totals(),
      states: stateTotals,
      phaseVisits: new Map(
        PHASES.map((p) => [p, { visits: phaseVisits.get(p)!.visits, ms: phaseVisits.get(p)!.ms.value() }]),
      ),
      handoffsPerCase: countsSource(handoffCounts()),
      casesWithHandoffs: [...handoffCounts()].reduce((sum, [v, c]) => sum + (v > 0 ? c : 0), 0),
      handoffsHistogram,
      pairs: [...pairs.values()],
      pingPongBounces,
      comments,
      statusChases,
      statusChaseCases,
      reopened,
      waiting,
      escalated,
      waitingDays: waitingDays.source(),
      slaOpen,
      ...(options.cohort === undefined
        ? {}
        : {
            // Sorted, so that the bootstrap draws the same ranks as a merge of partials does from sketches.
            cohortComparison: compareCohorts(before.cycle.sortedValues(), after.cycle.sortedValues()),
          }),
    };
  }
}

/**
 * The KPIs from totals: every figure of `kpis.json` is defined here once, for one analysis and for
 * a merge of partial analyses alike.
 */
export function kpisOf(t: AnalysisTotals): Kpis {
  const stateKpis: [string, StateKpi, number][] = [];
  for (const [name, acc] of t.states) {
    const d = acc.durations;
    const total = d.sum;
    const q = (p: number) => {
      const v = d.quantile(p);
      return v === null ? null : v / DAY;
    };
    stateKpis.push([
      name,
      {
        phase: acc.mapping.phase,
        ...(acc.mapping.waitingReason === undefined ? {} : { waitingReason: acc.mapping.waitingReason }),
        visits: d.count,
        cases: acc.cases,
        totalDays: total / DAY,
        totalBusinessDays: acc.businessMs / t.calendar.businessDayMs,
        meanDays: d.count === 0 ? null : total / d.count / DAY,
        medianDays: q(0.5),
        p90Days: q(0.9),
      },
      total,
    ]);
  }
  stateKpis.sort((a, b) => b[2] - a[2] || compareText(a[0], b[0]));
  const waitingStates = stateKpis.filter(([, k]) => k.phase === 'queue' || k.phase === 'waiting');
  const waitingTotal = waitingStates.reduce((sum, [, , ms]) => sum + ms, 0);
  const chokePoints = waitingStates.slice(0, 5).map(([state, k, ms]) => ({
    state,
    phase: k.phase,
    visits: k.visits,
    totalDays: k.totalDays,
    medianDays: k.medianDays,
    share: waitingTotal === 0 ? 0 : ms / waitingTotal,
  }));

  const costs = t.costs;
  const all = t.all;
  // Status chases are messages too; they are counted once, under status tracking.
  const overhead = overheadBuckets(
    {
      handoffs: all.handoffs,
      statusChases: t.statusChases,
      exceptions: t.reopened + t.waiting + t.escalated,
      comments: t.comments,
    },
    costs,
  );
  const totalMinutes = overhead.totalMinutes;
  const months = all.cases === 0 ? 0 : Math.max(t.periodTo - t.periodFrom, DAY) / MONTH;
  const total = (totalMinutes / 60) * costs.loadedCostPerHour;
  const whole = cohortOf('all', all);

  return {
    schemaVersion: 1,
    sources: [...t.sources].sort(),
    period: {
      from: all.cases === 0 ? null : formatTimestamp(t.periodFrom),
      to: all.cases === 0 ? null : formatTimestamp(t.periodTo),
    },
    filter: {
      since: t.options.since === null ? null : formatTimestamp(t.options.since),
      until: t.options.until === null ? null : formatTimestamp(t.options.until),
      excludedCases: t.excluded,
    },
    calendar: { timeZone: t.calendar.timeZone, businessDayHours: t.calendar.businessDayMs / 3_600_000 },
    cases: all.cases,
    events: t.events,
    skipped: t.skipped,
    cycleTimeDays: whole.cycleTimeDays,
    cycleTimeBusinessDays: whole.cycleTimeBusinessDays,
    cycleTimeHistogram: whole.histogram,
    handoffs: all.handoffs,
    handoffsPerCase: distributionFrom(t.handoffsPerCase),
    reassignmentRate: rate(t.casesWithHandoffs, all.cases),
    pingPongBounces: t.pingPongBounces,
    pingPongCases: all.pingPongCases,
    handoffsHistogram: [...t.handoffsHistogram],
    pingPongPairs: [...t.pairs]
      .sort((x, y) => y.bounces - x.bounces || compareText(x.a, y.a) || compareText(x.b, y.b))
      .slice(0, 10)
      .map((p) => ({ a: p.a, b: p.b, bounces: p.bounces })),
    states: Object.fromEntries(stateKpis.map(([name, k]) => [name, k])),
    phases: Object.fromEntries(
      PHASES.map((p) => [
        p,
        { visits: t.phaseVisits.get(p)?.visits ?? 0, totalDays: (t.phaseVisits.get(p)?.ms ?? 0) / DAY },
      ]),
    ) as Kpis['phases'],
    chokePoints,
    comments: t.comments,
    statusChases: t.statusChases,
    statusChaseCases: t.statusChaseCases,
    exceptions: {
      cases: all.exceptionCases,
      rate: rate(all.exceptionCases, all.cases),
      reopened: t.reopened,
      waiting: t.waiting,
      escalated: t.escalated,
      waitingDays: distributionFrom(t.waitingDays),
    },
    sla: {
      casesWithTarget: all.slaMet + all.slaBreached + t.slaOpen,
      met: all.slaMet,
      breached: all.slaBreached,
      open: t.slaOpen,
      breachRate: rate(all.slaBreached, all.slaMet + all.slaBreached),
    },
    overhead,
    money: {
      currency: costs.currency,
      loadedCostPerHour: costs.loadedCostPerHour,
      minutesPerHandoff: costs.minutesPerHandoff,
      minutesPerStatusCheck: costs.minutesPerStatusCheck,
      minutesPerException: costs.minutesPerException,
      minutesPerMessage: costs.minutesPerMessage,
      total,
      months,
      perMonth: months === 0 ? null : total / months,
    },
    cohorts:
      t.options.cohort === null || t.before === null || t.after === null
        ? null
        : {
            date: formatTimestamp(t.options.cohort),
            before: cohortOf('before', t.before),
            after: cohortOf('after', t.after),
            ...(t.cohortComparison === undefined ? {} : { comparison: t.cohortComparison }),
            ...(t.before.overhead === undefined || t.after.overhead === undefined
              ? {}
              : {
                  savings: measureSavings(
                    { ...t.before, overhead: t.before.overhead },
                    { ...t.after, overhead: t.after.overhead },
                    costs,
                  ),
                }),
          },
  };
}
