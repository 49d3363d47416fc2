/** What an audit row's `actor` becomes when that account is closed (the personal-data report's erase). */
export const CLOSED_ACCOUNT = 'closed-account';

/** What one erasure pass did (ADR 0021). */
export interface ErasureResult {
  complete: boolean;
  /** Audit rows, KVS values and charter versions rewritten or deleted. */
  changed: number;
  /** Chains written before pseudonyms, re-hashed with them (ADR 0021's migration). */
  rechained: number;
  /** Scopes whose charter in force named the account: the admin is told on the charter page. */
  charters: string[];
}

/** The account ids app storage holds, for the personal-data report, and their erasure when an account closes. */
export interface PersonalDataStore {
  /**
   * The account ids app storage holds and when each was last written: those the audit names (listed
   * as rows are appended) and those whose names are cached. A page at a time; `nextCursor` goes on.
   */
  listStoredAccounts(
    cursor?: string,
  ): Promise<{ accounts: { accountId: string; updatedAt: number }[]; nextCursor?: string }>;
  /** Drops the cached display name of the account (re-read from Jira when next needed). */
  forgetPerson(accountId: string): Promise<void>;
  /**
   * Closed accounts, erased from all app storage (ADR 0021): their pseudonyms go at once (the hash chain
   * names people only by pseudonym, so the chain is unchanged and still verifies); then one pass,
   * checkpointed, rewrites or deletes every row, value and charter naming them and re-hashes a chain
   * from before pseudonyms. With no accounts, carries on a pass that ran out of time. `complete` once no
   * account waits.
   */
  eraseAccounts(accountIds: string[], stillHasTime: () => boolean): Promise<ErasureResult>;
}
