import * as z from 'zod';

// Before/after with uncertainty: the change in median and p90 cycle time with bootstrap confidence
// intervals, and a rank test (Mann–Whitney U) that asks whether one cohort tends to take longer.

const Interval = z.tuple([z.number(), z.number()]).nullable();

export const QuantileChangeSchema = z.object({
  before: z.number().nullable(),
  after: z.number().nullable(),
  difference: z.number().nullable().describe('after − before, in days.'),
  ci95: Interval.describe('95 % percentile-bootstrap interval of the difference (each cohort resampled on its own).'),
});

export const CohortComparisonSchema = z
  .object({
    resamples: z.int().min(0),
    seed: z.int().describe('Seed of the resampling: the same data gives the same interval.'),
    median: QuantileChangeSchema,
    p90: QuantileChangeSchema,
    rankTest: z.object({
      u: z.number().describe('Mann–Whitney U of the after cohort (pairs where after > before, ties count ½).'),
      z: z.number().nullable().describe('Normal approximation with the tie correction.'),
      pValue: z.number().min(0).max(1).nullable().describe('Two-sided.'),
      probabilityAfterLonger: z
        .number()
        .min(0)
        .max(1)
        .nullable()
        .describe('U / (n_before × n_after): the chance a random after case takes longer than a random before case.'),
    }),
  })
  .describe('Cycle time (wall-clock days) after vs before, with uncertainty.');
export type CohortComparison = z.infer<typeof CohortComparisonSchema>;

/** A small seeded generator (mulberry32): deterministic resampling without the platform's randomness. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The q-quantile (type 7) of `a` in expected linear time; `a` is reordered. */
function quantileSelect(a: Float64Array, q: number): number {
  const pos = (a.length - 1) * q;
  const lo = Math.floor(pos);
  const vLo = select(a, lo);
  if (pos === lo) return vLo;
  // After selecting lo, the next order statistic is the minimum of the upper part.
  let next = Infinity;
  for (let i = lo + 1; i < a.length; i++) if (a[i]! < next) next = a[i]!;
  return vLo + (next - vLo) * (pos - lo);
}

function select(a: Float64Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  while (left < right) {
    const pivot = a[(left + right) >> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k]!;
  }
  return a[k]!;
}

function quantileOf(values: Float64Array, q: number): number | null {
  return values.length === 0 ? null : quantileSelect(Float64Array.from(values), q);
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 for erf: absolute error below 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/** Mann–Whitney U of `after` against `before` (mid-ranks for ties), with the tie-corrected normal approximation. */
export function mannWhitney(before: Float64Array, after: Float64Array): CohortComparison['rankTest'] {
  const n1 = before.length;
  const n2 = after.length;
  if (n1 === 0 || n2 === 0) return { u: 0, z: null, pValue: null, probabilityAfterLonger: null };
  const all = new Float64Array(n1 + n2);
  all.set(before);
  all.set(after, n1);
  const order = Array.from({ length: n1 + n2 }, (_, i) => i).sort((x, y) => all[x]! - all[y]!);
  let rankAfter = 0;
  let ties = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && all[order[j + 1]!] === all[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    ties += t ** 3 - t;
    for (let k = i; k <= j; k++) if (order[k]! >= n1) rankAfter += rank;
    i = j + 1;
  }
  const u = rankAfter - (n2 * (n2 + 1)) / 2;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  const zScore = variance > 0 ? (u - (n1 * n2) / 2) / Math.sqrt(variance) : null;
  return {
    u,
    z: zScore,
    pValue: zScore === null ? null : Math.min(1, 2 * (1 - normalCdf(Math.abs(zScore)))),
    probabilityAfterLonger: u / (n1 * n2),
  };
}

/**
 * Compares two cohorts' cycle times: the change in median and p90 with 95 % percentile-bootstrap
 * intervals (each cohort resampled with replacement, `resamples` times, from a seeded generator)
 * and the Mann–Whitney rank test.
 */
export function compareCohorts(
  before: Float64Array,
  after: Float64Array,
  options: { resamples?: number; seed?: number } = {},
): CohortComparison {
  const resamples = before.length > 0 && after.length > 0 ? (options.resamples ?? 1000) : 0;
  const seed = options.seed ?? 20_260_101;
  const random = seededRandom(seed);
  const diffs = { median: new Float64Array(resamples), p90: new Float64Array(resamples) };
  const a = new Float64Array(before.length);
  const b = new Float64Array(after.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < a.length; i++) a[i] = before[Math.floor(random() * before.length)]!;
    for (let i = 0; i < b.length; i++) b[i] = after[Math.floor(random() * after.length)]!;
    diffs.median[r] = quantileSelect(b, 0.5) - quantileSelect(a, 0.5);
    diffs.p90[r] = quantileSelect(b, 0.9) - quantileSelect(a, 0.9);
  }
  const change = (q: number, d: Float64Array): z.infer<typeof QuantileChangeSchema> => {
    const x = quantileOf(before, q);
    const y = quantileOf(after, q);
    return {
      before: x,
      after: y,
      difference: x === null || y === null ? null : y - x,
      ci95: resamples === 0 ? null : [quantileOf(d, 0.025)!, quantileOf(d, 0.975)!],
    };
  };
  return {
    resamples,
    seed,
    median: change(0.5, diffs.median),
    p90: change(0.9, diffs.p90),
    rankTest: mannWhitney(before, after),
  };
}
