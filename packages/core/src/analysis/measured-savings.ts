import * as z from 'zod';
import type { Costs } from './costs.ts';

// The return, measured: what coordination cost per case before a go-live date and after it, on the
// project's own history, priced with the configured costs. Not a replay estimate: the difference the
// cases themselves show, with a 95 % interval, and second-order money (SLA penalties, rework after
// a reopen) when the costs give those prices. Everything here adds up across partial analyses.

/** What a cohort's overhead is counted from (beside its handoffs and SLA outcomes): sums over its cases. */
export interface CohortOverheadTotals {
  readonly statusChases: number;
  readonly comments: number;
  /** Exception events (reopens, waits, escalations). */
  readonly exceptions: number;
  readonly reopened: number;
  /** Overhead minutes per case (`overheadMinutes`), summed, and their squares summed (for the interval). */
  readonly minutes: number;
  readonly minutesSquared: number;
}

/** The figures of one cohort that the savings compare. */
export interface SavingsCohort {
  readonly cases: number;
  readonly handoffs: number;
  readonly slaMet: number;
  readonly slaBreached: number;
  readonly overhead: CohortOverheadTotals;
}

const Interval = z.tuple([z.number(), z.number()]).nullable();
const PerCase = z.object({ before: z.number().nullable(), after: z.number().nullable() });

export const MeasuredSavingsSchema = z
  .object({
    currency: z.string(),
    casesBefore: z.int().min(0),
    casesAfter: z.int().min(0),
    perCase: z
      .object({ handoffs: PerCase, statusChecks: PerCase, exceptions: PerCase, messages: PerCase })
      .describe('Each bucket’s count per case, before and after.'),
    overheadMinutesPerCase: z.object({
      before: z.number().nullable(),
      after: z.number().nullable(),
      saved: z.number().nullable().describe('before − after: positive when a case costs less after.'),
      ci95: Interval.describe('95 % interval of `saved` (difference of means, Welch’s normal approximation).'),
    }),
    minutesSaved: z
      .number()
      .nullable()
      .describe('Saved per case × the cases after: the time the after cohort did not spend.'),
    minutesSavedCi95: Interval,
    money: z.number().nullable().describe('minutesSaved / 60 × loadedCostPerHour.'),
    moneyCi95: Interval,
    secondOrder: z.object({
      slaPenalties: z
        .object({
          penaltyPerBreach: z.number(),
          breachRateBefore: z.number().nullable(),
          breachRateAfter: z.number().nullable(),
          endedAfter: z.int().min(0).describe('Cases after that met or breached their SLA.'),
          breachesAvoided: z.number().nullable().describe('(rate before − rate after) × endedAfter.'),
          breachesAvoidedCi95: Interval.describe('95 % interval (difference of proportions, normal approximation).'),
          money: z.number().nullable(),
        })
        .nullable()
        .describe('Present when the costs give `penaltyPerSlaBreach`.'),
      reopens: z
        .object({
          costPerReopen: z.number(),
          perCaseBefore: z.number().nullable(),
          perCaseAfter: z.number().nullable(),
          reopensAvoided: z.number().nullable().describe('(per case before − per case after) × the cases after.'),
          money: z.number().nullable(),
        })
        .nullable()
        .describe('Present when the costs give `costPerReopen`.'),
    }),
    totalMoney: z.number().nullable().describe('money plus the second-order money that was priced.'),
  })
  .describe('Coordination overhead per case after vs before the cohort date, priced: savings measured, not estimated.');
export type MeasuredSavings = z.infer<typeof MeasuredSavingsSchema>;

const Z95 = 1.959963984540054;

const perCase = (count: number, cases: number): number | null => (cases === 0 ? null : count / cases);

/** Sample variance from a sum and a sum of squares (n − 1 in the denominator). */
function variance(n: number, sum: number, squares: number): number {
  return n < 2 ? 0 : Math.max(0, (squares - (sum * sum) / n) / (n - 1));
}

const scaled = (ci: readonly [number, number] | null, by: number): [number, number] | null =>
  ci === null ? null : [ci[0] * by, ci[1] * by];

