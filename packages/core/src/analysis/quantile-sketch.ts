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
  counts = new Float64Array(0);
  offset = 0;

  increment(index: number, by: number): void {
    let at = index - this.offset;
    if (at < 0 || at >= this.counts.length) {
      this.grow(index);
      at = index - this.offset;
    }
    this.counts[at] = this.counts[at]! + by;
  }

  /** Makes room for `index`, with 64 buckets to spare beyond it. */
  grow(index: number): void {
    const old = this.counts;
    const lo = old.length === 0 ? index - 64 : Math.min(this.offset, index - 64);
    const hi = old.length === 0 ? index + 64 : Math.max(this.offset + old.length, index + 64);
    this.counts = new Float64Array(hi - lo);
    if (old.length > 0) this.counts.set(old, this.offset - lo);
    this.offset = lo;
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
/** Room for pending ms a sketch first makes, and at most (`DDSketch.pending`). */
const PENDING_FIRST = 16;
const PENDING_MOST = 256;
/** Slot h is [2h] an ms and [2h + 1] its bucket index: one cache line a lookup. */
const memoMs = new Float64Array(2 << MEMO_BITS).fill(Number.NaN);
let memoLogGamma = Number.NaN;
let memoMsPerUnit = Number.NaN;

export function createQuantileSketch(alpha = SKETCH_RELATIVE_ACCURACY, msPerUnit?: number): QuantileSketch {
  return new DDSketch(alpha, msPerUnit, undefined);
}

/** A sketch of whole-ms values (`addMs`) that also sums their squares exactly, once read or settled. */
export interface SquaringSketch extends QuantileSketch {
  /** Adds the values given to `addMs` and not yet added (reads do it themselves), their squares to `squares`. */
  settle(): void;
}

/** A sketch in units of `msPerUnit` whose `addMs` also adds the square of each ms to `squares` (by `settle`). */
export function createSquaringSketch(msPerUnit: number, squares: ExactSum): SquaringSketch {
  return new DDSketch(SKETCH_RELATIVE_ACCURACY, msPerUnit, squares);
}

/**
 * The sketch `createQuantileSketch` makes. A class, not an object of closures: an analysis keeps
 * thousands of sketches, and a call site reached by each one's own closures (a function per sketch)
 * is never inlined, where one method on the prototype is.
 */
class DDSketch implements SquaringSketch {
  private readonly gamma: number;
  private readonly logGamma: number;
  private readonly positive = new BucketCounts();
  /**
   * `positive`'s array and offset, also held here (kept equal: `countPositive` grows them), so
   * that `addMs` reaches a bucket without going through another object.
   */
  private posCounts = new Float64Array(0);
  private posOffset = 0;
  private readonly negative = new BucketCounts();
  private counted = 0;
  private readonly sumOfValues = new ExactSum();
  private readonly msSum = new ExactSum();
  /**
   * Whole ms given to `addMs`, summed plainly while the sum stays below 2^53 (exactly, then); the
   * others go to `msSum`. The sum of ms is the two together (`msExact`).
   */
  private msWhole = 0;
  private hasMs = false;
  private zeros = 0;
  private min = Number.POSITIVE_INFINITY;
  private maxSeen = Number.NEGATIVE_INFINITY;
  /**
   * The least and greatest ms given to `addMs` whose buckets were remembered (`memoMs`): their
   * values are `ms / msPerUnit`, and division by a positive number keeps order when rounded, so the
   * least value is the least ms divided (`low`, `high`) — no division per value.
   */
  private minMs = Number.POSITIVE_INFINITY;
  private maxMs = Number.NEGATIVE_INFINITY;
  /** This sketch's accuracy and unit are the ones `memoMs` remembers buckets for. */
  private readonly memoized: boolean;
  /**
   * Ms given to `addMs` and not yet added (the first `pendingCount`): added in a run when there is
   * no more room or anything is read. An analysis adds to thousands of sketches in turn, one value
   * each, and each add found the sketch, its buckets and its sums out of the cache; in a run they
   * stay in it. The sketch does not depend on the order of its values, so it is the same.
   */
  private pending: Float64Array | undefined;
  private pendingCount = 0;

  constructor(
    private readonly alpha: number,
    private readonly msPerUnit: number | undefined,
    /** Where the square of each ms given to `addMs` is added (as it is added here), if anywhere. */
    private readonly squares: ExactSum | undefined,
  ) {
    this.gamma = (1 + alpha) / (1 - alpha);
    this.logGamma = Math.log(this.gamma);
    if (msPerUnit !== undefined && Number.isNaN(memoLogGamma)) {
      memoLogGamma = this.logGamma;
      memoMsPerUnit = msPerUnit;
    }
    this.memoized = memoLogGamma === this.logGamma && memoMsPerUnit === msPerUnit;
  }

  /** The least value held (+∞ for none). */
  private low(): number {
    return this.minMs === Number.POSITIVE_INFINITY ? this.min : Math.min(this.min, this.minMs / this.msPerUnit!);
  }

  /** The greatest value held (−∞ for none). */
  private high(): number {
    return this.maxMs === Number.NEGATIVE_INFINITY
      ? this.maxSeen
      : Math.max(this.maxSeen, this.maxMs / this.msPerUnit!);
  }

  private indexOf(magnitude: number): number {
    return Math.ceil(Math.log(magnitude) / this.logGamma);
  }

  private valueOf(index: number): number {
    return (2 * Math.pow(this.gamma, index)) / (this.gamma + 1);
  }

  private ordered(): { value: number; count: number }[] {
    const out: { value: number; count: number }[] = [];
    for (const [i, c] of this.negative.entries().reverse()) out.push({ value: -this.valueOf(i), count: c });
    if (this.zeros > 0) out.push({ value: 0, count: this.zeros });
    for (const [i, c] of this.positive.entries()) out.push({ value: this.valueOf(i), count: c });
    return out;
  }

  private total(): number {
    return this.hasMs ? this.sumOfValues.value() + this.msExact().value() / this.msPerUnit! : this.sumOfValues.value();
  }

  /** The exact sum of the ms given to `addMs` and merged in. */
  private msExact(): ExactSum {
    const sum = new ExactSum();
    sum.addParts(this.msSum.partsOf());
    sum.add(this.msWhole);
    return sum;
  }

  /** Adds `by` to positive bucket `index`. */
  private countPositive(index: number, by: number): void {
    const at = index - this.posOffset;
    const counts = this.posCounts;
    if (at >= 0 && at < counts.length) counts[at] = counts[at]! + by;
    else {
      this.positive.grow(index);
      this.posCounts = this.positive.counts;
      this.posOffset = this.positive.offset;
      this.posCounts[index - this.posOffset]! += by;
    }
  }

  private insert(value: number): void {
    this.counted++;
    if (value < this.min) this.min = value;
    if (value > this.maxSeen) this.maxSeen = value;
    if (value > ZERO) {
      this.countPositive(this.indexOf(value), 1);
    } else if (value < -ZERO) {
      const i = this.indexOf(-value);
      this.negative.increment(i, 1);
    } else this.zeros++;
  }

  /** `insert(ms / msPerUnit)` for an `ms` whose bucket is not remembered: remembers it (`memoMs`) when it can. */
  private insertMs(ms: number, value: number, h: number): void {
    if (!(value > ZERO) || !this.memoized) return this.insert(value);
    this.counted++;
    if (value < this.min) this.min = value;
    if (value > this.maxSeen) this.maxSeen = value;
    const i = this.indexOf(value);
    memoMs[h] = ms;
    memoMs[h + 1] = i;
    this.countPositive(i, 1);
  }

  add(value: number): void {
    if (!Number.isFinite(value)) return;
    this.sumOfValues.add(value);
    this.insert(value);
  }

  addMs(ms: number): void {
    const pending = this.pending;
    if (pending !== undefined && this.pendingCount < pending.length) {
      pending[this.pendingCount++] = ms;
      return;
    }
    if (this.msPerUnit === undefined) throw new Error('addMs needs a sketch made with msPerUnit');
    if (pending === undefined) this.pending = new Float64Array(PENDING_FIRST);
    else {
      this.settle();
      if (pending.length < PENDING_MOST) this.pending = new Float64Array(pending.length * 4);
    }
    this.pending![this.pendingCount++] = ms;
  }

  /** Adds the pending ms. */
  settle(): void {
    const n = this.pendingCount;
    if (n === 0) return;
    this.pendingCount = 0;
    const pending = this.pending!;
    for (let i = 0; i < n; i++) this.addMsNow(pending[i]!);
  }

  private addMsNow(ms: number): void {
    if (this.squares !== undefined) this.squares.add(ms * ms);
    const h = (Math.imul((ms | 0) ^ ((ms / 4_294_967_296) | 0), 0x9e3779b1) >>> (32 - MEMO_BITS)) << 1;
    if (this.memoized && memoMs[h] === ms) {
      // Remembered: a finite ms of a positive value (no other is), its bucket known.
      this.addToMsSum(ms);
      this.hasMs = true;
      this.counted++;
      if (ms < this.minMs) this.minMs = ms;
      if (ms > this.maxMs) this.maxMs = ms;
      this.countPositive(memoMs[h + 1]!, 1);
      return;
    }
    const value = ms / this.msPerUnit!;
    if (!Number.isFinite(value)) return;
    this.addToMsSum(ms);
    this.hasMs = true;
    this.insertMs(ms, value, h);
  }

  private addToMsSum(ms: number): void {
    // Below 2^53 a rounded sum of whole numbers is exact (at or above it, the exact one is too).
    const whole = this.msWhole + ms;
    if (whole < 9_007_199_254_740_992 && ms >= 0 && Math.floor(ms) === ms) this.msWhole = whole;
    else this.msSum.add(ms);
  }

  merge(other: QuantileSketchState | ExactSketchState): void {
    this.settle();
    if (Math.abs(other.alpha - this.alpha) > 1e-12)
      throw new RangeError(`cannot merge a sketch of accuracy ${other.alpha} into one of ${this.alpha}`);
    this.counted += other.count;
    if ('sumParts' in other) {
      if (other.msParts.length > 0) {
        if (other.msPerUnit !== (this.msPerUnit ?? null))
          throw new RangeError(
            `cannot merge a sketch of ${other.msPerUnit} ms a unit into one of ${this.msPerUnit ?? 'none'}`,
          );
        this.msSum.addParts(other.msParts);
        this.hasMs = true;
      }
      this.sumOfValues.addParts(other.sumParts);
    } else this.sumOfValues.add(other.sum);
    this.zeros += other.zeros;
    if (other.min !== null && other.min < this.min) this.min = other.min;
    if (other.max !== null && other.max > this.maxSeen) this.maxSeen = other.max;
    for (const [i, c] of other.positive) this.countPositive(i, c);
    for (const [i, c] of other.negative) this.negative.increment(i, c);
  }

  get count(): number {
    this.settle();
    return this.counted;
  }

  get sum(): number {
    this.settle();
    return this.total();
  }

  get max(): number | null {
    this.settle();
    return this.counted === 0 ? null : this.high();
  }

  quantile(q: number): number | null {
    this.settle();
    const count = this.counted;
    if (count === 0) return null;
    const min = this.low();
    const max = this.high();
    const buckets = this.ordered();
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
  }

  countAbove(x: number): number {
    this.settle();
    const count = this.counted;
    const min = this.low();
    const max = this.high();
    if (count === 0 || x >= max) return 0;
    if (x < min) return count;
    let above = 0;
    for (const b of this.ordered()) if (Math.min(max, Math.max(min, b.value)) > x) above += b.count;
    return above;
  }

  state(): QuantileSketchState {
    this.settle();
    const count = this.counted;
    return {
      alpha: this.alpha,
      count,
      sum: this.total(),
      min: count === 0 ? null : this.low(),
      max: count === 0 ? null : this.high(),
      zeros: this.zeros,
      positive: this.positive.entries(),
      negative: this.negative.entries(),
    };
  }

  exactState(): ExactSketchState {
    this.settle();
    return {
      ...this.state(),
      sumParts: this.sumOfValues.partsOf(),
      msParts: this.hasMs ? this.msExact().partsOf() : [],
      msPerUnit: this.msPerUnit ?? null,
    };
  }
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
