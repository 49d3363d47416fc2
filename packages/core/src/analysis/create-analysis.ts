import type { CaseRecord, StateCategoryHints } from '../model/case.ts';
import { createWorkflowResolver, PHASES, type Phase, type WorkflowMap } from '../model/workflow.ts';
import { type Calendar, DEFAULT_CALENDAR, workingDayMs } from '../time/calendar.ts';
import { formatTimestamp } from '../time/timestamp.ts';
import { type Costs, DEFAULT_COSTS } from './costs.ts';
import { compareCohorts } from './cohort-comparison.ts';
import { createDiagnosis } from './diagnose.ts';
import type { Cohort, Kpis, StateKpi } from './kpis.ts';
import { pingPongPairs } from './owner-sequence.ts';
import { distributionOf, histogram, quantileSorted, Sample } from './stats.ts';
import { type CaseSummary, summarizeCase } from './summarize-case.ts';

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
  /** Counts records that a reader reported and skipped. */
  addSkipped(count?: number): void;
  /** Jira status categories seen by a reader, for states that the workflow map does not name. */
  addHints(hints: StateCategoryHints): void;
  result(): Kpis;
}

/** What each cohort (and the whole) keeps per case: only numbers, so memory stays small. */
class CohortAccumulator {
  cases = 0;
  readonly cycle = new Sample();
  readonly cycleBusiness = new Sample();
  handoffs = 0;
  pingPongCases = 0;
  exceptionCases = 0;
  slaMet = 0;
  slaBreached = 0;

  add(s: CaseSummary, businessDayMs: number): void {
    this.cases++;
    if (s.events >= 2) {
      this.cycle.push(s.cycleMs / DAY);
      this.cycleBusiness.push(s.cycleBusinessMs / businessDayMs);
    }
    this.handoffs += s.handoffs;
    if (s.pingPongBounces > 0) this.pingPongCases++;
    if (s.exceptions.reopened + s.exceptions.waiting + s.exceptions.escalated > 0) this.exceptionCases++;
    if (s.sla.outcome === 'met') this.slaMet++;
    if (s.sla.outcome === 'breached') this.slaBreached++;
  }

  toCohort(label: string): Cohort {
    return {
      label,
      cases: this.cases,
      cycleTimeDays: distributionOf(this.cycle.values()),
      cycleTimeBusinessDays: distributionOf(this.cycleBusiness.values()),
      histogram: {
        edgesDays: [...CYCLE_TIME_EDGES_DAYS],
        wall: histogram(this.cycle.values(), CYCLE_TIME_EDGES_DAYS),
        business: histogram(this.cycleBusiness.values(), CYCLE_TIME_EDGES_DAYS),
      },
      handoffsPerCase: this.cases === 0 ? null : this.handoffs / this.cases,
      pingPongCaseRate: rate(this.pingPongCases, this.cases),
      exceptionCaseRate: rate(this.exceptionCases, this.cases),
      slaBreachRate: rate(this.slaBreached, this.slaMet + this.slaBreached),
    };
  }
}

interface StateAccumulator {
  readonly durations: Sample;
  businessMs: number;
  cases: number;
  lastCase: number;
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
  const resolve = createWorkflowResolver(options.workflow, hints);
  const diagnosis = createDiagnosis({ resolve });
  const businessDayMs = workingDayMs(calendar);

  const all = new CohortAccumulator();
  const before = new CohortAccumulator();
  const after = new CohortAccumulator();
  const sources = new Set<string>();
  const states = new Map<string, StateAccumulator>();
  const phaseVisits = new Map<Phase, { visits: number; ms: number }>(PHASES.map((p) => [p, { visits: 0, ms: 0 }]));
  const handoffsPerCase = new Sample();
  const handoffsHistogram: number[] = Array.from({ length: 11 }, () => 0);
  const pairs = new Map<string, { a: string; b: string; bounces: number }>();
  const waitingDays = new Sample();
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

