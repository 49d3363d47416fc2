import * as z from 'zod';

/**
 * What a dry run stored: the decisions the watchdog would have made over the last N days and
 * what the charter would have done with each (`verdict`: act, suggest, drop, escalate).
 * `counts` is keyed `kind:verdict`.
 */
export const DryRunResultSchema = z.object({
  runId: z.string(),
  projectKey: z.string(),
  days: z.number(),
  status: z.enum(['running', 'done', 'failed']),
  issues: z.number(),
  unassignedAtCreation: z.number(),
  decisions: z.array(
    z.object({
      key: z.string(),
      issueKey: z.string(),
      /** The pattern that proposed it (router, watchdog, …); absent in runs stored before it was recorded. */
      pattern: z.string().optional(),
      kind: z.string(),
      at: z.number(),
      summary: z.string(),
      verdict: z.string(),
    }),
  ),
  counts: z.record(z.string(), z.number()),
  error: z.string().optional(),
});
export type DryRunResult = z.infer<typeof DryRunResultSchema>;
