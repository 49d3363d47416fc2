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
  /** The largest part (the whole sum, when there is no other). */
  private hi = 0;
  /** The other parts, increasing in magnitude, all below `hi`'s last bit; `n` of them are in use. */
  private low: Float64Array | undefined;
  private n = 0;

  add(x: number): void {
    if (this.n === 0) {
      // One part (any sum of integers below 2^53): an error-free sum (Knuth's TwoSum) that leaves
      // no error keeps it one part — the usual case, without a loop.
      const a = this.hi;
      const s = a + x;
      const bv = s - a;
      const e = a - (s - bv) + (x - bv);
      if (e === 0) {
        this.hi = s;
        return;
      }
    }
    this.grow(x);
  }

  /** Shewchuk's grow-expansion (`math.fsum`'s partials): x through every part, smallest first. */
  private grow(x: number): void {
    const n = this.n;
    let p = this.low;
    if (p === undefined || p.length < n + 1) {
      const grown = new Float64Array(Math.max(4, 2 * (n + 1)));
      if (p !== undefined) grown.set(p.subarray(0, n));
      p = this.low = grown;
    }
    p[n] = this.hi;
    let i = 0;
    for (let j = 0; j <= n; j++) {
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
    this.hi = x;
    this.n = i;
  }

  /** Adds another exact sum's parts (`partsOf()`): the result is the exact sum of both. */
  addParts(parts: ArrayLike<number>): void {
    for (let k = 0; k < parts.length; k++) this.add(parts[k]!);
  }

  /** The parts of the exact sum, increasing in magnitude (a copy), for `addParts` elsewhere. */
  partsOf(): number[] {
    const out = this.low === undefined ? [] : Array.from(this.low.subarray(0, this.n));
    out.push(this.hi);
    return out;
  }

  /** The double nearest the exact sum (ties to even). */
  value(): number {
    if (this.n === 0) return this.hi;
    const p = this.partsOf();
    let n = p.length;
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
