import { createHash64Table } from './hash64-table.ts';

/**
 * The case ids read so far, for the duplicate check across inputs: a 64-bit hash of each id (two
 * 32-bit FNV-1a variants) and the index of the input it came from, in flat typed arrays — about
 * 14 bytes a case and no string kept (a Map of the ids took about 100 bytes a case, most of the
 * memory of a large log). Two ids that share both hashes (about one chance in 10^19 per pair) would
 * make the later case be reported as a repeat of the earlier.
 */
export interface CaseIds {
  /** The input the id was first read from, or -1. */
  inputOf(id: string): number;
  /** `inputOf` for an id known by its two hashes (`caseIdHashes`). */
  inputOfHashes(a: number, b: number): number;
  add(id: string, input: number): void;
  /**
   * `inputOf(id)`, and when that is -1, `add(id, input)`: one pass over the id's characters and one
   * probe of the table where the two took four and three (the check of every case read).
   */
  inputOfOrAdd(id: string, input: number): number;
  /** `add` for an id known by its two hashes. */
  addHashes(a: number, b: number, input: number): void;
  readonly size: number;
}

function hashA(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

function hashB(s: string): number {
  let h = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  return (h | 0) === 0 ? 1 : h | 0; // 0 marks an empty slot
}

/** `hashA` and `hashB` of `s` in one loop, left in `pair`. */
const pair = new Int32Array(2);
function hashPair(s: string): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  pair[0] = a;
  pair[1] = (b | 0) === 0 ? 1 : b;
}

/** The two 32-bit hashes of a case id the table keys it by, written at `out[at]` and `out[at + 1]`. */
export function caseIdHashes(id: string, out: Int32Array, at: number): void {
  out[at] = hashA(id);
  out[at + 1] = hashB(id);
}

export function createCaseIds(initialCapacity = 1 << 12): CaseIds {
  const table = createHash64Table((n) => new Uint16Array(n), initialCapacity);
  return {
    inputOf(id) {
      return table.get(hashA(id), hashB(id));
    },
    inputOfHashes(a, b) {
      return table.get(a, b);
    },
    add(id, input) {
      const a = hashA(id);
      const b = hashB(id);
      if (table.get(a, b) === -1) table.set(a, b, Math.min(input, 0xffff));
    },
    inputOfOrAdd(id, input) {
      hashPair(id);
      return table.getOrAdd(pair[0]!, pair[1]!, Math.min(input, 0xffff));
    },
    addHashes(a, b, input) {
      if (table.get(a, b) === -1) table.set(a, b, Math.min(input, 0xffff));
    },
    get size() {
      return table.size;
    },
  };
}
