import { InvocationError, InvocationErrorCode } from '@forge/events';
import { purgeDeletedIssue } from '../app/purge-issue.ts';
import type { PurgeResult } from '../app/purge-issue.ts';
import { forgeDeps } from './forge-deps.ts';

/**
 * `trigger` for `avi:jira:deleted:issue` (25 s): purges the issue's records from app storage. A purge
 * that ran out of time returns an InvocationError, so Forge delivers the event again (up to four
 * times, https://developer.atlassian.com/platform/forge/events-reference/product_events/) and the
 * next run deletes the rest.
 */
export async function onIssueDeleted(event: unknown): Promise<PurgeResult | InvocationError> {
  const r = await purgeDeletedIssue(forgeDeps({ budgetMs: 25_000 }), event);
  if (r.purged && !r.complete)
    return new InvocationError({
      retryAfter: 5,
      retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST,
      retryData: { issueKey: r.issueKey, deleted: r.deleted },
    });
  return r;
}
