import type { SparseVector } from './features.ts';

/**
 * The runtime form of every trained model (softmax regression and complement naive Bayes alike):
 * scores = bias + x·W over the hashed rows that were kept; probabilities = softmax(scores / T).
 * Only `rows.length` rows of the hashing space are stored, so the file stays small whatever the
 * hashing dimension.
 */
export interface LinearModel {
  readonly classes: readonly string[];
  /** Hashed index → stored row, -1 when the row was pruned. */
  readonly rowOf: Int32Array;
  /**
   * rows × classes, row-major, int8 as stored; a class's weight is its value × its scale. Scoring
   * reads these bytes rather than float copies (a quarter of the memory a prediction touches over a
   * few hundred scattered rows): on the Appcelerator assignee model, 23-27 µs instead of 30-32.
   */
  readonly values: Int8Array;
  readonly scales: Float32Array;
  readonly bias: Float32Array;
  readonly temperature: number;
}

/** Weights as stored: kept row indices, one scale per class, int8 values. */
export interface QuantizedWeights {
  readonly rows: Uint32Array;
  readonly scales: Float32Array;
  readonly values: Int8Array;
}

/**
 * Keeps the `maxRows` rows with the largest L2 norm and quantizes each class column to int8.
 * Pruning small rows costs little accuracy (they are rare or uninformative features) and is what
 * keeps a 100-class model under the size budget.
 */
export function quantizeWeights(input: Float32Array, classCount: number, maxRows: number): QuantizedWeights {
  const totalRows = input.length / classCount;
  const dense = new Float32Array(input.length);
  const norms = new Float32Array(totalRows);
  for (let r = 0; r < totalRows; r++) {
    // Centring a row adds the same amount to every class's score (softmax and ranking unchanged) but
    // makes its norm measure how much it discriminates between classes, which is what pruning keeps.
    let mean = 0;
    for (let k = 0; k < classCount; k++) mean += input[r * classCount + k]! / classCount;
    let s = 0;
    for (let k = 0; k < classCount; k++) {
      const w = input[r * classCount + k]! - mean;
      dense[r * classCount + k] = w;
      s += w * w;
    }
    norms[r] = s;
  }
  const candidates: number[] = [];
  for (let r = 0; r < totalRows; r++) if (norms[r]! > 0) candidates.push(r);
  candidates.sort((a, b) => norms[b]! - norms[a]! || a - b);
  const rows = Uint32Array.from(candidates.slice(0, maxRows)).sort();
  const scales = new Float32Array(classCount);
  for (const r of rows) {
    for (let k = 0; k < classCount; k++) scales[k] = Math.max(scales[k]!, Math.abs(dense[r * classCount + k]!));
  }
  for (let k = 0; k < classCount; k++) scales[k] = scales[k]! === 0 ? 1 : scales[k]! / 127;
  const values = new Int8Array(rows.length * classCount);
  rows.forEach((r, i) => {
    for (let k = 0; k < classCount; k++)
      values[i * classCount + k] = Math.round(dense[r * classCount + k]! / scales[k]!);
  });
  return { rows, scales, values };
}

/** The runtime model over stored weights: the row index and the int8 values as they are. */
export function linearModelOf(
  q: QuantizedWeights,
  classes: readonly string[],
  bits: number,
  bias: Float32Array,
  temperature: number,
): LinearModel {
  const rowOf = new Int32Array(1 << bits).fill(-1);
  q.rows.forEach((r, i) => {
    rowOf[r] = i;
  });
  return { classes, rowOf, values: q.values, scales: q.scales, bias, temperature };
}

// The kept rows an input hits (offset of the row, the input's value), gathered before scoring; reused by every call.
let hitBase = new Int32Array(256);
let hitValue = new Float64Array(256);

/**
 * Raw scores (logits) of each class: bias + Σ x·(value × scale), the scale taken out of the sum.
 * Rows are added four at a time, so each class's running sum is read and written once per four
 * rows rather than once per row (a prediction's scoring in about half the time). The sum is the same
 * bit for bit as adding one row at a time: `s + a + b + c + d` adds left to right, the same additions
 * in the same order, the running sum held in a register instead of stored (float64 either way).
 */
export function scoreClasses(model: LinearModel, x: SparseVector): Float64Array {
  const sums = new Float64Array(model.classes.length);
  scoreInto(model, x.indices, x.values, x.indices.length, sums);
  return sums;
}

/** `scoreClasses` of the first `n` entries of a vector, written into `sums` (its first `classes.length`). */
export function scoreInto(
  model: LinearModel,
  indices: Int32Array,
  inputValues: Float32Array,
  n: number,
  sums: Float64Array,
): void {
  const k = model.classes.length;
  sums.fill(0, 0, k);
  const { rowOf, values } = model;
  if (hitBase.length < n) {
    hitBase = new Int32Array(n);
    hitValue = new Float64Array(n);
  }
  let hits = 0;
  for (let j = 0; j < n; j++) {
    const row = rowOf[indices[j]!]!;
    if (row < 0) continue;
    hitBase[hits] = row * k;
    hitValue[hits++] = inputValues[j]!;
  }
  let j = 0;
  for (; j + 4 <= hits; j += 4) {
    const a = hitBase[j]!;
    const b = hitBase[j + 1]!;
    const c = hitBase[j + 2]!;
    const d = hitBase[j + 3]!;
    const va = hitValue[j]!;
    const vb = hitValue[j + 1]!;
    const vc = hitValue[j + 2]!;
    const vd = hitValue[j + 3]!;
    for (let i = 0; i < k; i++) {
      sums[i] = sums[i]! + va * values[a + i]! + vb * values[b + i]! + vc * values[c + i]! + vd * values[d + i]!;
    }
  }
  for (; j < hits; j++) {
    const a = hitBase[j]!;
    const va = hitValue[j]!;
    for (let i = 0; i < k; i++) sums[i] = sums[i]! + va * values[a + i]!;
  }
  for (let i = 0; i < k; i++) sums[i] = model.bias[i]! + sums[i]! * model.scales[i]!;
}

/** Softmax of scores / temperature, computed stably. */
export function softmax(scores: ArrayLike<number>, temperature = 1): Float64Array {
  const out = new Float64Array(scores.length);
  softmaxInto(scores, scores.length, temperature, out);
  return out;
}

/** `softmax` of the first `k` scores, written into `out`. */
export function softmaxInto(scores: ArrayLike<number>, k: number, temperature: number, out: Float64Array): void {
  let max = -Infinity;
  for (let i = 0; i < k; i++) max = Math.max(max, scores[i]! / temperature);
  let sum = 0;
  for (let i = 0; i < k; i++) {
    out[i] = Math.exp(scores[i]! / temperature - max);
    sum += out[i]!;
  }
  for (let i = 0; i < k; i++) out[i]! /= sum;
}
