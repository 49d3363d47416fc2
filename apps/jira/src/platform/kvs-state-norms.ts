import { kvs } from '@forge/kvs';
import { StoredStateNormsSchema } from '../contracts/state-norms.ts';
import type { StateNormsStore } from '../ports/state-norms-store.ts';
import { recordKey } from './kvs-records.ts';

/** Where a project's learned norms have always been stored: a use case's record, `json:state-norms:<project>`. */
export const stateNormsKey = (projectKey: string): string => recordKey(`state-norms:${projectKey}`);

/** The learned norms in KVS, one record per project, kept until learned again. */
export function createKvsStateNormsStore(): StateNormsStore {
  return {
    async getStateNorms(projectKey) {
      const r = StoredStateNormsSchema.safeParse(await kvs.get(stateNormsKey(projectKey)));
      return r.success ? r.data : undefined;
    },
    async putStateNorms(norms) {
      await kvs.set(stateNormsKey(norms.projectKey), StoredStateNormsSchema.parse(norms) as never);
    },
  };
}
