import { kvs } from '@forge/kvs';
import * as z from 'zod';
import type { MissingInfoStore } from '../ports/missing-info-store.ts';
import { RETENTION } from '../ports/record-store.ts';
import { recordKey } from './kvs-records.ts';

/** Where the loop's schedule has always been stored: a use case's record, `json:missing-info:<issue>`. */
export const missingInfoKey = (issueKey: string): string => recordKey(`missing-info:${issueKey}`);

const MissingInfoRecordSchema = z.object({ dueAt: z.number().int() });

/** The missing-information loop's schedule in KVS, one record per issue, living as long as a watch record. */
export function createKvsMissingInfoStore(): MissingInfoStore {
  return {
    async getMissingInfoDue(issueKey) {
      const parsed = MissingInfoRecordSchema.safeParse(await kvs.get(missingInfoKey(issueKey)));
      return parsed.success ? parsed.data.dueAt : null;
    },
    async setMissingInfoDue(issueKey, dueAt) {
      const key = missingInfoKey(issueKey);
      if (dueAt !== null) await kvs.set(key, { dueAt }, { ttl: RETENTION.watchRecord });
      else if ((await kvs.get(key)) !== undefined) await kvs.delete(key);
    },
  };
}
