import type { AuditLog } from './audit-log.ts';
import type { CharterStore } from './charter-store.ts';
import type { DashboardStore } from './dashboard-store.ts';
import type { EffectLedger } from './effect-ledger.ts';
import type { IssuePurge } from './issue-purge.ts';
import type { MissingInfoStore } from './missing-info-store.ts';
import type { NudgeCaps } from './nudge-caps.ts';
import type { PersonalDataStore } from './personal-data-store.ts';
import type { RecordStore } from './record-store.ts';
import type { RouterModelStore } from './router-model-store.ts';
import type { StateNormsStore } from './state-norms-store.ts';
import type { SuggestionStore } from './suggestion-store.ts';
import type { WatchdogStore } from './watchdog-store.ts';

/**
 * Everything the app keeps, as one object so a handler passes one thing: the use-case ports together.
 * A use case asks for the ports it uses (`charterFor(storage: CharterStore, …)`), not for this.
 */
export type BatonStorage = CharterStore &
  WatchdogStore &
  EffectLedger &
  NudgeCaps &
  AuditLog &
  SuggestionStore &
  MissingInfoStore &
  StateNormsStore &
  RouterModelStore &
  DashboardStore &
  PersonalDataStore &
  RecordStore &
  IssuePurge;
