import { fail, ok, type Issue, type Result } from '../result.ts';
import {
  fitTemperature,
  measureLine,
  reliability,
  thresholdForPrecision,
  type LineMeasure,
  type ReliabilityBin,
} from './calibration.ts';
import { trainComplementNB } from './complement-nb.ts';
import {
  featurize,
  featurizeShared,
  isEmptyInput,
  type FeatureSpec,
  type RoutingInput,
  type SparseVector,
} from './features.ts';
import { hashString } from './hash.ts';
import {
  linearModelOf,
  quantizeWeights,
  scoreClasses,
  scoreInto,
  softmax,
  softmaxInto,
  type LinearModel,
  type QuantizedWeights,
} from './linear-model.ts';
import { DEFAULT_SOFTMAX_OPTIONS, trainSoftmax, type SoftmaxOptions } from './softmax-regression.ts';
import type { RoutingTarget } from './targets.ts';

export const MODEL_KINDS = ['softmax', 'cnb'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** A historical issue with its label; overrides carry a larger weight. */
export interface TrainingExample {
  readonly input: RoutingInput;
  readonly label: string;
  readonly weight?: number;
}

export interface RankedLabel {
  readonly label: string;
  readonly probability: number;
}

/** A trained model for one target, ready to predict and to save. */
export interface RouterModel {
  readonly target: string;
  readonly kind: ModelKind;
  readonly modelId: string;
  readonly spec: FeatureSpec;
  readonly linear: LinearModel;
  readonly quantized: QuantizedWeights;
  /** Confidence above which the top label was right ≥ 90 % (act) / ≥ 60 % (suggest) on held-out data. */
  readonly thresholds: { readonly act: number | null; readonly suggest: number | null };
  readonly trainedOn: {
    readonly examples: number;
    readonly overrides: number;
    readonly from: number | null;
    readonly to: number | null;
  };
  /** Reliability on the held-out calibration slice (the newest part of the training period). */
  readonly calibration: {
    readonly count: number;
    readonly ece: number;
    readonly bins: readonly ReliabilityBin[];
    /** Coverage and precision measured on that slice at the act and suggest lines; absent in models trained before. */
    readonly lines?: { readonly act: LineMeasure | null; readonly suggest: LineMeasure | null };
  };
}

export interface TrainOptions {
  readonly kind: ModelKind;
  readonly bits: number;
  readonly charMin: number;
  readonly charMax: number;
  readonly maxBodyChars: number;
  /** File-size budget in bytes: decides how many hashed rows are kept. */
  readonly maxBytes: number;
  /** Labels seen fewer times than this in training are not learned (they cannot be predicted). */
  readonly minClassCount: number;
  /** Newest share of the training period held out to fit the temperature and the thresholds. */
  readonly calibrationShare: number;
  /** Weight of an override example relative to a historical one. */
  readonly overrideWeight: number;
  readonly softmax: SoftmaxOptions;
  readonly seed: number;
}

/** 2 MB per target: loads in milliseconds, fits in a Forge KVS entity set or a browser extension. */
export const DEFAULT_MAX_MODEL_BYTES = 2_000_000;

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  kind: 'softmax',
  // 2^16 rows: on the Appcelerator export the same top-1 as 2^18 (component 67.7 %, assignee
  // 32.6 % vs 32.7 %), and a weight table a quarter the size trains about 1.5× faster (fewer cache misses).
  bits: 16,
  charMin: 3,
  charMax: 5,
  maxBodyChars: 2000,
  maxBytes: DEFAULT_MAX_MODEL_BYTES,
  minClassCount: 3,
  calibrationShare: 0.1,
  overrideWeight: 3,
  softmax: DEFAULT_SOFTMAX_OPTIONS,
  seed: 1,
};

/** Each model's classes' places in label order (localeCompare), computed once per model. */
const labelPlaces = new WeakMap<LinearModel, Int32Array>();
let rankFrom = new Int32Array(0);
const RUN = 8;
let rankTo = new Int32Array(0);

function labelPlacesOf(linear: LinearModel): Int32Array {
  let places = labelPlaces.get(linear);
  if (places === undefined) {
    const { classes } = linear;
    // A stable sort: labels that localeCompare calls equal keep their class order, as the ranking's sort did.
    const sorted = classes.map((_, i) => i).sort((a, b) => classes[a]!.localeCompare(classes[b]!));
    places = new Int32Array(classes.length);
    sorted.forEach((c, place) => {
      places![c] = place;
    });
    labelPlaces.set(linear, places);
  }
  return places;
}

/**
 * Classes by probability, highest first, ties in label order: the order of sorting
 * `{label, probability}` objects by `b.probability - a.probability || a.label.localeCompare(b.label)`,
 * computed as a merge sort (of runs sorted by insertion) of class indices against the labels' precomputed places (a third of the
 * time of sorting objects with localeCompare at hand, on a 133-class model).
 */
