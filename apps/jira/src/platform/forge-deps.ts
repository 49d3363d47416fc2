import { getAppContext } from '@forge/api';
import { createJiraClient } from '@baton/jira';
import type { AppDeps } from '../app/app-deps.ts';
import { createBatonStorage } from './baton-storage.ts';
import { cachePriorities } from './cached-priorities.ts';
import { edition } from '../edition.ts';
import { forgeModels } from './forge-models.ts';
import { appJiraFetch, userJiraFetch } from './forge-jira.ts';
import { createWorkQueue } from './work-queue.ts';

/** Forge's 25-second budget for triggers and resolvers, when the runtime does not say. */
const DEFAULT_BUDGET_MS = 25_000;

function remainingMsFn(): () => number {
  try {
    const ctx = getAppContext();
    return () => ctx.invocationRemainingTimeInMillis();
  } catch {
    const start = Date.now();
    return () => DEFAULT_BUDGET_MS - (Date.now() - start);
  }
}

/** The app's dependencies on the real platform, built once per invocation. */
export function forgeDeps(): AppDeps {
  return {
    // The site's priorities (order and default) are read once per invocation, not per event or ladder step.
    jira: cachePriorities(createJiraClient({ fetch: appJiraFetch() })),
    storage: createBatonStorage(),
    queue: createWorkQueue(),
    now: Date.now,
    remainingMs: remainingMsFn(),
    models: forgeModels(Date.now, edition),
  };
}

export function forgeUserJira(accountId: string) {
  return createJiraClient({ fetch: userJiraFetch(accountId) });
}
