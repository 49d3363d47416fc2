import type { AppDeps } from './app-deps.ts';
import { SAFETY_MS } from './run-watchdog.ts';
import { forgetScope } from './scope-cache.ts';

/** One account as the personal-data reporting API takes it: its id and when the app last stored data about it. */
export interface ReportedAccount {
  accountId: string;
  /** ISO 8601. */
  updatedAt: string;
}
/** What Atlassian answers for an account: `closed` (erase what you hold) or `updated` (refresh what you cached). */
export interface AccountStatus {
  accountId: string;
  status: 'updated' | 'closed';
}
/** `privacy.reportPersonalData` of `@forge/api` (90 accounts a request; it splits longer lists itself). */
export type ReportAccounts = (accounts: ReportedAccount[]) => Promise<AccountStatus[]>;

export interface PersonalDataReport {
  reported: number;
  closed: string[];
  updated: string[];
  /** Scopes whose charter named a closed account and was rewritten (the charter page tells the admin). */
  charters: string[];
  complete: boolean;
}

/**
 * The personal-data report Atlassian asks of apps that store account ids
 * (https://developer.atlassian.com/platform/forge/user-privacy-guidelines/): every account id app storage
 * holds — the people the audit and the hash chain name and those whose names are cached — is reported
 * with when it was last stored, a page at a time; a `closed` account is erased from all app storage
 * (`BatonStorage.eraseAccounts`, ADR 0021: the chain names it only by a pseudonym, whose meaning goes; a
 * charter naming it is rewritten and says so to the admin), an `updated` one's cached name is dropped.
 * Runs weekly; one that runs out of time stops and the next run starts again: reporting from the first
 * page (every step repeats safely), an erasure from its checkpoint.
 */
export async function runPersonalDataReport(
  deps: Pick<AppDeps, 'storage' | 'remainingMs'>,
  report: ReportAccounts,
): Promise<PersonalDataReport> {
  const out: PersonalDataReport = { reported: 0, closed: [], updated: [], charters: [], complete: false };
  const stillHasTime = (): boolean => deps.remainingMs() > SAFETY_MS;
  const erase = async (accountIds: string[]): Promise<boolean> => {
    const erased = await deps.storage.eraseAccounts(accountIds, stillHasTime);
    if (erased.charters.length > 0) forgetScope(); // a charter changed: events in this runtime read it again
    out.charters.push(...erased.charters);
    return erased.complete;
  };
  // An erasure a run before this one left unfinished first: its accounts may no longer be listed.
  if (!(await erase([]))) return out;
  let cursor: string | undefined;
  do {
    if (!stillHasTime()) return out;
    const page = await deps.storage.listStoredAccounts(cursor);
    cursor = page.nextCursor;
    if (page.accounts.length === 0) continue;
    const answers = await report(
      page.accounts.map((a) => ({ accountId: a.accountId, updatedAt: new Date(a.updatedAt).toISOString() })),
    );
    out.reported += page.accounts.length;
    const closed = answers.filter((a) => a.status === 'closed').map((a) => a.accountId);
    for (const a of answers)
      if (a.status !== 'closed') {
        await deps.storage.forgetPerson(a.accountId);
        out.updated.push(a.accountId);
      }
    if (closed.length === 0) continue;
    // One pass over storage for the page's closed accounts; out of time, the next run carries it on.
    if (!(await erase(closed))) return out;
    out.closed.push(...closed);
  } while (cursor !== undefined);
  return { ...out, complete: true };
}
