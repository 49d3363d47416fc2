import { dailyReportDue, renderDailyReportText, reportRecipients, type DailyReport } from '@baton/core';
import { JiraApiError, JiraBadRequestError, JiraNotFoundError } from '@baton/jira';
import { ReportDeliverySchema, type ReportDelivery } from '../contracts/daily-report.ts';
import type { AppDeps } from './app-deps.ts';
import { charterFor, projectsInScope } from './charter-for.ts';
import { projectDailyReport } from './daily-report.ts';
import { displayNames, withNames } from './people.ts';

/**
 * The daily report by Jira notification email: each morning (the charter's `report.at`, in its default
 * calendar's zone), every person the charter's `report.to` names receives the project's report, once per
 * day. Jira's notify API emails about one issue (`POST /issue/{key}/notify`, no egress), so the email is
 * carried by the project's most pressing issue, and it is restricted to people who may browse the
 * project: the report names the project's issues. One call per recipient, each claimed in the effect
 * ledger before it is sent, so a redelivered or retried queue item emails nobody twice and a retry after
 * a partial failure emails only those not reached yet.
 */

/** A queued report holds its project and day for this long; if the queue lost it, a later tick queues it again. */
const QUEUED_HOLD_HOURS = 1;
/** How long the record of a day's delivery is kept (the admin page shows the last one). */
const SENT_TTL = { value: 30, unit: 'DAYS' } as const;

const sentKey = (projectKey: string, day: string): string => `report-sent:${projectKey}:${day}`;
const lastSentKey = (projectKey: string): string => `report-last-sent:${projectKey}`;
const recipientKey = (projectKey: string, day: string, accountId: string): string =>
  `report-email:${projectKey}:${day}:${accountId}`;

/** The last day's delivery of a project's report, for the admin page and the dashboard. */
export async function lastReportDelivery(deps: Pick<AppDeps, 'storage'>, projectKey: string) {
  const r = ReportDeliverySchema.safeParse(await deps.storage.getJson(lastSentKey(projectKey)));
  return r.success ? r.data : null;
}

/**
 * Called by each watchdog tick: for every project in scope whose report is due (its charter names
 * someone and the local time has come) and not yet delivered today, queues its delivery (`report-email`
 * on `baton-work`: reading the issues takes longer than a tick may). Returns the items queued.
 */
export async function queueReportEmails(deps: AppDeps): Promise<{ projectKey: string; day: string }[]> {
  const now = deps.now();
  const queued: { projectKey: string; day: string }[] = [];
  for (const projectKey of await projectsInScope(deps.storage)) {
    const day = dailyReportDue(await charterFor(deps.storage, projectKey), now);
    if (day === null || (await deps.storage.getJson(sentKey(projectKey, day))) !== undefined) continue;
    // One hold per hour: later ticks in the same hour queue nothing; if the item was lost, the next hour tries again.
    const hour = Math.floor(now / (QUEUED_HOLD_HOURS * 3_600_000));
    if (!(await deps.storage.claimEffect(`report-queued:${projectKey}:${day}:${hour}`, now))) continue;
    queued.push({ projectKey, day });
  }
  if (queued.length > 0) await deps.queue.push(queued.map((q) => ({ kind: 'report-email' as const, ...q })));
  return queued;
}

/** The issue the email is about: the most pressing at-risk case, else the most changed, else any open one. */
function carrierOf(report: DailyReport, open: readonly string[]): string | null {
  return report.atRisk[0]?.caseId ?? report.changed[0]?.caseId ?? open[0] ?? null;
}

/**
 * Sends a project's report for `day` to each recipient not yet sent it. A recipient Jira refuses (an
 * account it does not know, the app itself) is recorded and not retried; Jira's 429, a 5xx or the
 * network is thrown for the queue to retry, with that recipient's claim released.
 */
export async function deliverReportEmails(
  deps: AppDeps,
  item: { projectKey: string; day: string },
): Promise<ReportDelivery | null> {
  const { projectKey, day } = item;
  if ((await deps.storage.getJson(sentKey(projectKey, day))) !== undefined) return null;
  const charter = await charterFor(deps.storage, projectKey);
  const recipients = reportRecipients(charter);
  if (recipients.length === 0) return null;
  const { report, cases } = await projectDailyReport(deps, projectKey);
  const carrier = carrierOf(report, cases.records.map((r) => r.id).sort());
  const names = await displayNames(
    deps,
    [...report.atRisk.map((c) => c.owner), ...report.actNext.map((a) => a.who)].filter((x): x is string => x !== null),
  );
  const textBody = withNames(renderDailyReportText(report), names);
  const subject = `Baton daily report for ${projectKey}, ${day}: ${report.totals.atRisk} at risk, ${report.totals.changed} changed`;
  const delivery: ReportDelivery = { projectKey, day, at: deps.now(), carrier, recipients: [] };
  for (const accountId of recipients) {
    const key = recipientKey(projectKey, day, accountId);
    if (carrier === null) {
      delivery.recipients.push({ accountId, sent: false, why: 'the project has no issue to carry the email' });
      continue;
    }
    if (!(await deps.storage.claimEffect(key, deps.now()))) {
      delivery.recipients.push({ accountId, sent: true });
      continue;
    }
    try {
      await deps.jira.notify(carrier, {
        subject,
        textBody,
        users: [accountId],
        restrictToPermissions: ['BROWSE_PROJECTS'],
      });
      await deps.storage.setEffect(key, { state: 'done', at: deps.now(), detail: carrier });
      delivery.recipients.push({ accountId, sent: true });
    } catch (e) {
      if (e instanceof JiraBadRequestError || e instanceof JiraNotFoundError) {
        // Jira refuses this recipient (or the carrier went away): a retry would be refused again.
        const why = e instanceof JiraApiError ? e.message : 'refused';
        await deps.storage.setEffect(key, { state: 'done', at: deps.now(), detail: `refused: ${why}` });
        delivery.recipients.push({ accountId, sent: false, why });
        continue;
      }
      await deps.storage.releaseEffect(key);
      throw e;
    }
  }
  await deps.storage.putJson(sentKey(projectKey, day), delivery, { ttl: SENT_TTL });
  await deps.storage.putJson(lastSentKey(projectKey), delivery);
  return delivery;
}
