import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createQuantileSketch, SKETCH_RELATIVE_ACCURACY } from './quantile-sketch.ts';
import { exactSource } from './stats.ts';

const QS = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
const within = (a: number | null, b: number | null, alpha: number) =>
  a !== null && b !== null && Math.abs(a - b) <= alpha * Math.abs(b) + 1e-9;

describe('createQuantileSketch', () => {
  it('gives every quantile within its relative error, zeros and wide ranges included', () => {
    const value = fc.oneof(
      fc.constant(0),
      fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
      fc.integer({ min: 0, max: 20 }),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 400 }), (values) => {
        const sketch = createQuantileSketch();
        for (const v of values) sketch.add(v);
        const exact = exactSource(values);
        expect(sketch.count).toBe(exact.count);
        expect(sketch.max).toBe(exact.max);
        for (const q of QS) expect(within(sketch.quantile(q), exact.quantile(q), SKETCH_RELATIVE_ACCURACY)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('counts the values above a point, exactly but for those within its relative error of it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-3, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 1e-3, max: 1e4, noNaN: true }),
        (values, x) => {
          const sketch = createQuantileSketch();
          for (const v of values) sketch.add(v);
          const a = SKETCH_RELATIVE_ACCURACY;
          const surely = values.filter((v) => v > x / (1 - a)).length;
          const maybe = values.filter((v) => v > x / (1 + a)).length;
          expect(sketch.countAbove(x)).toBeGreaterThanOrEqual(surely);
          expect(sketch.countAbove(x)).toBeLessThanOrEqual(maybe);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('merges exactly: two halves give the sketch of the whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { maxLength: 300 }),
        fc.nat(),
        (values, cut) => {
          const k = values.length === 0 ? 0 : cut % (values.length + 1);
          const whole = createQuantileSketch();
          const a = createQuantileSketch();
          const b = createQuantileSketch();
          values.forEach((v, i) => {
            whole.add(v);
            (i < k ? a : b).add(v);
          });
          a.merge(b.state());
          const { sum: s1, ...wholeState } = whole.state();
          const { sum: s2, ...mergedState } = a.state();
          expect(mergedState).toEqual(wholeState);
          expect(s2).toBeCloseTo(s1, 6);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses to merge sketches of different accuracy', () => {
    const a = createQuantileSketch(0.01);
    expect(() => a.merge(createQuantileSketch(0.02).state())).toThrow(/accuracy/);
  });
});
