import { softmax } from './linear-model.ts';

/** Mean negative log-likelihood of the true classes under softmax(scores / T). */
function nll(scores: readonly Float64Array[], ys: readonly number[], temperature: number): number {
  let total = 0;
  scores.forEach((s, i) => {
    total -= Math.log(Math.max(softmax(s, temperature)[ys[i]!]!, 1e-12));
  });
  return total / Math.max(scores.length, 1);
}

/**
 * Temperature scaling (Guo et al., 2017): the one scalar T that minimises the held-out NLL. It
 * changes confidence, never the ranking. Golden-section search over log T in [e^-4, e^4].
 */
export function fitTemperature(scores: readonly Float64Array[], ys: readonly number[]): number {
  if (scores.length === 0) return 1;
  const phi = (Math.sqrt(5) - 1) / 2;
  let lo = -4;
  let hi = 4;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = nll(scores, ys, Math.exp(a));
  let fb = nll(scores, ys, Math.exp(b));
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = nll(scores, ys, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = nll(scores, ys, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** One bin of a reliability table: predictions whose confidence fell in [from, to). */
export interface ReliabilityBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanConfidence: number;
  readonly accuracy: number;
}

/** Reliability table over equal-width confidence bins, and the expected calibration error. */
export function reliability(
  confidences: readonly number[],
  correct: readonly boolean[],
  binCount = 10,
): { bins: ReliabilityBin[]; ece: number } {
  const sums = Array.from({ length: binCount }, () => ({ count: 0, conf: 0, hits: 0 }));
  confidences.forEach((p, i) => {
    const bin = sums[Math.min(binCount - 1, Math.floor(p * binCount))]!;
    bin.count++;
    bin.conf += p;
    if (correct[i]) bin.hits++;
  });
  const n = confidences.length;
  let ece = 0;
  const bins = sums.map((s, i) => {
    const meanConfidence = s.count === 0 ? 0 : s.conf / s.count;
    const accuracy = s.count === 0 ? 0 : s.hits / s.count;
    if (n > 0) ece += (s.count / n) * Math.abs(meanConfidence - accuracy);
    return { from: i / binCount, to: (i + 1) / binCount, count: s.count, meanConfidence, accuracy };
  });
  return { bins, ece };
}

/**
 * The lowest confidence at which the top prediction is right at least `targetPrecision` of the time
 * on held-out data (with at least `minSupport` predictions at or above it). The router acts above
 * it. Undefined when no threshold reaches the target.
 */
export function thresholdForPrecision(
  confidences: readonly number[],
  correct: readonly boolean[],
  targetPrecision: number,
  minSupport = 20,
): number | undefined {
  const order = Array.from(confidences.keys()).sort((a, b) => confidences[b]! - confidences[a]!);
  let hits = 0;
  let best: number | undefined;
  order.forEach((i, rank) => {
    if (correct[i]) hits++;
    const next = order[rank + 1];
    // Only cut between distinct confidences, so the threshold means the same set at prediction time.
    if (next !== undefined && confidences[next] === confidences[i]) return;
    if (rank + 1 >= minSupport && hits / (rank + 1) >= targetPrecision) best = confidences[i];
  });
  return best;
}

/** What a confidence line lets through on held-out data: the share at or above it, and how often those were right. */
export interface LineMeasure {
  readonly coverage: number;
  readonly precision: number;
}

/**
 * Coverage and precision at a confidence line over held-out predictions: the share predicted with at
 * least `line` confidence, and the share of those whose top prediction was right. Null for no line, or
 * when nothing reaches it.
 */
export function measureLine(
  confidences: readonly number[],
  correct: readonly boolean[],
  line: number | null,
): LineMeasure | null {
  if (line === null || confidences.length === 0) return null;
  let taken = 0;
  let hits = 0;
  confidences.forEach((p, i) => {
    if (p < line) return;
    taken++;
    if (correct[i]) hits++;
  });
  return taken === 0 ? null : { coverage: taken / confidences.length, precision: hits / taken };
}
