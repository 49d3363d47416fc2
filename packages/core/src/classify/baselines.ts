import { fitTemperature } from './calibration.ts';
import { softmax } from './linear-model.ts';
import { byCreation, type RankedLabel, type TrainingExample } from './router-model.ts';
import type { RoutingInput } from './features.ts';
import { tokenize } from './tokenize.ts';

/** Anything that ranks labels for an input: the models and the baselines they are compared with. */
export interface LabelRanker {
  readonly name: string;
  readonly classes: readonly string[];
  predict(input: RoutingInput): RankedLabel[];
}

function rank(classes: readonly string[], probabilities: ArrayLike<number>): RankedLabel[] {
  return classes
    .map((label, i) => ({ label, probability: probabilities[i]! }))
    .sort((a, b) => b.probability - a.probability || a.label.localeCompare(b.label));
}

/** Always the training set's label frequencies: the floor every model must clear. */
export function trainMajorityBaseline(examples: readonly TrainingExample[]): LabelRanker {
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  const classes = [...counts.keys()];
  const ranked = rank(
    classes,
    classes.map((c) => counts.get(c)! / examples.length),
  );
  return { name: 'majority', classes, predict: () => ranked };
}

/**
 * Plain TF-IDF nearest centroid over title + description words (no hashing, no n-grams, no fields):
 * the cosine to each class's mean vector. Cosines become probabilities by a temperature fitted on the
 * newest tenth of the training period, exactly as for the model, so thresholds compare fairly.
 */
export function trainCentroidBaseline(examples: readonly TrainingExample[], maxBodyChars = 2000): LabelRanker {
  const ordered = byCreation(examples);
  const vocabulary = new Map<string, number>();
  const docs = ordered.map((e) => {
    const tf = new Map<number, number>();
    for (const t of tokenize(`${e.input.title}\n${e.input.body.slice(0, maxBodyChars)}`)) {
      let id = vocabulary.get(t);
      if (id === undefined) {
        id = vocabulary.size;
        vocabulary.set(t, id);
      }
      tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    return tf;
  });
  const df = new Float64Array(vocabulary.size);
  for (const tf of docs) for (const id of tf.keys()) df[id]!++;
  const idf = Float64Array.from(df, (d) => Math.log((docs.length + 1) / (d + 1)) + 1);
  const vectorOf = (tf: Map<number, number>): Map<number, number> => {
    let norm = 0;
    const v = new Map<number, number>();
    for (const [id, n] of tf) {
      const w = n * idf[id]!;
      v.set(id, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [id, w] of v) v.set(id, w / norm);
    return v;
  };
  const vectors = docs.map(vectorOf);
  const classes = [...new Set(ordered.map((e) => e.label))];
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const k = classes.length;
  const centroidsOf = (upTo: number): Float32Array => {
    const c = new Float32Array(vocabulary.size * k);
    for (let i = 0; i < upTo; i++) {
      const y = classIndex.get(ordered[i]!.label)!;
      for (const [id, w] of vectors[i]!) c[id * k + y]! += w;
    }
    const norms = new Float64Array(k);
    for (let i = 0; i < c.length; i++) norms[i % k]! += c[i]! ** 2;
    for (let i = 0; i < c.length; i++) c[i] = norms[i % k]! === 0 ? 0 : c[i]! / Math.sqrt(norms[i % k]!);
    return c;
  };
  const cosines = (centroids: Float32Array, v: Map<number, number>): Float64Array => {
    const s = new Float64Array(k);
    for (const [id, w] of v) for (let c = 0; c < k; c++) s[c]! += w * centroids[id * k + c]!;
    return s;
  };
  const calStart = Math.floor(ordered.length * 0.9);
  const early = centroidsOf(calStart);
  const calScores: Float64Array[] = [];
  const calYs: number[] = [];
  for (let i = calStart; i < ordered.length; i++) {
    calScores.push(cosines(early, vectors[i]!));
    calYs.push(classIndex.get(ordered[i]!.label)!);
  }
  const temperature = fitTemperature(calScores, calYs);
  const centroids = centroidsOf(ordered.length);
  return {
    name: 'tfidf-centroid',
    classes,
    predict: (input) => {
      const tf = new Map<number, number>();
      for (const t of tokenize(`${input.title}\n${input.body.slice(0, maxBodyChars)}`)) {
        const id = vocabulary.get(t);
        if (id !== undefined) tf.set(id, (tf.get(id) ?? 0) + 1);
      }
      return rank(classes, softmax(cosines(centroids, vectorOf(tf)), temperature));
    },
  };
}
