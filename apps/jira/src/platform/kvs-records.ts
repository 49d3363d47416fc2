import { kvs } from '@forge/kvs';
import * as z from 'zod';
import type { RecordStore } from '../ports/record-store.ts';
import { safeKey } from './storage-keys.ts';

export const recordKey = (key: string): string => safeKey('json:', key);

/** KVS values are at most 240 KiB: large JSON is stored in parts of this many characters. */
export const PART_CHARS = 200_000;
/** A part's stored size in UTF-8 bytes, as KVS counts it (JSON-encoded, under the 240 KiB value limit with room). */
const PART_MAX_BYTES = 230_000;
const UTF8 = new TextEncoder();
const PartsSchema = z.object({ parts: z.number().int().min(0) });

/** The use cases' records in KVS under `json:<key>`, each with the time to live its writer gives. */
export function createKvsRecordStore(): RecordStore {
  const store: RecordStore = {
    async putJson(key, value, opts) {
      await kvs.set(recordKey(key), value as never, opts?.ttl === undefined ? undefined : { ttl: opts.ttl });
    },
    async getJson(key) {
      return kvs.get(recordKey(key));
    },
    async deleteJson(key) {
      await kvs.delete(recordKey(key));
    },
    /**
     * In parts of at most `PART_CHARS` characters, each cut shorter until its stored form fits
     * `PART_MAX_BYTES`: Cyrillic or CJK text takes two or three bytes a character, escapes more.
     */
    async putLargeJson(key, value) {
      const text = JSON.stringify(value);
      let parts = 0;
      for (let at = 0; at < text.length; parts++) {
        let len = Math.min(PART_CHARS, text.length - at);
        while (len > 1 && UTF8.encode(JSON.stringify(text.slice(at, at + len))).length > PART_MAX_BYTES)
          len = Math.floor(len / 2);
        await store.putJson(`${key}:${parts}`, text.slice(at, at + len));
        at += len;
      }
      await store.putJson(key, { parts });
    },
    async getLargeJson(key) {
      const head = PartsSchema.safeParse(await store.getJson(key));
      if (!head.success) return undefined;
      let text = '';
      for (let i = 0; i < head.data.parts; i++) {
        const part = await store.getJson(`${key}:${i}`);
        if (typeof part !== 'string') return undefined;
        text += part;
      }
      return JSON.parse(text) as unknown;
    },
    async deleteLargeJson(key) {
      const head = PartsSchema.safeParse(await store.getJson(key));
      if (head.success) for (let i = 0; i < head.data.parts; i++) await store.deleteJson(`${key}:${i}`);
      await store.deleteJson(key);
    },
  };
  return store;
}

/**
 * One large record per project at `keyOf(project)`: `get` parses what is stored there (undefined when
 * nothing is, or it does not parse), `put` validates a value and replaces the project's.
 */
export function largeRecordPerProject<T extends { projectKey: string }>(
  schema: z.ZodType<T>,
  keyOf: (projectKey: string) => string,
): { get(projectKey: string): Promise<T | undefined>; put(value: T): Promise<void> } {
  const records = createKvsRecordStore();
  return {
    async get(projectKey) {
      const r = schema.safeParse(await records.getLargeJson(keyOf(projectKey)));
      return r.success ? r.data : undefined;
    },
    put: (value) => records.putLargeJson(keyOf(value.projectKey), schema.parse(value)),
  };
}
