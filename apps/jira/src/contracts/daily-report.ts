import { DailyReportSchema as CoreDailyReportSchema } from '@baton/core';
import * as z from 'zod';

/** One day's delivery of a project's report by Jira notification email (`app/report-email.ts`). */
export const ReportDeliverySchema = z.object({
  projectKey: z.string(),
  day: z.iso.date(),
  at: z.number(),
  /** The issue whose notification carried the email; null when the project had none to carry it. */
  carrier: z.string().nullable(),
  /** Per recipient: sent, or why not (Jira refused the recipient). */
  recipients: z.array(z.object({ accountId: z.string(), sent: z.boolean(), why: z.string().optional() })),
});
export type ReportDelivery = z.infer<typeof ReportDeliverySchema>;

/**
 * The daily operational report of a project as its team reads it: core's report (what changed, what is
 * at risk, who acts next), the names of the people in it, and how it is delivered by email.
 */
export const DailyReportSchema = z.object({
  projectKey: z.string(),
  generatedAt: z.number(),
  report: CoreDailyReportSchema,
  /** Display name by account id, for every person the report or its delivery names. */
  people: z.record(z.string(), z.string()),
  delivery: z.object({
    /** The charter's `report.to`, resolved to people (a team: its lead and members). */
    to: z.array(z.string()),
    /** Local time of day and its zone (the charter's default calendar). */
    at: z.string(),
    timeZone: z.string(),
    last: ReportDeliverySchema.nullable(),
  }),
});
export type DailyReport = z.infer<typeof DailyReportSchema>;
