import { kvs } from '@forge/kvs';
import { CharterRecordSchema } from '../contracts/charter.ts';
import type { CharterRecord } from '../contracts/charter.ts';
import { readCharterRecord } from '../contracts/charter-migration/migrate.ts';
import type { CharterStore } from '../ports/charter-store.ts';
import { pad, safeKey } from './storage-keys.ts';

/**
 * The last charter records read, by their stored text: every event reads the charter, and validating
 * core's charter schema (and migrating an old one) costs more than the rest of a small evaluation. The
 * same text always reads as the same record; callers only read it. A few entries: a site has few scopes.
 */
const charterReads = new Map<string, CharterRecord>();
const CHARTER_READS_KEPT = 16;
function readCharter(v: unknown): CharterRecord | undefined {
  if (v === undefined) return undefined;
  const text = JSON.stringify(v);
  const hit = charterReads.get(text);
  if (hit !== undefined) return hit;
  const record = readCharterRecord(v);
  if (charterReads.size >= CHARTER_READS_KEPT) charterReads.delete(charterReads.keys().next().value as string);
  charterReads.set(text, record);
  return record;
}

/** Charters in KVS: `charter:current:<scope>` and every version at `charter:v:<8 digits>:<scope>`. */
export function createKvsCharterStore(): CharterStore {
  return {
    // Core's charter; a record stored in the app's old dialect is migrated on read (readCharterRecord).
    async getCharter(scope) {
      return readCharter(await kvs.get(safeKey('charter:current:', scope)));
    },
    async getCharterVersion(scope, version) {
      return readCharter(await kvs.get(safeKey(`charter:v:${pad(version)}:`, scope)));
    },
    async saveCharter(scope, record, expectedVersion) {
      const current = readCharter(await kvs.get(safeKey('charter:current:', scope)));
      if ((current?.version ?? 0) !== expectedVersion) return 'conflict';
      // Written in core's shape, whatever the shape of the version before; a saved charter is the admin's
      // (a notice of what the app changed in the version before is not carried on).
      const { migratedFrom: _was, notice: _told, ...kept } = record;
      const next: CharterRecord = CharterRecordSchema.parse({ ...kept, version: expectedVersion + 1 });
      try {
        // The version slot is the lock: two admins saving at once cannot both create version N+1.
        await kvs.set(safeKey(`charter:v:${pad(next.version)}:`, scope), next, { keyPolicy: 'FAIL_IF_EXISTS' });
      } catch (e) {
        if (await kvs.get(safeKey(`charter:v:${pad(next.version)}:`, scope))) return 'conflict';
        throw e;
      }
      await kvs.set(safeKey('charter:current:', scope), next);
      return next;
    },
  };
}
