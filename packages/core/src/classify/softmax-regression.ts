import type { SparseVector } from './features.ts';
import { createRandom } from './hash.ts';

export interface SoftmaxOptions {
  readonly epochs: number;
  /** A model trained on this many examples or more (all its fits alike) takes `largeEpochs` passes instead. */
  readonly largeFrom: number;
  readonly largeEpochs: number;
  /** Initial learning rate; it decays as 1 / (1 + epoch). */
  readonly learningRate: number;
  /** L2 penalty, applied lazily to the rows an example touches (the usual trick for sparse SGD). */
  readonly l2: number;
  readonly seed: number;
  /**
   * Every this many passes over an example (from its first), it is scored against every class; in
   * the passes between, only against its candidates: the classes that full pass updated. 1 scores
   * every class every time.
   */
  readonly fullEvery: number;
}

/**
 * A class the model gives less than this probability for an example keeps its weights for that
 * example (its gradient is below 1/1000 of the step): after the first pass most of a many-class
 * model's classes are such, so the update touches a few classes instead of all. On the Appcelerator
 * export (component, 83 classes, 2016 split) it cut training CPU by about a quarter with the same
 * top-1 and top-3 to the third decimal.
 */
const SKIP_BELOW = 1e-3;

/**
 * Most classes updated for one example (the true class and the most probable others), which are
 * also the classes it is scored against until its next full pass.
 */
const MAX_CANDIDATES = 24;

/**
 * Measured on the Appcelerator export (2017 split, route-eval; docs/cli.md "Router training cost"):
 * on ~20,000 issues 4 epochs score as 6 did; on the balanced 1,500-issue priority set 4 epochs left
 * the cross-fitted folds with no act line, 6 reach one, and cost little there. A full pass every 2nd
 * pass keeps the candidate passes honest (only the first one full let classes that grew since go
 * unchecked: on the newest tenth, held out, the assignee model was right 0.6 % of the time).
 */
export const DEFAULT_SOFTMAX_OPTIONS: SoftmaxOptions = {
  epochs: 6,
  largeFrom: 10_000,
  largeEpochs: 4,
  learningRate: 0.4,
  l2: 1e-6,
  seed: 1,
  fullEvery: 2,
};

/** Weights being trained, and what each example's last full scoring left: its candidate classes. */
export interface SoftmaxState {
  /** Hashed dimension × classes, row-major. */
  readonly weights: Float32Array;
  readonly bias: Float32Array;
  readonly classCount: number;
  /** Per example (its index in `xs`): up to MAX_CANDIDATES class indices. */
  readonly candidates: Int32Array;
  /** Per example: how many candidates it has; -1 when it has not been scored against every class yet. */
  readonly candidateCount: Int8Array;
  /** Epochs each example has been through (its count of full and candidate passes). */
  readonly seen: Uint16Array;
  /** Epochs run so far (the learning rate's decay counts them). */
  epoch: number;
}

export function createSoftmaxState(exampleCount: number, classCount: number, bits: number): SoftmaxState {
  return {
    weights: new Float32Array((1 << bits) * classCount),
    bias: new Float32Array(classCount),
    classCount,
    candidates: new Int32Array(exampleCount * MAX_CANDIDATES),
    candidateCount: new Int8Array(exampleCount).fill(-1),
    seen: new Uint16Array(exampleCount),
    epoch: 0,
  };
}

/**
 * Keeps, of the `m` classes in `active`, the true class `y` and the MAX_CANDIDATES - 1 others with
 * the highest probability (ties: the one met first), by insertion into `top` (no sort, no
 * allocation: it runs for every example of a first pass); returns the new count.
 */
export function keepMostProbable(
  active: Int32Array,
  m: number,
  probs: Float64Array,
  y: number,
  top: Int32Array,
): number {
  const room = MAX_CANDIDATES - 1;
  let kept = 0;
  for (let a = 0; a < m; a++) {
    const c = active[a]!;
    if (c === y) continue;
    const p = probs[c]!;
    if (kept === room && p <= probs[top[room - 1]!]!) continue;
    // top[0..kept) holds the best so far, most probable first.
    let at = kept < room ? kept++ : room - 1;
    while (at > 0 && probs[top[at - 1]!]! < p) {
      top[at] = top[at - 1]!;
      at--;
    }
    top[at] = c;
  }
  active[0] = y;
  active.set(top.subarray(0, kept), 1);
  return kept + 1;
}

/**
 * Adds x·W to `scores` for the `count` classes listed in `list` from `from`. Rows are taken four at a
 * time, so each class's score is loaded and stored once per four rows; the additions are those of one
 * row at a time, in the same order (`s + a + b + c + d` adds left to right), so the sums are the same
 * bit for bit. On the assignee export (133 classes) full passes were most of the training time.
 */
