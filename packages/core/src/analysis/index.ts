// @baton/core/analysis — process analytics over a case log, for reports and the CLI's `analyze`.

export type { Analysis, AnalysisOptions, ExactAnalysisState } from './create-analysis.ts';
export { createAnalysis } from './create-analysis.ts';
export type { QuantileSketch, QuantileSketchState } from './quantile-sketch.ts';
export { createQuantileSketch, QuantileSketchSchema, SKETCH_RELATIVE_ACCURACY } from './quantile-sketch.ts';
export type { AnalysisPartial } from './analysis-partial.ts';
export { AnalysisPartialSchema } from './analysis-partial.ts';
export { mergeAnalysisPartials } from './merge-analyses.ts';
export type { CaseSummary, StateVisit, SlaOutcome, SummarizeOptions } from './summarize-case.ts';
export { summarizeCase } from './summarize-case.ts';
export type { Kpis, StateKpi, Cohort } from './kpis.ts';
export { KpisSchema, kpisJsonSchema } from './kpis.ts';
export type { Diagnosis, DiagnosedChokePoint, Intervention, CauseKind } from './diagnosis-schema.ts';
export { DiagnosisSchema, CAUSE_KINDS } from './diagnosis-schema.ts';
export { createDiagnosis, escalationReason, supportLine } from './diagnose.ts';
export { PLAYBOOK } from './shortlist.ts';
export type { CohortComparison } from './cohort-comparison.ts';
export { CohortComparisonSchema, compareCohorts } from './cohort-comparison.ts';
export type { MeasuredSavings } from './measured-savings.ts';
export { MeasuredSavingsSchema } from './measured-savings.ts';
export type { Costs, CostsInput } from './costs.ts';
export { CostsSchema, defineCosts, DEFAULT_COSTS } from './costs.ts';
export type { Distribution } from './stats.ts';
