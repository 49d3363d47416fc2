import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCaseEnds } from '../../src/readers/case-ends.ts';

const bytes = (id: string) => Buffer.from(id);

/** Feeds ids row by row and returns, for each row, whether case-ends calls it its case's last. */
function lastFlags(ids: readonly string[], holdToEnd: readonly string[] = []): boolean[] {
  const ends = createCaseEnds();
  ids.forEach((id, i) => ends.see(bytes(id), 0, bytes(id).length, i));
  for (const id of holdToEnd) ends.see(bytes(id), 0, bytes(id).length, Number.POSITIVE_INFINITY);
  return ids.map((id, i) => ends.isLast(bytes(id), 0, bytes(id).length, i));
}

const truth = (ids: readonly string[], holdToEnd: readonly string[] = []) =>
  ids.map((id, i) => !holdToEnd.includes(id) && ids.lastIndexOf(id) === i);

describe('createCaseEnds', () => {
  it('finds every case’s last row, grouped or spread out, as the file order says', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 4 })), { maxLength: 60 }),
        (runs) => {
          const ids = runs.flatMap(([id, n]) => Array.from({ length: n }, () => `C${id}`));
          expect(lastFlags(ids)).toEqual(truth(ids));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps only the spread-out cases exactly: a grouped file of 100,000 cases keeps none', () => {
    const ends = createCaseEnds();
    let row = 0;
    for (let c = 0; c < 100_000; c++)
      for (let k = 0; k < 3; k++) ends.see(bytes(`case-${c}`), 0, bytes(`case-${c}`).length, row++);
    // The filter's false positives are the only cases kept: a handful in 100,000.
    expect(ends.spread).toBeLessThan(50);
    expect(ends.isLast(bytes('case-7'), 0, 6, 23)).toBe(true);
    expect(ends.isLast(bytes('case-7'), 0, 6, 22)).toBe(false);
  });

  it('holds a case with an unreadable row to the end', () => {
    const ids = ['A', 'B', 'B', 'A', 'C'];
    expect(lastFlags(ids, ['B'])).toEqual(truth(ids, ['B']));
  });
});
