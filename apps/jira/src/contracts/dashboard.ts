import { CostsSchema, KpisSchema } from '@baton/core/analysis';
import * as z from 'zod';

/**
 * The coordination dashboard of a project: core's KPIs over every issue updated in the last N days,
 * computed on the queue (`baton-work`) and kept in KVS with when it was computed.
 */
/**
 * A go-live date (`YYYY-MM-DD`, from midnight in the charter's default calendar's time zone): issues
 * created before it against those after.
 */
export const GoLiveSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date like 2026-03-01' })
  .refine(
    (d) => Number.isFinite(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      message: 'expected a date that exists',
    },
  );

/**
 * What coordination costs for this project's money figures: the cost an hour, its currency and the
 * minutes of each overhead bucket (core's `CostsSchema`; a field left out takes core's default).
 */
export const DashboardCostsSchema = CostsSchema;

export const DashboardSchema = z.object({
  projectKey: z.string(),
  days: z.number().int(),
  /** The go-live date the cohorts were split at (`kpis.cohorts`), when one was set. */
  goLive: GoLiveSchema.optional(),
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
  goLive: GoLiveSchema.optional(),
  /** The prices the refresh was asked to use (core's defaults when absent). */
  costs: DashboardCostsSchema.optional(),
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
