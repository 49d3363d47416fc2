import { getAppContext } from '@forge/api';
import { createJiraClient } from '@baton/jira';
import type { AppDeps } from '../app/app-deps.ts';
import { createBatonStorage } from '../platform/baton-storage.ts';
import { cachePriorities } from '../platform/cached-priorities.ts';
import { edition } from '../edition.ts';
import { chat, chatAdmin } from '../chat-edition.ts';
import { forgeModels } from '../platform/forge-models.ts';
import { appJiraFetch, userJiraFetch } from '../platform/forge-jira.ts';
import { createWorkQueue } from '../platform/work-queue.ts';

/**
 * Time left in this invocation: the runtime's own count when it gives one; otherwise the module's
 * documented budget (https://developer.atlassian.com/platform/forge/limits-invocation : 25 s for
 * triggers and UI resolvers, 55 s by default for scheduled triggers, `timeoutSeconds` up to 900 s
 * for consumers) from the invocation's start.
 */
function remainingMsFn(budgetMs: number): () => number {
  try {
    const ctx = getAppContext();
    return () => ctx.invocationRemainingTimeInMillis();
  } catch {
    const start = Date.now();
    return () => budgetMs - (Date.now() - start);
  }
}

/** The app's ports (`AppDeps`) over the real platform, built once per invocation: the one place they are wired. */
export function forgeDeps(opts: { budgetMs: number } = { budgetMs: 25_000 }): AppDeps {
  return {
    // The site's priorities (order and default) are read once per invocation, not per event or ladder step.
    jira: cachePriorities(createJiraClient({ fetch: appJiraFetch() })),
    storage: createBatonStorage(),
    queue: createWorkQueue(),
    now: Date.now,
    remainingMs: remainingMsFn(opts.budgetMs),
    models: forgeModels(Date.now, edition),
    chat,
    ...(chatAdmin === undefined ? {} : { chatAdmin }),
  };
}

export function forgeUserJira(accountId: string) {
  return createJiraClient({ fetch: userJiraFetch(accountId) });
}
