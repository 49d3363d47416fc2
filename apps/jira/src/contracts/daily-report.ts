import * as z from 'zod';

/** The daily operational report: what changed, what is at risk, who must act next, and trust. */
export const DailyReportSchema = z.object({
  projectKey: z.string(),
  generatedAt: z.number(),
  changed: z.array(z.object({ issueKey: z.string(), what: z.string() })),
  atRisk: z.array(
    z.object({ issueKey: z.string(), goal: z.string(), state: z.string(), dueAt: z.number().nullable() }),
  ),
  mustActNext: z.array(z.object({ issueKey: z.string(), who: z.string(), why: z.string() })),
  trust: z.object({
    acceptance: z.number().nullable(),
    accepted: z.number(),
    overridden: z.number(),
    executed: z.number(),
    overrideReasons: z.record(z.string(), z.number()),
  }),
});
export type DailyReport = z.infer<typeof DailyReportSchema>;
