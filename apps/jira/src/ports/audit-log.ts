import type { AuditEntry as ChainEntry, AuditRecord } from '@baton/core';
import type { AuditEntry, Outcome } from '../contracts/audit.ts';

/** The audit: rows the admin pages query (by issue, project, outcome, time) and each issue's hash chain. */
export interface AuditLog {
  appendAudit(e: AuditEntry): Promise<void>;
  queryAudit(q: {
    /** A project's rows (the `by-project` index), newest first. */
    projectKey?: string;
    issueKey?: string;
    outcome?: Outcome;
    since?: number;
    limit?: number;
    cursor?: string;
  }): Promise<{ entries: AuditEntry[]; nextCursor?: string }>;
  /**
   * Appends a record to the issue's hash chain (core's `nextAuditEntry`). One chain per issue:
   * invocations for different issues never contend for a head, and an issue's chain is short to
   * verify. Slots are claimed with FAIL_IF_EXISTS, so two writers cannot both take sequence N.
   */
  appendChain(issueKey: string, record: AuditRecord, at: number): Promise<ChainEntry>;
  /** The issue's whole chain, oldest first (for `verifyAudit` and the panel). */
  readChain(issueKey: string): Promise<ChainEntry[]>;
  /**
   * `value` (chain entries, records) with each pseudonym replaced by the account id it stands for, or
   * `closed-account` once that account was erased. For people reading the chain; verify the stored form.
   */
  namePeople<T>(value: T): Promise<T>;
}
