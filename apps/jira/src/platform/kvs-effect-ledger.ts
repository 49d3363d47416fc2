import { kvs } from '@forge/kvs';
import { EffectRecordSchema } from '../contracts/effect-record.ts';
import type { EffectRecord } from '../contracts/effect-record.ts';
import type { EffectLedger } from '../ports/effect-ledger.ts';
import { RETENTION } from '../ports/record-store.ts';
import { parseStored, safeKey } from './storage-keys.ts';

export const effectKey = (key: string): string => safeKey('effect:', key);

/** The effect ledger in KVS: `effect:<decision key>`, kept a year (RETENTION.effect). */
export function createKvsEffectLedger(): EffectLedger {
  return {
    async claimEffect(key, at) {
      const k = effectKey(key);
      try {
        await kvs.set(k, { state: 'claimed', at } satisfies EffectRecord, {
          keyPolicy: 'FAIL_IF_EXISTS',
          ttl: RETENTION.effect,
        });
        return true;
      } catch (e) {
        // Whatever the error's code, the key's existence is what decides.
        if ((await kvs.get(k)) !== undefined) return false;
        throw e;
      }
    },
    async getEffect(key) {
      return parseStored(EffectRecordSchema, await kvs.get(effectKey(key)));
    },
    async setEffect(key, r) {
      await kvs.set(effectKey(key), EffectRecordSchema.parse(r), { ttl: RETENTION.effect });
    },
    async releaseEffect(key) {
      await kvs.delete(effectKey(key));
    },
  };
}
