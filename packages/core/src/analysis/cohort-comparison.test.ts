import { describe, expect, it } from 'vitest';
import { compareCohorts, mannWhitney, normalCdf, seededRandom } from './cohort-comparison.ts';

/** n draws from Uniform(0, width) days, from a seeded generator (the population quantiles are known exactly). */
function uniform(n: number, width: number, seed: number): Float64Array {
  const r = seededRandom(seed);
  return Float64Array.from({ length: n }, () => r() * width);
}

describe('compareCohorts', () => {
  it('covers a known effect: Uniform(0,10) before, Uniform(0,6) after → median −2 d, p90 −3.6 d', () => {
    const c = compareCohorts(uniform(400, 10, 1), uniform(400, 6, 2), { resamples: 1000, seed: 7 });
    const [mLo, mHi] = c.median.ci95!;
    const [pLo, pHi] = c.p90.ci95!;
    expect(mLo).toBeLessThanOrEqual(-2);
    expect(mHi).toBeGreaterThanOrEqual(-2);
    expect(pLo).toBeLessThanOrEqual(-3.6);
    expect(pHi).toBeGreaterThanOrEqual(-3.6);
    // An interval that excludes no change, and a rank test that sees it.
    expect(mHi).toBeLessThan(0);
    expect(c.rankTest.pValue).toBeLessThan(1e-6);
    // P(after > before) for U(0,6) vs U(0,10) is 0.3 exactly.
    expect(c.rankTest.probabilityAfterLonger).toBeGreaterThan(0.25);
    expect(c.rankTest.probabilityAfterLonger).toBeLessThan(0.35);
  });

  it('finds none where there is none: over 100 pairs from one distribution, intervals hold 0 and the test rarely rejects', () => {
    let medianHolds = 0;
    let p90Holds = 0;
    let rejected = 0;
    for (let s = 0; s < 100; s++) {
      const c = compareCohorts(uniform(150, 10, 3000 + s), uniform(150, 10, 4000 + s), { resamples: 200, seed: s });
      if (c.median.ci95![0] <= 0 && 0 <= c.median.ci95![1]) medianHolds++;
      if (c.p90.ci95![0] <= 0 && 0 <= c.p90.ci95![1]) p90Holds++;
      if ((c.rankTest.pValue ?? 1) < 0.05) rejected++;
    }
    // Nominal: 95 of 100 intervals hold 0, 5 of 100 tests reject; the bounds leave room for chance.
    expect(medianHolds).toBeGreaterThanOrEqual(85);
    expect(p90Holds).toBeGreaterThanOrEqual(85);
    expect(rejected).toBeLessThanOrEqual(12);
  });

  it('covers the true change in at least 85 of 100 independent samples (nominal 95)', () => {
    let covered = 0;
    for (let s = 0; s < 100; s++) {
      const c = compareCohorts(uniform(150, 10, 1000 + s), uniform(150, 6, 2000 + s), { resamples: 200, seed: s });
      const [lo, hi] = c.median.ci95!;
      if (lo <= -2 && -2 <= hi) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(85);
  });

  it('is the same for the same data and seed, and has no interval for an empty cohort', () => {
    const a = uniform(50, 10, 5);
    const b = uniform(50, 8, 6);
    expect(compareCohorts(a, b, { seed: 3 })).toEqual(compareCohorts(a, b, { seed: 3 }));
    const empty = compareCohorts(a, new Float64Array(0));
    expect(empty.median.ci95).toBeNull();
    expect(empty.rankTest.pValue).toBeNull();
  });
});

describe('mannWhitney', () => {
  it('counts pairs by brute force the same way, ties counting one half', () => {
    const before = Float64Array.from([1, 2, 2, 3, 5, 8]);
    const after = Float64Array.from([2, 3, 4, 9]);
    let pairs = 0;
    for (const y of after) for (const x of before) pairs += y > x ? 1 : y === x ? 0.5 : 0;
    expect(mannWhitney(before, after).u).toBe(pairs);
  });

  it('reads the normal tail right', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });
});