function rankClasses(linear: LinearModel, p: Float64Array, k: number): RankedLabel[] {
  const places = labelPlacesOf(linear);
  if (rankFrom.length < k) {
    rankFrom = new Int32Array(k);
    rankTo = new Int32Array(k);
  }
  let from = rankFrom;
  let to = rankTo;
  // Runs of RUN classes sorted by insertion, then merged pairwise.
  for (let lo = 0; lo < k; lo += RUN) {
    const hi = Math.min(lo + RUN, k);
    for (let i = lo; i < hi; i++) {
      let j = i;
      const pi = p[i]!;
      const place = places[i]!;
      while (j > lo) {
        const prev = from[j - 1]!;
        if (pi > p[prev]! || (pi === p[prev]! && place < places[prev]!)) {
          from[j] = prev;
          j--;
        } else break;
      }
      from[j] = i;
    }
  }
  for (let width = RUN; width < k; width *= 2) {
    for (let lo = 0; lo < k; lo += 2 * width) {
      const mid = Math.min(lo + width, k);
      const hi = Math.min(lo + 2 * width, k);
      let i = lo;
      let j = mid;
      let o = lo;
      while (i < mid && j < hi) {
        const a = from[i]!;
        const b = from[j]!;
        // b goes first only when strictly ahead: equal runs keep their order (a stable merge).
        if (p[b]! > p[a]! || (p[b]! === p[a]! && places[b]! < places[a]!)) {
          to[o++] = b;
          j++;
        } else {
          to[o++] = a;
          i++;
        }
      }
      while (i < mid) to[o++] = from[i++]!;
      while (j < hi) to[o++] = from[j++]!;
    }
    [from, to] = [to, from];
  }
  const ranked = new Array<RankedLabel>(k);
  for (let r = 0; r < k; r++) {
    const c = from[r]!;
    ranked[r] = { label: linear.classes[c]!, probability: p[c]! };
  }
  return ranked;
}

/**
 * The first `n` classes of `rankClasses`' order, without ranking the rest: each class goes into a
 * list of the `n` best so far by insertion (the order is total: no two classes share a label place),
 * and only `n` result objects are made.
 */
function topClasses(linear: LinearModel, p: Float64Array, k: number, n: number): RankedLabel[] {
  const places = labelPlacesOf(linear);
  if (rankFrom.length < n) {
    rankFrom = new Int32Array(n);
    rankTo = new Int32Array(n);
  }
  const top = rankFrom;
  let held = 0;
  for (let c = 0; c < k; c++) {
    const pc = p[c]!;
    const place = places[c]!;
    if (held === n) {
      const last = top[n - 1]!;
      if (!(pc > p[last]! || (pc === p[last]! && place < places[last]!))) continue;
    }
    let j = held < n ? held++ : n - 1;
    while (j > 0) {
      const prev = top[j - 1]!;
      if (pc > p[prev]! || (pc === p[prev]! && place < places[prev]!)) {
        top[j] = prev;
        j--;
      } else break;
    }
    top[j] = c;
  }
  const ranked = new Array<RankedLabel>(held);
  for (let r = 0; r < held; r++) {
    const c = top[r]!;
    ranked[r] = { label: linear.classes[c]!, probability: p[c]! };
  }
  return ranked;
}

let scores = new Float64Array(0);
let probabilities = new Float64Array(0);

/** Featurizes, scores and takes the softmax into `probabilities` (its first k entries); returns k. */
function probabilitiesOf(model: Pick<RouterModel, 'linear' | 'spec'>, input: RoutingInput): number {
  const k = model.linear.classes.length;
  if (scores.length < k) {
    scores = new Float64Array(k);
    probabilities = new Float64Array(k);
  }
  const x = featurizeShared(input, model.spec);
  scoreInto(model.linear, x.indices, x.values, x.length, scores);
  softmaxInto(scores, k, model.linear.temperature, probabilities);
  return k;
}

/**
 * Ranked labels, most probable first. One prediction runs to completion, so the vector, the scores and
 * the probabilities live in arrays reused by every call (the values are those of `featurize`,
 * `scoreClasses` and `softmax`).
 */
export function predict(model: Pick<RouterModel, 'linear' | 'spec'>, input: RoutingInput): RankedLabel[] {
  const k = probabilitiesOf(model, input);
  return rankClasses(model.linear, probabilities, k);
}

/**
 * `predict(model, input).slice(0, n)`, for callers that read only the top `n` (the router reads 3, or
 * the best one): the same labels and probabilities (the softmax is taken over every class), but the
 * rest are not ranked and no objects are made for them (on the 133-class assignee model, n objects
 * instead of 133 and an n-place insertion instead of a merge sort).
 */
