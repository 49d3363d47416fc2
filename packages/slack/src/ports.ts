/**
 * What the Slack adapter needs from its host, as ports: a small key-value store with expiry (Forge KVS in
 * the app, a Map in tests) and the links between Slack users and Jira accounts.
 */

/** Keys with optional expiry. `setIfAbsent` is the one atomic step the adapter relies on. */
export interface KeyValuePort {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Stores `value` only when `key` holds nothing (or expired); true when it stored. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  delete(key: string): Promise<void>;
}

/** Which Slack user is which Jira account (one to one, per workspace). */
export interface LinkStore {
  slackUserOf(accountId: string): Promise<string | undefined>;
  accountOf(slackUserId: string): Promise<string | undefined>;
  link(slackUserId: string, accountId: string): Promise<void>;
}

/** A KeyValuePort in memory, expiring on the given clock (tests, the CLI). */
export function createMemoryKeyValue(now: () => number = Date.now): KeyValuePort & { readonly size: () => number } {
  const map = new Map<string, { value: string; until: number }>();
  const live = (key: string) => {
    const hit = map.get(key);
    if (hit !== undefined && hit.until <= now()) map.delete(key);
    return map.get(key);
  };
  const put = (key: string, value: string, ttlMs?: number) =>
    void map.set(key, { value, until: ttlMs === undefined ? Infinity : now() + ttlMs });
  return {
    get: async (key) => live(key)?.value,
    set: async (key, value, ttlMs) => put(key, value, ttlMs),
    setIfAbsent: async (key, value, ttlMs) => {
      if (live(key) !== undefined) return false;
      put(key, value, ttlMs);
      return true;
    },
    delete: async (key) => void map.delete(key),
    size: () => map.size,
  };
}

/** A LinkStore over a KeyValuePort: both directions, so either lookup is one read. */
export function createKeyValueLinkStore(kv: KeyValuePort): LinkStore {
  return {
    slackUserOf: (accountId) => kv.get(`link:account:${accountId}`),
    accountOf: (slackUserId) => kv.get(`link:slack:${slackUserId}`),
    link: async (slackUserId, accountId) => {
      const previous = await kv.get(`link:account:${accountId}`);
      if (previous !== undefined && previous !== slackUserId) await kv.delete(`link:slack:${previous}`);
      await kv.set(`link:slack:${slackUserId}`, accountId);
      await kv.set(`link:account:${accountId}`, slackUserId);
    },
  };
}
