import * as z from 'zod';
import { hmacSha256Hex, sha256Hex } from '../text/sha256.ts';
import { fail, ok, type Issue, type Result } from '../result.ts';
import { ActionSchema, traitsOf, type Action } from './action.ts';
import { DecisionSchema, PatternSchema, type Pattern } from './decision.ts';

/**
 * The audit log: every decision and what became of it, append-only and hash-chained (each entry's
 * hash covers every field of the entry as stored, the previous entry's hash included, so that an
 * edited, added, missing or reordered field or entry breaks verification). The chain alone cannot
 * show that entries were cut from its end, or that it was recomputed after an edit: a seal
 * (`sealAudit`: the count and the head hash, signed with an HMAC key when one is given) kept apart
 * from the log, or signed, can. Storage is the caller's (a Forge KVS entity, a file).
 */
export const OUTCOMES = ['acted', 'suggested', 'accepted', 'overridden', 'expired'] as const;
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

export const AuditRecordSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('decision'), decision: DecisionSchema }),
  z.object({
    type: z.literal('outcome'),
    decisionId: z.string().min(1),
    pattern: PatternSchema,
    outcome: OutcomeSchema,
    /** Who accepted or overrode it. */
    by: z.string().optional(),
    /** Required for `overridden`: why the person chose otherwise. */
    reason: z.string().optional(),
    /** What was finally done instead (for the drift between suggestion and final action). */
    finalActions: z.array(ActionSchema).optional(),
    /** The person's own words beside a reason code (an override's free text). */
    note: z.string().optional(),
    /** Where the person answered when not in the system of record itself: a chat surface and its user id. */
    via: z.object({ surface: z.string().min(1), userId: z.string().min(1) }).optional(),
  }),
  /**
   * What a person finally did about a decision, seen after the fact: the field it set, changed by hand
   * after the agent acted (an assignment undone or given to someone else) or after the suggestion was
   * overridden. Compared with the decision's actions, it is the trust score's drift.
   */
  z.object({
    type: z.literal('final'),
    decisionId: z.string().min(1),
    pattern: PatternSchema,
    by: z.string().optional(),
    finalActions: z.array(ActionSchema).min(1),
  }),
]);
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

