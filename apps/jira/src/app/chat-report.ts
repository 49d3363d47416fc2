import { renderDailyReportText, reportMessageId, type ReportMessage } from '@baton/core';
import { RetryLaterError } from '../ports/retry-later.ts';
import type { AppDeps } from './app-deps.ts';
import { utcDay } from './audit-entry.ts';
import { deliverInChat } from './chat-deliver.ts';
import { projectsInScope } from './charter-for.ts';
import { DAY_MS, projectCases, reportOf, type ProjectCases } from './daily-report.ts';

/** A queued report holds its day for this long; if the queue lost it, a later tick queues it again. */
const QUEUED_HOLD_MS = 60 * 60_000;

/**
 * Called by each watchdog tick: once the admin's report hour (UTC) has come and the day's report is not
 * in the channel yet, queues it (`chat-report` on `baton-work`: reading the issues takes longer than a
 * tick may). Holding the day for an hour keeps later ticks from queueing it again meanwhile.
 */
export async function queueChatReport(deps: AppDeps): Promise<boolean> {
  const chat = await deps.chat?.();
  const channel = chat?.settings.channel ?? null;
  if (chat === undefined || !chat.settings.deliver.report || channel === null) return false;
  const now = deps.now();
  if (new Date(now).getUTCHours() < chat.settings.reportHourUtc) return false;
  const day = utcDay(now);
  if ((await chat.recall(reportMessageId(channel, day))) !== undefined) return false;
  if (!(await chat.hold(`report-queued:${channel}:${day}`, QUEUED_HOLD_MS))) return false;
  await deps.queue.push([{ kind: 'chat-report', channel, day }]);
  return true;
}

/**
 * The day's operational report (core's `buildDailyReport` over the in-scope projects' open issues and
 * those changed in the last 24 hours, read project by project: `daily-report.ts`) posted to the channel, once: its message id is
 * `report:<channel>:<day>`, so a redelivered or repeated item posts nothing. Slack's rate limit past the
 * adapter's patience goes back to the queue with its wait (`RetryLaterError`): delayed, not lost.
 */
export async function postChatReport(deps: AppDeps, item: { channel: string; day: string }): Promise<void> {
  const chat = await deps.chat?.();
  if (chat === undefined) return;
  const id = reportMessageId(item.channel, item.day);
  if ((await chat.recall(id)) !== undefined) return;
  const to = deps.now();
  const cases: ProjectCases[] = [];
  for (const projectKey of await projectsInScope(deps.storage))
    cases.push(await projectCases(deps, projectKey, to - DAY_MS));
  const report = reportOf(cases, to);
  const message: ReportMessage = {
    kind: 'report',
    id,
    at: to,
    to: { kind: 'channel', channel: item.channel },
    day: item.day,
    report,
    text: renderDailyReportText(report),
  };
  const delivered = await deliverInChat(chat, message);
  if (delivered.ok) return;
  const issue = delivered.issues[0];
  if (issue?.code === 'chat.retryLater')
    throw new RetryLaterError(`the daily report waits for Slack: ${issue.message}`, issue.retryAfterMs ?? 60_000);
  // The channel is gone or the app is not in it: nothing a retry cures; the admin page shows the channel.
  console.warn(`baton: the daily report for ${item.channel} was not posted: ${issue?.message ?? 'unknown'}`);
}
