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

interface LastRows {
  see(a: number, b: number, index: number): void;
  lastRow(a: number, b: number): number;
  readonly size: number;
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

function createLastRows(initialCapacity = 1 << 10): LastRows {
  let capacity = initialCapacity;
  let keysA = new Int32Array(capacity);
  let keysB = new Int32Array(capacity);
  let rows = new Float64Array(capacity);
  let size = 0;

  function slot(a: number, b: number): number {
    let i = (a ^ Math.imul(b, 0x27d4eb2d)) & (capacity - 1);
    while (keysB[i] !== 0 && (keysA[i] !== a || keysB[i] !== b)) i = (i + 1) & (capacity - 1);
    return i;
  }

  function grow(): void {
    const oldA = keysA;
    const oldB = keysB;
    const oldRows = rows;
    capacity *= 2;
    keysA = new Int32Array(capacity);
    keysB = new Int32Array(capacity);
    rows = new Float64Array(capacity);
    for (let i = 0; i < oldB.length; i++) {
      if (oldB[i] === 0) continue;
      const j = slot(oldA[i]!, oldB[i]!);
      keysA[j] = oldA[i]!;
      keysB[j] = oldB[i]!;
      rows[j] = oldRows[i]!;
    }
  }

  return {
    see(a, b, index) {
      const i = slot(a, b);
      if (keysB[i] === 0) {
        keysA[i] = a;
        keysB[i] = b;
        size++;
        rows[i] = index;
        // Linear probing stays short up to three quarters full.
        if (size * 4 > capacity * 3) grow();
      } else if (index > rows[i]!) {
        rows[i] = index;
      }
    },
    lastRow(a, b) {
      const i = slot(a, b);
      return keysB[i] === 0 ? -1 : rows[i]!;
    },
    get size() {
      return size;
    },
  };
}

const BLOOM_BITS = 1 << 25;
const BLOOM_HASHES = 4;

export function createCaseEnds(): CaseEnds {
  const bloom = new Uint32Array(BLOOM_BITS >>> 5);
  const spread = createLastRows();
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
        spread.see(a, b, index);
        return;
      }
      if (a !== prevA || b !== prevB || prevIndex < 0) {
        // A new run: the previous one ended on its last row; this id may have had rows before.
        markRunEnd(prevIndex);
        if (testAndAdd(a, b)) spread.see(a, b, index);
        prevA = a;
        prevB = b;
      } else if (spread.size > 0 && spread.lastRow(a, b) >= 0) spread.see(a, b, index);
      prevIndex = index;
    },
    isLast(buf, start, end, index) {
      if (spread.size > 0) {
        const last = spread.lastRow(hashA(buf, start, end), hashB(buf, start, end));
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
