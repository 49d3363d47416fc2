/** One scored prediction: the true label and the ranked labels with probabilities. */
export interface ScoredPrediction {
  readonly truth: string;
  readonly ranked: readonly { readonly label: string; readonly probability: number }[];
}

export interface ClassMetrics {
  readonly label: string;
  readonly support: number;
  readonly predicted: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface RankingMetrics {
  readonly count: number;
  readonly top1: number;
  readonly top3: number;
  readonly macroF1: number;
  readonly perClass: readonly ClassMetrics[];
  /** At the threshold: share of items whose top probability reaches it, and accuracy on those. */
  readonly threshold: number;
  readonly coverage: number;
  readonly precisionAtThreshold: number;
}

/**
 * Top-1/top-3 accuracy, macro-F1 over the labels that occur in the truth or the predictions (as
 * scikit-learn does), per-class precision/recall, and coverage/precision at a confidence threshold.
 */
export function rankingMetrics(predictions: readonly ScoredPrediction[], threshold: number): RankingMetrics {
  const tally = new Map<string, { support: number; predicted: number; hits: number }>();
  const entry = (label: string) => {
    let e = tally.get(label);
    if (e === undefined) {
      e = { support: 0, predicted: 0, hits: 0 };
      tally.set(label, e);
    }
    return e;
  };
  let top1 = 0;
  let top3 = 0;
  let covered = 0;
  let coveredHits = 0;
  for (const p of predictions) {
    const best = p.ranked[0];
    entry(p.truth).support++;
    if (best !== undefined) entry(best.label).predicted++;
    const hit = best?.label === p.truth;
    if (hit) {
      top1++;
      entry(p.truth).hits++;
    }
    if (p.ranked.slice(0, 3).some((r) => r.label === p.truth)) top3++;
    if (best !== undefined && best.probability >= threshold) {
      covered++;
      if (hit) coveredHits++;
    }
  }
  const perClass = [...tally].map(([label, e]) => {
    const precision = e.predicted === 0 ? 0 : e.hits / e.predicted;
    const recall = e.support === 0 ? 0 : e.hits / e.support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, support: e.support, predicted: e.predicted, precision, recall, f1 };
  });
  perClass.sort((a, b) => b.support - a.support || a.label.localeCompare(b.label));
  const n = predictions.length;
  return {
    count: n,
    top1: n === 0 ? 0 : top1 / n,
    top3: n === 0 ? 0 : top3 / n,
    macroF1: perClass.length === 0 ? 0 : perClass.reduce((s, c) => s + c.f1, 0) / perClass.length,
    perClass,
    threshold,
    coverage: n === 0 ? 0 : covered / n,
    precisionAtThreshold: covered === 0 ? 0 : coveredHits / covered,
  };
}

/** Area under the ROC curve: the probability that a random positive outranks a random negative. */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0;
  let positives = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const midRank = (i + j) / 2 + 1; // ties share their average rank
    for (let t = i; t <= j; t++) {
      if (positive[order[t]!]) {
        rankSum += midRank;
        positives++;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