export function predictTop(model: Pick<RouterModel, 'linear' | 'spec'>, input: RoutingInput, n: number): RankedLabel[] {
  const k = probabilitiesOf(model, input);
  const top = Math.min(Math.max(0, Math.floor(n)), k);
  if (!(top > 0)) return [];
  return top * 4 >= k
    ? rankClasses(model.linear, probabilities, k).slice(0, top)
    : topClasses(model.linear, probabilities, k, top);
}

/** Oldest first; the id breaks ties so the split is the same on every run. */
export function byCreation<T extends { readonly input: RoutingInput }>(examples: readonly T[]): T[] {
  return [...examples].sort(
    (a, b) => (a.input.createdAt ?? 0) - (b.input.createdAt ?? 0) || a.input.id.localeCompare(b.input.id),
  );
}

function fitLinear(
  xs: readonly SparseVector[],
  ys: Int32Array,
  ws: Float32Array,
  classCount: number,
  options: TrainOptions,
): { weights: Float32Array; bias: Float32Array } {
  return options.kind === 'cnb'
    ? trainComplementNB(xs, ys, ws, classCount, options.bits)
    : trainSoftmax(xs, ys, ws, classCount, options.bits, { ...options.softmax, seed: options.seed });
}

function maxRowsFor(classCount: number, maxBytes: number): number {
  // base64 of (4-byte row index + one int8 per class) per row, plus room for the JSON around it.
  return Math.max(1, Math.floor(((maxBytes - 20_000) * 0.75) / (classCount + 4)));
}

/** Below this many held-out examples, the newest slice is too small and too skewed to calibrate on. */
export const MIN_CALIBRATION_SLICE = 1000;
const CROSS_FIT_FOLDS = 5;

/**
 * Scores of history examples by models that did not see them, for the temperature and thresholds.
 * With enough history, the newest `calibrationShare` is held out (as deployment meets new issues).
 * On a small history that slice is a few hundred issues from a few weeks and can hold mostly one
 * class, so the history is cross-fitted instead: cut into `CROSS_FIT_FOLDS` folds, each scored by a
 * model fitted on the others, so every history example calibrates. The folds interleave (example i,
 * oldest first, goes to fold i mod 5), so each fold spans the whole period with the history's class
 * mix. Folds of consecutive time blocks did not calibrate: on a balanced 3-class set of 1,500
 * Appcelerator issues the blocks' mixes ranged from 4 % to 50 % High (the tracker's priorities
 * drifted over six years), each block was scored by a model trained on other eras, held-out
 * accuracy fell to 37 % and the temperature to 4.1 — no prediction reached 0.5, no act line. With
 * interleaved folds the same set scores 50 % held out and the confident predictions are right as
 * often as they claim. The act line then assumes new issues resemble the history's mix; the newest
 * slice, used on larger histories, measures drift instead.
 */
function heldOutScores(
  vectors: readonly SparseVector[],
  ys: Int32Array,
  ws: Float32Array,
  history: number,
  classCount: number,
  maxRows: number,
  o: TrainOptions,
): { scores: Float64Array[]; ys: number[] } {
  const scores: Float64Array[] = [];
  const heldYs: number[] = [];
  if (o.calibrationShare <= 0 || history < 2) return { scores, ys: heldYs };
  const calStart = Math.floor(history * (1 - o.calibrationShare));
  // fold(i): which fold holds history example i, or -1 when it only trains.
  const newestSlice = history - calStart >= MIN_CALIBRATION_SLICE || history < CROSS_FIT_FOLDS * 2;
  const folds = newestSlice ? 1 : CROSS_FIT_FOLDS;
  const fold = newestSlice ? (i: number) => (i >= calStart ? 0 : -1) : (i: number) => i % CROSS_FIT_FOLDS;
  if (newestSlice && calStart <= 0) return { scores, ys: heldYs };
  const classes = Array.from({ length: classCount }, (_, c) => String(c));
  for (let k = 0; k < folds; k++) {
    const fitIdx: number[] = [];
    const heldIdx: number[] = [];
    for (let i = 0; i < history; i++) (fold(i) === k ? heldIdx : fitIdx).push(i);
    if (heldIdx.length === 0) continue;
    const fitted = fitLinear(
      fitIdx.map((i) => vectors[i]!),
      Int32Array.from(fitIdx, (i) => ys[i]!),
      Float32Array.from(fitIdx, (i) => ws[i]!),
      classCount,
      o,
    );
    const model = linearModelOf(quantizeWeights(fitted.weights, classCount, maxRows), classes, o.bits, fitted.bias, 1);
    for (const i of heldIdx) {
      scores.push(scoreClasses(model, vectors[i]!));
      heldYs.push(ys[i]!);
    }
  }
  return { scores, ys: heldYs };
}

