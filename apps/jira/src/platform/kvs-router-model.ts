import { StoredRouterModelSchema } from '../contracts/router-model.ts';
import type { RouterModelStore } from '../ports/router-model-store.ts';
import { largeRecordPerProject } from './kvs-records.ts';

/**
 * Where a project's training has always been stored: a large record (a head and parts, larger than one
 * KVS value), `json:router-model:<project>:model`.
 */
export const routerModelKey = (projectKey: string): string => `router-model:${projectKey}:model`;

/** The trained routers in KVS, one large record per project, kept until trained again. */
export function createKvsRouterModelStore(): RouterModelStore {
  const models = largeRecordPerProject(StoredRouterModelSchema, routerModelKey);
  return { getRouterModel: models.get, putRouterModel: models.put };
}
