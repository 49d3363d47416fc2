import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  AuditEntrySchema,
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
 * JSON entry per line: `{ seq, at, record: { type: 'decision', decision }, prevHash, hash }`. A
 * replay carries nothing out, so there are no outcome entries: the decision's disposition says
 * what the agent would have done.
 */
export interface ReplayAudit {
  /** The JSONL line of the next entry for `decision`. */
  line(decision: Decision): string;
  /** The hash of the last entry (the genesis hash before any). */
  readonly head: string;
  readonly count: number;
}

/** Starts a chain at the genesis hash. */
export function createReplayAudit(): ReplayAudit {
  // Only the last entry matters for the next one: keep one, not the whole log.
  let last: AuditEntry[] = [];
  let count = 0;
  return {
    line(decision) {
      const entry = nextAuditEntry(last, { type: 'decision', decision }, decision.at);
      last = [entry];
      count++;
      return `${JSON.stringify(entry)}\n`;
    },
    get head() {
      return last[0]?.hash ?? GENESIS_HASH;
    },
    get count() {
      return count;
    },
  };
}

export type AuditCheck =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | { readonly ok: false; readonly line: number; readonly problem: string };

const CHUNK = 5_000;

/**
 * Verifies an audit log line by line with core's `verifyAudit`, in chunks so that a replay of
 * hundreds of thousands of decisions is never held in memory at once. Each line is parsed with
 * core's schema first: a line that is not an audit entry is named with what is wrong.
 */
export async function verifyAuditLines(lines: AsyncIterable<string> | Iterable<string>): Promise<AuditCheck> {
  let position: AuditPosition = { seq: 0, hash: GENESIS_HASH };
  let chunk: AuditEntry[] = [];
  let firstLine = 1;
  let lineNo = 0;
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
    if (text === '') return { ok: false, line: lineNo, problem: 'empty line' };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, line: lineNo, problem: 'not JSON' };
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
    chunk.push(parsed.data);
    if (chunk.length === CHUNK) {
      const failed = flush();
      if (failed !== null) return failed;
    }
  }
  const failed = flush();
  if (failed !== null) return failed;
  return { ok: true, entries: position.seq, head: position.hash };
}

/** Verifies an audit text (tests, small logs). A trailing newline is allowed. */
export function verifyReplayAudit(text: string): Promise<AuditCheck> {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return verifyAuditLines(text === '' ? [] : lines);
}

/** Verifies an audit file as it streams from disk. */
export function verifyAuditFile(path: string): Promise<AuditCheck> {
  return verifyAuditLines(createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity }));
}