/**
 * Savings measured between two cohorts (cases first seen before a date, and on or after it): each
 * overhead bucket per case, the overhead minutes per case saved with a 95 % interval, that times the
 * cases after in minutes and money, and the second-order money the costs price.
 */
export function measureSavings(before: SavingsCohort, after: SavingsCohort, costs: Costs): MeasuredSavings {
  const a = before.overhead;
  const b = after.overhead;
  const both = before.cases > 0 && after.cases > 0;
  const meanBefore = perCase(a.minutes, before.cases);
  const meanAfter = perCase(b.minutes, after.cases);
  const saved = both ? meanBefore! - meanAfter! : null;
  const se = Math.sqrt(
    variance(before.cases, a.minutes, a.minutesSquared) / Math.max(before.cases, 1) +
      variance(after.cases, b.minutes, b.minutesSquared) / Math.max(after.cases, 1),
  );
  const ci: [number, number] | null =
    saved === null || before.cases < 2 || after.cases < 2 ? null : [saved - Z95 * se, saved + Z95 * se];
  const minutesSaved = saved === null ? null : saved * after.cases;
  const hourly = costs.loadedCostPerHour / 60;
  const money = minutesSaved === null ? null : minutesSaved * hourly;
  const slaPenalties =
    costs.penaltyPerSlaBreach === undefined ? null : penalties(before, after, costs.penaltyPerSlaBreach);
  const reopens = costs.costPerReopen === undefined ? null : rework(before, after, costs.costPerReopen);
  const second = [slaPenalties?.money, reopens?.money];
  return {
    currency: costs.currency,
    casesBefore: before.cases,
    casesAfter: after.cases,
    perCase: {
      handoffs: { before: perCase(before.handoffs, before.cases), after: perCase(after.handoffs, after.cases) },
      statusChecks: { before: perCase(a.statusChases, before.cases), after: perCase(b.statusChases, after.cases) },
      exceptions: { before: perCase(a.exceptions, before.cases), after: perCase(b.exceptions, after.cases) },
      messages: {
        before: perCase(a.comments - a.statusChases, before.cases),
        after: perCase(b.comments - b.statusChases, after.cases),
      },
    },
    overheadMinutesPerCase: { before: meanBefore, after: meanAfter, saved, ci95: ci },
    minutesSaved,
    minutesSavedCi95: scaled(ci, after.cases),
    money,
    moneyCi95: scaled(ci, after.cases * hourly),
    secondOrder: { slaPenalties, reopens },
    totalMoney: money === null ? null : second.reduce<number>((sum, m) => sum + (m ?? 0), money),
  };
}

function penalties(before: SavingsCohort, after: SavingsCohort, price: number) {
  const n1 = before.slaMet + before.slaBreached;
  const n2 = after.slaMet + after.slaBreached;
  const p1 = n1 === 0 ? null : before.slaBreached / n1;
  const p2 = n2 === 0 ? null : after.slaBreached / n2;
  const avoided = p1 === null || p2 === null ? null : (p1 - p2) * n2;
  const se = p1 === null || p2 === null ? 0 : Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  return {
    penaltyPerBreach: price,
    breachRateBefore: p1,
    breachRateAfter: p2,
    endedAfter: n2,
    breachesAvoided: avoided,
    breachesAvoidedCi95:
      avoided === null ? null : ([(p1! - p2! - Z95 * se) * n2, (p1! - p2! + Z95 * se) * n2] as [number, number]),
    money: avoided === null ? null : avoided * price,
  };
}

function rework(before: SavingsCohort, after: SavingsCohort, price: number) {
  const r1 = perCase(before.overhead.reopened, before.cases);
  const r2 = perCase(after.overhead.reopened, after.cases);
  const avoided = r1 === null || r2 === null ? null : (r1 - r2) * after.cases;
  return {
    costPerReopen: price,
    perCaseBefore: r1,
    perCaseAfter: r2,
    reopensAvoided: avoided,
    money: avoided === null ? null : avoided * price,
  };
}
