import type { BatonStorage } from '../ports/storage.ts';
import { createKvsAuditLog } from './kvs-audit-log.ts';
import { createKvsCharterStore } from './kvs-charters.ts';
import { createKvsDashboardStore } from './kvs-dashboards.ts';
import { createKvsEffectLedger } from './kvs-effect-ledger.ts';
import { createKvsIssuePurge } from './kvs-issue-purge.ts';
import { createKvsMissingInfoStore } from './kvs-missing-info.ts';
import { createKvsNudgeCaps } from './kvs-nudge-caps.ts';
import { createKvsPersonalDataStore, listAccount } from './kvs-personal-data.ts';
import { createKvsRecordStore } from './kvs-records.ts';
import { createKvsRouterModelStore } from './kvs-router-model.ts';
import { createKvsStateNormsStore } from './kvs-state-norms.ts';
import { createKvsSuggestionStore } from './kvs-suggestions.ts';
import { createKvsWatchdogStore } from './kvs-watchdog-store.ts';
import { createPseudonyms } from './pseudonyms.ts';

export { QUERY_PAGE, safeKey } from './storage-keys.ts';

/**
 * Everything the app keeps in Forge KVS, one implementation per port (`src/ports/`), put together so a
 * handler passes one object and never spells a key: charters (versioned), the watchdog's cursor and the
 * due-time index, the effect ledger (idempotency keys, claimed before acting), the daily nudge caps, the
 * audit rows and hash chains, pending suggestions, the missing-information loop's schedule, the learned state norms, the trained routers, the dashboards, the use cases' records, the personal-data listing and
 * erasure, and the purge of a deleted issue. The audit and the erasure share one pseudonym table.
 */
export function createBatonStorage(): BatonStorage {
  const pseudonyms = createPseudonyms(listAccount);
  const suggestions = createKvsSuggestionStore();
  return {
    ...createKvsCharterStore(),
    ...createKvsWatchdogStore(),
    ...createKvsEffectLedger(),
    ...createKvsNudgeCaps(),
    ...createKvsAuditLog({ pseudonyms, listAccount }),
    ...suggestions,
    ...createKvsMissingInfoStore(),
    ...createKvsStateNormsStore(),
    ...createKvsRouterModelStore(),
    ...createKvsDashboardStore(),
    ...createKvsPersonalDataStore({ pseudonyms }),
    ...createKvsRecordStore(),
    ...createKvsIssuePurge({ suggestions }),
  };
}
