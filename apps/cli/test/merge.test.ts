import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAnalysis,
  KpisSchema,
  mergeAnalysisPartials,
  SKETCH_RELATIVE_ACCURACY,
  type Kpis,
} from '@baton/core/analysis';
import { describe, expect, it } from 'vitest';
import { defineReadOptions, readInputs } from '../src/readers/index.ts';
import { cliWith } from './two-ways.ts';

const BPIC2013 = join(import.meta.dirname, '..', 'data', 'bpic2013-incidents.xes.gz');
const RUNNING_CSV = join(import.meta.dirname, 'fixtures', 'eventlogs', 'running-example.csv');

const tempDir = () => mkdtempSync(join(tmpdir(), 'baton-merge-'));

const cli = cliWith({});
const baton = (args: string[], cwd = tempDir()) => cli(args, cwd);

const DIST_QUANTILES = ['p10', 'p25', 'p50', 'p75', 'p90'] as const;
type Dist = Kpis['cycleTimeDays'];

/** Exact figures equal (sums up to float rounding), quantiles within the sketch's relative error. */
function expectMergedEqualsWhole(merged: Kpis, whole: Kpis): void {
  const close = (a: number | null, b: number | null, label: string) => {
    if (a === null || b === null) return expect(a, label).toBe(b);
    expect(Math.abs(a - b), label).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
  };
  const sketched = (a: Dist, b: Dist, label: string) => {
    expect(a.count, `${label}.count`).toBe(b.count);
    close(a.mean, b.mean, `${label}.mean`);
    close(a.max, b.max, `${label}.max`);
    for (const q of DIST_QUANTILES) {
      const x = a[q];
      const y = b[q];
      if (x === null || y === null) expect(x, `${label}.${q}`).toBe(y);
      else expect(Math.abs(x - y), `${label}.${q}`).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY * Math.abs(y) + 1e-9);
    }
  };
  for (const key of [
    'cases',
    'events',
    'skipped',
    'handoffs',
    'handoffsPerCase',
    'reassignmentRate',
    'pingPongBounces',
    'pingPongCases',
    'handoffsHistogram',
    'pingPongPairs',
    'cycleTimeHistogram',
    'comments',
    'statusChases',
    'statusChaseCases',
    'sla',
    'period',
    'filter',
    'calendar',
    'sources',
  ] as const)
    expect(merged[key], key).toEqual(whole[key]);
  sketched(merged.cycleTimeDays, whole.cycleTimeDays, 'cycleTimeDays');
  sketched(merged.cycleTimeBusinessDays, whole.cycleTimeBusinessDays, 'cycleTimeBusinessDays');
  sketched(merged.exceptions.waitingDays, whole.exceptions.waitingDays, 'waitingDays');
  const { waitingDays: _a, ...mergedExceptions } = merged.exceptions;
  const { waitingDays: _b, ...wholeExceptions } = whole.exceptions;
  expect(mergedExceptions).toEqual(wholeExceptions);
  expect(Object.keys(merged.states).sort()).toEqual(Object.keys(whole.states).sort());
  for (const [name, w] of Object.entries(whole.states)) {
    const m = merged.states[name]!;
    expect([m.phase, m.visits, m.cases], name).toEqual([w.phase, w.visits, w.cases]);
    close(m.totalDays, w.totalDays, `${name}.totalDays`);
    close(m.totalBusinessDays, w.totalBusinessDays, `${name}.totalBusinessDays`);
    close(m.meanDays, w.meanDays, `${name}.meanDays`);
    for (const q of ['medianDays', 'p90Days'] as const) {
      const x = m[q];
      const y = w[q];
      if (x === null || y === null) expect(x).toBe(y);
      else expect(Math.abs(x - y), `${name}.${q}`).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY * Math.abs(y) + 1e-9);
    }
  }
  expect(merged.chokePoints.map((c) => c.state)).toEqual(whole.chokePoints.map((c) => c.state));
  close(merged.overhead.totalMinutes, whole.overhead.totalMinutes, 'overhead');
  close(merged.money.total, whole.money.total, 'money');
  // The diagnosis is computed from mergeable state in both: the same figures, sums up to rounding.
  expect(merged.diagnosis, 'diagnosis').toBeDefined();
  expectSame(merged.diagnosis, whole.diagnosis, 'diagnosis');
  expect(merged.cohorts === null, 'cohorts').toBe(whole.cohorts === null);
  if (merged.cohorts !== null && whole.cohorts !== null) {
    const m = merged.cohorts.comparison!;
    const w = whole.cohorts.comparison!;
    expect(m.resamples).toBe(w.resamples);
    for (const q of ['median', 'p90'] as const) {
      // Each value of a merged sketch is within α of its exact counterpart, and the bootstrap draws
      // the same ranks from both: every quantile, difference and interval end moves by at most α.
      const bound = SKETCH_RELATIVE_ACCURACY * (Math.abs(w[q].before!) + Math.abs(w[q].after!)) + 1e-9;
      expect(Math.abs(m[q].before! - w[q].before!), `${q}.before`).toBeLessThanOrEqual(bound);
      expect(Math.abs(m[q].after! - w[q].after!), `${q}.after`).toBeLessThanOrEqual(bound);
      expect(Math.abs(m[q].difference! - w[q].difference!), `${q}.difference`).toBeLessThanOrEqual(bound);
      for (const end of [0, 1] as const)
        expect(Math.abs(m[q].ci95![end] - w[q].ci95![end]), `${q}.ci95`).toBeLessThanOrEqual(2 * bound);
    }
    // Values that share a bucket become ties: a small share of the pairs.
    expect(Math.abs(m.rankTest.probabilityAfterLonger! - w.rankTest.probabilityAfterLonger!)).toBeLessThan(0.005);
  }
}

