import * as z from 'zod';
import { BUSINESS_HOUR_MS } from '../../charter/duration.ts';
import { createQuantileSketch, QuantileSketchSchema, type QuantileSketch } from '../../analysis/quantile-sketch.ts';
import { summarizeCase } from '../../analysis/summarize-case.ts';
import type { CaseRecord } from '../../model/case.ts';
import type { WorkflowResolver } from '../../model/workflow.ts';
import type { Calendar } from '../../time/calendar.ts';

const MINUTE_MS = 60_000;

/**
 * The watchdog's per-state norms learned from a project's history: the p90 of the business time that
 * resolved cases spent in each state (core's time in state, `summarizeCase`'s visits), for the
 * watchdog's `norms` option. A charter state's own `norm` still wins over a learned one.
 *
 * Only finished stays count: a visit the case left for another state. The last visit of a case runs
 * to its last event (nothing is known after it) and is left out, and so is every stay in a `done`
 * state. The learner's state is plain JSON (one mergeable quantile sketch per state), so a learning
 * spread over many invocations can keep it in storage between them and merge it.
 */
export interface StateNormsLearner {
  /** Counts the finished stays of one case (a case without events adds nothing). */
  add(record: CaseRecord): void;
  /** Adds what another learner holds (same quantile sketch accuracy). */
  merge(state: StateNormsState): void;
  /** Cases added (directly or through `merge`). */
  readonly cases: number;
  /** The learner as JSON, for storage between steps. */
  state(): StateNormsState;
  /** The norm per state (lower-cased name, business ms in whole minutes) for states with at least `minSamples` stays. */
  norms(): Map<string, number>;
  /** Stays counted per state (lower-cased name), including states with too few for a norm. */
  samples(): Map<string, number>;
}

export const StateNormsStateSchema = z.object({
  version: z.literal(1),
  cases: z.int().min(0),
  /** [lower-cased state, sketch of its finished stays in business ms], by state name. */
  states: z.array(z.tuple([z.string(), QuantileSketchSchema])),
});
export type StateNormsState = z.infer<typeof StateNormsStateSchema>;

export interface StateNormsOptions {
  /** The calendar time in state is measured in (the charter's default calendar, the watchdog's). */
  readonly calendar: Calendar;
  /** Which states are `done` (their stays are not counted). */
  readonly resolve: WorkflowResolver;
  /** Default 0.9 (the p90). */
  readonly quantile?: number;
  /** Fewer stays than this and a state has no learned norm (the watchdog's default applies). Default 20. */
  readonly minSamples?: number;
  /** A learned norm is never shorter than this (states cases usually leave at once). Default 1 business hour. */
  readonly floorMs?: number;
  /** A learner to continue (from `state()`). */
  readonly from?: StateNormsState;
}

/**
 * Starts (or continues) learning per-state norms.
 * @example const l = createStateNorms({ calendar, resolve }); for (const r of resolved) l.add(r); createWatchdog(c, { norms: l.norms() })
 */
export function createStateNorms(options: StateNormsOptions): StateNormsLearner {
  const q = options.quantile ?? 0.9;
  const min = options.minSamples ?? 20;
  const floor = options.floorMs ?? BUSINESS_HOUR_MS;
  const sketches = new Map<string, QuantileSketch>();
  let cases = 0;
  const sketchOf = (state: string): QuantileSketch => {
    let s = sketches.get(state);
    if (s === undefined) sketches.set(state, (s = createQuantileSketch()));
    return s;
  };
  const learner: StateNormsLearner = {
    add(record) {
      if (record.events.length === 0) return;
      cases++;
      const { visits } = summarizeCase(record, { calendar: options.calendar, resolve: options.resolve });
      for (let i = 0; i < visits.length - 1; i++) {
        const v = visits[i]!;
        if (v.phase !== 'done') sketchOf(v.state.toLowerCase()).add(v.businessMs);
      }
    },
    merge(state) {
      cases += state.cases;
      for (const [name, sketch] of state.states) sketchOf(name).merge(sketch);
    },
    get cases() {
      return cases;
    },
    state: () => ({
      version: 1,
      cases,
      states: [...sketches]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, s]) => [name, s.state()] as [string, z.infer<typeof QuantileSketchSchema>]),
    }),
    norms() {
      const out = new Map<string, number>();
      for (const [name, s] of sketches) {
        if (s.count < min) continue;
        // Whole minutes, rounded up: the sketch is within 0.5 % (a 2h p90 reads 1h59m24s), and a norm is said in minutes.
        out.set(name, Math.max(floor, Math.ceil(s.quantile(q)! / MINUTE_MS) * MINUTE_MS));
      }
      return out;
    },
    samples: () => new Map([...sketches].map(([name, s]) => [name, s.count])),
  };
  if (options.from !== undefined) learner.merge(options.from);
  return learner;
}
