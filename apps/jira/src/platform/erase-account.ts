import { AuditEntrySchema as ChainEntrySchema, charterWithout, nextAuditEntry } from '@baton/core';
import type { AuditEntry as ChainEntry } from '@baton/core';
import { kvs, WhereConditions } from '@forge/kvs';
import * as z from 'zod';
import { AuditEntrySchema } from '../contracts/audit.ts';
import type { AuditEntry } from '../contracts/audit.ts';
import { CharterRecordSchema } from '../contracts/charter.ts';
import { readCharterRecord } from '../contracts/charter-migration/migrate.ts';
import { peopleOf, replaceIn } from './pseudonyms.ts';
import type { Pseudonyms } from './pseudonyms.ts';
import { QUERY_PAGE, safeKey } from './storage-keys.ts';
import type { ErasureResult } from '../ports/personal-data-store.ts';

/** How long a rewritten record lives (the same as when it was written: see RETENTION). */
type Ttl = { value: number; unit: 'DAYS' };

export interface ErasureDeps {
  pseudonyms: Pseudonyms;
  /** What stands where the account was named. */
  closed: string;
  /** The time-to-live of records under a key prefix, kept when such a record is rewritten. */
  ttlOf: (key: string) => Ttl | undefined;
  stillHasTime: () => boolean;
  now: number;
}

const CHAIN_SLOT = /^chain:(\d{8}):(.+)$/;
/** Keys whose values are rebuilt from Jira or recomputed when missing: deleted rather than rewritten. */
const REBUILT = ['json:', 'account:'];

/** Accounts waiting for a pass, and the pass in progress with its checkpoint (ADR 0021). */
const QUEUE_KEY = 'erasure:queue';
const PASS_KEY = 'erasure:pass';
const QueueSchema = z.object({ accounts: z.array(z.string()) });
const PassSchema = z.object({
  accounts: z.array(z.string()),
  phase: z.enum(['audit', 'kvs']),
  cursor: z.string().optional(),
  changed: z.number(),
  rechained: z.number(),
  charters: z.array(z.string()),
});
type Pass = z.infer<typeof PassSchema>;
/** Keys the scan leaves alone: the pseudonym store (erased first) and the erasure's own records. */
const OWN = ['pseudonym:', 'erasure:'];

/**
 * Erases closed accounts from everything app storage holds (ADR 0021):
 * - at once, each account's pseudonym (the hash chain names it only by token: the chain is not
 *   touched and still verifies, and nothing leads from the token back to the person);
 * - then, in one pass over storage for all accounts waiting: every audit row, KVS value and stored
 *   charter version that names one: a key naming it is deleted, a cache is deleted (rebuilt from
 *   Jira), anything else is rewritten with `closed` in its place (with its time-to-live kept); a
 *   charter loses the account (`charterWithout`) and the version in force says so to the admin
 *   (`notice`); a chain written before pseudonyms that names one is re-hashed once with every person
 *   in it as a token (the migration; it then verifies as a whole again).
 * The accounts wait in `erasure:queue` and the pass keeps its cursor in `erasure:pass` after every
 * page: when `stillHasTime` says no (`complete: false`), the next call (with no accounts, or more)
 * carries on where it stopped, even once the account's listing for the personal-data report is gone.
 * Accounts arriving during a pass wait for the next one. `complete` once nothing waits.
 */
