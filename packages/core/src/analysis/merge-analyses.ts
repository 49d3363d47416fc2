import { createWorkflowResolver, PHASES, type Phase } from '../model/workflow.ts';
import { fail, fromZodIssues, ok, type Issue, type Result } from '../result.ts';
import { AnalysisPartialSchema, type AnalysisPartial, type CohortPartial } from './analysis-partial.ts';
import { compareCohorts } from './cohort-comparison.ts';
import { kpisOf, type AnalysisTotals, type CohortTotals } from './create-analysis.ts';
import { createDiagnosis } from './diagnose.ts';
import type { Kpis } from './kpis.ts';
import {
  createQuantileSketch,
  sortedValuesOf,
  type QuantileSketch,
  type QuantileSketchState,
} from './quantile-sketch.ts';
import { countsSource } from './stats.ts';

function sketchOf(states: readonly QuantileSketchState[]): QuantileSketch {
  const sketch = createQuantileSketch(states[0]?.alpha);
  for (const s of states) sketch.merge(s);
  return sketch;
}

function sumOf(values: readonly (readonly number[])[]): number[] {
  const out: number[] = [];
  for (const v of values) v.forEach((n, i) => (out[i] = (out[i] ?? 0) + n));
  return out;
}

function cohortTotals(parts: readonly CohortPartial[]): CohortTotals {
  const add = (f: (p: CohortPartial) => number) => parts.reduce((s, p) => s + f(p), 0);
  return {
    cases: add((p) => p.cases),
    cycle: sketchOf(parts.map((p) => p.cycle)),
    cycleBusiness: sketchOf(parts.map((p) => p.cycleBusiness)),
    histogramWall: sumOf(parts.map((p) => p.histogramWall)),
    histogramBusiness: sumOf(parts.map((p) => p.histogramBusiness)),
    handoffs: add((p) => p.handoffs),
    pingPongCases: add((p) => p.pingPongCases),
    exceptionCases: add((p) => p.exceptionCases),
    slaMet: add((p) => p.slaMet),
    slaBreached: add((p) => p.slaBreached),
    ...(parts.every((p) => p.overhead !== undefined)
      ? {
          overhead: {
            statusChases: add((p) => p.overhead!.statusChases),
            comments: add((p) => p.overhead!.comments),
            exceptions: add((p) => p.overhead!.exceptions),
            reopened: add((p) => p.overhead!.reopened),
            minutes: add((p) => p.overhead!.minutes),
            minutesSquared: add((p) => p.overhead!.minutesSquared),
          },
        }
      : {}),
  };
}

/** Partials can be added up only when they were analysed the same way. */
function incompatibilities(parts: readonly AnalysisPartial[]): Issue[] {
  const issues: Issue[] = [];
  const first = parts[0];
  if (first === undefined) return [{ code: 'partial.none', path: [], message: 'expected at least one partial' }];
  const checks: [string, (p: AnalysisPartial) => unknown][] = [
    ['calendar', (p) => p.calendar],
    ['costs', (p) => p.costs],
    ['options', (p) => p.options],
  ];
  parts.forEach((p, i) => {
    for (const [name, get] of checks) {
      if (JSON.stringify(get(p)) !== JSON.stringify(get(first)))
        issues.push({
          code: 'partial.incompatible',
          path: [i, name],
          message: `was analysed with other ${name === 'options' ? '--since/--until/--cohort' : name} than partial 0: merge partials made with the same settings`,
        });
    }
  });
  return issues;
}

/**
 * Adds up partial analyses of disjoint sets of cases (per project, per month, per site) into the
 * KPIs of their union: counts, sums, histograms and per-state totals exactly; cycle times, time in
 * state and waiting days within the sketches' relative error (`SKETCH_RELATIVE_ACCURACY`). The
 * diagnosis is computed from the merged diagnosis states, as a whole analysis computes it; the
 * cohort comparison (bootstrap, rank test) from the cohorts' merged sketches, whose values are each
 * within that error of the exact ones.
 */
