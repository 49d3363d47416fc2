import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distributionOf, histogram, quantileSorted, Sample, sortFloat64 } from './stats.ts';

describe('stats', () => {
  it('interpolates quantiles like R type 7 / numpy', () => {
    // numpy.quantile([1, 2, 3, 4], [0.5, 0.9]) == [2.5, 3.7]
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(quantileSorted([7], 0.9)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNull();
  });

  it('summarises unsorted values in a unit without changing them', () => {
    const values = [48, 24, 72];
    expect(distributionOf(values, 24)).toMatchObject({ count: 3, mean: 2, p50: 2, max: 3 });
    expect(values).toEqual([48, 24, 72]);
    expect(distributionOf([])).toMatchObject({ count: 0, mean: null, p50: null });
  });

  it('bins by lower edge with an open last bin', () => {
    expect(histogram([0, 0.5, 1, 1.5, 7, 100, -1], [0, 1, 7])).toEqual([3, 2, 2]);
  });

  it('grows a sample', () => {
    const s = new Sample();
    for (let i = 0; i < 200; i++) s.push(i);
    expect(s.length).toBe(200);
    expect(s.values()[199]).toBe(199);
  });

  it('sorts doubles as the built-in sort does, past the radix threshold too', () => {
    // Bit-for-bit: −0 before +0, infinities at the ends, subnormals, equal values; NaN last.
    const double = fc.oneof(
      fc.double(),
      fc.constantFrom(0, -0, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, 1, -1),
      fc.integer({ min: -5, max: 5 }),
      // Whole ms (stays, cycle times): their low digits are all the same, so those passes are skipped.
      fc.integer({ min: 0, max: 2 ** 40 }),
    );
    fc.assert(
      fc.property(fc.array(double, { minLength: 400, maxLength: 3000 }), (values) => {
        const expected = Float64Array.from(values).sort();
        const actual = sortFloat64(Float64Array.from(values));
        expect(new Uint8Array(actual.buffer)).toEqual(new Uint8Array(expected.buffer));
      }),
      { numRuns: 60, interruptAfterTimeLimit: 10_000 },
    );
  });

  it('sorts a view into a larger buffer in place, leaving the rest alone', () => {
    const whole = Float64Array.from({ length: 3000 }, (_, i) => ((i * 7919) % 3001) - 1500);
    const view = whole.subarray(1000, 2500);
    const expected = Float64Array.from(view).sort();
    const before = Float64Array.from(whole);
    expect(view.length).toBeGreaterThan(512); // the radix sort's, not the built-in one's
    sortFloat64(view);
    expect([...view]).toEqual([...expected]);
    expect([...whole.subarray(0, 1000)]).toEqual([...before.subarray(0, 1000)]);
    expect([...whole.subarray(2500)]).toEqual([...before.subarray(2500)]);
  });
});
