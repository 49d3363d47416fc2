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

/** The exact source of values (any order; copied and sorted once). */
export function exactSource(values: ArrayLike<number>): DistributionSource {
  return sortedSource(Float64Array.from(values).sort());
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
  const sorted = Float64Array.from(values).sort();
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
