import { createHash64Table } from './hash64-table.ts';

/**
 * Where each case's rows end, found by a first pass over a CSV so that the second can hand each
 * case on at its last row and forget it, holding only the cases still open.
 *
 * Most exports are grouped (a case's rows together), so a case usually ends where the case column
 * changes: one bit per row marks those run ends. A case whose id comes back after another case's
 * rows is caught by a fixed-size Bloom filter of the ids seen (4 MB, no false negatives; the bits of
 * an id all in one 32-bit word, so one memory access an id rather than one a bit) and kept
 * exactly, with its last row, in a hash table of 64-bit id hashes (16 bytes a case). Memory is then
 * the filter, a bit a row and the cases whose rows are spread out (plus the filter's few false
 * positives, which are only held to their true last row) — not 16 bytes for every case.
 * Two ids that share a 64-bit hash share one entry (the later last row): the earlier case is then
 * handed on late, never wrongly, so a collision costs memory, not correctness.
 */
export interface CaseEnds {
  /** Row `index` (in file order) belongs to the case whose id has these bytes (Infinity: hold it to the end). */
  see(buf: Uint8Array, start: number, end: number, index: number): void;
  /** True when row `index` is the last row of its case. */
  isLast(buf: Uint8Array, start: number, end: number, index: number): boolean;
  /** `isLast` for an id whose hashes `hashId` gave. */
  isLastHashed(a: number, b: number, index: number): boolean;
  /** Cases kept exactly (their rows are spread out, or the filter could not tell). */
  readonly spread: number;
}

/** Where `hashId` leaves an id's two hashes: overwritten by the next call, so read them at once. */
export const idHashes = { a: 0, b: 0 };

/** The two 32-bit hashes of an id's bytes (FNV-1a and a Murmur-like mix; `b` never 0), in one loop. */
export function hashId(buf: Uint8Array, start: number, end: number): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ (end - start);
  for (let i = start; i < end; i++) {
    const x = buf[i]!;
    a = Math.imul(a ^ x, 0x01000193);
    b = Math.imul(b ^ x, 0x5bd1e995);
    b ^= b >>> 15;
  }
  idHashes.a = a | 0;
  idHashes.b = (b | 0) === 0 ? 1 : b | 0; // 0 marks an empty slot
}

const BLOOM_WORDS = 1 << 20;

export function createCaseEnds(): CaseEnds {
  const bloom = new Uint32Array(BLOOM_WORDS);
  // The cases kept exactly, with their last row so far.
  const spread = createHash64Table((n) => new Float64Array(n));
  let runEnds = new Uint8Array(1 << 12);
  let prevA = 0;
  let prevB = 0;
  let prevIndex = -1;

  /** Adds the id to the filter; true when it may have been there already. */
  function testAndAdd(a: number, b: number): boolean {
    // A word placed by `a`, four bits in it by `b`.
    const word = Math.imul(a, 0x9e3779b1) >>> 12;
    const mask = (1 << (b & 31)) | (1 << ((b >>> 5) & 31)) | (1 << ((b >>> 10) & 31)) | (1 << ((b >>> 15) & 31));
    const old = bloom[word]!;
    if ((old & mask) === mask) return true;
    bloom[word] = old | mask;
    return false;
  }

  function markRunEnd(index: number): void {
    if (index < 0 || !Number.isFinite(index)) return;
    if (index >>> 3 >= runEnds.length) {
      const next = new Uint8Array(Math.max(runEnds.length * 2, (index >>> 3) + 1));
      next.set(runEnds);
      runEnds = next;
    }
    runEnds[index >>> 3] = runEnds[index >>> 3]! | (1 << (index & 7));
  }

  function isLastHashed(a: number, b: number, index: number): boolean {
    if (spread.size > 0) {
      const last = spread.get(a, b);
      if (last >= 0) return last === index;
    }
    if (index === prevIndex) return true; // the file's last row ends the last run
    return index >>> 3 < runEnds.length && ((runEnds[index >>> 3]! >>> (index & 7)) & 1) === 1;
  }

  return {
    see(buf, start, end, index) {
      hashId(buf, start, end);
      const { a, b } = idHashes;
      if (index === Number.POSITIVE_INFINITY) {
        spread.raise(a, b, index, true);
        return;
      }
      if (a !== prevA || b !== prevB || prevIndex < 0) {
        // A new run: the previous one ended on its last row; this id may have had rows before.
        markRunEnd(prevIndex);
        if (testAndAdd(a, b)) spread.raise(a, b, index, true);
        prevA = a;
        prevB = b;
      } else if (spread.size > 0) spread.raise(a, b, index, false);
      prevIndex = index;
    },
    isLast(buf, start, end, index) {
      hashId(buf, start, end);
      return isLastHashed(idHashes.a, idHashes.b, index);
    },
    isLastHashed,
    get spread() {
      return spread.size;
    },
  };
}
