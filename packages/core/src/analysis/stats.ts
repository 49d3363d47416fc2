/**
 * Small, exact statistics over in-memory samples. Quantiles use linear interpolation between
 * closest ranks (the "type 7" definition of R, NumPy and spreadsheets), so figures can be checked
 * against any of those tools.
 */

/** The q-quantile (0 ≤ q ≤ 1) of values sorted ascending; `null` for no values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!;
  return a + (sorted[hi]! - a) * (pos - lo);
}

/** A distribution summarised for people: count, mean and the usual quantiles. */
export interface Distribution {
  readonly count: number;
  readonly mean: number | null;
  readonly p10: number | null;
  readonly p25: number | null;
  readonly p50: number | null;
  readonly p75: number | null;
  readonly p90: number | null;
  readonly max: number | null;
}

/** What a distribution is summarised from: exact values, or a sketch of them. */
export interface DistributionSource {
  readonly count: number;
  readonly sum: number;
  readonly max: number | null;
  /** The q-quantile with linear interpolation between ranks (type 7); `null` for no values. */
  quantile(q: number): number | null;
}

/** Below this many values the built-in sort is as fast as a radix pass. */
const RADIX_MIN = 512;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The radix sort's digits: the low 32-bit word's bits [0, 11), [11, 22), [22, 32), then the high word's. */
const DIGIT_SHIFT = [0, 11, 22, 0, 11, 22] as const;
const DIGIT_MASK = [0x7ff, 0x7ff, 0x3ff, 0x7ff, 0x7ff, 0x3ff] as const;
const DIGIT_BUCKETS = 2048;

/**
 * Sorts doubles ascending in place, as `Float64Array#sort` does (−0 before +0, NaN last), in
 * linear time: a least-significant-digit radix sort of the bit patterns, with the sign folded in so
 * that the unsigned order of the patterns is the numeric order. Six digits of 11 bits (10 for the
 * top of each word): their 2,048 counters stay in the first-level cache, where 16-bit digits
 * scattered each pass over 65,536 (and cleared and summed them per pass, most of the cost for a
 * few thousand values); every digit is counted in the one pass that folds the sign, and a digit
 * that all values share (a duration's low bits, when it is whole ms) is skipped. The built-in sort
 * was the largest single cost of an analysis's result (about a million stays and cycle times on
 * road-traffic).
 */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_MIN || !LITTLE_ENDIAN || values.byteOffset % 4 !== 0) return values.sort();
  // NaN (never a duration; rare anywhere) is left to the built-in order.
  for (let i = 0; i < n; i++) if (values[i] !== values[i]) return values.sort();
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const counts = new Uint32Array(6 * DIGIT_BUCKETS);
  // Little-endian doubles: word 2i is the low half, 2i+1 the high half (sign and exponent).
  for (let i = 0; i < n; i++) {
    let lo = words[2 * i]!;
    let hi = words[2 * i + 1]!;
    if (hi >>> 31 === 1) {
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
    } else hi = (hi | 0x80000000) >>> 0;
    words[2 * i] = lo;
    words[2 * i + 1] = hi;
    counts[lo & 0x7ff]!++;
    counts[DIGIT_BUCKETS + ((lo >>> 11) & 0x7ff)]!++;
    counts[2 * DIGIT_BUCKETS + (lo >>> 22)]!++;
    counts[3 * DIGIT_BUCKETS + (hi & 0x7ff)]!++;
    counts[4 * DIGIT_BUCKETS + ((hi >>> 11) & 0x7ff)]!++;
    counts[5 * DIGIT_BUCKETS + (hi >>> 22)]!++;
  }
  let src: Uint32Array = words;
  let dst: Uint32Array | undefined;
  for (let pass = 0; pass < 6; pass++) {
    const base = pass * DIGIT_BUCKETS;
    const word = pass < 3 ? 0 : 1;
    const shift = DIGIT_SHIFT[pass]!;
    const mask = DIGIT_MASK[pass]!;
    // A pass where every value has the same digit changes nothing: skip it.
    if (counts[base + ((src[word]! >>> shift) & mask)] === n) continue;
    let sum = 0;
    for (let d = base; d < base + DIGIT_BUCKETS; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    dst ??= new Uint32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const lo = src[2 * i]!;
      const hi = src[2 * i + 1]!;
      const at = counts[base + (((word === 0 ? lo : hi) >>> shift) & mask)]!++;
      dst[2 * at] = lo;
      dst[2 * at + 1] = hi;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== words) words.set(src);
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1]!;
    if (hi >>> 31 === 1) words[2 * i + 1] = hi & 0x7fffffff;
    else {
      words[2 * i] = ~words[2 * i]!;
      words[2 * i + 1] = ~hi;
    }
  }
  return values;
}

