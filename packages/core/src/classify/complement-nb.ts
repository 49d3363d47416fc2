import type { SparseVector } from './features.ts';

/**
 * Complement naive Bayes (Rennie et al., 2003; without their weight normalisation, which scored
 * worse here, as scikit-learn's default also omits it): each class is scored by
 * how badly the *other* classes' feature distribution explains the document, which copes with
 * skewed classes better than multinomial NB. Expressed as a linear model (score = x·W) so that it
 * shares the runtime, the calibration and the file format with softmax regression.
 * Needs non-negative features (unsigned hashing).
 */
export function trainComplementNB(
  xs: readonly SparseVector[],
  ys: Int32Array,
  exampleWeights: Float32Array,
  classCount: number,
  bits: number,
  alpha = 0.3,
): { weights: Float32Array; bias: Float32Array } {
  const k = classCount;
  const dim = 1 << bits;
  const counts = new Float32Array(dim * k);
  const totals = new Float64Array(dim);
  const seen = new Uint8Array(dim);
  xs.forEach((x, n) => {
    const y = ys[n]!;
    const w = exampleWeights[n]!;
    for (let j = 0; j < x.indices.length; j++) {
      const i = x.indices[j]!;
      const v = Math.abs(x.values[j]!) * w;
      counts[i * k + y] = counts[i * k + y]! + v;
      totals[i] = totals[i]! + v;
      seen[i] = 1;
    }
  });
  // Unseen rows would only add a per-class constant; leaving them at zero lets pruning drop them.
  const complementSums = new Float64Array(k);
  for (let i = 0; i < dim; i++) {
    if (seen[i] === 0) continue;
    for (let c = 0; c < k; c++) complementSums[c] = complementSums[c]! + totals[i]! - counts[i * k + c]! + alpha;
  }
  // Negated log of the complement's feature probability: a class wins when its complement explains
  // the document poorly.
  const weights = new Float32Array(dim * k);
  for (let i = 0; i < dim; i++) {
    if (seen[i] === 0) continue;
    for (let c = 0; c < k; c++) {
      weights[i * k + c] = -Math.log((totals[i]! - counts[i * k + c]! + alpha) / complementSums[c]!);
    }
  }
  return { weights, bias: new Float32Array(k) };
}
