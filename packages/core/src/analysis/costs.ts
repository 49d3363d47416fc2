import * as z from 'zod';
import { strictObject } from '../strict-object.ts';
import { fail, fromZodIssues, ok, type Result } from '../result.ts';

const Minutes = z
  .number()
  .min(0, { message: 'expected minutes ≥ 0' })
  .max(10_000, { message: 'expected at most 10000 minutes' });

/**
 * What coordination costs, for the money estimate. The defaults are deliberately modest
 * assumptions that the report prints next to the figure, so a reader can judge and override them:
 * - a handoff costs 15 minutes (the next owner reads the history, the previous one explains);
 * - a status check costs 5 minutes (asking, looking it up, answering);
 * - an exception costs 30 minutes (chasing the missing piece, re-planning, reopening);
 * - a message costs 3 minutes (writing or reading one comment);
 * - a loaded cost of 60 per hour (salary, taxes, overhead), in EUR.
 */
export const CostsSchema = strictObject({
  minutesPerHandoff: Minutes.default(15),
  minutesPerStatusCheck: Minutes.default(5),
  minutesPerException: Minutes.default(30),
  minutesPerMessage: Minutes.default(3),
  loadedCostPerHour: z.number().min(0, { message: 'expected a cost ≥ 0' }).default(60),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { message: "expected an ISO 4217 currency code like 'EUR' or 'USD'" })
    .default('EUR'),
  /**
   * Second-order money, counted only when given (no default: there is no modest guess for a
   * contract's penalty): what one SLA breach costs (a service credit, a penalty) and what one reopen
   * costs in rework beyond the exception's minutes, both in `currency`.
   */
  penaltyPerSlaBreach: z.number().min(0, { message: 'expected a penalty ≥ 0' }).optional(),
  costPerReopen: z.number().min(0, { message: 'expected a cost ≥ 0' }).optional(),
});
export type CostsInput = z.input<typeof CostsSchema>;
export type Costs = z.output<typeof CostsSchema>;

/** Validates a costs config; missing fields take the documented defaults. */
export function defineCosts(input: unknown): Result<Costs> {
  const parsed = CostsSchema.safeParse(input);
  return parsed.success ? ok(parsed.data) : fail(...fromZodIssues(parsed.error.issues));
}

export const DEFAULT_COSTS: Costs = CostsSchema.parse({});
