import { IssueDeletedEventSchema } from '../contracts/product-event.ts';
import type { AppDeps } from './app-deps.ts';
import { SAFETY_MS } from './run-watchdog.ts';
import { finalWatchKey } from './final-actions.ts';
import { watchRecordKey } from './watch-record.ts';
import { conciergeKey } from './concierge-on-change.ts';

export type PurgeResult =
  { purged: false; why: string } | { purged: true; issueKey: string; deleted: number; complete: boolean };

/**
 * An issue was deleted in Jira: remove what app storage keeps about it (suggestions, effect ledger,
 * audit rows and chain, due row, watch record). Nothing is read from Jira, where the issue is gone.
 * A purge cut short by the invocation's time answers `complete: false`; the handler asks Forge to
 * deliver the event again, and the next run deletes what is left.
 */
export async function purgeDeletedIssue(
  deps: Pick<AppDeps, 'storage' | 'remainingMs'>,
  payload: unknown,
): Promise<PurgeResult> {
  const parsed = IssueDeletedEventSchema.safeParse(payload);
  if (!parsed.success)
    return { purged: false, why: `not an issue-deleted event: ${parsed.error.issues[0]?.message ?? ''}` };
  const issueKey = parsed.data.issue.key;
  const r = await deps.storage.purgeIssue(issueKey, {
    jsonKeys: [watchRecordKey(issueKey), conciergeKey(issueKey), finalWatchKey(issueKey)],
    stillHasTime: () => deps.remainingMs() > SAFETY_MS,
  });
  return { purged: true, issueKey, ...r };
}
