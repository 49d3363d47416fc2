import { AuditEntrySchema as ChainEntrySchema, charterWithout, nextAuditEntry } from '@baton/core';
import type { AuditEntry as ChainEntry } from '@baton/core';
import { kvs, WhereConditions } from '@forge/kvs';
import { AuditEntrySchema } from '../contracts/audit.ts';
import type { AuditEntry } from '../contracts/audit.ts';
import { CharterRecordSchema } from '../contracts/charter.ts';
import { readCharterRecord } from '../contracts/charter-migration/migrate.ts';
import { peopleOf, replaceIn } from './pseudonyms.ts';
import type { Pseudonyms } from './pseudonyms.ts';
import { QUERY_PAGE, safeKey } from './storage-keys.ts';

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

export interface ErasureResult {
  complete: boolean;
  /** Audit rows, KVS values and charter versions rewritten or deleted. */
  changed: number;
  /** Chains written before pseudonyms, re-hashed with them (ADR 0021's migration). */
  rechained: number;
  /** Scopes whose charter in force named the account: the admin is told on the charter page. */
  charters: string[];
}

const CHAIN_SLOT = /^chain:(\d{8}):(.+)$/;
/** Keys whose values are rebuilt from Jira or recomputed when missing: deleted rather than rewritten. */
const REBUILT = ['json:', 'account:'];

/**
 * Erases one closed account from everything app storage holds (ADR 0021):
 * - its pseudonym (the hash chain names it only by token: the chain is not touched and still verifies);
 * - every audit row, KVS value and stored charter version that names it: a key naming it is deleted, a
 *   cache is deleted (rebuilt from Jira), anything else is rewritten with `closed` in its place (with
 *   its time-to-live kept); a charter loses the account (`charterWithout`) and the version in force
 *   says so to the admin (`notice`);
 * - a chain written before pseudonyms that names it in clear is re-hashed once with every person in it
 *   as a token (the migration; it then verifies as a whole again).
 * Stops when `stillHasTime` says no (`complete: false`); run again, it finds what is left.
 */
export async function eraseAccountEverywhere(accountId: string, deps: ErasureDeps): Promise<ErasureResult> {
  const out: ErasureResult = { complete: false, changed: 0, rechained: 0, charters: [] };
  const cleanId = safeKey('', accountId);
  const names = (v: unknown): boolean => JSON.stringify(v).includes(accountId);
  const closedFor = new Map([[accountId, deps.closed]]);

  await deps.pseudonyms.erase(accountId);

  // Audit rows: by time, all of them (the account may be named in a reason or `via`, not only as actor).
  const audit = kvs.entity<AuditEntry>('audit');
  let cursor: string | undefined;
  do {
    if (!deps.stillHasTime()) return out;
    let q = audit.query().index('by-time').limit(QUERY_PAGE);
    if (cursor !== undefined) q = q.cursor(cursor);
    const page = await q.getMany();
    for (const r of page.results) {
      if (!names(r.value)) continue;
      await audit.set(r.key, AuditEntrySchema.parse(replaceIn(r.value, closedFor)));
      out.changed++;
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);

  // Every KVS value, a page at a time.
  const legacyChains = new Set<string>();
  cursor = undefined;
  do {
    if (!deps.stillHasTime()) return out;
    let q = kvs.query().where('key', WhereConditions.beginsWith('')).limit(QUERY_PAGE);
    if (cursor !== undefined) q = q.cursor(cursor);
    const page = await q.getMany();
    for (const { key, value } of page.results) {
      if (key.startsWith('pseudonym:')) continue;
      const slot = CHAIN_SLOT.exec(key);
      if (slot !== null) {
        if (names(value)) legacyChains.add(slot[2] as string);
        continue;
      }
      if (key.startsWith('charter:')) {
        if (names(value) && (await rewriteCharter(key, value, accountId, deps, out))) out.changed++;
        continue;
      }
      if (
        key.includes(accountId) ||
        key.includes(cleanId) ||
        (names(value) && REBUILT.some((p) => key.startsWith(p)))
      ) {
        await kvs.delete(key);
        out.changed++;
      } else if (names(value)) {
        const ttl = deps.ttlOf(key);
        await kvs.set(key, replaceIn(value, closedFor) as never, ttl === undefined ? undefined : { ttl });
        out.changed++;
      }
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);

  for (const suffix of legacyChains) {
    if (!deps.stillHasTime()) return out;
    await rechain(suffix, accountId, deps);
    out.rechained++;
  }
  return { ...out, complete: true };
}

/**
 * A stored charter version without the account. The version in force (`charter:current:`) also says
 * what changed (`notice`); it is only rewritten if it is still the version read (an admin saving
 * meanwhile wins: the next run finds the account again in their version, if it is still there).
 */
async function rewriteCharter(
  key: string,
  value: unknown,
  accountId: string,
  deps: ErasureDeps,
  out: ErasureResult,
): Promise<boolean> {
  const record = readCharterRecord(value);
  const { charter, paths } = charterWithout(record.charter, accountId);
  const current = key.startsWith('charter:current:');
  const notice =
    `Baton removed a closed Atlassian account from this charter on ${new Date(deps.now).toISOString().slice(0, 10)}` +
    (paths.length > 0 ? ` (${paths.join(', ')})` : '') +
    ': check who takes its place, then save.';
  const next = CharterRecordSchema.parse({
    ...record,
    charter,
    // The YAML as the admin wrote it names the account too: the page shows the charter as YAML instead.
    yaml: record.yaml.includes(accountId) ? '' : record.yaml,
    updatedBy: record.updatedBy === accountId ? deps.closed : record.updatedBy,
    ...(current || record.notice !== undefined ? { notice } : {}),
  });
  if (current) {
    const again = await kvs.get(key);
    if ((again as { version?: unknown } | undefined)?.version !== record.version) return false;
    out.charters.push(key.slice('charter:current:'.length));
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
async function rechain(suffix: string, accountId: string, deps: ErasureDeps): Promise<void> {
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
    const names = new Map([[accountId, deps.closed]]);
    for (const p of peopleOf(e.record))
      if (p.id !== accountId && !p.id.startsWith('acct_')) names.set(p.id, await deps.pseudonyms.tokenFor(p, e.at));
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
