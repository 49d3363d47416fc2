import { kvs } from '@forge/kvs';
import { AuditEntrySchema } from '../contracts/audit.ts';
import type { IssuePurge } from '../ports/issue-purge.ts';
import type { SuggestionStore } from '../ports/suggestion-store.ts';
import { auditEntity, chainHeadKey, chainSlot } from './kvs-audit-log.ts';
import { effectKey } from './kvs-effect-ledger.ts';
import { missingInfoKey } from './kvs-missing-info.ts';
import { recordKey } from './kvs-records.ts';
import { suggestionKey } from './kvs-suggestions.ts';
import { dueEntity, dueKey } from './kvs-watchdog-store.ts';
import { QUERY_PAGE } from './storage-keys.ts';

/**
 * Deletes an issue's keys across the other stores: audit rows and their effects, suggestions, chain, due row,
 * the missing-information loop's schedule, records.
 */
export function createKvsIssuePurge(deps: { suggestions: Pick<SuggestionStore, 'listSuggestions'> }): IssuePurge {
  const audit = auditEntity();
  const due = dueEntity();
  return {
    async purgeIssue(issueKey, opts) {
      let deleted = 0;
      const del = async (remove: () => Promise<void>): Promise<void> => {
        await remove();
        deleted++;
      };
      // Audit rows first: each names a decision whose effect-ledger entry goes with it. A row is
      // deleted after its effect, so a purge cut short finds the rest again next time.
      for (;;) {
        if (!opts.stillHasTime()) return { complete: false, deleted };
        const page = await audit
          .query()
          .index('by-issue', { partition: [issueKey] })
          .limit(QUERY_PAGE)
          .getMany();
        if (page.results.length === 0) break;
        for (const r of page.results) {
          const row = AuditEntrySchema.safeParse(r.value);
          if (row.success && (await kvs.get(effectKey(row.data.decisionKey))) !== undefined)
            await del(() => kvs.delete(effectKey(row.data.decisionKey)));
          await del(() => audit.delete(r.key));
        }
      }
      for (const sg of await deps.suggestions.listSuggestions(issueKey)) {
        if ((await kvs.get(effectKey(sg.key))) !== undefined) await del(() => kvs.delete(effectKey(sg.key)));
        await del(() => kvs.delete(suggestionKey(issueKey, sg.key)));
      }
      if (!opts.stillHasTime()) return { complete: false, deleted };
      // The chain from its end, so an interrupted purge never leaves a gap before live entries.
      const headKey = chainHeadKey(issueKey);
      let last = -1;
      while ((await kvs.get(chainSlot(issueKey, last + 1))) !== undefined) last++;
      for (let seq = last; seq >= 0; seq--) {
        if (!opts.stillHasTime()) return { complete: false, deleted };
        await del(() => kvs.delete(chainSlot(issueKey, seq)));
      }
      if ((await kvs.get(headKey)) !== undefined) await del(() => kvs.delete(headKey));
      if ((await due.get(dueKey(issueKey))) !== undefined) await del(() => due.delete(dueKey(issueKey)));
      for (const k of [...opts.jsonKeys.map(recordKey), missingInfoKey(issueKey)])
        if ((await kvs.get(k)) !== undefined) await del(() => kvs.delete(k));
      return { complete: true, deleted };
    },
  };
}
