import { kvs, Sort, WhereConditions } from '@forge/kvs';
import { AuditEntrySchema as ChainEntrySchema, nextAuditEntry } from '@baton/core';
import type { AuditEntry as ChainEntry } from '@baton/core';
import * as z from 'zod';
import { AuditEntrySchema } from '../contracts/audit.ts';
import type { AuditEntry } from '../contracts/audit.ts';
import { CharterRecordSchema } from '../contracts/charter.ts';
import type { CharterRecord } from '../contracts/charter.ts';
import { readCharterRecord } from '../contracts/charter-migration/migrate.ts';
import { SuggestionSchema, readSuggestion } from '@baton/jira/issue-state';
import { QUERY_PAGE, safeKey } from './storage-keys.ts';
import { createPseudonyms, peopleOf, PSEUDONYM_PATTERN, replaceIn } from './pseudonyms.ts';
import { eraseAccountsEverywhere } from './erase-account.ts';
import type { Suggestion } from '@baton/jira/issue-state';
import { EffectRecordSchema } from '../contracts/effect-record.ts';
import type { EffectRecord } from '../contracts/effect-record.ts';
import { WatchdogCheckpointSchema, WatchdogCursorSchema } from '../contracts/watchdog-cursor.ts';
import { CLOSED_ACCOUNT } from '../ports/personal-data-store.ts';
import { RETENTION } from '../ports/record-store.ts';
import type { BatonStorage } from '../ports/storage.ts';

/**
 * Everything the app keeps in Forge KVS, behind one object so handlers never spell a key:
 * the charter (versioned), the watchdog's cursor and checkpoint, per-issue daily caps, the effect
 * ledger (idempotency keys, claimed before acting) and two custom entities with indexes, the
 * audit log (by issue, time, outcome) and the due-time index the watchdog sweeps.
 */
const DueSchema = z.object({ issueKey: z.string(), dueAt: z.number() });

export { QUERY_PAGE, safeKey };

const ACCOUNT_PREFIX = 'account:';
/** The name cache of `src/app/people.ts` (`putJson('person:<id>')`). */
const PERSON_PREFIX = 'json:person:';
const StoredAccountSchema = z.object({ accountId: z.string(), updatedAt: z.number() });
const PersonSchema = z.object({ name: z.string(), at: z.number() });

/** Slots per issue and day: far above any charter's cap, a bound on the probe. */
const MAX_NUDGE_SLOTS = 50;
const nudgeSlot = (issueKey: string, day: string, n: number): string =>
  safeKey(`cap:${day}:`, `${issueKey}:${String(n).padStart(2, '0')}`);
/** Slots per person and day (the charter's `maxNudgesPerPersonPerDay` is unbounded): a bound on the probe. */
const MAX_PERSON_SLOTS = 100;
const personSlot = (accountId: string, day: string, n: number): string =>
  safeKey(`pcap:${day}:`, `${accountId}:${String(n).padStart(3, '0')}`);

/**
 * Takes the first free of `cap` slots (each a key claimed with FAIL_IF_EXISTS, kept two days), or
 * answers false when all are taken: concurrent claims cannot both take the last one.
 */
async function claimSlot(slot: (n: number) => string, cap: number): Promise<boolean> {
  for (let n = 0; n < cap; n++) {
    try {
      await kvs.set(slot(n), 1, { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: 2, unit: 'DAYS' } });
      return true;
    } catch (e) {
      if ((await kvs.get(slot(n))) === undefined) throw e;
    }
  }
  return false;
}

/** How many slots are taken, counted from the first (a freed slot ends the count early: a later claim fills it). */
async function takenSlots(slot: (n: number) => string, max: number): Promise<number> {
  let n = 0;
  while (n < max && (await kvs.get(slot(n))) !== undefined) n++;
  return n;
}

const suggestionPrefix = (issueKey: string): string => safeKey('suggestion:', `${issueKey}:`);
const suggestionKey = (issueKey: string, key: string): string => safeKey(suggestionPrefix(issueKey), key);

