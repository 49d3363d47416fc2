import * as z from 'zod';
import { ExactSum } from './exact-sum.ts';

/**
 * A mergeable quantile sketch: the DDSketch of Masson, Rim and Lee (VLDB 2019), written here so
 * that its state is plain JSON (a partial analysis is a file and a Forge storage value) and core
 * keeps no dependency beyond zod. Values fall in logarithmic buckets of ratio γ = (1+α)/(1−α); a
 * bucket is represented by the value within relative error α of all it holds, so every quantile
 * of a sketch (or of any merge of sketches: merging adds bucket counts) is within relative error α
 * of the exact one. Count, min and max are kept exactly, and the sum too: exactly (`ExactSum`),
 * rounded once when read, so that it does not depend on the order values were added or merged in.
 */
export const SKETCH_RELATIVE_ACCURACY = 0.005;

/** Values at or below this (in the unit sketched: days, ms) count as zero. */
const ZERO = 1e-9;

export const QuantileSketchSchema = z.object({
  alpha: z.number().positive().max(0.5),
  count: z.int().min(0),
  sum: z.number(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  zeros: z.int().min(0),
  /** Bucket index → count, as [index, count] pairs in ascending index, for positive values. */
  positive: z.array(z.tuple([z.int(), z.int().positive()])),
  /** The same for negative values (by magnitude). */
  negative: z.array(z.tuple([z.int(), z.int().positive()])),
});
export type QuantileSketchState = z.infer<typeof QuantileSketchSchema>;

/** A sketch's state with its sum exact (`ExactSum` parts): what `Analysis.exactState` carries. */
export interface ExactSketchState extends QuantileSketchState {
  /** The sum of the values given to `add` and merged in. */
  readonly sumParts: readonly number[];
  /** The sum of the whole milliseconds given to `addMs`, and what a unit holds (null: none). */
  readonly msParts: readonly number[];
  readonly msPerUnit: number | null;
}

export interface QuantileSketch {
  add(value: number): void;
  /**
   * Adds `ms / msPerUnit` (a sketch made with `msPerUnit`, e.g. days from whole milliseconds): the
   * same value as `add`, but the sum is kept in milliseconds — an integer sum, exact and cheaper to
   * keep exactly than a sum of fractions — and divided once when read.
   */
  addMs(ms: number): void;
  /** Adds every value another sketch holds (same α); exactly when its state is an `ExactSketchState`. */
  merge(other: QuantileSketchState | ExactSketchState): void;
  readonly count: number;
  readonly sum: number;
  readonly max: number | null;
  /** The q-quantile with linear interpolation between ranks (type 7), within relative error α. */
  quantile(q: number): number | null;
  /** How many values exceed `x`, each read as its bucket's value (exact but for values within α of x). */
  countAbove(x: number): number;
  state(): QuantileSketchState;
  /** The state with the sum's exact parts: merged into another sketch, the same as adding the values. */
  exactState(): ExactSketchState;
}

/**
 * Bucket index → count in one dense array, grown at either end as needed: an add is an array
 * increment, not a hash-map lookup. Values from 1e-9 to 1e9 span about 4,100 buckets at α = 0.5 %
 * (32 KB); the whole range of doubles, about 142,000 (1.1 MB).
 */
class BucketCounts {
  private counts = new Float64Array(0);
  private offset = 0;

  increment(index: number, by: number): void {
    let at = index - this.offset;
    if (at < 0 || at >= this.counts.length) {
      const old = this.counts;
      const lo = old.length === 0 ? index - 64 : Math.min(this.offset, index - 64);
      const hi = old.length === 0 ? index + 64 : Math.max(this.offset + old.length, index + 64);
      this.counts = new Float64Array(hi - lo);
      if (old.length > 0) this.counts.set(old, this.offset - lo);
      this.offset = lo;
      at = index - lo;
    }
    this.counts[at] = this.counts[at]! + by;
  }

  /** [index, count] of the non-empty buckets, ascending by index. */
  entries(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i]! > 0) out.push([i + this.offset, this.counts[i]!]);
    return out;
  }
}

/**
 * Bucket indexes of whole milliseconds (`addMs`), remembered: a logarithm a value otherwise, and an
 * analysis adds the same durations again and again (stays of whole days, a case's cycle time once
 * for each state it passed). Direct-mapped by a hash of the ms; for the first accuracy and unit a
 * sketch asks with (every sketch of an analysis has the same), others compute every index.
 */
const MEMO_BITS = 13;
const memoMs = new Float64Array(1 << MEMO_BITS).fill(Number.NaN);
const memoIndex = new Int32Array(1 << MEMO_BITS);
let memoLogGamma = Number.NaN;
let memoMsPerUnit = Number.NaN;

