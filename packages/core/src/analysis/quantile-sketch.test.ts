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

  it('addMs fills the buckets add fills with ms / unit, whatever it remembers of earlier ms', () => {
    // Repeats, hash neighbours and two units in turn (only the first unit's indexes are remembered).
    const ms = fc.oneof(
      fc.integer({ min: 0, max: 50 }).map((k) => k * 86_400_000),
      fc.integer({ min: 1, max: 4_000_000_000_000 }),
      fc.integer({ min: 0, max: 8 }).map((k) => 2 ** 32 * k + 7),
    );
    fc.assert(
      fc.property(fc.array(ms, { minLength: 1, maxLength: 300 }), (values) => {
        for (const unit of [86_400_000, 3_600_000]) {
          const byMs = createQuantileSketch(undefined, unit);
          const byValue = createQuantileSketch(undefined, unit);
          for (const v of values) {
            byMs.addMs(v);
            byValue.add(v / unit);
          }
          const { sum: _a, ...a } = byMs.state();
          const { sum: _b, ...b } = byValue.state();
          expect(a).toEqual(b);
        }
      }),
      { numRuns: 100 },
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

describe('addMs: values from whole milliseconds, summed in milliseconds', () => {
  const DAY = 86_400_000;
  it('holds the same values as add(ms / unit), with the sum of the ms divided once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 * DAY }), { maxLength: 50 }), (ms) => {
        const byMs = createQuantileSketch(undefined, DAY);
        const byValue = createQuantileSketch();
        for (const m of ms) {
          byMs.addMs(m);
          byValue.add(m / DAY);
        }
        const { sum: a, ...restMs } = byMs.state();
        const { sum: b, ...restValue } = byValue.state();
        expect(restMs).toEqual(restValue);
        expect(a).toBe(ms.reduce((s, m) => s + m, 0) / DAY);
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, b));
      }),
      { numRuns: 100 },
    );
  });

  it('merges exact states of the same unit exactly, and refuses another unit', () => {
    const a = createQuantileSketch(undefined, DAY);
    const b = createQuantileSketch(undefined, DAY);
    a.addMs(DAY);
    b.addMs(2 * DAY);
    a.merge(b.exactState());
    expect(a.sum).toBe(3);
    expect(a.count).toBe(2);
    const hours = createQuantileSketch(undefined, 3_600_000);
    hours.addMs(DAY);
    expect(() => a.merge(hours.exactState())).toThrow(/3600000 ms a unit into one of 86400000/);
    expect(() => createQuantileSketch().addMs(1)).toThrow(/msPerUnit/);
  });
});
