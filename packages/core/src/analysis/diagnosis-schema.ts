import * as z from 'zod';
import { PhaseSchema, WaitingReasonSchema } from '../model/workflow.ts';

// The workshop's diagnosis in kpis.json: where work waits and why, what it would take to fix.
// Defined here (not in kpis.ts) so the figures' rules and their schema sit side by side.

const Count = z.int().min(0);
const Share = z.number().min(0).max(1);

export const CAUSE_KINDS = ['missing-data', 'unclear-ownership', 'external-wait', 'policy-ambiguity'] as const;
export const CauseKindSchema = z.enum(CAUSE_KINDS);
export type CauseKind = z.infer<typeof CauseKindSchema>;

export const CauseEvidenceSchema = z.object({
  kind: CauseKindSchema,
  /** The share the evidence rests on (0–1); the likely cause is the one with the largest. */
  share: Share,
  evidence: z.string(),
});

export const DiagnosedChokePointSchema = z.object({
  state: z.string(),
  phase: PhaseSchema,
  waitingReason: WaitingReasonSchema.optional(),
  visits: Count,
  cases: Count,
  totalDays: z.number().describe('Wall-clock days cases spent here, summed over visits (time × volume).'),
  medianDays: z.number().nullable().describe('From a quantile sketch: within 0.5 % (relative) of the exact value.'),
  p90Days: z.number().nullable().describe('From a quantile sketch: within 0.5 % (relative) of the exact value.'),
  variation: z
    .number()
    .nullable()
    .describe('Coefficient of variation of one stay (standard deviation / mean): how unpredictable the wait is.'),
  slaRisk: z.object({
    basis: z
      .enum(['sla-breach', 'long-tail'])
      .describe(
        'sla-breach with SLA targets; else cases in the cycle-time tail (> p90, read from sketches: cases within 0.5 % of the p90 may count either way).',
      ),
    cases: Count.describe('Cases that passed here and have an outcome on that basis.'),
    rate: Share.nullable().describe('Share of those cases that breached (or ended in the tail).'),
    lift: z.number().nullable().describe('rate / the same rate over all cases.'),
  }),
  ranks: z.object({ total: z.int().min(1), variation: z.int().min(1), slaRisk: z.int().min(1) }),
  score: z.number().describe('Mean of the three ranks: lower is worse (ranked first).'),
  causes: z.array(CauseEvidenceSchema).describe('Every cause with its evidence, strongest first.'),
  likelyCause: CauseKindSchema.nullable(),
});
export type DiagnosedChokePoint = z.infer<typeof DiagnosedChokePointSchema>;

export const EscalationsSchema = z.object({
  cases: Count.describe('Cases with at least one escalation.'),
  rate: Share.nullable(),
  reasons: z
    .array(z.object({ reason: z.string(), events: Count, cases: Count }))
    .describe(
      'escalation state entered; escalation field set; priority raised to urgent; handed to a higher support line (2nd, 3rd …).',
    ),
});

export const WipPointSchema = z.object({
  at: z.string().describe('Start of the bucket, ISO 8601 UTC.'),
  wip: Count.describe('Cases open at the start of the bucket (first event ≤ t < last event).'),
  arrivals: Count,
  departures: Count,
});

export const LittlesLawSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    meanWip: z.number().describe('Time-average of cases open over that span.'),
    throughputPerDay: z.number().describe('Cases whose last event falls in the window, per day.'),
    arrivalsPerDay: z.number(),
    littleCycleDays: z.number().nullable().describe("Little's law: mean WIP / throughput."),
    measuredCycleDays: z.number().nullable().describe('Mean cycle time of the cases that left in that span.'),
    ratio: z.number().nullable().describe('littleCycleDays / measuredCycleDays; near 1 when the flow is steady.'),
  })
  .describe(
    'Measured from the UTC day of the 10th percentile of arrivals to the end of the day of the 90th percentile of departures (without warm-up and cool-down); whole days, as the mergeable WIP state keeps them.',
  );

export const RecoverySchema = z.object({
  kind: z.enum(['waiting-customer', 'waiting-vendor', 'waiting-approval', 'waiting-internal', 'reopened', 'escalated']),
  count: Count,
  recovered: Count,
  medianDays: z.number().nullable().describe('From a quantile sketch: within 0.5 % (relative) of the exact value.'),
  p90Days: z.number().nullable().describe('From a quantile sketch: within 0.5 % (relative) of the exact value.'),
  meanDays: z.number().nullable(),
});

export const PATTERNS = ['router', 'watchdog', 'concierge', 'clerk'] as const;

export const InterventionSchema = z.object({
  state: z.string().nullable().describe('The choke point it targets; null for a case-wide intervention.'),
  pattern: z.enum(PATTERNS),
  level: z.enum(['assist', 'automate', 'enforce']),
  change: z.string().describe('What it would change, in a sentence.'),
  assumption: z.string().describe('The assumption the estimate rests on, with its numbers.'),
  minutesPerMonth: z.number().min(0),
  moneyPerMonth: z.number().min(0),
  waitingDaysPerMonth: z.number().min(0).describe('Wall-clock days of waiting it would remove a month.'),
  confidence: z.enum(['low', 'medium', 'high']),
  why: z.string().describe('What the confidence rests on.'),
});
export type Intervention = z.infer<typeof InterventionSchema>;

export const DiagnosisSchema = z
  .object({
    chokePoints: z
      .array(DiagnosedChokePointSchema)
      .describe('Queue and waiting states ranked by total, variation and SLA risk.'),
    escalations: EscalationsSchema,
    wip: z.object({
      bucketDays: z.number(),
      series: z.array(WipPointSchema),
      littlesLaw: LittlesLawSchema.nullable(),
    }),
    exceptionRecovery: z.array(RecoverySchema).describe('Time to recover from each kind of exception, in days.'),
    blockedOnInformation: z.object({
      cases: Count,
      share: Share.nullable(),
      definition: z.string(),
    }),
    activeMonths: z
      .object({ from: z.string().nullable(), to: z.string().nullable(), months: z.number().min(0) })
      .describe(
        'The months in which the cases came and went: from the UTC day of the 5th percentile of first events to the end of the day of the 95th percentile of last events (30.44-day months). The shortlist counts "a month" in these, so that a few very old cases do not dilute it.',
      ),
    shortlist: z
      .array(InterventionSchema)
      .describe('Interventions for the top choke points, by minutes saved a month.'),
  })
  .describe('The workshop diagnosis: choke points and their likely causes, escalations, WIP, recovery, shortlist.');
export type Diagnosis = z.infer<typeof DiagnosisSchema>;
