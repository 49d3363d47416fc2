import type { Issue, Result } from '../result.ts';
import type { Charter } from './charter-schema.ts';
import { DEFAULT_CHARTER } from './default-charter.ts';
import { parseCharter } from './parse-charter.ts';

/** Holds the charter in force; a rejected update leaves the previous one in place. */
export interface CharterStore {
  current(): Charter;
  /** Validates and, when valid, installs `input`. On rejection the previous charter stays. */
  update(input: unknown): Result<Charter>;
  /** The issues of the last rejected update, or none. */
  lastRejection(): readonly Issue[];
}

export function createCharterStore(initial: Charter = DEFAULT_CHARTER): CharterStore {
  let current = initial;
  let rejected: readonly Issue[] = [];
  return {
    current: () => current,
    update(input) {
      const r = parseCharter(input);
      if (r.ok) {
        current = r.value;
        rejected = [];
      } else rejected = r.issues;
      return r;
    },
    lastRejection: () => rejected,
  };
}
