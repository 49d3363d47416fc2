import { runWatchdog } from '../app/run-watchdog.ts';
import type { WatchdogReport } from '../app/run-watchdog.ts';
import { queueChatReport } from '../app/chat-report.ts';
import { queueReportEmails } from '../app/report-email.ts';
import { forgeDeps } from './forge-deps.ts';

/**
 * `scheduledTrigger` (every five minutes): one incremental, checkpointed watchdog pass. A scheduled
 * trigger runs 55 s unless its function sets `timeoutSeconds` (up to 900)
 * (https://developer.atlassian.com/platform/forge/manifest-reference/modules/scheduled-trigger/); what it
 * returns is ignored and a thrown error is not retried: the checkpoint is what carries work to the next tick.
 */
export async function watchdogTick(): Promise<WatchdogReport> {
  const deps = forgeDeps({ budgetMs: 55_000 });
  // The day's chat report, queued once its hour has come (Slack edition; nothing in the default app).
  await queueChatReport(deps);
  // Each project's report by Jira notification email, once its charter's hour has come (`report.to`).
  await queueReportEmails(deps);
  return runWatchdog(deps);
}
