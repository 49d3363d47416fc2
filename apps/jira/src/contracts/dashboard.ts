import { KpisSchema } from '@baton/core';
import * as z from 'zod';

/** The coordination dashboard of a project: core's KPIs over the issues updated in the last N days. */
export const DashboardSchema = z.object({
  projectKey: z.string(),
  days: z.number().int(),
  /** Issues analysed; `truncated` when more were updated in the window than one view reads. */
  issues: z.number().int(),
  truncated: z.boolean(),
  generatedAt: z.number(),
  kpis: KpisSchema,
});
export type Dashboard = z.infer<typeof DashboardSchema>;
