import { kvs, Sort, WhereConditions } from '@forge/kvs';
import { AuditEntrySchema as ChainEntrySchema, nextAuditEntry } from '@baton/core';
import type { AuditEntry as ChainEntry, AuditRecord } from '@baton/core';
import * as z from 'zod';
import { AuditEntrySchema } from '../contracts/audit.ts';
import type { AuditEntry, Outcome } from '../contracts/audit.ts';
import { CharterRecordSchema } from '../contracts/charter.ts';
import type { CharterRecord } from '../contracts/charter.ts';
import { readCharterRecord } from '../contracts/charter-migration/migrate.ts';
import { SuggestionSchema, readSuggestion } from '@baton/jira/issue-state';
import { forgetScope } from './scope-cache.ts';
import { QUERY_PAGE, safeKey } from './storage-keys.ts';
import { createPseudonyms, peopleOf, PSEUDONYM_PATTERN, replaceIn } from './pseudonyms.ts';
import { eraseAccountsEverywhere } from './erase-account.ts';
import type { ErasureResult } from './erase-account.ts';
import type { Suggestion } from '@baton/jira/issue-state';

/**
 * Everything the app keeps in Forge KVS, behind one object so handlers never spell a key:
 * the charter (versioned), the watchdog's cursor and checkpoint, per-issue daily caps, the effect
 * ledger (idempotency keys, claimed before acting) and two custom entities with indexes, the
 * audit log (by issue, time, outcome) and the due-time index the watchdog sweeps.
 */
export const EffectRecordSchema = z.object({
  state: z.enum(['claimed', 'done', 'suggested', 'resolved']),
  at: z.number(),
  detail: z.string().optional(),
});
export type EffectRecord = z.infer<typeof EffectRecordSchema>;

/**
 * Where a tick's JQL sweep stands: project by project, keyset-paged (`key > afterKey ORDER BY key`), so
 * what is kept between invocations is the same few fields whether a project has 50 or 50,000 issues.
 */
export const SweepSchema = z.object({
  /** `open`: the first (baseline) sweep of every open issue; `changed`: issues updated since the cursor. */
  kind: z.enum(['open', 'changed']),
  projects: z.array(z.string()),
  /** Index in `projects` of the project being paged (`projects.length` when all are done). */
  project: z.number().int().min(0),
  /** The last key taken in that project: the next page starts after it. */
  afterKey: z.string().nullable(),
  /** For `changed`: the `updated >=` literal, fixed when the tick starts (wall time in the app user's zone). */
  updatedSince: z.string().nullable(),
  /** Jira's approximate count of the sweep's issues when it started (progress), and how many were taken since. */
  estimated: z.number().int().min(0).nullable(),
  taken: z.number().int().min(0),
});
export type Sweep = z.infer<typeof SweepSchema>;

/** Issues a tick evaluates itself (at most `INLINE_LIMIT` of one page), and which of them are done. */
const InlinePageSchema = z.object({ keys: z.array(z.string()).max(100), done: z.array(z.string()).max(100) });

const CheckpointSchema = z.object({
  tickStartedAt: z.number(),
  /** The JQL sweep still to page; null when it is done. */
  sweep: SweepSchema.nullable(),
  /** The page being evaluated inline; null between pages. */
  page: InlinePageSchema.nullable(),
  /** Whether the due-time index (rows due at `tickStartedAt` or before) is still to be worked off. */
  duePending: z.boolean(),
});
export type WatchdogCheckpoint = z.infer<typeof CheckpointSchema>;

export const WatchdogCursorSchema = z.object({
  /** Issues updated at or after this instant still need a look (JQL minute precision: overlap applied by the caller). */
  since: z.number().nullable(),
  /**
   * A tick in progress. A checkpoint of an older shape (a list of every key, which outgrew the 240 KiB
   * value limit at about 20,000 open issues) is read as none: the tick starts again, and effects are keyed.
   */
  checkpoint: z.unknown().transform((v) => {
    const cp = CheckpointSchema.nullable().safeParse(v ?? null);
    return cp.success ? cp.data : null;
  }),
});
export type WatchdogCursor = z.infer<typeof WatchdogCursorSchema>;

const DueSchema = z.object({ issueKey: z.string(), dueAt: z.number() });

export { QUERY_PAGE, safeKey };

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
} as const;

/** What an audit row's `actor` becomes when that account is closed (the personal-data report's erase). */
export const CLOSED_ACCOUNT = 'closed-account';
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

