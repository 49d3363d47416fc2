import { describe, expect, it } from 'vitest';
import { caseIdHashes, createCaseIds } from '../../src/readers/case-ids.ts';

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

  it('inputOfOrAdd answers what inputOf did and adds the id when new, under the hashes the shards use', () => {
    const ids = createCaseIds(16);
    const other = createCaseIds(16);
    const h = new Int32Array(2);
    for (let n = 0; n < 50_000; n++) {
      const id = `C${n % 7}-${n}-é`;
      expect(ids.inputOfOrAdd(id, n % 5)).toBe(-1);
      caseIdHashes(id, h, 0);
      expect(ids.inputOfHashes(h[0]!, h[1]!)).toBe(n % 5);
      expect(ids.inputOf(id)).toBe(n % 5);
      other.addHashes(h[0]!, h[1]!, 1);
      expect(other.inputOf(id)).toBe(1);
    }
    expect(ids.size).toBe(50_000);
    // A repeat answers the first input and keeps it.
    expect(ids.inputOfOrAdd('C3-3-é', 4)).toBe(3);
    expect(ids.inputOf('C3-3-é')).toBe(3);
    expect(ids.inputOfOrAdd('', 2)).toBe(-1);
    expect(ids.inputOfOrAdd('', 0)).toBe(2);
    expect(ids.size).toBe(50_001);
  });
});
