import { runWatchdog } from '../app/run-watchdog.ts';
import type { WatchdogReport } from '../app/run-watchdog.ts';
import { forgeDeps } from '../platform/forge-deps.ts';

/** `scheduledTrigger` (every five minutes): one incremental, checkpointed watchdog pass. */
export async function watchdogTick(): Promise<WatchdogReport> {
  return runWatchdog(forgeDeps());
}