function addRows(
  weights: Float32Array,
  k: number,
  x: SparseVector,
  scores: Float64Array,
  list: Int32Array,
  from: number,
  count: number,
): void {
  const { indices, values } = x;
  const n = indices.length;
  const to = from + count;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const a = indices[j]! * k;
    const b = indices[j + 1]! * k;
    const c = indices[j + 2]! * k;
    const d = indices[j + 3]! * k;
    const va = values[j]!;
    const vb = values[j + 1]!;
    const vc = values[j + 2]!;
    const vd = values[j + 3]!;
    for (let i = from; i < to; i++) {
      const cls = list[i]!;
      scores[cls] =
        scores[cls]! +
        va * weights[a + cls]! +
        vb * weights[b + cls]! +
        vc * weights[c + cls]! +
        vd * weights[d + cls]!;
    }
  }
  for (; j < n; j++) {
    const a = indices[j]! * k;
    const va = values[j]!;
    for (let i = from; i < to; i++) {
      const cls = list[i]!;
      scores[cls] = scores[cls]! + va * weights[a + cls]!;
    }
  }
}

/**
 * Runs `epochs` more passes of SGD over the examples, each in a seeded shuffle, continuing the
 * state's learning-rate schedule.
 */
export function runSoftmaxEpochs(
  state: SoftmaxState,
  xs: readonly SparseVector[],
  ys: Int32Array,
  exampleWeights: Float32Array,
  epochs: number,
  options: SoftmaxOptions,
): void {
  const { weights, bias, candidates, candidateCount, seen } = state;
  const k = state.classCount;
  const order = Array.from(xs.keys());
  const random = createRandom(options.seed + state.epoch);
  const scores = new Float64Array(k);
  // Classes whose weights are updated for this example: the true class and every class the model
  // gives at least SKIP_BELOW (at most MAX_CANDIDATES); the others would move by less than that share of the step.
  const active = new Int32Array(k);
  const probs = new Float64Array(k);
  const top = new Int32Array(MAX_CANDIDATES);
  const grad = new Float64Array(k);
  const all = Int32Array.from({ length: k }, (_, c) => c);
  const fullEvery = Math.max(1, options.fullEvery);
  for (let e = 0; e < epochs; e++, state.epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lr = options.learningRate / (1 + state.epoch);
    const decay = 1 - lr * options.l2;
    for (const n of order) {
      const x = xs[n]!;
      const y = ys[n]!;
      const full = candidateCount[n]! < 0 || seen[n]! % fullEvery === 0;
      seen[n] = seen[n]! + 1;
      // Scored classes: every class, or this example's candidates (read from `candidates` at `from`).
      const list = full ? all : candidates;
      const from = full ? 0 : n * MAX_CANDIDATES;
      const count = full ? k : candidateCount[n]!;
      for (let a = 0; a < count; a++) {
        const c = list[from + a]!;
        scores[c] = bias[c]!;
      }
      if (full) addRows(weights, k, x, scores, all, 0, k);
      else addRows(weights, k, x, scores, candidates, from, count);
      let max = -Infinity;
      for (let a = 0; a < count; a++) max = Math.max(max, scores[list[from + a]!]!);
      let sum = 0;
      for (let a = 0; a < count; a++) {
        const c = list[from + a]!;
        scores[c] = Math.exp(scores[c]! - max);
        sum += scores[c]!;
      }
      // Active classes: the true class and every class given at least SKIP_BELOW, at most
      // MAX_CANDIDATES of them (the most probable); the others' gradients are left out.
      const w = exampleWeights[n]! * lr;
      let m = 0;
      for (let a = 0; a < count; a++) {
        const c = list[from + a]!;
        const p = scores[c]! / sum;
        probs[c] = p;
        // The gradient of the loss with respect to the logit, scaled by the step; every scored bias takes it.
        grad[c] = w * (p - (c === y ? 1 : 0));
        bias[c] = bias[c]! - grad[c]!;
        if (p >= SKIP_BELOW || c === y) active[m++] = c;
      }
      if (m > MAX_CANDIDATES) m = keepMostProbable(active, m, probs, y, top);
      if (full) {
        candidates.set(active.subarray(0, m), n * MAX_CANDIDATES);
        candidateCount[n] = m;
      }
      for (let j = 0; j < x.indices.length; j++) {
        const base = x.indices[j]! * k;
        const v = x.values[j]!;
        for (let a = 0; a < m; a++) {
          const c = active[a]!;
          weights[base + c] = weights[base + c]! * decay - grad[c]! * v;
        }
      }
    }
  }
}

/**
 * Multinomial logistic regression trained by plain SGD over sparse hashed vectors, with per-example
 * weights (an override counts more than a historical assignment). Deterministic given the seed.
 * Returns dense weights (dimension × classes, row-major) and the bias.
 */
export function trainSoftmax(
  xs: readonly SparseVector[],
  ys: Int32Array,
  exampleWeights: Float32Array,
  classCount: number,
  bits: number,
  options: SoftmaxOptions = DEFAULT_SOFTMAX_OPTIONS,
): { weights: Float32Array; bias: Float32Array } {
  const state = createSoftmaxState(xs.length, classCount, bits);
  runSoftmaxEpochs(state, xs, ys, exampleWeights, options.epochs, options);
  return { weights: state.weights, bias: state.bias };
}
