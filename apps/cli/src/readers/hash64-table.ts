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
  /** The value of the key when present; else adds it with `value` and returns -1 (one probe for both). */
  getOrAdd(a: number, b: number, value: number): number;
  /** Raises the key's value to `value` when lower; adds the key when absent and `add` (one probe). */
  raise(a: number, b: number, value: number, add: boolean): void;
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
    getOrAdd(a, b, value) {
      const i = slot(a, b);
      if (keysB[i] !== 0) return values[i]!;
      values[i] = value;
      keysA[i] = a;
      keysB[i] = b;
      size++;
      if (size * 4 > capacity * 3) grow();
      return -1;
    },
    raise(a, b, value, add) {
      const i = slot(a, b);
      if (keysB[i] !== 0) {
        if (value > values[i]!) values[i] = value;
        return;
      }
      if (!add) return;
      values[i] = value;
      keysA[i] = a;
      keysB[i] = b;
      size++;
      if (size * 4 > capacity * 3) grow();
    },
    get size() {
      return size;
    },
  };
}

/**
 * A set of 64-bit hashes in 6 bytes a slot (a `Hash64Table` takes 8 bytes of key and 2–8 of value): `a`
 * whole, which also places it, and the low 16 bits of `b`. `has` can then answer true for a hash it was
 * not given — adding n hashes, each asked first, about n² / 2^49 times in all (road-traffic's 150,370
 * cases: once in 25,000 runs; ten times as many cases: once in 250) — and never false for one it was: fit for a
 * question whose "yes" only costs time (the CSV reader's one pass then reads the file again in two).
 */
export interface Hash64Set {
  has(a: number, b: number): boolean;
  /** Adds the hash; false when it was there already (or one that shares its 48 bits). */
  add(a: number, b: number): boolean;
  readonly size: number;
}

export function createHash64Set(initialCapacity = 1 << 12): Hash64Set {
  let capacity = initialCapacity;
  // 0 marks an empty slot: an `a` of 0 is held as 1 (one more way to answer a false yes).
  let keysA = new Int32Array(capacity);
  let keysB = new Uint16Array(capacity);
  let size = 0;
  let shift = 32 - Math.log2(capacity);

  const home = (a: number) => Math.imul(a, 0x9e3779b1) >>> shift;

  function slot(a: number, b16: number): number {
    let i = home(a);
    while (keysA[i] !== 0 && (keysA[i] !== a || keysB[i] !== b16)) i = (i + 1) & (capacity - 1);
    return i;
  }

  function grow(): void {
    const [oldA, oldB] = [keysA, keysB];
    capacity *= 2;
    shift--;
    keysA = new Int32Array(capacity);
    keysB = new Uint16Array(capacity);
    for (let i = 0; i < oldA.length; i++) {
      if (oldA[i] === 0) continue;
      const j = slot(oldA[i]!, oldB[i]!);
      keysA[j] = oldA[i]!;
      keysB[j] = oldB[i]!;
    }
  }

  return {
    has(a, b) {
      return keysA[slot(a === 0 ? 1 : a, b & 0xffff)] !== 0;
    },
    add(a, b) {
      const key = a === 0 ? 1 : a;
      const i = slot(key, b & 0xffff);
      if (keysA[i] !== 0) return false;
      keysA[i] = key;
      keysB[i] = b & 0xffff;
      size++;
      // Linear probing stays short up to three quarters full.
      if (size * 4 > capacity * 3) grow();
      return true;
    },
    get size() {
      return size;
    },
  };
}
