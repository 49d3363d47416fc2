import { describe, expect, it } from 'vitest';
import { createCaseIds } from '../../src/readers/case-ids.ts';

describe('createCaseIds', () => {
  it('remembers which input each of 200,000 ids came from, through its growth, with no false repeat', () => {
    const ids = createCaseIds(16);
    for (let n = 0; n < 200_000; n++) {
      const id = `R${n % 10}-A${n}`;
      expect(ids.inputOf(id)).toBe(-1);
      ids.add(id, n % 3);
    }
    expect(ids.size).toBe(200_000);
    for (let n = 0; n < 200_000; n += 997) expect(ids.inputOf(`R${n % 10}-A${n}`)).toBe(n % 3);
    expect(ids.inputOf('A1')).toBe(-1);
    ids.add('R1-A1', 2); // a repeat keeps the first input
    expect(ids.inputOf('R1-A1')).toBe(1);
    expect(ids.size).toBe(200_000);
  });

  it('tells apart ids that differ only in non-ASCII characters', () => {
    const ids = createCaseIds();
    ids.add('Fall-ä', 0);
    expect(ids.inputOf('Fall-ö')).toBe(-1);
    expect(ids.inputOf('Fall-ä')).toBe(0);
  });
});
