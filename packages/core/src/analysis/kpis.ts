import * as z from 'zod';
import { PhaseSchema, WaitingReasonSchema } from '../model/workflow.ts';
import { CohortComparisonSchema } from './cohort-comparison.ts';
import { DiagnosisSchema } from './diagnosis-schema.ts';
import { MeasuredSavingsSchema } from './measured-savings.ts';

// The machine-readable result of an analysis (`kpis.json`). Its JSON Schema, generated from this
// file, is committed as docs/kpis.schema.json; a test keeps the two in step.

const Count = z.int().min(0);
const Rate = z.number().min(0).max(1).nullable().describe('A share between 0 and 1; null when nothing to divide by.');
const Days = z.number().describe('Days (24 h) of wall-clock time, or business days where the name says so.');

export const DistributionSchema = z
  .object({
    count: Count,
    mean: z.number().nullable(),
    p10: z.number().nullable(),
    p25: z.number().nullable(),
    p50: z.number().nullable(),
    p75: z.number().nullable(),
    p90: z.number().nullable(),
    max: z.number().nullable(),
  })
  .describe('A distribution: quantiles by linear interpolation between closest ranks; null when count is 0.');

export const HistogramSchema = z
  .object({
    edgesDays: z.array(z.number()).describe('Lower edges of the bins; the last bin is open-ended.'),
    wall: z.array(Count),
    business: z.array(Count),
  })
  .describe('Cycle-time histogram: cases per bin, in wall-clock days and in business days.');

export const StateKpiSchema = z.object({
  phase: PhaseSchema,
  waitingReason: WaitingReasonSchema.optional(),
  visits: Count.describe('Entries into the state.'),
  cases: Count.describe('Cases that entered the state at least once.'),
  totalDays: Days,
  totalBusinessDays: Days,
  meanDays: z.number().nullable(),
  medianDays: z.number().nullable().describe('Median duration of one visit.'),
  p90Days: z.number().nullable(),
});

export const ChokePointSchema = z.object({
  state: z.string(),
  phase: PhaseSchema,
  visits: Count,
  totalDays: Days,
  medianDays: z.number().nullable(),
  share: z.number().min(0).max(1).describe('Share of all time cases spent waiting or queued.'),
});

export const CohortSchema = z.object({
  label: z.string(),
  cases: Count,
  cycleTimeDays: DistributionSchema,
  cycleTimeBusinessDays: DistributionSchema,
  histogram: HistogramSchema,
  handoffsPerCase: z.number().nullable(),
  pingPongCaseRate: Rate,
  exceptionCaseRate: Rate,
  slaBreachRate: Rate,
});

const Bucket = z.object({ count: Count, minutes: z.number().min(0) });

export const KpisSchema = z
  .object({
    schemaVersion: z.literal(1),
    sources: z.array(z.string()).describe('Where the cases came from (file names).'),
    period: z.object({
      from: z.string().nullable().describe('First event of the analysed cases, ISO 8601 UTC.'),
      to: z.string().nullable().describe('Last event of the analysed cases, ISO 8601 UTC.'),
    }),
    filter: z.object({
      since: z.string().nullable(),
      until: z.string().nullable(),
      excludedCases: Count.describe('Cases whose first event falls outside --since/--until.'),
    }),
    calendar: z.object({ timeZone: z.string(), businessDayHours: z.number().describe('Hours in one business day.') }),
    cases: Count.describe('Cases analysed.'),
    events: Count.describe('Events of the analysed cases.'),
    skipped: Count.describe('Malformed records that readers reported and skipped.'),
    cycleTimeDays: DistributionSchema.describe('Cycle time (last − first event), wall clock, cases with ≥ 2 events.'),
    cycleTimeBusinessDays: DistributionSchema.describe('The same cycle times counted in business days.'),
    cycleTimeHistogram: HistogramSchema,
    handoffs: Count.describe('Owner changes summed over cases: owner sequence length − 1.'),
    handoffsPerCase: DistributionSchema,
    reassignmentRate: Rate.describe('Share of cases with at least one handoff.'),
    pingPongBounces: Count.describe('Owner patterns A, B, A summed over cases.'),
    pingPongCases: Count.describe('Cases with at least one ping-pong bounce.'),
    handoffsHistogram: z.array(Count).describe('Cases with 0, 1, 2, … 9 handoffs; the last entry counts 10 or more.'),
    pingPongPairs: z
      .array(z.object({ a: z.string(), b: z.string(), bounces: Count }))
      .describe('The owner pairs that bounce work between them most (top 10).'),
    states: z.record(z.string(), StateKpiSchema).describe('Per state, ordered by total time.'),
    phases: z.record(PhaseSchema, z.object({ visits: Count, totalDays: Days })),
    chokePoints: z.array(ChokePointSchema).describe('Queue and waiting states by total time held (time × volume).'),
    comments: Count,
    statusChases: Count.describe('Comments that ask for status (any update? ETA?).'),
    statusChaseCases: Count,
    exceptions: z.object({
      cases: Count,
      rate: Rate,
      reopened: Count,
      waiting: Count.describe('Entries into waiting/blocked states.'),
      escalated: Count,
      waitingDays: DistributionSchema.describe('Per case with waiting: total time in waiting states.'),
    }),
    sla: z.object({
      casesWithTarget: Count,
      met: Count,
      breached: Count,
      open: Count,
      breachRate: Rate.describe('breached / (met + breached).'),
    }),
    overhead: z
      .object({
        handoffs: Bucket,
        statusTracking: Bucket,
        exceptions: Bucket,
        communication: Bucket,
        totalMinutes: z.number().min(0),
      })
      .describe('The four buckets of coordination overhead: counts × minutes each (from the costs config).'),
    money: z.object({
      currency: z.string(),
      loadedCostPerHour: z.number(),
      minutesPerHandoff: z.number(),
      minutesPerStatusCheck: z.number(),
      minutesPerException: z.number(),
      minutesPerMessage: z.number(),
      total: z.number().describe('overhead.totalMinutes / 60 × loadedCostPerHour.'),
      months: z.number().describe('Length of the period in months (30.44 days).'),
      perMonth: z.number().nullable(),
    }),
    diagnosis: DiagnosisSchema.optional(),
    cohorts: z
      .object({
        date: z.string(),
        before: CohortSchema,
        after: CohortSchema,
        comparison: CohortComparisonSchema.optional(),
        savings: MeasuredSavingsSchema.optional(),
      })
      .nullable()
      .describe('Cases first seen before vs on/after --cohort.'),
  })
  .describe('Baton coordination analysis: the figures behind report.html.');

export type Kpis = z.infer<typeof KpisSchema>;
export type StateKpi = z.infer<typeof StateKpiSchema>;
export type Cohort = z.infer<typeof CohortSchema>;

/** The JSON Schema of kpis.json (draft 2020-12), for people and tools outside TypeScript. */
export function kpisJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(KpisSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}
