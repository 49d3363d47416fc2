import { kvs, Sort, WhereConditions } from '@forge/kvs';
import * as z from 'zod';
import { WatchdogCheckpointSchema, WatchdogCursorSchema } from '../contracts/watchdog-cursor.ts';
import type { WatchdogStore } from '../ports/watchdog-store.ts';
import { parseStored, QUERY_PAGE, safeKey } from './storage-keys.ts';

const DueSchema = z.object({ issueKey: z.string(), dueAt: z.number() });

/** The `due` custom entity (manifest.yml), by issue key; queried through its `by-due` index. */
export const dueEntity = () => kvs.entity<{ issueKey: string; dueAt: number }>('due');
export const dueKey = (issueKey: string): string => safeKey('', issueKey);

/** The watchdog's cursor (`watchdog:cursor`) and the due-time index (the `due` entity). */
export function createKvsWatchdogStore(): WatchdogStore {
  const due = dueEntity();
  return {
    async getCursor() {
      return parseStored(WatchdogCursorSchema, await kvs.get('watchdog:cursor')) ?? { since: null, checkpoint: null };
    },
    async setCursor(c) {
      await kvs.set('watchdog:cursor', {
        since: c.since,
        checkpoint: WatchdogCheckpointSchema.nullable().parse(c.checkpoint),
      });
    },
    async setDue(issueKey, dueAt) {
      if (dueAt === null) await due.delete(dueKey(issueKey));
      else await due.set(dueKey(issueKey), { issueKey, dueAt });
    },
    async dueBefore(at, limit) {
      // Page by page (at most QUERY_PAGE each, as Forge allows) until `limit` rows or the end.
      const out: { issueKey: string; dueAt: number }[] = [];
      let cursor: string | undefined;
      do {
        let q = due
          .query()
          .index('by-due')
          .where(WhereConditions.lessThan(at))
          .sort(Sort.ASC)
          .limit(Math.min(QUERY_PAGE, limit - out.length));
        if (cursor !== undefined) q = q.cursor(cursor);
        const page = await q.getMany();
        out.push(...page.results.map((r) => DueSchema.parse(r.value)));
        cursor = page.nextCursor;
      } while (cursor !== undefined && out.length < limit);
      return out;
    },
  };
}