  return {
    addSkipped(count = 1) {
      skipped += count;
    },
    addHints(more) {
      for (const [k, v] of more) if (!hints.has(k)) hints.set(k, v);
    },
    add(record) {
      if (record.events.length === 0) {
        skipped++;
        return undefined;
      }
      let firstAt = Infinity;
      for (const e of record.events) if (e.at < firstAt) firstAt = e.at;
      if (
        (options.since !== undefined && firstAt < options.since) ||
        (options.until !== undefined && firstAt >= options.until)
      ) {
        excluded++;
        return undefined;
      }
      const s = summarizeCase(record, { calendar, resolve, slaTargetMs: options.slaTargetMs });
      diagnosis.add(record, s);
      sources.add(s.source);
      events += s.events;
      periodFrom = Math.min(periodFrom, s.firstAt);
      periodTo = Math.max(periodTo, s.lastAt);
      all.add(s, businessDayMs);
      if (options.cohort !== undefined) (s.firstAt < options.cohort ? before : after).add(s, businessDayMs);
      handoffsPerCase.push(s.handoffs);
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
      for (const v of s.visits) {
        let acc = states.get(v.state);
        if (acc === undefined) {
          acc = { durations: new Sample(), businessMs: 0, cases: 0, lastCase: -1 };
          states.set(v.state, acc);
        }
        acc.durations.push(v.ms);
        acc.businessMs += v.businessMs;
        if (acc.lastCase !== all.cases) {
          acc.cases++;
          acc.lastCase = all.cases;
        }
        const p = phaseVisits.get(v.phase)!;
        p.visits++;
        p.ms += v.ms;
      }
      return s;
    },
    result() {
      const stateKpis: [string, StateKpi, number][] = [];
      for (const [name, acc] of states) {
        const sorted = Float64Array.from(acc.durations.values()).sort();
        let total = 0;
        for (const d of sorted) total += d;
        const mapping = resolve(name);
        const q = (p: number) => {
          const v = quantileSorted(sorted, p);
          return v === null ? null : v / DAY;
        };
        stateKpis.push([
          name,
          {
            phase: mapping.phase,
            ...(mapping.waitingReason === undefined ? {} : { waitingReason: mapping.waitingReason }),
            visits: sorted.length,
            cases: acc.cases,
            totalDays: total / DAY,
            totalBusinessDays: acc.businessMs / businessDayMs,
            meanDays: sorted.length === 0 ? null : total / sorted.length / DAY,
            medianDays: q(0.5),
            p90Days: q(0.9),
          },
          total,
        ]);
      }
      stateKpis.sort((a, b) => b[2] - a[2] || a[0].localeCompare(b[0]));
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

      const exceptionCount = reopened + waiting + escalated;
      const overhead = {
        handoffs: { count: all.handoffs, minutes: all.handoffs * costs.minutesPerHandoff },
        statusTracking: { count: statusChases, minutes: statusChases * costs.minutesPerStatusCheck },
        exceptions: { count: exceptionCount, minutes: exceptionCount * costs.minutesPerException },
        // Status chases are messages too; they are counted once, under status tracking.
        communication: { count: comments - statusChases, minutes: (comments - statusChases) * costs.minutesPerMessage },
      };
      const totalMinutes =
        overhead.handoffs.minutes +
        overhead.statusTracking.minutes +
        overhead.exceptions.minutes +
        overhead.communication.minutes;
      const months = all.cases === 0 ? 0 : Math.max(periodTo - periodFrom, DAY) / MONTH;
      const total = (totalMinutes / 60) * costs.loadedCostPerHour;
      const whole = all.toCohort('all');

      const kpis: Kpis = {
        schemaVersion: 1,
        sources: [...sources].sort(),
        period: {
          from: all.cases === 0 ? null : formatTimestamp(periodFrom),
          to: all.cases === 0 ? null : formatTimestamp(periodTo),
        },
        filter: {
          since: options.since === undefined ? null : formatTimestamp(options.since),
          until: options.until === undefined ? null : formatTimestamp(options.until),
          excludedCases: excluded,
        },
        calendar: { timeZone: calendar.timeZone, businessDayHours: businessDayMs / 3_600_000 },
        cases: all.cases,
        events,
        skipped,
        cycleTimeDays: whole.cycleTimeDays,
        cycleTimeBusinessDays: whole.cycleTimeBusinessDays,
        cycleTimeHistogram: whole.histogram,
        handoffs: all.handoffs,
        handoffsPerCase: distributionOf(handoffsPerCase.values()),
        reassignmentRate: rate(countAbove(handoffsPerCase.values(), 0), all.cases),
        pingPongBounces,
        pingPongCases: all.pingPongCases,
        handoffsHistogram: [...handoffsHistogram],
        pingPongPairs: [...pairs.values()]
          .sort((x, y) => y.bounces - x.bounces || x.a.localeCompare(y.a) || x.b.localeCompare(y.b))
          .slice(0, 10)
          .map((p) => ({ ...p })),
        states: Object.fromEntries(stateKpis.map(([name, k]) => [name, k])),
        phases: Object.fromEntries(
          PHASES.map((p) => [p, { visits: phaseVisits.get(p)!.visits, totalDays: phaseVisits.get(p)!.ms / DAY }]),
        ) as Kpis['phases'],
        chokePoints,
        comments,
        statusChases,
        statusChaseCases,
        exceptions: {
          cases: all.exceptionCases,
          rate: rate(all.exceptionCases, all.cases),
          reopened,
          waiting,
          escalated,
          waitingDays: distributionOf(waitingDays.values()),
        },
        sla: {
          casesWithTarget: all.slaMet + all.slaBreached + slaOpen,
          met: all.slaMet,
          breached: all.slaBreached,
          open: slaOpen,
          breachRate: rate(all.slaBreached, all.slaMet + all.slaBreached),
        },
        overhead: { ...overhead, totalMinutes },
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
          options.cohort === undefined
            ? null
            : {
                date: formatTimestamp(options.cohort),
                before: before.toCohort('before'),
                after: after.toCohort('after'),
                comparison: compareCohorts(before.cycle.values(), after.cycle.values()),
              },
      };
      return { ...kpis, diagnosis: diagnosis.result(kpis) };
    },
  };
}

function countAbove(values: Float64Array, threshold: number): number {
  let n = 0;
  for (const v of values) if (v > threshold) n++;
  return n;
}