/**
 * Trains a calibrated model for one target. Held-out scores (`heldOutScores`: the newest
 * `calibrationShare` of the history by creation time, or cross-fitted interleaved folds on a small
 * history) give the temperature, the reliability table and the act/suggest thresholds; the final
 * model is then fitted on everything with the same settings and takes that temperature.
 */
export function trainRouterModel(
  examples: readonly TrainingExample[],
  target: RoutingTarget,
  overrides: readonly TrainingExample[] = [],
  options: Partial<TrainOptions> = {},
): Result<RouterModel> {
  const o: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const spec: FeatureSpec = {
    bits: o.bits,
    charMin: o.charMin,
    charMax: o.charMax,
    maxBodyChars: o.maxBodyChars,
    fields: [...target.featureFields],
    seed: o.seed,
    signed: o.kind !== 'cnb',
  };
  const all = [
    ...byCreation(examples.map((e) => ({ ...e, weight: e.weight ?? 1 }))),
    ...overrides.map((e) => ({ ...e, weight: e.weight ?? o.overrideWeight })),
  ].filter((e) => !isEmptyInput(e.input, spec));
  const counts = new Map<string, number>();
  for (const e of all) counts.set(e.label, (counts.get(e.label) ?? 0) + e.weight);
  const classes = [...counts]
    .filter(([, n]) => n >= o.minClassCount)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([label]) => label);
  if (classes.length < 2) {
    const issue: Issue = {
      code: 'train.too_few_classes',
      path: [target.name],
      message: `need at least 2 labels with ${o.minClassCount}+ examples each to train '${target.name}', found ${classes.length} (from ${all.length} usable examples)`,
    };
    return fail(issue);
  }
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const known = all.filter((e) => classIndex.has(e.label));
  // The calibration fits and the final one take the same number of epochs, so their confidences compare.
  const fit: TrainOptions =
    known.length >= o.softmax.largeFrom ? { ...o, softmax: { ...o.softmax, epochs: o.softmax.largeEpochs } } : o;
  const vectors = known.map((e) => featurize(e.input, spec));
  const ys = Int32Array.from(known, (e) => classIndex.get(e.label)!);
  const ws = Float32Array.from(known, (e) => e.weight);
  const maxRows = maxRowsFor(classes.length, o.maxBytes);

  // Overrides always train the final model; the calibration examples come from history only.
  const history = known.length - overrides.filter((e) => classIndex.has(e.label)).length;
  const calibration: { -readonly [K in keyof RouterModel['calibration']]: RouterModel['calibration'][K] } = {
    count: 0,
    ece: 0,
    bins: [],
  };
  let temperature = 1;
  let thresholds: RouterModel['thresholds'] = { act: null, suggest: null };
  const held = heldOutScores(vectors, ys, ws, history, classes.length, maxRows, fit);
  if (held.scores.length > 0) {
    temperature = fitTemperature(held.scores, held.ys);
    const confidences: number[] = [];
    const correct: boolean[] = [];
    held.scores.forEach((s, i) => {
      const p = softmax(s, temperature);
      let best = 0;
      for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
      confidences.push(p[best]!);
      correct.push(best === held.ys[i]);
    });
    const table = reliability(confidences, correct);
    Object.assign(calibration, { count: confidences.length, ece: table.ece, bins: table.bins });
    thresholds = {
      act: thresholdForPrecision(confidences, correct, 0.9) ?? null,
      suggest: thresholdForPrecision(confidences, correct, 0.6) ?? null,
    };
    calibration.lines = {
      act: measureLine(confidences, correct, thresholds.act),
      suggest: measureLine(confidences, correct, thresholds.suggest),
    };
  }
  const final = fitLinear(vectors, ys, ws, classes.length, fit);
  const quantized = quantizeWeights(final.weights, classes.length, maxRows);
  const linear = linearModelOf(quantized, classes, o.bits, final.bias, temperature);
  const times = known.map((e) => e.input.createdAt).filter((t): t is number => t !== undefined);
  let digest = hashString(classes.join('\n'), o.seed);
  for (let i = 0; i < quantized.values.length; i += 97) digest = hashString(`${digest}:${quantized.values[i]}`, digest);
  return ok({
    target: target.name,
    kind: o.kind,
    modelId: `${target.name}-${o.kind}-${digest.toString(16).padStart(8, '0')}`,
    spec,
    linear,
    quantized,
    thresholds,
    trainedOn: {
      examples: known.length,
      overrides: known.length - history,
      from: times.length === 0 ? null : times.reduce((a, b) => Math.min(a, b)),
      to: times.length === 0 ? null : times.reduce((a, b) => Math.max(a, b)),
    },
    calibration,
  });
}
