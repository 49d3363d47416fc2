/**
 * An open-addressing hash table keyed by a 64-bit hash given as two 32-bit halves (`b` never 0:
 * 0 marks an empty slot), with one number per key in a typed array: no string and no object per
 * entry. Shared by the CSV reader's case ends (last row of each case, a double) and the duplicate
 * check across inputs (input index, 16 bits).
 */
export interface Hash64Table {
  /** The value of the key, or -1 when absent. */
  get(a: number, b: number): number;
  /** Sets the value of the key (adding it when absent). */
  set(a: number, b: number, value: number): void;
  readonly size: number;
}

type Values = Float64Array | Uint16Array;

export function createHash64Table(makeValues: (n: number) => Values, initialCapacity = 1 << 10): Hash64Table {
  let capacity = initialCapacity;
  let keysA = new Int32Array(capacity);
  let keysB = new Int32Array(capacity);
  let values = makeValues(capacity);
  let size = 0;

  function slot(a: number, b: number): number {
    let i = (a ^ Math.imul(b, 0x27d4eb2d)) & (capacity - 1);
    while (keysB[i] !== 0 && (keysA[i] !== a || keysB[i] !== b)) i = (i + 1) & (capacity - 1);
    return i;
  }

  function grow(): void {
    const [oldA, oldB, oldValues] = [keysA, keysB, values];
    capacity *= 2;
    keysA = new Int32Array(capacity);
    keysB = new Int32Array(capacity);
    values = makeValues(capacity);
    for (let i = 0; i < oldB.length; i++) {
      if (oldB[i] === 0) continue;
      const j = slot(oldA[i]!, oldB[i]!);
      keysA[j] = oldA[i]!;
      keysB[j] = oldB[i]!;
      values[j] = oldValues[i]!;
    }
  }

  return {
    get(a, b) {
      const i = slot(a, b);
      return keysB[i] === 0 ? -1 : values[i]!;
    },
    set(a, b, value) {
      const i = slot(a, b);
      values[i] = value;
      if (keysB[i] !== 0) return;
      keysA[i] = a;
      keysB[i] = b;
      size++;
      // Linear probing stays short up to three quarters full.
      if (size * 4 > capacity * 3) grow();
    },
    get size() {
      return size;
    },
  };
}
