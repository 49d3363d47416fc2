import type { JiraClient } from '@baton/jira';
import type { BatonStorage } from '../platform/baton-storage.ts';
import type { WorkQueue } from '../platform/work-queue.ts';

/** What the app's logic needs from the platform; handlers build it, tests build it over the harness. */
export interface AppDeps {
  /** Jira as the app (`asApp()`). */
  jira: JiraClient;
  storage: BatonStorage;
  queue: WorkQueue;
  now: () => number;
  /** Milliseconds left in this invocation (Forge: 25 s for triggers, 900 s for the consumer). */
  remainingMs: () => number;
}
