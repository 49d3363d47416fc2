import { kvs, WhereConditions } from '@forge/kvs';
import { SuggestionSchema, readSuggestion } from '@baton/jira/issue-state';
import type { Suggestion } from '@baton/jira/issue-state';
import { RETENTION } from '../ports/record-store.ts';
import type { SuggestionStore } from '../ports/suggestion-store.ts';
import { QUERY_PAGE, safeKey } from './storage-keys.ts';

const suggestionPrefix = (issueKey: string): string => safeKey('suggestion:', `${issueKey}:`);
export const suggestionKey = (issueKey: string, key: string): string => safeKey(suggestionPrefix(issueKey), key);

/** Pending suggestions in KVS, one key each (`suggestion:<issue>:<decision key>`), kept a year (RETENTION.suggestion). */
export function createKvsSuggestionStore(): SuggestionStore {
  return {
    async putSuggestion(issueKey, sg) {
      await kvs.set(suggestionKey(issueKey, sg.key), SuggestionSchema.parse(sg), { ttl: RETENTION.suggestion });
    },
    async getSuggestion(issueKey, key) {
      const stored = await kvs.get(suggestionKey(issueKey, key));
      if (stored === undefined) return undefined;
      // A suggestion stored in an older shape is migrated on read (`readSuggestion`), rewritten only by a new decision.
      const r = readSuggestion(stored, issueKey);
      if (!r.ok) throw new Error(`suggestion ${issueKey}/${key}: ${r.problem.path || '(root)'}: ${r.problem.message}`);
      return r.value;
    },
    async listSuggestions(issueKey) {
      const out: Suggestion[] = [];
      let cursor: string | undefined;
      do {
        let q = kvs
          .query()
          .where('key', WhereConditions.beginsWith(suggestionPrefix(issueKey)))
          .limit(QUERY_PAGE);
        if (cursor !== undefined) q = q.cursor(cursor);
        const page = await q.getMany();
        for (const r of page.results) {
          const sg = readSuggestion(r.value, issueKey);
          if (sg.ok) out.push(sg.value);
          else
            console.warn(`baton: suggestion ${r.key} left out: ${sg.problem.path || '(root)'}: ${sg.problem.message}`);
        }
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return out.sort((a, b) => a.createdAt - b.createdAt || a.key.localeCompare(b.key));
    },
    async deleteSuggestion(issueKey, key) {
      await kvs.delete(suggestionKey(issueKey, key));
    },
  };
}
