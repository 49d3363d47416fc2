import { PROPOSAL_SOURCES } from '@baton/core';
import * as z from 'zod';

/**
 * What a dry run stored: core's replay of the project's history under the charter (what
 * `baton replay` decides with the same charter), the decisions of the last N days and what the
 * charter's gate did with each (`verdict`: core's disposition, act, suggest, escalate or drop, and
 * the rule that decided it). `counts`: how many decisions per pattern, action and verdict (all of them,
 * while `decisions` keeps the first 500).
 */
export const DryRunResultSchema = z.object({
  runId: z.string(),
  projectKey: z.string(),
  days: z.number(),
  /** Epoch ms: decisions from here on are the run's (absent in runs stored before it was recorded). */
  from: z.number().optional(),
  status: z.enum(['running', 'done', 'failed']),
  issues: z.number(),
  unassignedAtCreation: z.number(),
  decisions: z.array(
    z.object({
      key: z.string(),
      issueKey: z.string(),
      /** The pattern that proposed it (router, watchdog, …); absent in runs stored before it was recorded. */
      pattern: z.string().optional(),
      /** The pattern's rule (`watchdog.stall`, `router.owner`); absent in runs stored before it was recorded. */
      rule: z.string().optional(),
      /** `model` when a language model made the guess; absent: the rules. */
      source: z.enum(PROPOSAL_SOURCES).optional(),
      kind: z.string(),
      at: z.number(),
      summary: z.string(),
      verdict: z.string(),
      /** The gate's rule for the verdict (`caps.perCaseDay`, `autonomy.assist`). */
      dispositionRule: z.string().optional(),
    }),
  ),
  counts: z.array(z.object({ pattern: z.string(), kind: z.string(), verdict: z.string(), n: z.number().int() })),
  error: z.string().optional(),
});
export type DryRunResult = z.infer<typeof DryRunResultSchema>;
