import { KpisSchema } from '@baton/core/analysis';
import * as z from 'zod';

/**
 * The coordination dashboard of a project: core's KPIs over every issue updated in the last N days,
 * computed on the queue (`baton-work`) and kept in KVS with when it was computed.
 */
export const DashboardSchema = z.object({
  projectKey: z.string(),
  days: z.number().int(),
  /** The refresh that computed it. */
  runId: z.string(),
  /** Issues read and analysed: every issue the window's JQL returned. */
  issues: z.number().int(),
  /** When the analysis finished (epoch ms). */
  generatedAt: z.number(),
  kpis: KpisSchema,
});
export type Dashboard = z.infer<typeof DashboardSchema>;

/**
 * A refresh in progress (or its end): how many issues it has read so far, so the page can show
 * progress; `note` says why it is waiting (Jira's rate limit) when it is.
 */
export const DashboardProgressSchema = z.object({
  runId: z.string(),
  projectKey: z.string(),
  days: z.number().int(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  /** Issues read so far (all of them once `done`). */
  issuesRead: z.number().int(),
  /** Pages of the JQL search finished (the checkpoint a redelivered or continued item resumes from). */
  pagesDone: z.number().int(),
  startedAt: z.number(),
  updatedAt: z.number(),
  note: z.string().optional(),
  error: z.string().optional(),
});
export type DashboardProgress = z.infer<typeof DashboardProgressSchema>;
