import { kvs, Sort, WhereConditions } from '@forge/kvs';
import { AuditEntrySchema as ChainEntrySchema, nextAuditEntry } from '@baton/core';
import type { AuditEntry as ChainEntry } from '@baton/core';
import * as z from 'zod';
import { AuditEntrySchema } from '../contracts/audit.ts';
import type { AuditEntry } from '../contracts/audit.ts';
import type { AuditLog } from '../ports/audit-log.ts';
import { CLOSED_ACCOUNT } from '../ports/personal-data-store.ts';
import { peopleOf, PSEUDONYM_PATTERN, replaceIn } from './pseudonyms.ts';
import type { Pseudonyms } from './pseudonyms.ts';
import { pad, parseStored, safeKey } from './storage-keys.ts';

/** The `audit` custom entity (manifest.yml), keyed `<seconds>:<row id>`, with its `by-*` indexes. */
export const auditEntity = () => kvs.entity<AuditEntry>('audit');
export const chainSlot = (issueKey: string, seq: number): string => safeKey(`chain:${pad(seq)}:`, issueKey);
export const chainHeadKey = (issueKey: string): string => safeKey('chainhead:', issueKey);

/** Every row carries its project (the `by-project` index needs it; rows written before it get it when rewritten). */
const withProject = (e: AuditEntry): AuditEntry => ({
  ...e,
  projectKey: e.projectKey ?? e.issueKey.split('-')[0] ?? '',
});

/**
 * The audit in KVS: rows in the `audit` entity, and each issue's hash chain at `chain:<seq>:<issue>` with a
 * head hint at `chainhead:<issue>`. People are written into the chain as pseudonyms (ADR 0021); every
 * account a row names is listed (`listAccount`) for the personal-data report.
 */
export function createKvsAuditLog(deps: {
  pseudonyms: Pseudonyms;
  listAccount: (accountId: string, at: number) => Promise<void>;
}): AuditLog {
  const audit = auditEntity();
  const { pseudonyms } = deps;
  return {
    async appendAudit(e) {
      await audit.set(safeKey(`${pad(Math.floor(e.at / 1000))}:`, e.id), withProject(AuditEntrySchema.parse(e)));
      // Every account id the app keeps is listed once, for the weekly personal-data report.
      if (e.actor !== 'app' && e.actor !== CLOSED_ACCOUNT) await deps.listAccount(e.actor, e.at);
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
      const slot = (seq: number): string => chainSlot(issueKey, seq);
      const headKey = chainHeadKey(issueKey);
      let seq =
        z
          .number()
          .int()
          .optional()
          .parse(await kvs.get(headKey)) ?? -1;
      for (;;) {
        // The head is a hint: walk forward to the first free slot.
        let prev = seq < 0 ? undefined : parseStored(ChainEntrySchema, await kvs.get(slot(seq)));
        for (;;) {
          const next = parseStored(ChainEntrySchema, await kvs.get(slot(seq + 1)));
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
        const e = parseStored(ChainEntrySchema, await kvs.get(chainSlot(issueKey, seq)));
        if (e === undefined) return out;
        out.push(e);
      }
    },
    async namePeople(value) {
      const tokens = new Set(JSON.stringify(value).match(PSEUDONYM_PATTERN) ?? []);
      const names = new Map<string, string>();
      for (const t of tokens) names.set(t, (await pseudonyms.meaningOf(t)) ?? CLOSED_ACCOUNT);
      return replaceIn(value, names);
    },
  };
}
