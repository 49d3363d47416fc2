import {
  createQuantileSketch,
  sortedValuesOf,
  type ExactSketchState,
  type QuantileSketch,
  type QuantileSketchState,
} from './quantile-sketch.ts';
import { Sample, sortedSource, sortFloat64, type DistributionSource } from './stats.ts';

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
  private sample: Sample | undefined = new Sample();
  private sketch: QuantileSketch | undefined;
  /** The exact values are in ascending order (sorted in place: their order carries nothing). */
  private sorted = true;

  constructor(private readonly cap = EXACT_VALUES_CAP) {}

  push(v: number): void {
    if (this.sample !== undefined) {
      if (this.sample.length < this.cap) {
        this.sample.push(v);
        this.sorted = false;
        return;
      }
      this.sketch = sketchOf(this.sample.values());
      this.sample = undefined;
    }
    this.sketch!.add(v);
  }

  get count(): number {
    return this.sample?.length ?? this.sketch!.count;
  }

  /** The exact values (any order), or undefined once the distribution is sketched. */
  exactValues(): Float64Array | undefined {
    return this.sample?.values();
  }

  /** The exact values sorted in place (no copy: a result over every distribution at once would double them). */
  private sortedExact(sample: Sample): Float64Array {
    const values = sample.values();
    if (!this.sorted) {
      sortFloat64(values);
      this.sorted = true;
    }
    return values;
  }

  /** Exact while it can be, else the sketch. */
  source(): DistributionSource {
    return this.sample === undefined ? this.sketch! : sortedSource(this.sortedExact(this.sample));
  }

  /** The values in ascending order (a copy): exact, or each sketched value within the sketch's error. */
  sortedValues(): Float64Array {
    return this.sample === undefined
      ? sortedValuesOf(this.sketch!.state())
      : Float64Array.from(this.sortedExact(this.sample));
  }

  /** Everything it holds, exactly (`absorb` elsewhere gives the same sample as pushing the values there). */
  exactState(): BoundedSampleState {
    return this.sample === undefined
      ? { cap: this.cap, values: null, sketch: this.sketch!.exactState() }
      : { cap: this.cap, values: this.sample.values().slice(), sketch: null };
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
    if (this.sample !== undefined && values !== null && this.sample.length + values.length <= this.cap) {
      for (let i = 0; i < values.length; i++) this.sample.push(values[i]!);
      if (values.length > 0) this.sorted = false;
      return;
    }
    if (this.sample !== undefined) {
      this.sketch = sketchOf(this.sample.values());
      this.sample = undefined;
    }
    if (values !== null) for (let i = 0; i < values.length; i++) this.sketch!.add(values[i]!);
    else this.sketch!.merge(other.sketch!);
  }

  /** The mergeable form. */
  sketchState(): QuantileSketchState {
    return (this.sketch ?? sketchOf(this.sample!.values())).state();
  }
}

function sketchOf(values: ArrayLike<number>): QuantileSketch {
  const sketch = createQuantileSketch();
  for (let i = 0; i < values.length; i++) sketch.add(values[i]!);
  return sketch;
}
