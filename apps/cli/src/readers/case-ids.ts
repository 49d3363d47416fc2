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
  add(id: string, input: number): void;
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

export function createCaseIds(initialCapacity = 1 << 12): CaseIds {
  let capacity = initialCapacity;
  let keysA = new Int32Array(capacity);
  let keysB = new Int32Array(capacity);
  let inputs = new Uint16Array(capacity);
  let size = 0;

  function slot(a: number, b: number): number {
    let i = (a ^ Math.imul(b, 0x27d4eb2d)) & (capacity - 1);
    while (keysB[i] !== 0 && (keysA[i] !== a || keysB[i] !== b)) i = (i + 1) & (capacity - 1);
    return i;
  }

  function grow(): void {
    const [oldA, oldB, oldInputs] = [keysA, keysB, inputs];
    capacity *= 2;
    keysA = new Int32Array(capacity);
    keysB = new Int32Array(capacity);
    inputs = new Uint16Array(capacity);
    for (let i = 0; i < oldB.length; i++) {
      if (oldB[i] === 0) continue;
      const j = slot(oldA[i]!, oldB[i]!);
      keysA[j] = oldA[i]!;
      keysB[j] = oldB[i]!;
      inputs[j] = oldInputs[i]!;
    }
  }

  return {
    inputOf(id) {
      const i = slot(hashA(id), hashB(id));
      return keysB[i] === 0 ? -1 : inputs[i]!;
    },
    add(id, input) {
      const a = hashA(id);
      const b = hashB(id);
      const i = slot(a, b);
      if (keysB[i] !== 0) return;
      keysA[i] = a;
      keysB[i] = b;
      inputs[i] = Math.min(input, 0xffff);
      size++;
      // Linear probing stays short up to three quarters full.
      if (size * 4 > capacity * 3) grow();
    },
    get size() {
      return size;
    },
  };
}
