import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  AuditEntrySchema,
  AuditSealSchema,
  checkAuditSeal,
  sealAudit,
  type AuditSeal,
  formatIssue,
  GENESIS_HASH,
  nextAuditEntry,
  verifyAudit,
  type AuditEntry,
  type AuditPosition,
  type Decision,
} from '@baton/core';

/**
 * The replay's audit log is core's hash-chained audit (the one the Forge app keeps per issue), one
 * JSON entry per line: `{ seq, at, record: { type: 'decision', decision }, prevHash, hash }`, each
 * hash covering every field of its line. The last line is the seal, `{ "seal": { entries, head,
 * mac? } }` (core's `sealAudit`; `mac` with `--key-env`), so that a file cut short or recomputed
 * fails verification when the head or the key is known. A replay carries nothing out, so there
 * are no outcome entries: the decision's disposition says what the agent would have done.
 */
export interface ReplayAudit {
  /** The JSONL line of the next entry for `decision`. */
  line(decision: Decision): string;
  /** The JSONL line of the seal, written last. */
  sealLine(): string;
  /** The hash of the last entry (the genesis hash before any). */
  readonly head: string;
  readonly count: number;
}

/** Starts a chain at the genesis hash; the seal is signed with `key` when one is given. */
export function createReplayAudit(key?: string): ReplayAudit {
  // Only the last entry matters for the next one: keep one, not the whole log.
  let last: AuditEntry[] = [];
  let count = 0;
  const head = () => last[0]?.hash ?? GENESIS_HASH;
  return {
    line(decision) {
      const entry = nextAuditEntry(last, { type: 'decision', decision }, decision.at);
      last = [entry];
      count++;
      return `${JSON.stringify(entry)}\n`;
    },
    sealLine() {
      return `${JSON.stringify({ seal: sealAudit({ count, head: head() }, key) })}\n`;
    },
    get head() {
      return head();
    },
    get count() {
      return count;
    },
  };
}

export type AuditCheck =
  | {
      readonly ok: true;
      readonly entries: number;
      readonly head: string;
      /** `signed`: a seal whose HMAC the key checked; `sealed`: a seal without a key to check it; `none`: no seal. */
      readonly seal: 'signed' | 'sealed' | 'none';
    }
  | { readonly ok: false; readonly line: number; readonly problem: string };

/** What the caller knows apart from the file: the head it was told, the HMAC key. */
export interface AuditKnown {
  readonly expectedHead?: string;
  readonly key?: string;
}

const CHUNK = 5_000;
/** A line longer than this is no audit entry (a decision is a few kilobytes). */
const MAX_LINE = 1 << 20;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Verifies an audit log line by line with core's `verifyAudit`, in chunks so that a replay of
 * hundreds of thousands of decisions is never held in memory at once, then its seal with core's
 * `checkAuditSeal`. Each line is checked against core's schema first (a line that is not an audit
 * entry is named with what is wrong), and the chain is verified over the lines as stored, so a
 * field the schema does not know still breaks its entry's hash.
 */
export async function verifyAuditLines(
  lines: AsyncIterable<string> | Iterable<string>,
  known: AuditKnown = {},
): Promise<AuditCheck> {
  let position: AuditPosition = { seq: 0, hash: GENESIS_HASH };
  let chunk: AuditEntry[] = [];
  let firstLine = 1;
  let lineNo = 0;
  let seal: AuditSeal | undefined;
  const flush = (): AuditCheck | null => {
    const r = verifyAudit(chunk, position);
    if (!r.ok) {
      const issue = r.issues[0]!;
      const index = typeof issue.path[0] === 'number' ? issue.path[0] : 0;
      return { ok: false, line: firstLine + index, problem: issue.message };
    }
    position = { seq: position.seq + chunk.length, hash: r.value.head };
    firstLine += chunk.length;
    chunk = [];
    return null;
  };
  for await (const text of lines) {
    lineNo++;
    if (seal !== undefined) return { ok: false, line: lineNo, problem: 'a line after the seal' };
    if (text === '') return { ok: false, line: lineNo, problem: 'empty line' };
    if (text.length > MAX_LINE) return { ok: false, line: lineNo, problem: `a line of ${text.length} characters` };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, line: lineNo, problem: 'not JSON' };
    }
    if (isObject(json) && Object.hasOwn(json, 'seal') && !Object.hasOwn(json, 'seq')) {
      const parsed = AuditSealSchema.safeParse(json['seal']);
      if (!parsed.success || Object.keys(json).length !== 1)
        return { ok: false, line: lineNo, problem: 'not a seal: expected { "seal": { entries, head, mac? } }' };
      const failed = flush();
      if (failed !== null) return failed;
      seal = parsed.data;
      continue;
    }
    const parsed = AuditEntrySchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return {
        ok: false,
        line: lineNo,
        problem: `not an audit entry: ${formatIssue({ code: 'audit.schema', path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))), message: issue.message })}`,
      };
    }
    // The line as stored, not zod's copy of it (which drops fields it does not know).
    chunk.push(json as AuditEntry);
    if (chunk.length === CHUNK) {
      const failed = flush();
      if (failed !== null) return failed;
    }
  }
  const failed = flush();
  if (failed !== null) return failed;
  const end = { count: position.seq, head: position.hash };
  const problems = checkAuditSeal(end, seal, known);
  if (problems.length > 0)
    return {
      ok: false,
      line: seal === undefined ? lineNo + 1 : lineNo,
      problem: problems.map((p) => p.message).join('; '),
    };
  return {
    ok: true,
    entries: end.count,
    head: end.head,
    seal: seal === undefined ? 'none' : known.key !== undefined ? 'signed' : 'sealed',
  };
}

/** Verifies an audit text (tests, small logs). A trailing newline is allowed. */
export function verifyReplayAudit(text: string, known: AuditKnown = {}): Promise<AuditCheck> {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return verifyAuditLines(text === '' ? [] : lines, known);
}

/** Verifies an audit file as it streams from disk. */
export function verifyAuditFile(path: string, known: AuditKnown = {}): Promise<AuditCheck> {
  return verifyAuditLines(createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity }), known);
}
