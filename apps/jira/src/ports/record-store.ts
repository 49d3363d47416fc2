/** A record's time to live: it expires that long after it was last written. */
export interface Ttl {
  value: number;
  unit: 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS';
}

/**
 * How long per-issue records live in app storage without being written again (Forge KVS `ttl`,
 * https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-basic-api): the effect
 * ledger and pending suggestions a year (a decision re-proposed after that is suggested again, never
 * acted twice in a year); a watch record 90 days (it is rebuilt from Jira whenever it is missing).
 * The audit rows and the hash chain are the record of what the app did: they are kept until the issue
 * is deleted (`purgeIssue`, on `avi:jira:deleted:issue`) — a chain with expired links could not verify.
 */
export const RETENTION = {
  effect: { value: 365, unit: 'DAYS' },
  suggestion: { value: 365, unit: 'DAYS' },
  watchRecord: { value: 90, unit: 'DAYS' },
} as const satisfies Record<string, Ttl>;

/**
 * The use cases' own records by key (watch records, concierge state, dashboard refreshes, dry
 * runs, learning runs, people's names): each use case owns its keys and parses what it reads.
 */
export interface RecordStore {
  /** `ttl`: the value expires that long after this write (see RETENTION). */
  putJson(key: string, value: unknown, opts?: { ttl?: Ttl }): Promise<void>;
  getJson(key: string): Promise<unknown>;
  deleteJson(key: string): Promise<void>;
  /**
   * JSON larger than one KVS value (240 KiB): a head `{ parts }` at `key` and the JSON text in parts at
   * `key:0`, `key:1`, … (records like any other, without a time to live).
   */
  putLargeJson(key: string, value: unknown): Promise<void>;
  /** What `putLargeJson` stored at `key`; undefined when nothing is, or a part is missing. */
  getLargeJson(key: string): Promise<unknown>;
  /** Deletes the head and the parts. */
  deleteLargeJson(key: string): Promise<void>;
}
