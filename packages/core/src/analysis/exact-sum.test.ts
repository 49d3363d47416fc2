import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactSum, exactSumOf } from './exact-sum.ts';

/** Doubles m × 2^e with integer m (|m| < 2^53) and e in [−60, 60]: their exact sum is a BigInt scaled by 2^60. */
const scaledArb = fc.tuple(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.integer({ min: -60, max: 60 }));
const valueOf = ([m, e]: [number, number]) => m * 2 ** e;
/** The double nearest the exact sum: `Number(bigint)` rounds to nearest, ties to even; dividing by 2^60 is exact. */
const reference = (xs: [number, number][]) =>
  Number(xs.reduce((s, [m, e]) => s + (BigInt(m) << BigInt(e + 60)), 0n)) / 2 ** 60;

describe('ExactSum', () => {
  it('is the exact sum rounded once, whatever the values', () => {
    fc.assert(
      fc.property(fc.array(scaledArb, { maxLength: 30 }), (xs) => {
        expect(exactSumOf(xs.map(valueOf))).toBe(reference(xs));
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on the order of the values, nor on adding runs of them as parts', () => {
    fc.assert(
      fc.property(fc.array(scaledArb, { maxLength: 30 }), fc.nat(), fc.nat(), (xs, cut, seed) => {
        const values = xs.map(valueOf);
        const shuffled = [...values].sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13));
        const at = values.length === 0 ? 0 : cut % values.length;
        const head = new ExactSum();
        const tail = new ExactSum();
        values.slice(0, at).forEach((v) => head.add(v));
        values.slice(at).forEach((v) => tail.add(v));
        head.addParts(tail.partsOf());
        expect(head.value()).toBe(exactSumOf(values));
        expect(exactSumOf(shuffled)).toBe(exactSumOf(values));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps what a running sum loses', () => {
    // 1e16 + 1 − 1e16 is 0 summed left to right (1e16 + 1 rounds to 1e16), 1 exactly.
    expect(1e16 + 1 - 1e16).toBe(0);
    expect(exactSumOf([1e16, 1, -1e16])).toBe(1);
    // 0.1 + 0.2 + 0.3 depends on the order in doubles; the exact sum rounds the same either way.
    expect(0.1 + 0.2 + 0.3).not.toBe(0.3 + 0.2 + 0.1);
    expect(exactSumOf([0.1, 0.2, 0.3])).toBe(exactSumOf([0.3, 0.2, 0.1]));
    expect(exactSumOf([])).toBe(0);
  });

  it('rounds a halfway exact sum to even, as one rounding of the exact value does', () => {
    // 2^53 + 1 + 2^-60: just above halfway between 2^53 and 2^53 + 2, so it rounds up.
    expect(exactSumOf([2 ** 53, 1, 2 ** -60])).toBe(2 ** 53 + 2);
    expect(exactSumOf([2 ** 53, 1])).toBe(2 ** 53);
    expect(exactSumOf([2 ** 53, 1, -(2 ** -60)])).toBe(2 ** 53);
  });
});
