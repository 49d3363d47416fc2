import {
  createQuantileSketch,
  sortedValuesOf,
  type ExactSketchState,
  type QuantileSketch,
  type QuantileSketchState,
} from './quantile-sketch.ts';
import { sortedSource, sortFloat64, type DistributionSource } from './stats.ts';

/**
 * Values kept exactly up to this many (2 MB of doubles); past it, a distribution is carried on as a
 * quantile sketch. Every log Baton is benchmarked on stays exact (road-traffic: 150,370 cases,
 * at most 150,370 visits of one state); a log ten times larger keeps its memory instead of
 * growing 8 bytes a case and a visit.
 */
export const EXACT_VALUES_CAP = 1 << 18;

/** A `BoundedSample` as plain data (structured-cloneable): its exact values, or its sketch once past the cap. */
export interface BoundedSampleState {
  readonly cap: number;
  /** The exact values (a copy, in no particular order), or null once sketched. */
  readonly values: Float64Array | null;
  readonly sketch: ExactSketchState | null;
}

/**
 * A distribution's values: exact (quantiles type 7, as NumPy and DuckDB compute them) while there
 * are at most `cap` of them, then a DDSketch of all of them (quantiles within its relative error,
 * count, sum and max still exact). Memory stays under `cap` doubles whatever the log's size.
 */
export class BoundedSample {
  /**
   * The exact values are the first `length` of `data` (held here, not in another object: a push per
   * state visit reaches them in one step), until there are `cap`: then `data` is undefined and
   * `sketch` holds them all.
   */
  private data: Float64Array | undefined;
  private length = 0;
  private sketch: QuantileSketch | undefined;
  /** The exact values are in ascending order (sorted in place: their order carries nothing). */
  private sorted = true;

  constructor(private readonly cap = EXACT_VALUES_CAP) {
    this.data = new Float64Array(Math.min(64, cap));
  }

  push(v: number): void {
    const data = this.data;
    if (data !== undefined) {
      const n = this.length;
      if (n < data.length) {
        data[n] = v;
        this.length = n + 1;
        this.sorted = false;
        return;
      }
      if (n < this.cap) {
        this.grow(n);
        return this.push(v);
      }
      this.sketch = sketchOf(data.subarray(0, n));
      this.data = undefined;
    }
    this.sketch!.add(v);
  }

  /**
   * Four times the room (to the cap): half the copies of doubling, and a large array's pages are
   * first touched when written, so the room not yet used costs little.
   */
  private grow(n: number): void {
    const next = new Float64Array(Math.min(Math.max(4 * n, 64), this.cap));
    next.set(this.data!.subarray(0, n));
    this.data = next;
  }

  /** The exact values (in place; any order), or undefined once the distribution is sketched. */
  private values(): Float64Array | undefined {
    return this.data?.subarray(0, this.length);
  }

  get count(): number {
    return this.data !== undefined ? this.length : this.sketch!.count;
  }

  /** The exact values (any order), or undefined once the distribution is sketched. */
  exactValues(): Float64Array | undefined {
    return this.values();
  }

  /** The exact values sorted in place (no copy: a result over every distribution at once would double them). */
  private sortedExact(values: Float64Array): Float64Array {
    if (!this.sorted) {
      sortFloat64(values);
      this.sorted = true;
    }
    return values;
  }

  /** Exact while it can be, else the sketch. */
  source(): DistributionSource {
    const values = this.values();
    return values === undefined ? this.sketch! : sortedSource(this.sortedExact(values));
  }

  /** The values in ascending order (a copy): exact, or each sketched value within the sketch's error. */
  sortedValues(): Float64Array {
    const values = this.values();
    return values === undefined ? sortedValuesOf(this.sketch!.state()) : Float64Array.from(this.sortedExact(values));
  }

  /** Everything it holds, exactly (`absorb` elsewhere gives the same sample as pushing the values there). */
  exactState(): BoundedSampleState {
    const values = this.values();
    return values === undefined
      ? { cap: this.cap, values: null, sketch: this.sketch!.exactState() }
      : { cap: this.cap, values: values.slice(), sketch: null };
  }

  /**
   * Adds the values of another sample's state, as if pushed here: exact while the two hold at most
   * `cap` values together, else a sketch of all of them — the same sketch pushing would give, since a
   * sketch (its exact sum included) does not depend on the order of its values.
   */
  absorb(other: BoundedSampleState): void {
    if (other.cap !== this.cap)
      throw new Error(`cannot absorb a sample capped at ${other.cap} into one capped at ${this.cap}`);
    const values = other.values;
    if (this.data !== undefined && values !== null && this.length + values.length <= this.cap) {
      for (let i = 0; i < values.length; i++) this.push(values[i]!);
      return;
    }
    const mine = this.values();
    if (mine !== undefined) {
      this.sketch = sketchOf(mine);
      this.data = undefined;
    }
    if (values !== null) for (let i = 0; i < values.length; i++) this.sketch!.add(values[i]!);
    else this.sketch!.merge(other.sketch!);
  }

  /** The mergeable form. */
  sketchState(): QuantileSketchState {
    return (this.sketch ?? sketchOf(this.values()!)).state();
  }
}

function sketchOf(values: ArrayLike<number>): QuantileSketch {
  const sketch = createQuantileSketch();
  for (let i = 0; i < values.length; i++) sketch.add(values[i]!);
  return sketch;
}