/** Equal, numbers up to float rounding (sums added in another order). */
function expectSame(a: unknown, b: unknown, path: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    expect(Math.abs(a - b), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
  } else if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length, `${path}.length`).toBe(b.length);
    a.forEach((x, i) => expectSame(x, b[i], `${path}[${i}]`));
  } else if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(a).sort(), `${path} keys`).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(a))
      expectSame((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
  } else expect(a, path).toEqual(b);
}

describe('analyses that merge', () => {
  it('two halves of the bundled BPIC 2013 log, merged, equal the whole: exact figures, quantiles within the error', async () => {
    const options = defineReadOptions({ eventLog: { ownerKey: 'org:group' } });
    const whole = createAnalysis({ cohort: Date.UTC(2012, 4, 1) });
    const halves = [createAnalysis({ cohort: Date.UTC(2012, 4, 1) }), createAnalysis({ cohort: Date.UTC(2012, 4, 1) })];
    let i = 0;
    for await (const item of readInputs([BPIC2013], options)) {
      if (item.type !== 'case') continue;
      whole.add(item.record);
      halves[i++ % 2]!.add(item.record);
    }
    expect(i).toBe(7554);
    // Through JSON, as the partial files carry them.
    const partials = halves.map((h) => JSON.parse(JSON.stringify(h.partial())) as unknown);
    const merged = mergeAnalysisPartials(partials);
    if (!merged.ok) throw new Error(JSON.stringify(merged.issues));
    const wholeKpis = whole.result();
    expectMergedEqualsWhole(KpisSchema.parse(merged.value), wholeKpis);
    expect(merged.value.cohorts?.before.cases).toBe(wholeKpis.cohorts?.before.cases);
    expect(wholeKpis.cohorts?.comparison).toBeDefined();
    expect(wholeKpis.diagnosis!.chokePoints.length).toBeGreaterThan(0);
  });

  it('baton analyze --partial on two files, then baton merge, equals analysing both at once', async () => {
    const cwd = tempDir();
    const [header, ...rows] = readFileSync(RUNNING_CSV, 'utf8').trimEnd().split('\n');
    const caseOf = (row: string) => row.split(',')[7];
    writeFileSync(join(cwd, 'a.csv'), [header, ...rows.filter((r) => Number(caseOf(r)) <= 3)].join('\n'));
    writeFileSync(join(cwd, 'b.csv'), [header, ...rows.filter((r) => Number(caseOf(r)) > 3)].join('\n'));
    for (const part of ['a', 'b'])
      expect(
        (await baton(['analyze', `${part}.csv`, '--out', `out-${part}`, '--partial', `${part}.json`, '-q'], cwd)).code,
      ).toBe(0);
    expect((await baton(['analyze', 'a.csv', 'b.csv', '--out', 'out-all', '-q'], cwd)).code).toBe(0);
    const r = await baton(['merge', 'a.json', 'b.json', '--out', 'merged'], cwd);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Merged 2 partial analyses: 6 cases, 42 events');
    const read = (dir: string) => KpisSchema.parse(JSON.parse(readFileSync(join(cwd, dir, 'kpis.json'), 'utf8')));
    expectMergedEqualsWhole(read('merged'), read('out-all'));
    expect(readFileSync(join(cwd, 'merged', 'report.html'), 'utf8')).toContain('<html');
  });

  it('writes --partial into a new --out with the run, and names a missing directory before analysing', async () => {
    const cwd = tempDir();
    const inside = await baton(['analyze', RUNNING_CSV, '--out', 'run', '--partial', 'run/part.json', '-q'], cwd);
    expect(inside.err).toBe('');
    expect(inside.code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'run', 'part.json'), 'utf8'))).toMatchObject({
      kind: 'baton.analysis.partial',
    });
    expect(readFileSync(join(cwd, 'run', 'kpis.json'), 'utf8')).toContain('"cases"');

    const missing = await baton(['analyze', RUNNING_CSV, '--out', 'again', '--partial', 'nowhere/part.json'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(
      `--partial ${join(cwd, 'nowhere', 'part.json')}: the directory ${join(cwd, 'nowhere')} does not exist`,
    );
    expect(() => readFileSync(join(cwd, 'again', 'kpis.json'))).toThrow();

    const clash = await baton(['analyze', RUNNING_CSV, '--out', 'run', '--partial', 'run/kpis.json'], cwd);
    expect(clash.code).toBe(2);
    expect(clash.err).toContain('kpis.json is one of the run');
  });

  it('refuses partials made with other settings, and files that are not partials, naming each', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'log.csv'), readFileSync(RUNNING_CSV));
    await baton(['analyze', 'log.csv', '--out', 'o1', '--partial', 'p1.json', '-q'], cwd);
    await baton(['analyze', 'log.csv', '--out', 'o2', '--partial', 'p2.json', '--cohort', '2011-01-01', '-q'], cwd);
    writeFileSync(join(cwd, 'junk.json'), '{"kind":"something else"}');
    const mixed = await baton(['merge', 'p1.json', 'p2.json', '--out', 'm'], cwd);
    expect(mixed.code).toBe(1);
    expect(mixed.err).toMatch(/p2\.json: options: was analysed with other --since\/--until\/--cohort than partial 0/);
    const junk = await baton(['merge', 'p1.json', 'junk.json', '--out', 'm'], cwd);
    expect(junk.code).toBe(1);
    expect(junk.err).toMatch(/junk\.json: kind:/);
  });
});
