import { kvs } from '@forge/kvs';
import type { RecordStore } from '../ports/record-store.ts';
import { safeKey } from './storage-keys.ts';

export const recordKey = (key: string): string => safeKey('json:', key);

/** The use cases' records in KVS under `json:<key>`, each with the time to live its writer gives. */
export function createKvsRecordStore(): RecordStore {
  return {
    async putJson(key, value, opts) {
      await kvs.set(recordKey(key), value as never, opts?.ttl === undefined ? undefined : { ttl: opts.ttl });
    },
    async getJson(key) {
      return kvs.get(recordKey(key));
    },
    async deleteJson(key) {
      await kvs.delete(recordKey(key));
    },
  };
}
