import { createHash } from 'node:crypto';
import type { Decision } from '@baton/core';

/**
 * The replay's audit log: one JSON line per decision, each carrying the hash of the line before it,
 * so that an edited, inserted or missing line breaks the chain (`verifyReplayAudit`).
 */
export interface ReplayAuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly decisionId: string;
  readonly caseId: string;
  readonly pattern: string;
  readonly rule: string;
  readonly disposition: string;
  readonly dispositionRule: string;
  /** What became of it in a replay: nothing is carried out, so acted means "would have acted". */
  readonly outcome: 'would-act' | 'suggested' | 'escalated' | 'dropped';
  readonly actions: readonly string[];
  readonly prevHash: string;
  readonly hash: string;
}

const OUTCOME = { act: 'would-act', suggest: 'suggested', escalate: 'escalated', drop: 'dropped' } as const;
export const GENESIS = '0'.repeat(64);

function hashOf(entry: Omit<ReplayAuditEntry, 'hash'>): string {
  return createHash('sha256').update(JSON.stringify(entry)).digest('hex');
}

/** Appends decisions to a chain; `line` gives the JSONL line of each. */
export function createReplayAudit(): { line(decision: Decision, actions: readonly string[]): string; readonly head: string } {
  let prevHash = GENESIS;
  let seq = 0;
  return {
    line(d, actions) {
      const body = {
        seq: ++seq,
        at: new Date(d.at).toISOString(),
        decisionId: d.id,
        caseId: d.caseId,
        pattern: d.pattern,
        rule: d.rule,
        disposition: d.disposition,
        dispositionRule: d.dispositionRule,
        outcome: OUTCOME[d.disposition],
        actions: [...actions],
        prevHash,
      };
      const hash = hashOf(body);
      prevHash = hash;
      return `${JSON.stringify({ ...body, hash })}\n`;
    },
    get head() {
      return prevHash;
    },
  };
}

/** Checks a replay audit log; returns the 1-based line of the first broken link, or null when intact. */
export function verifyReplayAudit(text: string): { ok: true; entries: number } | { ok: false; line: number; problem: string } {
  let prev = GENESIS;
  const lines = text.split('\n').filter((l) => l !== '');
  for (const [i, l] of lines.entries()) {
    let entry: ReplayAuditEntry;
    try {
      entry = JSON.parse(l) as ReplayAuditEntry;
    } catch {
      return { ok: false, line: i + 1, problem: 'not JSON' };
    }
    const { hash, ...body } = entry;
    if (body.prevHash !== prev) return { ok: false, line: i + 1, problem: 'previous hash does not match (a line is missing or reordered)' };
    if (body.seq !== i + 1) return { ok: false, line: i + 1, problem: `sequence ${body.seq}, expected ${i + 1}` };
    if (hashOf(body) !== hash) return { ok: false, line: i + 1, problem: 'hash does not match (the line was edited)' };
    prev = hash;
  }
  return { ok: true, entries: lines.length };
}
