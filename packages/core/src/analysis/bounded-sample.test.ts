import { describe, expect, it } from 'vitest';
import { BoundedSample } from './bounded-sample.ts';
import { createQuantileSketch, SKETCH_RELATIVE_ACCURACY } from './quantile-sketch.ts';
import { exactSource } from './stats.ts';

const QS = [0, 0.1, 0.5, 0.9, 1];
const values = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 10 + 0.01);

describe('BoundedSample', () => {
  it('is exact up to its cap', () => {
    const s = new BoundedSample(1000);
    for (const v of values) s.push(v);
    const exact = exactSource(values);
    expect(s.exactValues()).toHaveLength(1000);
    for (const q of QS) expect(s.source().quantile(q)).toBe(exact.quantile(q));
    expect([...s.sortedValues()]).toEqual([...values].sort((a, b) => a - b));
  });

  it('past its cap keeps a sketch of every value: counts, sum and max exact, quantiles within the error', () => {
    const s = new BoundedSample(64);
    for (const v of values) s.push(v);
    expect(s.exactValues()).toBeUndefined();
    const exact = exactSource(values);
    const source = s.source();
    expect(source.count).toBe(1000);
    expect(source.sum).toBeCloseTo(exact.sum, 9);
    expect(source.max).toBe(exact.max);
    for (const q of QS)
      expect(Math.abs(source.quantile(q)! - exact.quantile(q)!)).toBeLessThanOrEqual(
        SKETCH_RELATIVE_ACCURACY * exact.quantile(q)! + 1e-12,
      );
    // The same state as sketching every value directly: partials from either merge alike.
    const direct = createQuantileSketch();
    for (const v of values) direct.add(v);
    const { sum: a, ...state } = s.sketchState();
    const { sum: b, ...expected } = direct.state();
    expect(state).toEqual(expected);
    expect(a).toBeCloseTo(b, 9);
    const sorted = s.sortedValues();
    expect(sorted).toHaveLength(1000);
    const exactSorted = [...values].sort((x, y) => x - y);
    sorted.forEach((v, i) =>
      expect(Math.abs(v - exactSorted[i]!)).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY * exactSorted[i]! + 1e-12),
    );
  });
});
