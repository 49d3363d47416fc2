/**
 * Where each case's last row is, keyed by a 64-bit hash of its id (two 32-bit FNV-1a variants) in
 * flat typed arrays: about 16 bytes a case, no string kept. Built by a first pass over a CSV so
 * that the second pass can hand each case on at its last row and forget it, holding only the
 * cases still open. Two ids that share a hash share one entry (the later last row): the earlier
 * case is then handed on late, never wrongly, so a collision costs memory, not correctness.
 */
export interface CaseEnds {
  /** Records that row `index` belongs to the case whose id has these bytes (Infinity: hold it to the end). */
  see(buf: Uint8Array, start: number, end: number, index: number): void;
  /** The index of the case's last row, or -1 when the case was not seen. */
  lastRow(buf: Uint8Array, start: number, end: number): number;
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

export function createCaseEnds(initialCapacity = 1 << 16): CaseEnds {
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
    see(buf, start, end, index) {
      const a = hashA(buf, start, end);
      const b = hashB(buf, start, end);
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
    lastRow(buf, start, end) {
      const i = slot(hashA(buf, start, end), hashB(buf, start, end));
      return keysB[i] === 0 ? -1 : rows[i]!;
    },
    get size() {
      return size;
    },
  };
}