export const AuditEntrySchema = z.object({
  seq: z.number().int().min(0),
  at: z.number().int(),
  record: AuditRecordSchema,
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted: the same content always hashes the same. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** The hash of an entry: every field of it as stored, except `hash` itself. */
function hashOf(entry: Readonly<Record<string, unknown>>): string {
  const content: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(entry)) if (key !== 'hash') content[key] = entry[key];
  return sha256Hex(canonical(content));
}

/**
 * The entry that follows `log` (the log itself is not changed: append it where you store it).
 * @example const entry = nextAuditEntry(log, { type: 'decision', decision }, now);
 */
export function nextAuditEntry(log: readonly AuditEntry[], record: AuditRecord, at: number): AuditEntry {
  const prev = log[log.length - 1];
  const seq = prev === undefined ? 0 : prev.seq + 1;
  const prevHash = prev === undefined ? GENESIS_HASH : prev.hash;
  return { seq, at, record, prevHash, hash: hashOf({ seq, at, record, prevHash }) };
}

/** A new log with `record` appended. */
export function appendAudit(log: readonly AuditEntry[], record: AuditRecord, at: number): AuditEntry[] {
  return [...log, nextAuditEntry(log, record, at)];
}

/** Where a chain stands after some entries: the next `seq` and the hash the next entry must link to. */
export interface AuditPosition {
  readonly seq: number;
  readonly hash: string;
}

/**
 * Checks the chain: each hash matches its content, each entry links to the one before, in sequence.
 * `from` continues a check where an earlier part of the same log ended (a long log checked in
 * chunks); issue paths index into `log`.
 */
export function verifyAudit(
  log: readonly AuditEntry[],
  from: AuditPosition = { seq: 0, hash: GENESIS_HASH },
): Result<{ readonly count: number; readonly head: string }> {
  const issues: Issue[] = [];
  let prevHash = from.hash;
  log.forEach((e, index) => {
    const i = from.seq + index;
    if (e.seq !== i)
      issues.push({
        code: 'audit.sequence',
        path: [index, 'seq'],
        message: `expected entry ${i}, found ${e.seq} (missing or reordered entries)`,
      });
    if (e.prevHash !== prevHash)
      issues.push({
        code: 'audit.chain',
        path: [index, 'prevHash'],
        message: 'does not link to the previous entry (missing or reordered entries)',
      });
    if (hashOf(e) !== e.hash)
      issues.push({
        code: 'audit.edited',
        path: [index, 'hash'],
        message: 'content does not match its hash (the entry was edited)',
      });
    prevHash = e.hash;
  });
  return issues.length > 0 ? fail(...issues) : ok({ count: log.length, head: prevHash });
}

/**
 * Where a whole log ends: its entry count and head hash, with an HMAC-SHA-256 over both when the
 * log is sealed with a key. Kept or printed apart from the log (or signed), it shows a log that was
 * cut short or recomputed after an edit, which the chain alone cannot.
 */
export const AuditSealSchema = z.strictObject({
  entries: z.number().int().min(0),
  head: z.string().regex(/^[0-9a-f]{64}$/, { message: 'expected a SHA-256 hash (64 hex digits)' }),
  mac: z
    .string()
    .regex(/^[0-9a-f]{64}$/, { message: 'expected an HMAC-SHA-256 (64 hex digits)' })
    .optional(),
});
export type AuditSeal = z.infer<typeof AuditSealSchema>;

const sealMac = (key: string, entries: number, head: string): string =>
  hmacSha256Hex(key, `baton-audit-seal/v1\n${entries}\n${head}`);

/**
 * The seal of a log whose verification (`verifyAudit`) ended at `end`; signed when `key` is given.
 * @example sealAudit({ count: 3, head }, secret) // { entries: 3, head, mac }
 */
export function sealAudit(end: { readonly count: number; readonly head: string }, key?: string): AuditSeal {
  return key === undefined
    ? { entries: end.count, head: end.head }
    : { entries: end.count, head: end.head, mac: sealMac(key, end.count, end.head) };
}

/**
 * Checks a verified log's end against its seal and what the caller knows apart from the log: the
 * head it was told (`expectedHead`) and the HMAC key. With the head or the key, a log cut short
 * (even to its first entry) or recomputed after an edit fails, and so does a log without a seal;
 * with neither, only a seal that does not match the log does.
 */
export function checkAuditSeal(
  end: { readonly count: number; readonly head: string },
  seal: AuditSeal | undefined,
  known: { readonly expectedHead?: string; readonly key?: string } = {},
): Issue[] {
  const issues: Issue[] = [];
  const issue = (code: string, message: string) => issues.push({ code, path: ['seal'], message });
  if (known.expectedHead !== undefined && known.expectedHead.toLowerCase() !== end.head)
    issue(
      'audit.head',
      `the log ends at ${end.head.slice(0, 16)}… after ${end.count} entries, not at the head given (${known.expectedHead.slice(0, 16)}…): entries were cut, added or recomputed`,
    );
  if (seal === undefined) {
    if (known.key !== undefined || known.expectedHead !== undefined)
      issue('audit.unsealed', 'no seal: the log may have been cut short');
    return issues;
  }
  if (seal.entries !== end.count || seal.head !== end.head)
    issue(
      'audit.seal',
      `the seal says ${seal.entries} entries ending at ${seal.head.slice(0, 16)}…, the log has ${end.count} ending at ${end.head.slice(0, 16)}…: entries were cut or added`,
    );
  if (known.key !== undefined) {
    if (seal.mac === undefined) issue('audit.unsigned', 'the seal is not signed, but a key was given');
    else if (seal.mac !== sealMac(known.key, seal.entries, seal.head))
      issue('audit.signature', 'the seal is not signed with this key: the log was recomputed, or the key is another');
  }
  return issues;
}

export interface PatternTrust {
  readonly decisions: number;
  readonly acted: number;
  readonly suggested: number;
  readonly accepted: number;
  readonly overridden: number;
  readonly expired: number;
  /** accepted / (accepted + overridden + expired); null before any suggestion was resolved. */
  readonly acceptanceRate: number | null;
  readonly overrideReasons: Readonly<Record<string, number>>;
  /** Decisions whose final action is known (an override with what was done instead, or a person's later change). */
  readonly finals: number;
  /** Of those, how many ended otherwise than the decision said. */
  readonly drifted: number;
  /** Decisions the agent carried out that a person then changed by hand. */
  readonly changedAfterAct: number;
  /** drifted / finals: how often the final action differs from the agent's; null while no final action is known. */
  readonly drift: number | null;
}

/**
 * One fact the trust score counts, whatever log it came from: a decision made, an outcome, or a final
 * action compared with the decision (`drifted`; `afterAct` when the agent had carried it out). A store
 * that keeps its own rows (an app's audit entity) maps them to these and counts with `trustFromEvents`,
 * so every surface computes trust the same way.
 */
export type TrustEvent =
  | { readonly kind: 'decision'; readonly pattern: Pattern }
  | { readonly kind: 'outcome'; readonly pattern: Pattern; readonly outcome: Outcome; readonly reason?: string }
  | { readonly kind: 'final'; readonly pattern: Pattern; readonly drifted: boolean; readonly afterAct: boolean };

/** Whether a final action differs from the decision's (compared by what each action does, in any order). */
export function actionsDrift(decided: readonly Action[], final: readonly Action[]): boolean {
  return signature(final) !== signature(decided);
}

const signature = (actions: readonly Action[]): string =>
  actions
    .map((a) => traitsOf(a).summary)
    .sort()
    .join(' | ');

interface TrustCounts {
  decisions: number;
  acted: number;
  suggested: number;
  accepted: number;
  overridden: number;
  expired: number;
  reasons: Record<string, number>;
  finals: number;
  drifted: number;
  changedAfterAct: number;
}

/** The trust score per pattern from trust events (`trustScore` for a hash-chained log). */
export function trustFromEvents(events: Iterable<TrustEvent>): Readonly<Partial<Record<Pattern, PatternTrust>>> {
  const acc = new Map<Pattern, TrustCounts>();
  const of = (p: Pattern): TrustCounts => {
    let a = acc.get(p);
    if (a === undefined) {
      a = {
        decisions: 0,
        acted: 0,
        suggested: 0,
        accepted: 0,
        overridden: 0,
        expired: 0,
        reasons: {},
        finals: 0,
        drifted: 0,
        changedAfterAct: 0,
      };
      acc.set(p, a);
    }
    return a;
  };
  for (const e of events) {
    const a = of(e.pattern);
    if (e.kind === 'decision') a.decisions++;
    else if (e.kind === 'final') {
      a.finals++;
      if (e.drifted) a.drifted++;
      if (e.afterAct && e.drifted) a.changedAfterAct++;
    } else {
      a[e.outcome]++;
      if (e.outcome !== 'overridden') continue;
      const reason = e.reason?.trim() || 'no reason given';
      a.reasons[reason] = (a.reasons[reason] ?? 0) + 1;
    }
  }
  const out: Partial<Record<Pattern, PatternTrust>> = {};
  for (const [p, a] of acc) {
    const resolved = a.accepted + a.overridden + a.expired;
    out[p] = {
      decisions: a.decisions,
      acted: a.acted,
      suggested: a.suggested,
      accepted: a.accepted,
      overridden: a.overridden,
      expired: a.expired,
      acceptanceRate: resolved === 0 ? null : a.accepted / resolved,
      overrideReasons: a.reasons,
      finals: a.finals,
      drifted: a.drifted,
      changedAfterAct: a.changedAfterAct,
      drift: a.finals === 0 ? null : a.drifted / a.finals,
    };
  }
  return out;
}

/**
 * The trust score per pattern, from the audit log: decisions, outcomes, override reasons, and drift
 * (an override that says what was done instead, or a `final` record of a person's later change).
 */
export function trustScore(log: readonly AuditEntry[]): Readonly<Partial<Record<Pattern, PatternTrust>>> {
  const decided = new Map<string, readonly Action[]>();
  const acted = new Set<string>();
  const events: TrustEvent[] = [];
  for (const { record } of log) {
    if (record.type === 'decision') {
      decided.set(record.decision.id, record.decision.actions);
      events.push({ kind: 'decision', pattern: record.decision.pattern });
      continue;
    }
    const actions = decided.get(record.decisionId);
    if (record.type === 'final') {
      if (actions !== undefined)
        events.push({
          kind: 'final',
          pattern: record.pattern,
          drifted: actionsDrift(actions, record.finalActions),
          afterAct: acted.has(record.decisionId),
        });
      continue;
    }
    if (record.outcome === 'acted') acted.add(record.decisionId);
    events.push({
      kind: 'outcome',
      pattern: record.pattern,
      outcome: record.outcome,
      ...(record.reason === undefined ? {} : { reason: record.reason }),
    });
    if (record.outcome === 'overridden' && record.finalActions !== undefined && actions !== undefined)
      events.push({
        kind: 'final',
        pattern: record.pattern,
        drifted: actionsDrift(actions, record.finalActions),
        afterAct: false,
      });
  }
  return trustFromEvents(events);
}
