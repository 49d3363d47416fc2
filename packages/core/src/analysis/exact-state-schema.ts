import * as z from 'zod';
import { PhaseSchema, StateMappingSchema, WaitingReasonSchema, WorkflowMapSchema } from '../model/workflow.ts';
import type { ExactAnalysisState } from './create-analysis.ts';
import { CostsSchema } from './costs.ts';
import { QuantileSketchSchema } from './quantile-sketch.ts';
import { WipStateSchema } from './wip.ts';

// The form of `Analysis.exactState()`, checked where a state arrives (`absorb`): it crosses threads
// (a worker's message), so it is checked like any input. Plain data only: objects, arrays, numbers,
// strings and Float64Arrays — what structuredClone carries unchanged.

const Count = z.int().min(0);
/** `ExactSum` parts: finite doubles. */
const Parts = z.array(z.number());

const ExactSketchStateSchema = QuantileSketchSchema.extend({
  sumParts: Parts,
  msParts: Parts,
  msPerUnit: z.number().positive().nullable(),
});

const BoundedSampleStateSchema = z
  .object({
    cap: z.int().positive(),
    values: z.instanceof(Float64Array).nullable(),
    sketch: ExactSketchStateSchema.nullable(),
  })
  .refine((s) => (s.values === null) !== (s.sketch === null), {
    message: 'expected either exact values or a sketch',
  });

const CohortExactStateSchema = z.object({
  cases: Count,
  cycle: BoundedSampleStateSchema,
  cycleBusiness: BoundedSampleStateSchema,
  // One count per bin of CYCLE_TIME_EDGES_DAYS (13 edges).
  histogramWall: z.array(Count).length(13),
  histogramBusiness: z.array(Count).length(13),
  counts: z.array(Count).length(9),
  minutes: Parts,
  minutesSquared: Parts,
});

const DiagnosisExactStateSchema = z.object({
  cases: Count,
  escalatedCases: Count,
  blocked: Count,
  slaCases: Count,
  slaBreached: Count,
  cycles: ExactSketchStateSchema,
  states: z.array(
    z.object({
      name: z.string(),
      phase: PhaseSchema,
      waitingReason: WaitingReasonSchema.optional(),
      stays: ExactSketchStateSchema,
      staysSumSq: Parts,
      staysSumSqMs: Parts,
      cycles: ExactSketchStateSchema,
      unassignedMs: Parts,
      totalMs: Parts,
      counts: z.array(Count).length(10),
    }),
  ),
  recovery: z.array(z.object({ kind: z.string(), count: Count, days: ExactSketchStateSchema })),
  escalationReasons: z.array(z.object({ reason: z.string(), events: Count, cases: Count })),
  wip: WipStateSchema,
});

export const ExactAnalysisStateSchema = z.object({
  kind: z.literal('baton.analysis.exact'),
  version: z.literal(1),
  settings: z.object({
    since: z.number().nullable(),
    until: z.number().nullable(),
    cohort: z.number().nullable(),
    calendar: z.unknown(),
    costs: CostsSchema,
    workflow: WorkflowMapSchema.nullable(),
    sla: z.boolean(),
  }),
  hints: z.array(z.tuple([z.string(), z.enum(['new', 'indeterminate', 'done'])])),
  mappings: z.array(z.tuple([z.string(), StateMappingSchema])),
  sources: z.array(z.string()),
  events: Count,
  skipped: Count,
  excluded: Count,
  periodFrom: z.number().nullable(),
  periodTo: z.number().nullable(),
  all: CohortExactStateSchema,
  before: CohortExactStateSchema.nullable(),
  after: CohortExactStateSchema.nullable(),
  states: z.array(z.object({ name: z.string(), durations: BoundedSampleStateSchema, businessMs: Parts, cases: Count })),
  phases: z.array(z.object({ visits: Count, ms: Parts })).length(4),
  handoffsPerCase: z.array(z.tuple([Count, Count])),
  handoffsHistogram: z.array(Count).length(11),
  pairs: z.array(z.object({ a: z.string(), b: z.string(), bounces: Count })),
  counts: z.array(Count).length(8),
  waitingDays: BoundedSampleStateSchema,
  diagnosis: DiagnosisExactStateSchema,
}) satisfies z.ZodType<ExactAnalysisState>;
