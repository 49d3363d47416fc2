/**
 * Storage ports for the model guard. Forge backs them with KVS, the CLI with memory or a file;
 * the in-memory versions here serve tests and one-shot commands.
 */

/** Counters for budgets and fallback counts. `increment` returns the new total. */
export interface CounterStore {
  get(key: string): Promise<number>;
  increment(key: string, by: number): Promise<number>;
}

/** Answers keyed by the hash of the redacted input. Values are JSON text. */
export interface CacheStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export function createMemoryCounterStore(): CounterStore & { snapshot(): Record<string, number> } {
  const counts = new Map<string, number>();
  return {
    get: async (key) => counts.get(key) ?? 0,
    increment: async (key, by) => {
      const next = (counts.get(key) ?? 0) + by;
      counts.set(key, next);
      return next;
    },
    snapshot: () => Object.fromEntries(counts),
  };
}

/** A bounded in-memory cache: the oldest entry goes first once `maxEntries` is reached. */
export function createMemoryCacheStore(maxEntries = 500): CacheStore & { size(): number } {
  const entries = new Map<string, string>();
  return {
    get: async (key) => entries.get(key),
    set: async (key, value) => {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
    },
    size: () => entries.size,
  };
}
