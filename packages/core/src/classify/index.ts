// @baton/core/classify — routing models trained on a team's history: train, evaluate, save, predict.

export type { RoutingInput } from './features.ts';
export type { RoutingTarget, RoutingTargetName } from './targets.ts';
export { defineTarget, ROUTING_TARGETS } from './targets.ts';
export type { ModelKind, TrainingExample, RankedLabel, RouterModel, TrainOptions } from './router-model.ts';
export {
  MODEL_KINDS,
  DEFAULT_TRAIN_OPTIONS,
  DEFAULT_MAX_MODEL_BYTES,
  trainRouterModel,
  predict,
  predictTop,
} from './router-model.ts';
export type { ModelFile } from './model-file.ts';
export { toModelFile, fromModelFile } from './model-file.ts';
export type { LabelRanker } from './baselines.ts';
export { trainMajorityBaseline, trainCentroidBaseline } from './baselines.ts';
export type { Evaluation } from './evaluate.ts';
export { evaluateRanker } from './evaluate.ts';
export { routingInputFromCase } from './case-input.ts';
export type { ModelFieldPrediction } from './model-classifier.ts';
export { createModelClassifier, withPredictedComponent } from './model-classifier.ts';
