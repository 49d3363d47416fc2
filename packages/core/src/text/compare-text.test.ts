import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareText } from './compare-text.ts';

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe('compareText', () => {
  it('orders as localeCompare does: space, _, -, digits, letters without case, then lower case first', () => {
    expect(compareText('a_b', 'a-b')).toBe(-1);
    expect(compareText('a-b', 'a b')).toBe(1);
    expect(compareText('-', '0')).toBe(-1);
    expect(compareText('a', 'A')).toBe(-1);
    expect(compareText('a b', 'ab')).toBe(-1);
    expect(compareText('B', 'a')).toBe(1);
    expect(compareText('9', 'a')).toBe(-1);
    expect(compareText('Ab', 'aB')).toBe(1);
    expect(compareText('ab', 'ab')).toBe(0);
  });

  it('gives localeCompare -1, 0 or 1 for every pair, handled here or not', () => {
    // Mostly the handled characters (cases and prefixes of one another), some not (→ localeCompare).
    const char = fc.constantFrom(...' _-0129aAbBmMzZ', ...' _-0129aAbBmMzZ', 'é', '.', '/');
    const text = fc.array(char, { maxLength: 6 }).map((cs) => cs.join(''));
    const pair = fc.oneof(
      fc.tuple(text, text),
      text.map((a) => [a, a.toUpperCase()] as const),
      fc.tuple(text, text).map(([a, b]) => [a, a + b] as const),
    );
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(compareText(a, b)).toBe(sign(a.localeCompare(b)));
      }),
      { numRuns: 20_000 },
    );
  });
});