export interface BatonStorage {
  getCharter(scope: string): Promise<CharterRecord | undefined>;
  getCharterVersion(scope: string, version: number): Promise<CharterRecord | undefined>;
  /** Saves a new version if `expectedVersion` is still current; returns `conflict` otherwise. */
  saveCharter(
    scope: string,
    record: Omit<CharterRecord, 'version'>,
    expectedVersion: number,
  ): Promise<CharterRecord | 'conflict'>;
  getCursor(): Promise<WatchdogCursor>;
  setCursor(c: WatchdogCursor): Promise<void>;
  /** Claims an idempotency key; `false` when someone (an earlier delivery) already holds it. */
  claimEffect(key: string, at: number): Promise<boolean>;
  getEffect(key: string): Promise<EffectRecord | undefined>;
  setEffect(key: string, r: EffectRecord): Promise<void>;
  nudgesToday(issueKey: string, day: string): Promise<number>;
  /**
   * Takes one of the issue's `cap` nudge slots for the UTC day, or answers false when all are taken.
   * Each slot is a key claimed with FAIL_IF_EXISTS, so concurrent evaluations cannot both take the
   * last one: the cap cannot be overshot and no count is lost (a read-then-write counter does both).
   */
  reserveNudge(issueKey: string, day: string, cap: number): Promise<boolean>;
  /** Nudges the person (an account id) was sent by the app on the UTC day, across all issues. */
  personNudgesToday(accountId: string, day: string): Promise<number>;
  /**
   * Takes one of the person's `cap` nudge slots for the UTC day (the charter's per-person cap), or
   * answers false when all are taken; claimed as `reserveNudge`'s, so concurrent ticks cannot exceed it.
   */
  reservePersonNudge(accountId: string, day: string, cap: number): Promise<boolean>;
  /** Gives back a person's slot taken for a nudge that was then not sent (the issue's cap was full). */
  releasePersonNudge(accountId: string, day: string): Promise<void>;
  /** Gives up a claim whose effect did not happen (e.g. deferred by the cap), so a later attempt may act. */
  releaseEffect(key: string): Promise<void>;
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
  setDue(issueKey: string, dueAt: number | null): Promise<void>;
  dueBefore(at: number, limit: number): Promise<{ issueKey: string; dueAt: number }[]>;
  /**
   * Pending suggestions, kept in app storage (the source of truth: the issue property any editor can
   * rewrite is only a cache of them). One key per suggestion, so two evaluations of one issue at once
   * each add theirs without reading and rewriting a shared list.
   */
  putSuggestion(issueKey: string, s: Suggestion): Promise<void>;
  getSuggestion(issueKey: string, key: string): Promise<Suggestion | undefined>;
  /** Every stored suggestion of the issue, oldest first (paged by Forge's 100-row limit). */
  listSuggestions(issueKey: string): Promise<Suggestion[]>;
  deleteSuggestion(issueKey: string, key: string): Promise<void>;
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
   * Closed accounts, erased from all app storage (ADR 0021, `eraseAccountsEverywhere`): their pseudonyms
   * go at once (the hash chain names people only by pseudonym, so the chain is unchanged and still
   * verifies); then one pass, checkpointed, rewrites or deletes every row, value and charter naming
   * them and re-hashes a chain from before pseudonyms. With no accounts, carries on a pass that ran out
   * of time. `complete` once no account waits.
   */
  eraseAccounts(accountIds: string[], stillHasTime: () => boolean): Promise<ErasureResult>;
  /**
   * `value` (chain entries, records) with each pseudonym replaced by the account id it stands for, or
   * `closed-account` once that account was erased. For people reading the chain; verify the stored form.
   */
  namePeople<T>(value: T): Promise<T>;
  /** `ttl`: the value expires that long after this write (see RETENTION). */
  putJson(
    key: string,
    value: unknown,
    opts?: { ttl?: { value: number; unit: 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS' } },
  ): Promise<void>;
  /**
   * Deletes everything app storage holds about one issue: its suggestions, the effect ledger of the
   * decisions its audit rows name, its audit rows and hash chain, its due row and `json:` records under
   * `jsonKeys`. Page by page; stops when `stillHasTime` says no, answering `complete: false` (run it
   * again: every step is a delete of what is left).
   */
  purgeIssue(
    issueKey: string,
    opts: { jsonKeys: readonly string[]; stillHasTime: () => boolean },
  ): Promise<{ complete: boolean; deleted: number }>;
  getJson(key: string): Promise<unknown>;
  deleteJson(key: string): Promise<void>;
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
      forgetScope(); // events in this runtime read the new scope at once
      return next;
    },
    async getCursor() {
      return parse(WatchdogCursorSchema, await kvs.get('watchdog:cursor')) ?? { since: null, checkpoint: null };
    },
    async setCursor(c) {
      await kvs.set('watchdog:cursor', { since: c.since, checkpoint: CheckpointSchema.nullable().parse(c.checkpoint) });
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
      const r = await eraseAccountsEverywhere(accountIds, {
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
      if (r.charters.length > 0) forgetScope(); // a charter may have changed: events in this runtime read it again
      return r;
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