/** Every row carries its project (the `by-project` index needs it; rows written before it get it when rewritten). */
const withProject = (e: AuditEntry): AuditEntry => ({
  ...e,
  projectKey: e.projectKey ?? e.issueKey.split('-')[0] ?? '',
});

const parse = <T>(schema: z.ZodType<T>, v: unknown): T | undefined => (v === undefined ? undefined : schema.parse(v));
/**
 * The last charter records read, by their stored text: every event reads the charter, and validating
 * core's charter schema (and migrating an old one) costs more than the rest of a small evaluation. The
 * same text always reads as the same record; callers only read it. A few entries: a site has few scopes.
 */
const charterReads = new Map<string, CharterRecord>();
const CHARTER_READS_KEPT = 16;
function readCharter(v: unknown): CharterRecord | undefined {
  if (v === undefined) return undefined;
  const text = JSON.stringify(v);
  const hit = charterReads.get(text);
  if (hit !== undefined) return hit;
  const record = readCharterRecord(v);
  if (charterReads.size >= CHARTER_READS_KEPT) charterReads.delete(charterReads.keys().next().value as string);
  charterReads.set(text, record);
  return record;
}

export function createBatonStorage(): BatonStorage {
  const audit = kvs.entity<AuditEntry>('audit');
  const due = kvs.entity<{ issueKey: string; dueAt: number }>('due');
  const pad = (n: number): string => String(n).padStart(8, '0');
  // Every account id the app keeps is listed once, for the weekly personal-data report.
  const listAccount = async (accountId: string, at: number): Promise<void> => {
    await kvs.set(safeKey(ACCOUNT_PREFIX, accountId), { accountId, updatedAt: at });
  };
  const pseudonyms = createPseudonyms(listAccount);

  const storage: BatonStorage = {
    // Core's charter; a record stored in the app's old dialect is migrated on read (readCharterRecord).
    async getCharter(scope) {
      return readCharter(await kvs.get(safeKey('charter:current:', scope)));
    },
    async getCharterVersion(scope, version) {
      return readCharter(await kvs.get(safeKey(`charter:v:${pad(version)}:`, scope)));
    },
    async saveCharter(scope, record, expectedVersion) {
      const current = readCharter(await kvs.get(safeKey('charter:current:', scope)));
      if ((current?.version ?? 0) !== expectedVersion) return 'conflict';
      // Written in core's shape, whatever the shape of the version before; a saved charter is the admin's
      // (a notice of what the app changed in the version before is not carried on).
      const { migratedFrom: _was, notice: _told, ...kept } = record;
      const next: CharterRecord = CharterRecordSchema.parse({ ...kept, version: expectedVersion + 1 });
      try {
        // The version slot is the lock: two admins saving at once cannot both create version N+1.
        await kvs.set(safeKey(`charter:v:${pad(next.version)}:`, scope), next, { keyPolicy: 'FAIL_IF_EXISTS' });
      } catch (e) {
        if (await kvs.get(safeKey(`charter:v:${pad(next.version)}:`, scope))) return 'conflict';
        throw e;
      }
      await kvs.set(safeKey('charter:current:', scope), next);
      return next;
    },
    async getCursor() {
      return parse(WatchdogCursorSchema, await kvs.get('watchdog:cursor')) ?? { since: null, checkpoint: null };
    },
    async setCursor(c) {
      await kvs.set('watchdog:cursor', {
        since: c.since,
        checkpoint: WatchdogCheckpointSchema.nullable().parse(c.checkpoint),
      });
    },
    async claimEffect(key, at) {
      const k = safeKey('effect:', key);
      try {
        await kvs.set(k, { state: 'claimed', at } satisfies EffectRecord, {
          keyPolicy: 'FAIL_IF_EXISTS',
          ttl: RETENTION.effect,
        });
        return true;
      } catch (e) {
        // Whatever the error's code, the key's existence is what decides.
        if ((await kvs.get(k)) !== undefined) return false;
        throw e;
      }
    },
    async getEffect(key) {
      return parse(EffectRecordSchema, await kvs.get(safeKey('effect:', key)));
    },
    async setEffect(key, r) {
      await kvs.set(safeKey('effect:', key), EffectRecordSchema.parse(r), { ttl: RETENTION.effect });
    },
    async nudgesToday(issueKey, day) {
      return takenSlots((n) => nudgeSlot(issueKey, day, n), MAX_NUDGE_SLOTS);
    },
    async reserveNudge(issueKey, day, cap) {
      return claimSlot((n) => nudgeSlot(issueKey, day, n), Math.min(cap, MAX_NUDGE_SLOTS));
    },
    async personNudgesToday(accountId, day) {
      return takenSlots((n) => personSlot(accountId, day, n), MAX_PERSON_SLOTS);
    },
    async reservePersonNudge(accountId, day, cap) {
      return claimSlot((n) => personSlot(accountId, day, n), Math.min(cap, MAX_PERSON_SLOTS));
    },
    async releasePersonNudge(accountId, day) {
      // The last taken slot: freeing it keeps the taken ones contiguous for the count.
      const n = await takenSlots((i) => personSlot(accountId, day, i), MAX_PERSON_SLOTS);
      if (n > 0) await kvs.delete(personSlot(accountId, day, n - 1));
    },
    async releaseEffect(key) {
      await kvs.delete(safeKey('effect:', key));
    },
    async appendAudit(e) {
      await audit.set(safeKey(`${pad(Math.floor(e.at / 1000))}:`, e.id), withProject(AuditEntrySchema.parse(e)));
      // Every account id the app keeps is listed once, for the weekly personal-data report.
      if (e.actor !== 'app' && e.actor !== CLOSED_ACCOUNT) await listAccount(e.actor, e.at);
    },
    async listStoredAccounts(cursor) {
      // The accounts the audit names, then the people whose names are cached (`json:person:`).
      const [prefix, inner] = cursor?.startsWith('P|')
        ? [PERSON_PREFIX, cursor.slice(2)]
        : [ACCOUNT_PREFIX, cursor?.replace(/^A\|/, '')];
      let q = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(QUERY_PAGE);
      if (inner !== undefined && inner !== '') q = q.cursor(inner);
      const page = await q.getMany();
      const accounts = page.results.flatMap((r) => {
        const v = StoredAccountSchema.safeParse(r.value);
        if (v.success) return [{ accountId: v.data.accountId, updatedAt: v.data.updatedAt }];
        const person = PersonSchema.safeParse(r.value);
        return person.success ? [{ accountId: r.key.slice(PERSON_PREFIX.length), updatedAt: person.data.at }] : [];
      });
      const tag = prefix === ACCOUNT_PREFIX ? 'A|' : 'P|';
      if (page.nextCursor !== undefined) return { accounts, nextCursor: `${tag}${page.nextCursor}` };
      return prefix === ACCOUNT_PREFIX ? { accounts, nextCursor: 'P|' } : { accounts };
    },
    async forgetPerson(accountId) {
      if ((await kvs.get(safeKey(PERSON_PREFIX, accountId))) !== undefined)
        await kvs.delete(safeKey(PERSON_PREFIX, accountId));
    },
    async eraseAccounts(accountIds, stillHasTime) {
      return eraseAccountsEverywhere(accountIds, {
        pseudonyms,
        closed: CLOSED_ACCOUNT,
        ttlOf: (key) =>
          key.startsWith('effect:')
            ? RETENTION.effect
            : key.startsWith('suggestion:')
              ? RETENTION.suggestion
              : undefined,
        stillHasTime,
        now: Date.now(),
      });
    },
    async namePeople(value) {
      const tokens = new Set(JSON.stringify(value).match(PSEUDONYM_PATTERN) ?? []);
      const names = new Map<string, string>();
      for (const t of tokens) names.set(t, (await pseudonyms.meaningOf(t)) ?? CLOSED_ACCOUNT);
      return replaceIn(value, names);
    },
    async queryAudit(q) {
      const limit = Math.min(q.limit ?? 50, 100);
      const base =
        q.issueKey !== undefined
          ? audit.query().index('by-issue', { partition: [q.issueKey] })
          : q.projectKey !== undefined
            ? audit.query().index('by-project', { partition: [q.projectKey] })
            : q.outcome !== undefined
              ? audit.query().index('by-outcome', { partition: [q.outcome] })
              : audit.query().index('by-time');
      let query = base.sort(Sort.DESC).limit(limit);
      if (q.since !== undefined) query = query.where(WhereConditions.greaterThan(q.since));
      if (q.cursor !== undefined) query = query.cursor(q.cursor);
      const page = await query.getMany();
      let entries = page.results.map((r) => AuditEntrySchema.parse(r.value));
      // One index per query: the second filter (issue or project, and outcome) is applied here.
      if ((q.issueKey !== undefined || q.projectKey !== undefined) && q.outcome !== undefined)
        entries = entries.filter((e) => e.outcome === q.outcome);
      return { entries, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },
    async appendChain(issueKey, record, at) {
      // People are written into the chain as pseudonyms, so that erasing one never edits a hashed entry (ADR 0021).
      const tokens = new Map<string, string>();
      for (const p of peopleOf(record)) tokens.set(p.id, await pseudonyms.tokenFor(p, at));
      const stored = replaceIn(record, tokens);
      const slot = (seq: number): string => safeKey(`chain:${pad(seq)}:`, issueKey);
      const headKey = safeKey('chainhead:', issueKey);
      let seq =
        z
          .number()
          .int()
          .optional()
          .parse(await kvs.get(headKey)) ?? -1;
      for (;;) {
        // The head is a hint: walk forward to the first free slot.
        let prev = seq < 0 ? undefined : parse(ChainEntrySchema, await kvs.get(slot(seq)));
        for (;;) {
          const next = parse(ChainEntrySchema, await kvs.get(slot(seq + 1)));
          if (next === undefined) break;
          prev = next;
          seq++;
        }
        // Only the predecessor matters: the new entry takes its seq + 1 and links to its hash.
        const chained = nextAuditEntry(prev === undefined ? [] : [prev], stored, at);
        try {
          await kvs.set(slot(chained.seq), ChainEntrySchema.parse(chained), { keyPolicy: 'FAIL_IF_EXISTS' });
        } catch (e) {
          if ((await kvs.get(slot(chained.seq))) !== undefined) continue; // someone took the slot: retry after it
          throw e;
        }
        await kvs.set(headKey, chained.seq);
        return chained;
      }
    },
    async readChain(issueKey) {
      const out: ChainEntry[] = [];
      for (let seq = 0; ; seq++) {
        const e = parse(ChainEntrySchema, await kvs.get(safeKey(`chain:${pad(seq)}:`, issueKey)));
        if (e === undefined) return out;
        out.push(e);
      }
    },
    async setDue(issueKey, dueAt) {
      if (dueAt === null) await due.delete(safeKey('', issueKey));
      else await due.set(safeKey('', issueKey), { issueKey, dueAt });
    },
    async dueBefore(at, limit) {
      // Page by page (at most QUERY_PAGE each, as Forge allows) until `limit` rows or the end.
      const out: { issueKey: string; dueAt: number }[] = [];
      let cursor: string | undefined;
      do {
        let q = due
          .query()
          .index('by-due')
          .where(WhereConditions.lessThan(at))
          .sort(Sort.ASC)
          .limit(Math.min(QUERY_PAGE, limit - out.length));
        if (cursor !== undefined) q = q.cursor(cursor);
        const page = await q.getMany();
        out.push(...page.results.map((r) => DueSchema.parse(r.value)));
        cursor = page.nextCursor;
      } while (cursor !== undefined && out.length < limit);
      return out;
    },
    async putSuggestion(issueKey, sg) {
      await kvs.set(suggestionKey(issueKey, sg.key), SuggestionSchema.parse(sg), { ttl: RETENTION.suggestion });
    },
    async getSuggestion(issueKey, key) {
      const stored = await kvs.get(suggestionKey(issueKey, key));
      if (stored === undefined) return undefined;
      // A suggestion stored in an older shape is migrated on read (`readSuggestion`), rewritten only by a new decision.
      const r = readSuggestion(stored, issueKey);
      if (!r.ok) throw new Error(`suggestion ${issueKey}/${key}: ${r.problem.path || '(root)'}: ${r.problem.message}`);
      return r.value;
    },
    async listSuggestions(issueKey) {
      const out: Suggestion[] = [];
      let cursor: string | undefined;
      do {
        let q = kvs
          .query()
          .where('key', WhereConditions.beginsWith(suggestionPrefix(issueKey)))
          .limit(QUERY_PAGE);
        if (cursor !== undefined) q = q.cursor(cursor);
        const page = await q.getMany();
        for (const r of page.results) {
          const sg = readSuggestion(r.value, issueKey);
          if (sg.ok) out.push(sg.value);
          else
            console.warn(`baton: suggestion ${r.key} left out: ${sg.problem.path || '(root)'}: ${sg.problem.message}`);
        }
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return out.sort((a, b) => a.createdAt - b.createdAt || a.key.localeCompare(b.key));
    },
    async deleteSuggestion(issueKey, key) {
      await kvs.delete(suggestionKey(issueKey, key));
    },
    async putJson(key, value, opts) {
      await kvs.set(safeKey('json:', key), value as never, opts?.ttl === undefined ? undefined : { ttl: opts.ttl });
    },
    async getJson(key) {
      return kvs.get(safeKey('json:', key));
    },
    async deleteJson(key) {
      await kvs.delete(safeKey('json:', key));
    },
    async purgeIssue(issueKey, opts) {
      let deleted = 0;
      const del = async (remove: () => Promise<void>): Promise<void> => {
        await remove();
        deleted++;
      };
      // Audit rows first: each names a decision whose effect-ledger entry goes with it. A row is
      // deleted after its effect, so a purge cut short finds the rest again next time.
      for (;;) {
        if (!opts.stillHasTime()) return { complete: false, deleted };
        const page = await audit
          .query()
          .index('by-issue', { partition: [issueKey] })
          .limit(QUERY_PAGE)
          .getMany();
        if (page.results.length === 0) break;
        for (const r of page.results) {
          const row = AuditEntrySchema.safeParse(r.value);
          if (row.success && (await kvs.get(safeKey('effect:', row.data.decisionKey))) !== undefined)
            await del(() => kvs.delete(safeKey('effect:', row.data.decisionKey)));
          await del(() => audit.delete(r.key));
        }
      }
      for (const sg of await storage.listSuggestions(issueKey)) {
        if ((await kvs.get(safeKey('effect:', sg.key))) !== undefined)
          await del(() => kvs.delete(safeKey('effect:', sg.key)));
        await del(() => kvs.delete(suggestionKey(issueKey, sg.key)));
      }
      if (!opts.stillHasTime()) return { complete: false, deleted };
      // The chain from its end, so an interrupted purge never leaves a gap before live entries.
      const headKey = safeKey('chainhead:', issueKey);
      let last = -1;
      while ((await kvs.get(safeKey(`chain:${pad(last + 1)}:`, issueKey))) !== undefined) last++;
      for (let seq = last; seq >= 0; seq--) {
        if (!opts.stillHasTime()) return { complete: false, deleted };
        await del(() => kvs.delete(safeKey(`chain:${pad(seq)}:`, issueKey)));
      }
      if ((await kvs.get(headKey)) !== undefined) await del(() => kvs.delete(headKey));
      if ((await due.get(safeKey('', issueKey))) !== undefined) await del(() => due.delete(safeKey('', issueKey)));
      for (const k of opts.jsonKeys)
        if ((await kvs.get(safeKey('json:', k))) !== undefined) await del(() => kvs.delete(safeKey('json:', k)));
      return { complete: true, deleted };
    },
  };
  return storage;
}
