import { formatTimestamp } from '@baton/core/time';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ByteSink, createByteSink } from './byte-sink.ts';
import { csvCell } from './csv.ts';

/** A sink over memory with a tiny buffer (so writes straddle flushes), and what it wrote. */
function memorySink(size = 64): { sink: ByteSink; text: () => string } {
  const chunks: Buffer[] = [];
  const sink = createByteSink((b) => chunks.push(Buffer.from(b)), size, 4);
  return {
    sink,
    text: () => {
      sink.close();
      return Buffer.concat(chunks.splice(0)).toString('utf8');
    },
  };
}

describe('createByteSink', () => {
  it('writes what formatTimestamp writes, for any instant and offset', () => {
    const { sink, text } = memorySink();
    fc.assert(
      fc.property(
        fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }),
        fc.integer({ min: -18 * 60, max: 18 * 60 }),
        (at, offset) => {
          sink.timestamp(at, offset);
          expect(text()).toBe(formatTimestamp(at, offset));
        },
      ),
      { numRuns: 2000 },
    );
    // Years outside 1000–9999 and fractional milliseconds take the general path.
    for (const [at, offset] of [
      [-62_135_596_800_000 - 86_400_000, 0],
      [Date.UTC(12_000, 0, 1), 60],
      [1.5, 0],
      [Date.UTC(2020, 1, 29, 23, 59, 59, 999), -330],
    ] as const) {
      sink.timestamp(at, offset);
      expect(text()).toBe(formatTimestamp(at, offset));
    }
  });

  it('writes what csvCell writes, for numbers and for strings met once or repeated', () => {
    const { sink, text } = memorySink();
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 1e9, 999_999_999, NaN, Infinity)), (n) => {
        sink.number(n);
        expect(text()).toBe(csvCell(n));
      }),
      { numRuns: 2000 },
    );
    // Fractions below 1e9 are written digit by digit (days in cases.csv): every scale, both signs,
    // the rounding at the sixth decimal, and the limits of that path.
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: -2e9, max: 2e9, noNaN: true }),
          fc.double({ min: -1, max: 1, noNaN: true }),
          fc.integer({ min: -1e15, max: 1e15 }).map((k) => k / 1e6),
          fc.integer({ min: -1e9, max: 1e9 }).map((k) => k / 1e6 + 5e-7),
          fc.constantFrom(5e-7, -5e-7, 4.9e-7, 1e-6, 0.1 + 0.2, 999_999_999.9999995, -999_999_999.999999, 1e9 - 1e-7),
        ),
        (n) => {
          sink.number(n);
          expect(text()).toBe(csvCell(n));
        },
      ),
      { numRuns: 5000 },
    );
    const strings = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.constantFrom('=SUM(A1)', '-3', '-x', 'a,b', 'say "hi"', 'two\nlines', 'Österreich', '数据', ''),
    );
    fc.assert(
      fc.property(fc.array(strings, { maxLength: 12 }), (values) => {
        for (const v of values) {
          sink.cell(v);
          sink.byte(44);
          sink.name(v);
          sink.byte(44);
          sink.raw(v);
        }
        expect(text()).toBe(values.map((v) => `${csvCell(v)},${csvCell(v)},${v}`).join(''));
      }),
      { numRuns: 500 },
    );
  });

  it('writes the same bytes for timestamps and names met again, in any order (the recent-value caches)', () => {
    const { sink, text } = memorySink();
    // Pools larger than the caches' slots, so values meet their slot taken by another.
    const stamps = fc.sample(
      fc.tuple(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.constantFrom(0, 60, 120, -300, 330)),
      { numRuns: 6000, seed: 3 },
    );
    // Names alike in length and end characters (one slot), and the empty name.
    const names = ['axb', 'ayb', 'azb', '', 'Payment', 'Pxxxxxt', 'Send Fine', 'a,b', 'Österreich', '數據'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: stamps.length - 1 }), fc.nat({ max: names.length - 1 })), { maxLength: 40 }),
        (picks) => {
          for (const [s, n] of picks) {
            const [at, offset] = stamps[s]!;
            sink.timestamp(at, offset);
            sink.byte(44);
            sink.name(names[n]!);
          }
          expect(text()).toBe(
            picks.map(([s, n]) => `${formatTimestamp(...stamps[s]!)},${csvCell(names[n]!)}`).join(''),
          );
        },
      ),
      { numRuns: 500, seed: 5 },
    );
    // Every stamp again, in order: each either hits its slot or was evicted by another.
    for (const [at, offset] of stamps) sink.timestamp(at, offset);
    expect(text()).toBe(stamps.map(([at, offset]) => formatTimestamp(at, offset)).join(''));
    for (const [at, offset] of stamps) sink.timestamp(at, offset);
    expect(text()).toBe(stamps.map(([at, offset]) => formatTimestamp(at, offset)).join(''));
  });

  it('writes the separator given after a name, a timestamp or bytes, straddling flushes', () => {
    const { sink, text } = memorySink(16);
    const names = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'Send for Credit Collection', 'a,b', 'Österreich'];
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat({ max: names.length - 1 }),
            fc.integer({ min: 0, max: 4_102_444_800_000 }),
            fc.constantFrom(0, 60, -330),
            fc.constantFrom(44, 10, 9),
          ),
          { maxLength: 30 },
        ),
        (cells) => {
          for (const [n, at, offset, then] of cells) {
            sink.name(names[n]!, then);
            sink.timestamp(at, offset, then);
            sink.timestamp(at, offset, then);
            sink.bytes(Buffer.from(names[n]!), then);
          }
          expect(text()).toBe(
            cells
              .map(([n, at, offset, then]) => {
                const sep = String.fromCharCode(then);
                const stamp = formatTimestamp(at, offset) + sep;
                return csvCell(names[n]!) + sep + stamp + stamp + names[n]! + sep;
              })
              .join(''),
          );
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('grows for a cell longer than its buffer', () => {
    const { sink, text } = memorySink(16);
    const long = 'x'.repeat(1000) + 'é'.repeat(300);
    sink.raw('a');
    sink.cell(long);
    sink.name(long);
    expect(text()).toBe(`a${long}${long}`);
  });
});
