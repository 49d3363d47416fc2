import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distributionOf, exactSource, histogram, quantileSorted, Sample, sortFloat64 } from './stats.ts';

/** sortFloat64 of arrays of `double` (`minLength` to 3,000 values) equals the built-in sort, bit for bit. */
function sortsLikeBuiltIn(double: fc.Arbitrary<number>, minLength: number): void {
  fc.assert(
    fc.property(fc.array(double, { minLength, maxLength: 3000 }), (values) => {
      const expected = Float64Array.from(values).sort();
      const actual = sortFloat64(Float64Array.from(values));
      expect(new Uint8Array(actual.buffer)).toEqual(new Uint8Array(expected.buffer));
    }),
    { numRuns: 60, interruptAfterTimeLimit: 10_000 },
  );
}

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
    sortsLikeBuiltIn(double, 400);
  });

  it('sorts non-negative doubles (durations) as the built-in sort does', () => {
    // No sign bit: only the bits that differ are sorted, so each digit's place depends on the values.
    const double = fc.oneof(
      fc.double({ min: 0, noNaN: true }),
      fc.constantFrom(0, Infinity, Number.MIN_VALUE, 1, 2 ** 31, 2 ** 32 - 1),
      fc.integer({ min: 0, max: 5 }),
      fc.integer({ min: 0, max: 2 ** 40 }).map((days) => days * 86_400_000),
    );
    sortsLikeBuiltIn(double, 512);
  });

  it('sorts on every bit of the pattern: each digit, and the ones across the two words', () => {
    // One value per bit of the 64-bit pattern but the sign, each with only that bit set (plus a
    // varying low bit so every digit's bits differ), shuffled: a pass that is skipped, misplaced or
    // wrong in either word leaves some pair out of order.
    const bytes = new Uint8Array(8);
    const view = new DataView(bytes.buffer);
    const values: number[] = [];
    for (let copy = 0; copy < 10; copy++)
      for (let bit = 0; bit < 63; bit++) {
        const hi = bit >= 32 ? 2 ** (bit - 32) : 0;
        const lo = bit < 32 ? 2 ** bit : 0;
        view.setUint32(0, lo + (copy % 2), true);
        view.setUint32(4, hi, true);
        const v = view.getFloat64(0, true);
        if (v === v) values.push(v);
      }
    for (let i = values.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [values[i], values[j]] = [values[j]!, values[i]!];
    }
    expect(values.length).toBeGreaterThan(512);
    const expected = Float64Array.from(values).sort();
    const actual = sortFloat64(Float64Array.from(values));
    expect(new Uint8Array(actual.buffer)).toEqual(new Uint8Array(expected.buffer));
  });

  it('scans and sums past the first chunk of values', () => {
    // Fractions, so the sum depends on its order: ascending, one value after the other.
    const values = Array.from({ length: 20_000 }, (_, i) => ((i * 7919) % 20_011) / 7);
    const sorted = Float64Array.from(values).sort();
    let sum = 0;
    for (const v of sorted) sum += v;
    const source = exactSource(values);
    expect(source.sum).toBe(sum);
    expect(source.quantile(1)).toBe(sorted[sorted.length - 1]);
    // A NaN (sign bit set) past the first chunk still sends the values to the built-in order, NaN
    // last, where the radix sort would fold it in first.
    const mixed = new Float64Array(20_000).fill(-1);
    for (let i = 10_000; i < mixed.length; i++) mixed[i] = (i * 7919) % 20_011;
    new DataView(mixed.buffer).setFloat64(15_000 * 8, -NaN, true);
    new DataView(mixed.buffer).setUint8(15_000 * 8 + 7, 0xff);
    expect(Number.isNaN(mixed[15_000])).toBe(true);
    const expected = Float64Array.from(mixed).sort();
    const actual = sortFloat64(mixed);
    expect(Number.isNaN(actual[actual.length - 1])).toBe(true);
    expect([...actual.subarray(0, -1)]).toEqual([...expected.subarray(0, -1)]);
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
