import { compileCharter, reportRecipients } from '@baton/core';
import type { DailyReport } from '../contracts/daily-report.ts';
import type { AppDeps } from './app-deps.ts';
import { projectDailyReport } from './daily-report.ts';
import { displayNames } from './people.ts';
import { lastReportDelivery } from './report-email.ts';

/**
 * A project's daily report as its team reads it (the resolver `getDailyReport`, for anyone who may browse
 * the project): core's report computed now from the project's own issues, people by name, and to whom
 * and when it is emailed, with the last delivery.
 */
export async function dailyReportView(deps: AppDeps, projectKey: string): Promise<DailyReport> {
  const { report, cases } = await projectDailyReport(deps, projectKey);
  const to = reportRecipients(cases.charter);
  const last = await lastReportDelivery(deps, projectKey);
  const ids = [
    ...report.atRisk.map((c) => c.owner),
    ...report.actNext.map((a) => a.who),
    ...to,
    ...(last?.recipients.map((r) => r.accountId) ?? []),
  ].filter((x): x is string => x !== null);
  const names = await displayNames(deps, ids);
  return {
    projectKey,
    generatedAt: report.to,
    report,
    people: Object.fromEntries(names),
    delivery: {
      to,
      at: cases.charter.report.at,
      timeZone: compileCharter(cases.charter).calendar.timeZone,
      last,
    },
  };
}
