import { formatTimestamp } from '@baton/core/time';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ByteSink, createByteSink } from './byte-sink.ts';
import { csvCell, csvRow } from './csv.ts';

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

  it('writes numbers as csvCell does, comma separated, straddling flushes', () => {
    const { sink, text } = memorySink(16);
    const number = fc.oneof(
      fc.nat({ max: 120 }),
      fc.integer(),
      fc.double({ min: -2e9, max: 2e9, noNaN: true }),
      fc.integer({ min: 0, max: 1e12 }).map((k) => k / 1e6),
      fc.constantFrom(0, -0, 9, 10, 99, 100, 999, 1000, 1e9, 999_999_999, -1e-7, 0.5e-6, NaN, Infinity, -Infinity),
    );
    fc.assert(
      fc.property(fc.array(number, { minLength: 1, maxLength: 14 }), fc.constantFrom(44, 10), (values, then) => {
        sink.numbers(values, values.length, then);
        expect(text()).toBe(values.map((v) => csvCell(v)).join(',') + String.fromCharCode(then));
      }),
      { numRuns: 2000, seed: 11 },
    );
    // Only the first `count` values.
    sink.numbers([1, 2.5, 3], 2, 10);
    expect(text()).toBe('1,2.5\n');
  });

  it('writes values joined as csvCell writes the joined text: quotes and the formula guard over the whole', () => {
    const { sink, text } = memorySink(16);
    const values = ['ann', 'bob', '561', '=x', '-3', '-x', '+1', '@a', 'a,b', 'say "hi"', 'Österreich', '', '-', ' '];
    for (const [list, separator] of [
      [['-3', 'ann'], ' > '],
      [['-3'], ' > '],
      [['ann', '-3'], ' > '],
      [['=x', 'ann'], ' > '],
      [['ann', '=x'], ' > '],
      [['ann', 'a,b'], ' > '],
      [['', 'ann'], ' > '],
      [['ann', 'bob'], ','],
      [['ann', 'bob'], '='],
      [[], ' > '],
    ] as const) {
      sink.joined(list, separator, 44);
      expect(text()).toBe(`${csvCell(list.join(separator))},`);
    }
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...values), fc.string()), { maxLength: 6 }),
        fc.constantFrom(' > ', ' > ', ',', '-', '', '"'),
        fc.constantFrom(44, 10),
        (list, separator, then) => {
          sink.joined(list, separator, then);
          sink.joined(list, separator, then);
          const cell = csvCell(list.join(separator)) + String.fromCharCode(then);
          expect(text()).toBe(cell + cell);
        },
      ),
      { numRuns: 2000, seed: 13 },
    );
  });

  it('writes a stamped row as csvRow does, rows repeated or not, straddling flushes', () => {
    const { sink, text } = memorySink(16);
    // Ids whose cells need quotes, the guard or more bytes than characters (long enough to flush).
    const ids = [
      'A1',
      'A100',
      'a,b',
      '=cmd',
      '-3',
      'Österreich',
      '',
      'x'.repeat(300),
      'say "hi"',
      'Ö'.repeat(100),
      '"'.repeat(40),
    ];
    // Names alike in length and end characters, names that need quotes or the guard, the empty one.
    const names = [
      '',
      'status',
      'created',
      'owner',
      'org:resource',
      'axb',
      'ayb',
      'Send Fine',
      'a,b',
      '=x',
      '-x',
      '數據',
    ];
    const stamps = [
      [Date.UTC(2006, 6, 24), 120],
      [Date.UTC(2006, 6, 24), 60],
      [Date.UTC(2006, 6, 24, 9, 30, 1, 7), 0],
      [Date.UTC(12_000, 0, 1), 60],
      [1.5, 0],
      [-62_135_596_800_000 - 86_400_000, 0],
    ] as const;
    const row = fc.tuple(
      fc.nat({ max: ids.length - 1 }),
      fc.nat({ max: stamps.length - 1 }),
      fc.array(fc.nat({ max: names.length - 1 }), { minLength: 5, maxLength: 5 }),
    );
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        // Each row twice: the second meets every cache the first filled.
        const expected: string[] = [];
        for (const [i, s, n] of [...rows, ...rows]) {
          const [at, offset] = stamps[s]!;
          const [a, b, c, d, e] = n.map((k) => names[k]!);
          sink.stampedRow(ids[i]!, at, offset, a!, b!, c!, d!, e!);
          expected.push(csvRow([ids[i]!, formatTimestamp(at, offset), a, b, c, d, e]));
        }
        expect(text()).toBe(expected.join(''));
      }),
      { numRuns: 500, seed: 17 },
    );
  });

  it('writes stamped rows right when more row tails than its cache holds come and go', () => {
    const { sink, text } = memorySink(4096);
    // Tails that differ in one cell only (the kind and field, c, d or e), 4 × 1,500 of them (the
    // cache has 1,024 slots), each met three times, shuffled.
    const picks = fc.sample(fc.tuple(fc.nat({ max: 5999 }), fc.nat({ max: 50 })), { numRuns: 18_000, seed: 19 });
    const expected: string[] = [];
    for (const [tail, id] of picks) {
      const k = `${tail >> 2}`;
      const which = tail & 3;
      const cells = [
        'status',
        which === 0 ? `f${k}` : 'status',
        which === 1 ? `c${k}` : 'Send Fine',
        which === 2 ? `d${k}` : 'Payment',
        which === 3 ? `e${k}` : '561',
      ] as const;
      const at = Date.UTC(2007, 0, 1 + (tail % 400));
      sink.stampedRow(`A${id}`, at, 60, ...cells);
      expected.push(csvRow([`A${id}`, formatTimestamp(at, 60), ...cells]));
    }
    expect(text()).toBe(expected.join(''));
  });

  it('tells cached timestamps of one instant apart by their offsets', () => {
    // Offsets 4,096 minutes apart share a slot of the timestamp cache (the offset enters its hash
    // shifted 20 bits), so only the stored offset tells these apart; another instant between them
    // keeps a row from reusing the timestamp of the row before.
    const { sink, text } = memorySink(4096);
    const expected: string[] = [];
    const other = Date.UTC(2010, 5, 1);
    for (const at of [Date.UTC(2007, 0, 1), Date.UTC(2007, 0, 1, 12, 30, 15, 250)]) {
      const offsets = [0, 4096, -4096, 0, 4096];
      for (const offset of offsets) {
        sink.stampedRow('A1', at, offset, 'status', 'status', 'a', 'b', '561');
        sink.stampedRow('A1', other, 60, 'status', 'status', 'a', 'b', '561');
        expected.push(
          csvRow(['A1', formatTimestamp(at, offset), 'status', 'status', 'a', 'b', '561']),
          csvRow(['A1', formatTimestamp(other, 60), 'status', 'status', 'a', 'b', '561']),
        );
      }
      for (const offset of offsets) {
        sink.timestamp(at, offset, 10);
        expected.push(`${formatTimestamp(at, offset)}\n`);
      }
    }
    expect(text()).toBe(expected.join(''));
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