export function createQuantileSketch(alpha = SKETCH_RELATIVE_ACCURACY, msPerUnit?: number): QuantileSketch {
  const gamma = (1 + alpha) / (1 - alpha);
  const logGamma = Math.log(gamma);
  const positive = new BucketCounts();
  const negative = new BucketCounts();
  let count = 0;
  const sum = new ExactSum();
  const msSum = new ExactSum();
  let hasMs = false;
  let zeros = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;

  const indexOf = (magnitude: number) => Math.ceil(Math.log(magnitude) / logGamma);
  const valueOf = (index: number) => (2 * Math.pow(gamma, index)) / (gamma + 1);

  function ordered(): { value: number; count: number }[] {
    const out: { value: number; count: number }[] = [];
    for (const [i, c] of negative.entries().reverse()) out.push({ value: -valueOf(i), count: c });
    if (zeros > 0) out.push({ value: 0, count: zeros });
    for (const [i, c] of positive.entries()) out.push({ value: valueOf(i), count: c });
    return out;
  }

  const total = () => (hasMs ? sum.value() + msSum.value() / msPerUnit! : sum.value());

  function insert(value: number): void {
    count++;
    if (value < min) min = value;
    if (value > max) max = value;
    if (value > ZERO) {
      const i = indexOf(value);
      positive.increment(i, 1);
    } else if (value < -ZERO) {
      const i = indexOf(-value);
      negative.increment(i, 1);
    } else zeros++;
  }

  /** `insert(ms / msPerUnit)`, the bucket index remembered by ms (`memoMs`). */
  function insertMs(ms: number, value: number): void {
    if (!(value > ZERO)) return insert(value);
    if (Number.isNaN(memoLogGamma)) {
      memoLogGamma = logGamma;
      memoMsPerUnit = msPerUnit!;
    }
    if (memoLogGamma !== logGamma || memoMsPerUnit !== msPerUnit) return insert(value);
    count++;
    if (value < min) min = value;
    if (value > max) max = value;
    const h = Math.imul((ms | 0) ^ ((ms / 4_294_967_296) | 0), 0x9e3779b1) >>> (32 - MEMO_BITS);
    let i: number;
    if (memoMs[h] === ms) i = memoIndex[h]!;
    else {
      i = indexOf(value);
      memoMs[h] = ms;
      memoIndex[h] = i;
    }
    positive.increment(i, 1);
  }

  return {
    add(value) {
      if (!Number.isFinite(value)) return;
      sum.add(value);
      insert(value);
    },
    addMs(ms) {
      if (msPerUnit === undefined) throw new Error('addMs needs a sketch made with msPerUnit');
      const value = ms / msPerUnit;
      if (!Number.isFinite(value)) return;
      msSum.add(ms);
      hasMs = true;
      insertMs(ms, value);
    },
    merge(other) {
      if (Math.abs(other.alpha - alpha) > 1e-12)
        throw new RangeError(`cannot merge a sketch of accuracy ${other.alpha} into one of ${alpha}`);
      count += other.count;
      if ('sumParts' in other) {
        if (other.msParts.length > 0) {
          if (other.msPerUnit !== (msPerUnit ?? null))
            throw new RangeError(
              `cannot merge a sketch of ${other.msPerUnit} ms a unit into one of ${msPerUnit ?? 'none'}`,
            );
          msSum.addParts(other.msParts);
          hasMs = true;
        }
        sum.addParts(other.sumParts);
      } else sum.add(other.sum);
      zeros += other.zeros;
      if (other.min !== null && other.min < min) min = other.min;
      if (other.max !== null && other.max > max) max = other.max;
      for (const [i, c] of other.positive) positive.increment(i, c);
      for (const [i, c] of other.negative) negative.increment(i, c);
    },
    get count() {
      return count;
    },
    get sum() {
      return total();
    },
    get max() {
      return count === 0 ? null : max;
    },
    quantile(q) {
      if (count === 0) return null;
      const buckets = ordered();
      const rankValue = (rank: number) => {
        if (rank <= 0) return min;
        if (rank >= count - 1) return max;
        let seen = 0;
        for (const b of buckets) {
          seen += b.count;
          if (rank < seen) return Math.min(max, Math.max(min, b.value));
        }
        return max;
      };
      const pos = (count - 1) * q;
      const lo = Math.floor(pos);
      const a = rankValue(lo);
      const b = rankValue(Math.min(lo + 1, count - 1));
      return a + (b - a) * (pos - lo);
    },
    countAbove(x) {
      if (count === 0 || x >= max) return 0;
      if (x < min) return count;
      let above = 0;
      for (const b of ordered()) if (Math.min(max, Math.max(min, b.value)) > x) above += b.count;
      return above;
    },
    state() {
      return {
        alpha,
        count,
        sum: total(),
        min: count === 0 ? null : min,
        max: count === 0 ? null : max,
        zeros,
        positive: positive.entries(),
        negative: negative.entries(),
      };
    },
    exactState() {
      return {
        ...this.state(),
        sumParts: sum.partsOf(),
        msParts: hasMs ? msSum.partsOf() : [],
        msPerUnit: msPerUnit ?? null,
      };
    },
  };
}

/**
 * Every value a sketch holds, ascending, each as its bucket's value (the smallest and largest as
 * the exact min and max): the i-th is within relative error α of the i-th exact value. For
 * statistics that need values rather than quantiles (a bootstrap, a rank test) over merged partials.
 */
export function sortedValuesOf(state: QuantileSketchState): Float64Array {
  const gamma = (1 + state.alpha) / (1 - state.alpha);
  const valueOf = (index: number) => (2 * Math.pow(gamma, index)) / (gamma + 1);
  const out = new Float64Array(state.count);
  let i = 0;
  const put = (v: number, c: number) => {
    for (let k = 0; k < c; k++) out[i++] = v;
  };
  for (let b = state.negative.length - 1; b >= 0; b--) put(-valueOf(state.negative[b]![0]), state.negative[b]![1]);
  put(0, state.zeros);
  for (const [index, c] of state.positive) put(valueOf(index), c);
  if (state.count > 0) {
    for (let k = 0; k < out.length; k++) out[k] = Math.min(state.max!, Math.max(state.min!, out[k]!));
    out[0] = state.min!;
    out[out.length - 1] = state.max!;
  }
  return out;
}