export function mergeAnalysisPartials(inputs: readonly unknown[]): Result<Kpis> {
  const parts: AnalysisPartial[] = [];
  const issues: Issue[] = [];
  inputs.forEach((input, i) => {
    const parsed = AnalysisPartialSchema.safeParse(input);
    if (parsed.success) parts.push(parsed.data);
    else issues.push(...fromZodIssues(parsed.error.issues).map((x) => ({ ...x, path: [i, ...x.path] })));
  });
  if (issues.length > 0) return fail(...issues);
  const mismatch = incompatibilities(parts);
  if (mismatch.length > 0) return fail(...mismatch);
  const first = parts[0]!;
  const add = (f: (p: AnalysisPartial) => number) => parts.reduce((s, p) => s + f(p), 0);

  const stateParts = new Map<string, AnalysisPartial['states']>();
  for (const p of parts) for (const s of p.states) stateParts.set(s.name, [...(stateParts.get(s.name) ?? []), s]);
  const states: AnalysisTotals['states'] = new Map(
    [...stateParts].map(([name, list]) => {
      const head = list[0]!;
      return [
        name,
        {
          mapping:
            head.waitingReason === undefined
              ? { phase: head.phase }
              : { phase: head.phase, waitingReason: head.waitingReason },
          durations: sketchOf(list.map((s) => s.durations)),
          businessMs: list.reduce((s, x) => s + x.businessMs, 0),
          cases: list.reduce((s, x) => s + x.cases, 0),
        },
      ];
    }),
  );
  const phaseVisits = new Map<Phase, { visits: number; ms: number }>(PHASES.map((p) => [p, { visits: 0, ms: 0 }]));
  for (const p of parts)
    for (const ph of p.phases) {
      const acc = phaseVisits.get(ph.phase)!;
      acc.visits += ph.visits;
      acc.ms += ph.ms;
    }
  const handoffCounts = new Map<number, number>();
  for (const p of parts) for (const [v, c] of p.handoffsPerCase) handoffCounts.set(v, (handoffCounts.get(v) ?? 0) + c);
  const pairs = new Map<string, { a: string; b: string; bounces: number }>();
  for (const p of parts)
    for (const x of p.pairs) {
      const key = `${x.a}\u0000${x.b}`;
      const pair = pairs.get(key) ?? { a: x.a, b: x.b, bounces: 0 };
      pair.bounces += x.bounces;
      pairs.set(key, pair);
    }
  const froms = parts.map((p) => p.periodFrom).filter((v): v is number => v !== null);
  const tos = parts.map((p) => p.periodTo).filter((v): v is number => v !== null);
  const cohorts = (get: (p: AnalysisPartial) => CohortPartial | null) => {
    const list = parts.map(get);
    return list.every((c): c is CohortPartial => c !== null) ? cohortTotals(list) : null;
  };

  const before = cohorts((p) => p.before);
  const after = cohorts((p) => p.after);
  const cohortComparison =
    first.options.cohort === null
      ? undefined
      : compareCohorts(
          sortedValuesOf(sketchOf(parts.map((p) => p.before!.cycle)).state()),
          sortedValuesOf(sketchOf(parts.map((p) => p.after!.cycle)).state()),
        );
  const kpis = kpisOf({
    options: first.options,
    calendar: first.calendar,
    costs: first.costs,
    sources: [...new Set(parts.flatMap((p) => p.sources))].sort(),
    periodFrom: froms.length === 0 ? Infinity : Math.min(...froms),
    periodTo: tos.length === 0 ? -Infinity : Math.max(...tos),
    events: add((p) => p.events),
    skipped: add((p) => p.skipped),
    excluded: add((p) => p.excluded),
    all: cohortTotals(parts.map((p) => p.all)),
    before,
    after,
    states,
    phaseVisits,
    handoffsPerCase: countsSource(handoffCounts),
    casesWithHandoffs: [...handoffCounts].reduce((s, [v, c]) => s + (v > 0 ? c : 0), 0),
    handoffsHistogram: sumOf(parts.map((p) => p.handoffsHistogram)),
    pairs: [...pairs.values()],
    pingPongBounces: add((p) => p.pingPongBounces),
    comments: add((p) => p.comments),
    statusChases: add((p) => p.statusChases),
    statusChaseCases: add((p) => p.statusChaseCases),
    reopened: add((p) => p.reopened),
    waiting: add((p) => p.waiting),
    escalated: add((p) => p.escalated),
    waitingDays: sketchOf(parts.map((p) => p.waitingDays)),
    slaOpen: add((p) => p.slaOpen),
    ...(cohortComparison === undefined ? {} : { cohortComparison }),
  });
  // The states carry their own mapping: the resolver is never asked while merging.
  const diagnosis = createDiagnosis({ resolve: createWorkflowResolver() });
  for (const p of parts) diagnosis.merge(p.diagnosis);
  return ok({ ...kpis, diagnosis: diagnosis.result(kpis) });
}
