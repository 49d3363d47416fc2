import { randomBytes } from 'node:crypto';
import { traitsOf } from '@baton/core';
import type { AuditRecord } from '@baton/core';
import { kvs, WhereConditions } from '@forge/kvs';
import * as z from 'zod';
import { QUERY_PAGE, safeKey } from './storage-keys.ts';

/**
 * Pseudonyms for the people the hash chain names (ADR 0021). The chain is hashed and append-only, so
 * an account id written into it could never be erased without breaking verification. Instead, each
 * person the chain names is written there as a random token (`acct_` and 20 hex digits), and the
 * token's meaning is kept beside the chain: `pseudonym:id:<account id>` → token and
 * `pseudonym:token:<token>` → account id. Erasing an account deletes its pair: the chain keeps
 * verifying, and nothing left in storage leads from the token back to the person.
 *
 * A chat user id (`via.userId`, a Slack member id) is the same person seen from another system: its
 * pseudonym is owned by the Jira account (`pseudonym:owner:<account id>:<token>`) and goes with it.
 */
export const PSEUDONYM_PATTERN = /acct_[0-9a-f]{20}/g;

const ID_PREFIX = 'pseudonym:id:';
const TOKEN_PREFIX = 'pseudonym:token:';
const ownerPrefix = (owner: string): string => safeKey('pseudonym:owner:', `${owner}:`);
const PairSchema = z.object({ token: z.string(), owner: z.string().optional() });
const MeaningSchema = z.object({ id: z.string(), owner: z.string().optional() });

/** A person the record names: a Jira account, or (with `owner`) a chat user id of that account. */
export interface Person {
  id: string;
  owner?: string;
}

/** Ids that name no person: the app itself and what erasure leaves behind. */
const NOBODY = new Set(['app', 'closed-account']);

/**
 * The people a chain record names, found by what core says about its fields: each action's recipient
 * (`traitsOf(action).recipient`: the assignee, the person nudged, asked or escalated to), who answered
 * (`by`), and the chat user they answered as (`via.userId`, owned by `by`).
 */
export function peopleOf(record: AuditRecord): Person[] {
  const out = new Map<string, Person>();
  const add = (p: Person): void => {
    if (p.id.length >= 3 && !NOBODY.has(p.id) && !out.has(p.id)) out.set(p.id, p);
  };
  const actions = record.type === 'decision' ? record.decision.actions : (record.finalActions ?? []);
  for (const a of actions) {
    const to = traitsOf(a).recipient;
    if (to !== null) add({ id: to });
  }
  if (record.type !== 'decision' && record.by !== undefined) {
    add({ id: record.by });
    if (record.type === 'outcome' && record.via !== undefined) add({ id: record.via.userId, owner: record.by });
  }
  return [...out.values()];
}

/** `value` with every occurrence of each key of `names` in its strings replaced by the name's value. */
export function replaceIn<T>(value: T, names: ReadonlyMap<string, string>): T {
  if (names.size === 0) return value;
  // Longest first, so an id that contains another is replaced whole.
  const order = [...names.keys()].sort((a, b) => b.length - a.length);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return order.reduce((s, id) => s.split(id).join(names.get(id) as string), v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

export interface Pseudonyms {
  /** The person's token, made (and the account listed for the personal-data report) the first time. */
  tokenFor(p: Person, at: number): Promise<string>;
  /** What a token stands for; undefined once the person was erased. */
  meaningOf(token: string): Promise<string | undefined>;
  /** Deletes the account's pseudonym and those of the chat users it owns. */
  erase(accountId: string): Promise<void>;
}

/**
 * The pseudonym store. `listAccount` is called once per new Jira account (the personal-data report's
 * listing). Tokens are remembered for the life of this object (one invocation).
 */
export function createPseudonyms(listAccount: (accountId: string, at: number) => Promise<void>): Pseudonyms {
  const known = new Map<string, string>();
  const existing = async (id: string): Promise<string | undefined> => {
    const pair = PairSchema.safeParse(await kvs.get(safeKey(ID_PREFIX, id)));
    return pair.success ? pair.data.token : undefined;
  };
  const dropToken = async (token: string): Promise<void> => {
    if ((await kvs.get(TOKEN_PREFIX + token)) !== undefined) await kvs.delete(TOKEN_PREFIX + token);
  };
  return {
    async tokenFor(p, at) {
      const hit = known.get(p.id) ?? (await existing(p.id));
      if (hit !== undefined) {
        known.set(p.id, hit);
        return hit;
      }
      const token = `acct_${randomBytes(10).toString('hex')}`;
      const owner = p.owner === undefined ? {} : { owner: p.owner };
      // The token's meaning first: a pair is never visible without it.
      await kvs.set(TOKEN_PREFIX + token, { id: p.id, ...owner });
      try {
        // The id's slot decides between two invocations naming the same new person at once.
        await kvs.set(safeKey(ID_PREFIX, p.id), { token, ...owner }, { keyPolicy: 'FAIL_IF_EXISTS' });
      } catch (e) {
        const theirs = await existing(p.id);
        if (theirs === undefined) throw e;
        await dropToken(token);
        known.set(p.id, theirs);
        return theirs;
      }
      if (p.owner !== undefined) await kvs.set(ownerPrefix(p.owner) + token, 1);
      else await listAccount(p.id, at);
      known.set(p.id, token);
      return token;
    },
    async meaningOf(token) {
      const m = MeaningSchema.safeParse(await kvs.get(TOKEN_PREFIX + token));
      return m.success ? m.data.id : undefined;
    },
    async erase(accountId) {
      known.clear();
      // The chat users the account owns, then the account's own pair.
      for (;;) {
        const page = await kvs
          .query()
          .where('key', WhereConditions.beginsWith(ownerPrefix(accountId)))
          .limit(QUERY_PAGE)
          .getMany();
        if (page.results.length === 0) break;
        for (const r of page.results) {
          const token = r.key.slice(ownerPrefix(accountId).length);
          const meaning = MeaningSchema.safeParse(await kvs.get(TOKEN_PREFIX + token));
          if (meaning.success && (await kvs.get(safeKey(ID_PREFIX, meaning.data.id))) !== undefined)
            await kvs.delete(safeKey(ID_PREFIX, meaning.data.id));
          await dropToken(token);
          await kvs.delete(r.key);
        }
      }
      const token = await existing(accountId);
      if (token !== undefined) {
        await dropToken(token);
        await kvs.delete(safeKey(ID_PREFIX, accountId));
      }
    },
  };
}
