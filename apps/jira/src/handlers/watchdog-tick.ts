import { runWatchdog } from '../app/run-watchdog.ts';
import type { WatchdogReport } from '../app/run-watchdog.ts';
import { forgeDeps } from '../platform/forge-deps.ts';

/**
 * `scheduledTrigger` (every five minutes): one incremental, checkpointed watchdog pass. A scheduled
 * trigger runs 55 s unless its function sets `timeoutSeconds` (up to 900)
 * (https://developer.atlassian.com/platform/forge/manifest-reference/modules/scheduled-trigger/); what it
 * returns is ignored and a thrown error is not retried: the checkpoint is what carries work to the next tick.
 */
export async function watchdogTick(): Promise<WatchdogReport> {
  return runWatchdog(forgeDeps({ budgetMs: 55_000 }));
}
