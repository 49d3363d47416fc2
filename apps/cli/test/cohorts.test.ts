import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KpisSchema } from '@baton/core/analysis';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/run.ts';

const BPIC = join(import.meta.dirname, '..', 'data', 'bpic2013-incidents.xes.gz');

describe('cohorts with uncertainty on BPIC 2013 (--cohort 2012-05-01)', () => {
  it('gives intervals and a rank test whose U a brute-force pair count confirms, and shows them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-cohorts-'));
    const io = { stdout: () => undefined, stderr: () => undefined, interactive: false, cwd: '.' };
    const code = await runCli(
      ['analyze', BPIC, '--owner', 'org:group', '--cohort', '2012-05-01', '--out', dir, '--quiet'],
      io,
    );
    expect(code).toBe(0);
    const k = KpisSchema.parse(JSON.parse(readFileSync(join(dir, 'kpis.json'), 'utf8')));
    const c = k.cohorts!.comparison!;
    // cases.csv, a second way: cycle days of cases with two or more events, split at the date.
    const lines = readFileSync(join(dir, 'cases.csv'), 'utf8').trim().split('\n').slice(1);
    const cut = Date.parse('2012-05-01T00:00:00Z');
    const before: number[] = [];
    const after: number[] = [];
    for (const line of lines) {
      const cells = line.split(',');
      if (Number(cells[4]) < 2) continue;
      (Date.parse(cells[2]!) < cut ? before : after).push(Number(cells[5]));
    }
    expect(before.length).toBe(k.cohorts!.before.cycleTimeDays.count);
    expect(after.length).toBe(k.cohorts!.after.cycleTimeDays.count);
    let pairs = 0;
    for (const y of after) for (const x of before) pairs += y > x ? 1 : y === x ? 0.5 : 0;
    // cases.csv rounds to 6 decimals, which can merge or split a few near-ties: within 0.01 % of the pairs.
    expect(Math.abs(c.rankTest.u - pairs) / (before.length * after.length)).toBeLessThan(1e-4);
    const median = (v: number[]) => {
      const s = [...v].sort((a, b) => a - b);
      const pos = (s.length - 1) / 2;
      return s[Math.floor(pos)]! + (s[Math.ceil(pos)]! - s[Math.floor(pos)]!) * (pos - Math.floor(pos));
    };
    expect(c.median.difference).toBeCloseTo(median(after) - median(before), 4);
    expect(c.median.ci95![0]).toBeLessThanOrEqual(c.median.difference!);
    expect(c.median.ci95![1]).toBeGreaterThanOrEqual(c.median.difference!);
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(report).toContain('<h3>How sure</h3>');
    expect(report).toContain('Rank test (Mann–Whitney)');
    expect(report).toContain('1,000 bootstrap resamples');
  }, 240_000);
});