/** The exact source of values (any order; copied and sorted once). */
export function exactSource(values: ArrayLike<number>): DistributionSource {
  return sortedSource(sortFloat64(Float64Array.from(values)));
}

/** The exact source of values already in ascending order (kept, not copied: do not change them). */
export function sortedSource(sorted: Float64Array): DistributionSource {
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
  return {
    count: sorted.length,
    sum,
    max: sorted.length === 0 ? null : sorted[sorted.length - 1]!,
    quantile: (q) => quantileSorted(sorted, q),
  };
}

/** Exact quantiles of small integers from [value, count] pairs (handoffs per case). */
export function countsSource(counts: ReadonlyMap<number, number>): DistributionSource {
  const sorted = [...counts].sort((a, b) => a[0] - b[0]);
  let count = 0;
  let sum = 0;
  for (const [v, c] of sorted) {
    count += c;
    sum += v * c;
  }
  const at = (rank: number) => {
    let seen = 0;
    for (const [v, c] of sorted) {
      seen += c;
      if (rank < seen) return v;
    }
    return sorted[sorted.length - 1]![0];
  };
  return {
    count,
    sum,
    max: count === 0 ? null : sorted[sorted.length - 1]![0],
    quantile(q) {
      if (count === 0) return null;
      const pos = (count - 1) * q;
      const lo = Math.floor(pos);
      const a = at(lo);
      return a + (at(Math.min(lo + 1, count - 1)) - a) * (pos - lo);
    },
  };
}

/** Summarises a source, each figure divided by `unit` (e.g. ms per day). */
export function distributionFrom(source: DistributionSource, unit = 1): Distribution {
  const n = source.count;
  const q = (p: number) => {
    const v = source.quantile(p);
    return v === null ? null : v / unit;
  };
  return {
    count: n,
    mean: n === 0 ? null : source.sum / n / unit,
    p10: q(0.1),
    p25: q(0.25),
    p50: q(0.5),
    p75: q(0.75),
    p90: q(0.9),
    max: source.max === null ? null : source.max / unit,
  };
}

/** Summarises values (any order; not modified), each divided by `unit` (e.g. ms per day). */
export function distributionOf(values: readonly number[] | Float64Array, unit = 1): Distribution {
  const sorted = sortFloat64(Float64Array.from(values));
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  const q = (p: number) => {
    const v = quantileSorted(sorted, p);
    return v === null ? null : v / unit;
  };
  return {
    count: n,
    mean: n === 0 ? null : sum / n / unit,
    p10: q(0.1),
    p25: q(0.25),
    p50: q(0.5),
    p75: q(0.75),
    p90: q(0.9),
    max: n === 0 ? null : sorted[n - 1]! / unit,
  };
}

/**
 * Counts per bin for ascending `edges`: bin i holds edges[i] ≤ v < edges[i+1]; the last bin is
 * open-ended (v ≥ last edge). Values below the first edge go into the first bin.
 */
export function histogram(values: readonly number[] | Float64Array, edges: readonly number[]): number[] {
  const counts: number[] = edges.map(() => 0);
  for (const v of values) {
    let i = edges.length - 1;
    while (i > 0 && v < edges[i]!) i--;
    counts[i]!++;
  }
  return counts;
}

/** A growable Float64 sample, so that large logs do not keep boxed numbers. */
export class Sample {
  private data = new Float64Array(64);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}
