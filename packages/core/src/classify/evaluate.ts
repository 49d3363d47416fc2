import type { LabelRanker } from './baselines.ts';
import { reliability, type ReliabilityBin } from './calibration.ts';
import { rankingMetrics, rocAuc, type RankingMetrics } from './metrics.ts';
import type { TrainingExample } from './router-model.ts';

export interface Evaluation {
  readonly ranker: string;
  readonly metrics: RankingMetrics;
  readonly reliability: { readonly bins: readonly ReliabilityBin[]; readonly ece: number };
  /** For two-class targets: ROC AUC of the probability of `positiveLabel`. */
  readonly auc?: number;
}

/** Scores a ranker on held-out examples (the test period) the same way for models and baselines. */
export function evaluateRanker(
  ranker: LabelRanker,
  test: readonly TrainingExample[],
  options: { readonly threshold: number; readonly positiveLabel?: string },
): Evaluation {
  const predictions = test.map((e) => ({ truth: e.label, ranked: ranker.predict(e.input) }));
  const metrics = rankingMetrics(
    predictions.map((p) => ({ truth: p.truth, ranked: p.ranked.slice(0, 3) })),
    options.threshold,
  );
  const table = reliability(
    predictions.map((p) => p.ranked[0]?.probability ?? 0),
    predictions.map((p) => p.ranked[0]?.label === p.truth),
  );
  const positive = options.positiveLabel;
  if (positive === undefined) return { ranker: ranker.name, metrics, reliability: table };
  const auc = rocAuc(
    predictions.map((p) => p.ranked.find((r) => r.label === positive)?.probability ?? 0),
    predictions.map((p) => p.truth === positive),
  );
  return { ranker: ranker.name, metrics, reliability: table, auc };
}
