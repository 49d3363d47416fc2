import { formatTimestamp } from '@baton/core';
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

  it('grows for a cell longer than its buffer', () => {
    const { sink, text } = memorySink(16);
    const long = 'x'.repeat(1000) + 'é'.repeat(300);
    sink.raw('a');
    sink.cell(long);
    sink.name(long);
    expect(text()).toBe(`a${long}${long}`);
  });
});
