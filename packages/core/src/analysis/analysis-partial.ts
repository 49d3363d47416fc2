import * as z from 'zod';
import { CostsSchema } from './costs.ts';
import { PhaseSchema, WaitingReasonSchema } from '../model/workflow.ts';
import { QuantileSketchSchema } from './quantile-sketch.ts';
import { DiagnosisStateSchema } from './diagnose.ts';

// The mergeable state of an analysis (`baton analyze --partial`): every count and sum exact, every
// distribution a quantile sketch (relative error stated in each sketch's `alpha`), handoffs per
// case as exact counts. Partials of disjoint sets of cases merge into the analysis of their union.

const Count = z.int().min(0);
const Counts = z.array(Count);

export const CohortPartialSchema = z.object({
  cases: Count,
  cycle: QuantileSketchSchema.describe('Cycle time in days, cases with ≥ 2 events.'),
  cycleBusiness: QuantileSketchSchema.describe('Business cycle time in business days.'),
  histogramWall: Counts,
  histogramBusiness: Counts,
  handoffs: Count,
  pingPongCases: Count,
  exceptionCases: Count,
  slaMet: Count,
  slaBreached: Count,
  overhead: z
    .object({
      statusChases: Count,
      comments: Count,
      exceptions: Count,
      reopened: Count,
      minutes: z.number().min(0),
      minutesSquared: z.number().min(0),
    })
    .optional()
    .describe('What the measured savings compare (absent in partials written before they existed).'),
});
export type CohortPartial = z.infer<typeof CohortPartialSchema>;

export const AnalysisPartialSchema = z.object({
  kind: z.literal('baton.analysis.partial'),
  version: z.literal(2).describe('2: with the diagnosis state (version 1 partials lack it: analyse again).'),
  options: z.object({ since: z.number().nullable(), until: z.number().nullable(), cohort: z.number().nullable() }),
  calendar: z.object({ timeZone: z.string(), businessDayMs: z.number().positive() }),
  costs: CostsSchema,
  sources: z.array(z.string()),
  periodFrom: z.number().nullable(),
  periodTo: z.number().nullable(),
  events: Count,
  skipped: Count,
  excluded: Count,
  all: CohortPartialSchema,
  before: CohortPartialSchema.nullable(),
  after: CohortPartialSchema.nullable(),
  states: z.array(
    z.object({
      name: z.string(),
      phase: PhaseSchema,
      waitingReason: WaitingReasonSchema.optional(),
      durations: QuantileSketchSchema.describe('Visit durations in ms.'),
      businessMs: z.number().min(0),
      cases: Count,
    }),
  ),
  phases: z.array(z.object({ phase: PhaseSchema, visits: Count, ms: z.number() })),
  handoffsPerCase: z.array(z.tuple([Count, z.int().positive()])).describe('[handoffs, cases] pairs: exact.'),
  handoffsHistogram: Counts,
  pairs: z.array(z.object({ a: z.string(), b: z.string(), bounces: Count })),
  pingPongBounces: Count,
  comments: Count,
  statusChases: Count,
  statusChaseCases: Count,
  reopened: Count,
  waiting: Count,
  escalated: Count,
  waitingDays: QuantileSketchSchema,
  slaOpen: Count,
  diagnosis: DiagnosisStateSchema,
});
export type AnalysisPartial = z.infer<typeof AnalysisPartialSchema>;
