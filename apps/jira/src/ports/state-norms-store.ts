import type { StoredStateNorms } from '../contracts/state-norms.ts';

/** Each project's learned per-state norms, the last learning run's result (the run itself is a `RecordStore` record). */
export interface StateNormsStore {
  /** The project's learned norms, or undefined when none were learned (or what is stored does not parse). */
  getStateNorms(projectKey: string): Promise<StoredStateNorms | undefined>;
  /** Replaces the project's learned norms. */
  putStateNorms(norms: StoredStateNorms): Promise<void>;
}