export async function eraseAccountsEverywhere(accountIds: string[], deps: ErasureDeps): Promise<ErasureResult> {
  const out: ErasureResult = { complete: false, changed: 0, rechained: 0, charters: [] };
  for (const id of accountIds) await deps.pseudonyms.erase(id);
  if (accountIds.length > 0) {
    const queued = QueueSchema.safeParse(await kvs.get(QUEUE_KEY));
    const accounts = new Set([...(queued.success ? queued.data.accounts : []), ...accountIds]);
    await kvs.set(QUEUE_KEY, { accounts: [...accounts] });
  }
  for (;;) {
    let pass = PassSchema.safeParse(await kvs.get(PASS_KEY)).data;
    if (pass === undefined) {
      const queued = QueueSchema.safeParse(await kvs.get(QUEUE_KEY));
      if (!queued.success || queued.data.accounts.length === 0) return { ...out, complete: true };
      pass = { accounts: queued.data.accounts, phase: 'audit', changed: 0, rechained: 0, charters: [] };
      // The pass first, then the queue goes: stopped in between, the accounts are scanned twice, never lost.
      await kvs.set(PASS_KEY, pass);
      await kvs.delete(QUEUE_KEY);
    }
    const done = await runPass(pass, deps);
    out.changed += done.changed;
    out.rechained += done.rechained;
    out.charters.push(...done.charters.filter((c) => !out.charters.includes(c)));
    if (done.phase !== 'done') return out;
    await kvs.delete(PASS_KEY);
  }
}

/** The pass from its checkpoint, a page at a time, saving the checkpoint after each page. */
async function runPass(
  start: Pass,
  deps: ErasureDeps,
): Promise<Omit<Pass, 'phase'> & { phase: Pass['phase'] | 'done' }> {
  const pass: Pass = { ...start };
  const closedFor = new Map(pass.accounts.map((id) => [id, deps.closed]));
  const keyNames = pass.accounts.flatMap((id) => [id, safeKey('', id)]);
  const names = (v: unknown): boolean => {
    const text = JSON.stringify(v);
    return pass.accounts.some((id) => text.includes(id));
  };
  const save = async (phase: Pass['phase'], cursor: string | undefined): Promise<void> => {
    pass.phase = phase;
    if (cursor === undefined) delete pass.cursor;
    else pass.cursor = cursor;
    await kvs.set(PASS_KEY, pass);
  };

  // Audit rows: by time, all of them (the account may be named in a reason or `via`, not only as actor).
  const audit = kvs.entity<AuditEntry>('audit');
  while (pass.phase === 'audit') {
    if (!deps.stillHasTime()) return pass;
    let q = audit.query().index('by-time').limit(QUERY_PAGE);
    if (pass.cursor !== undefined) q = q.cursor(pass.cursor);
    const page = await q.getMany();
    for (const r of page.results) {
      if (!names(r.value)) continue;
      await audit.set(r.key, AuditEntrySchema.parse(replaceIn(r.value, closedFor)));
      pass.changed++;
    }
    if (page.nextCursor === undefined) await save('kvs', undefined);
    else await save('audit', page.nextCursor);
  }

  // Every KVS value, a page at a time.
  for (;;) {
    if (!deps.stillHasTime()) return pass;
    let q = kvs.query().where('key', WhereConditions.beginsWith('')).limit(QUERY_PAGE);
    if (pass.cursor !== undefined) q = q.cursor(pass.cursor);
    const page = await q.getMany();
    let deleted = 0;
    for (const { key, value } of page.results) {
      if (OWN.some((p) => key.startsWith(p)) || (!names(value) && !keyNames.some((k) => key.includes(k)))) continue;
      const slot = CHAIN_SLOT.exec(key);
      if (slot !== null) {
        // A chain from before pseudonyms: re-hashed whole at its first slot that names an account.
        await rechain(slot[2] as string, pass.accounts, deps);
        pass.rechained++;
      } else if (key.startsWith('charter:')) {
        if (await rewriteCharter(key, value, pass.accounts, deps, pass.charters)) pass.changed++;
      } else if (keyNames.some((k) => key.includes(k)) || REBUILT.some((p) => key.startsWith(p))) {
        await kvs.delete(key);
        pass.changed++;
        deleted++;
      } else {
        const ttl = deps.ttlOf(key);
        await kvs.set(key, replaceIn(value, closedFor) as never, ttl === undefined ? undefined : { ttl });
        pass.changed++;
      }
    }
    if (page.nextCursor === undefined) return { ...pass, phase: 'done' };
    // A cursor may count places (the harness's does): after deletions the page is read again from the
    // same cursor, so that no key slides back past it unread; what was handled is skipped the second time.
    if (deleted === 0) await save('kvs', page.nextCursor);
  }
}

