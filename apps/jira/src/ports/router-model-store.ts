import type { StoredRouterModel } from '../contracts/router-model.ts';

/**
 * Each project's trained router (core's model files and the skills history), the last training's result;
 * the training run and its pages are `RecordStore` records.
 */
export interface RouterModelStore {
  /** The project's stored training, or undefined when none was stored (or what is stored does not parse). */
  getRouterModel(projectKey: string): Promise<StoredRouterModel | undefined>;
  /** Replaces the project's stored training. */
  putRouterModel(stored: StoredRouterModel): Promise<void>;
}
