import { createHash64Table } from './hash64-table.ts';

/**
 * Where each case's rows end, found by a first pass over a CSV so that the second can hand each
 * case on at its last row and forget it, holding only the cases still open.
 *
 * Most exports are grouped (a case's rows together), so a case usually ends where the case column
 * changes: one bit per row marks those run ends. A case whose id comes back after another case's
 * rows is caught by a fixed-size Bloom filter of the ids seen (4 MB, no false negatives) and kept
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
  /** Cases kept exactly (their rows are spread out, or the filter could not tell). */
  readonly spread: number;
}

function hashA(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h | 0;
}

function hashB(b: Uint8Array, s: number, e: number): number {
  let h = 0x9747b28c ^ (e - s);
  for (let i = s; i < e; i++) {
    h = Math.imul(h ^ b[i]!, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return (h | 0) === 0 ? 1 : h | 0; // 0 marks an empty slot
}

const BLOOM_BITS = 1 << 25;
const BLOOM_HASHES = 4;

export function createCaseEnds(): CaseEnds {
  const bloom = new Uint32Array(BLOOM_BITS >>> 5);
  // The cases kept exactly, with their last row so far.
  const spread = createHash64Table((n) => new Float64Array(n));
  const seeRow = (a: number, b: number, index: number) => {
    if (index > spread.get(a, b)) spread.set(a, b, index);
  };
  let runEnds = new Uint8Array(1 << 12);
  let prevA = 0;
  let prevB = 0;
  let prevIndex = -1;

  /** Adds the id to the filter; true when it may have been there already. */
  function testAndAdd(a: number, b: number): boolean {
    let present = true;
    for (let k = 0; k < BLOOM_HASHES; k++) {
      const bit = (a + Math.imul(k, b)) & (BLOOM_BITS - 1);
      const word = bit >>> 5;
      const mask = 1 << (bit & 31);
      if ((bloom[word]! & mask) === 0) {
        present = false;
        bloom[word] = bloom[word]! | mask;
      }
    }
    return present;
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

  return {
    see(buf, start, end, index) {
      const a = hashA(buf, start, end);
      const b = hashB(buf, start, end);
      if (index === Number.POSITIVE_INFINITY) {
        seeRow(a, b, index);
        return;
      }
      if (a !== prevA || b !== prevB || prevIndex < 0) {
        // A new run: the previous one ended on its last row; this id may have had rows before.
        markRunEnd(prevIndex);
        if (testAndAdd(a, b)) seeRow(a, b, index);
        prevA = a;
        prevB = b;
      } else if (spread.size > 0 && spread.get(a, b) >= 0) seeRow(a, b, index);
      prevIndex = index;
    },
    isLast(buf, start, end, index) {
      if (spread.size > 0) {
        const last = spread.get(hashA(buf, start, end), hashB(buf, start, end));
        if (last >= 0) return last === index;
      }
      if (index === prevIndex) return true; // the file's last row ends the last run
      return index >>> 3 < runEnds.length && ((runEnds[index >>> 3]! >>> (index & 7)) & 1) === 1;
    },
    get spread() {
      return spread.size;
    },
  };
}