/**
 * A stored charter version without the accounts. The version in force (`charter:current:`) also says
 * what changed (`notice`); it is only rewritten if it is still the version read (an admin saving
 * meanwhile wins: the next run finds the account again in their version, if it is still there).
 */
async function rewriteCharter(
  key: string,
  value: unknown,
  accountIds: readonly string[],
  deps: ErasureDeps,
  told: string[],
): Promise<boolean> {
  const record = readCharterRecord(value);
  let charter = record.charter;
  const paths: string[] = [];
  for (const id of accountIds) {
    const without = charterWithout(charter, id);
    charter = without.charter;
    paths.push(...without.paths);
  }
  const naming = (text: string): boolean => accountIds.some((id) => text.includes(id));
  const current = key.startsWith('charter:current:');
  const notice =
    `Baton removed a closed Atlassian account from this charter on ${new Date(deps.now).toISOString().slice(0, 10)}` +
    (paths.length > 0 ? ` (${paths.join(', ')})` : '') +
    ': check who takes its place, then save.';
  const next = CharterRecordSchema.parse({
    ...record,
    charter,
    // The YAML as the admin wrote it names the account too: the page shows the charter as YAML instead.
    yaml: naming(record.yaml) ? '' : record.yaml,
    updatedBy: accountIds.includes(record.updatedBy) ? deps.closed : record.updatedBy,
    ...(current || record.notice !== undefined ? { notice } : {}),
  });
  if (current) {
    const again = await kvs.get(key);
    if ((again as { version?: unknown } | undefined)?.version !== record.version) return false;
    const scope = key.slice('charter:current:'.length);
    if (!told.includes(scope)) told.push(scope);
    // The version slot of the record in force says the same.
    const slot = `charter:v:${String(record.version).padStart(8, '0')}:${key.slice('charter:current:'.length)}`;
    if ((await kvs.get(slot)) !== undefined) await kvs.set(slot, next);
  }
  await kvs.set(key, next);
  return true;
}

/**
 * The migration of a chain written before pseudonyms (ADR 0021): its entries are read, every person
 * each record names becomes a token (the closed account becomes `closed`), and the chain is hashed
 * again from its first entry, slot by slot. It verifies as a whole afterwards; `chainmigrated:` says
 * when it was re-hashed.
 */
async function rechain(suffix: string, accountIds: readonly string[], deps: ErasureDeps): Promise<void> {
  const slot = (seq: number): string => `chain:${String(seq).padStart(8, '0')}:${suffix}`;
  const entries: ChainEntry[] = [];
  for (let seq = 0; ; seq++) {
    const e = ChainEntrySchema.safeParse(await kvs.get(slot(seq)));
    if (!e.success) break;
    entries.push(e.data);
  }
  let prev: ChainEntry | undefined;
  const moved = new Map<string, { seq: number; hash: string }>();
  for (const e of entries) {
    const names = new Map(accountIds.map((id) => [id, deps.closed]));
    for (const p of peopleOf(e.record))
      if (!names.has(p.id) && !p.id.startsWith('acct_')) names.set(p.id, await deps.pseudonyms.tokenFor(p, e.at));
    const next = nextAuditEntry(prev === undefined ? [] : [prev], replaceIn(e.record, names), e.at);
    await kvs.set(slot(e.seq), next);
    moved.set(e.hash, { seq: next.seq, hash: next.hash });
    prev = next;
  }
  // The audit rows point at their chain entries by hash: they follow.
  const audit = kvs.entity<AuditEntry>('audit');
  let cursor: string | undefined;
  do {
    let q = audit
      .query()
      .index('by-issue', { partition: [suffix] })
      .limit(QUERY_PAGE);
    if (cursor !== undefined) q = q.cursor(cursor);
    const page = await q.getMany();
    for (const r of page.results) {
      const to = r.value.chain === undefined ? undefined : moved.get(r.value.chain.hash);
      if (to !== undefined) await audit.set(r.key, AuditEntrySchema.parse({ ...r.value, chain: to }));
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  await kvs.set(`chainmigrated:${suffix}`, { at: deps.now });
}
