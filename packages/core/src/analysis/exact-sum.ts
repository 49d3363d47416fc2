/**
 * A sum of doubles kept exactly, so that adding values in any order, or adding two sums of
 * contiguous runs, gives the same result to the last bit: the exact sum is carried as a few
 * non-overlapping doubles (Shewchuk's expansion, as Python's `math.fsum` keeps it) and rounded once
 * when read (correctly: to the double nearest the exact sum, ties to even). A plain running sum
 * depends on the order of its additions; this one does not, which is what lets analyses of shards
 * add up to the analysis of the whole (`Analysis.absorb`).
 *
 * Adding a value is a loop over the parts, usually one or two of them (integers below 2^53 stay in
 * one). Values that are not finite are the caller's to keep out.
 */
export class ExactSum {
  /** The parts, increasing in magnitude, non-overlapping; `n` of them are in use. */
  private parts = new Float64Array(4);
  private n = 0;

  add(x: number): void {
    const p = this.parts;
    let i = 0;
    for (let j = 0; j < this.n; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    if (i === p.length) {
      const grown = new Float64Array(p.length * 2);
      grown.set(p);
      this.parts = grown;
    }
    this.parts[i] = x;
    this.n = i + 1;
  }

  /** Adds another exact sum's parts (`parts()`): the result is the exact sum of both. */
  addParts(parts: ArrayLike<number>): void {
    for (let k = 0; k < parts.length; k++) this.add(parts[k]!);
  }

  /** The parts of the exact sum (a copy), for `addParts` elsewhere. */
  partsOf(): number[] {
    return Array.from(this.parts.subarray(0, this.n));
  }

  /** The double nearest the exact sum (ties to even). */
  value(): number {
    const p = this.parts;
    let n = this.n;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Halfway cases: the rest of the parts say on which side of the tie the exact sum lies.
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }
}

/** The exact sum of values, rounded once. */
export function exactSumOf(values: ArrayLike<number>): number {
  const s = new ExactSum();
  for (let i = 0; i < values.length; i++) s.add(values[i]!);
  return s.value();
}
