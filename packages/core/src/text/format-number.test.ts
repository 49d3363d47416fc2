import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneDecimal } from './format-number.ts';

const intl = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });

describe('oneDecimal', () => {
  it('writes what en-US Intl writes with at most one decimal', () => {
    for (const x of [
      0,
      -0,
      -0.04,
      0.05,
      0.95,
      2.05,
      9.95,
      99.96,
      999.95,
      1234.56,
      -1234.56,
      1e-6,
      1e-7,
      2 ** 49,
      1e21,
      NaN,
    ])
      expect(oneDecimal(x)).toBe(intl(x));
    const value = fc.oneof(
      fc.double({ noNaN: true }),
      fc.double({ min: -1e7, max: 1e7, noNaN: true }),
      fc.integer({ min: -100_000, max: 100_000 }).map((n) => n / 100), // ties at the second decimal
      fc.integer({ min: -100_000, max: 100_000 }).map((n) => n / 20),
      fc.integer({ min: 0, max: 2 ** 50 }),
    );
    fc.assert(
      fc.property(value, (x) => {
        expect(oneDecimal(x)).toBe(intl(x));
      }),
      { numRuns: 20_000 },
    );
  });
});
