import type { AuditRecord, Decision, Disposition } from '@baton/core';
import type { AuditEntry, Outcome } from '../contracts/audit.ts';
import { kindsOf } from './jira-proposal.ts';
import type { AuditLog } from '../ports/audit-log.ts';
import type { RecordStore } from '../ports/record-store.ts';
import { watchForFinalAction } from './final-actions.ts';

/** One audit row for a decision's outcome. Ids are derived, so writing the same outcome twice overwrites. */
export function auditEntry(
  d: Decision,
  outcome: Outcome,
  at: number,
  actor: string,
  extra: Partial<AuditEntry> = {},
): AuditEntry {
  return {
    id: `${d.id}#${outcome}`,
    decisionKey: d.id,
    issueKey: d.caseId,
    projectKey: d.caseId.split('-')[0] as string,
    rule: d.rule,
    ...(d.source === undefined ? {} : { source: d.source }),
    at,
    pattern: d.pattern,
    kind: kindsOf(d),
    outcome,
    reason: d.reason,
    actor,
    confidence: d.confidence,
    ...extra,
  };
}

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** An outcome the app found rather than the gate decided (Jira refused, the priority was already higher): its disposition and rule text. */
const APP_OUTCOME: Partial<Record<Outcome, { disposition: Disposition; rule: string }>> = {
  dropped: { disposition: 'drop', rule: 'app.dropped' },
  failed: { disposition: 'act', rule: 'app.failed' },
};

/**
 * The decision as core's audit log records it. The gate's own (what the app did, suggested or
 * dropped because the charter said so) is core's decision as it is, its rule as data in `because`.
 * An outcome the gate did not decide has no gate rule: the decision with the app's disposition, and
 * its text says what the app found (`app.failed`, `app.dropped`).
 */
function chainDecision(d: Decision, outcome: Outcome, byGate: boolean): Decision | undefined {
  if (byGate) return d;
  const found = APP_OUTCOME[outcome];
  if (found === undefined) return undefined;
  const { because: _gate, ...rest } = d;
  return { ...rest, disposition: found.disposition, dispositionRule: found.rule };
}

/** What core's log says for an app outcome: the decision when the agent decided, then what became of it. */
function chainRecords(
  d: Decision,
  outcome: Outcome,
  actor: string,
  extra: Partial<AuditEntry>,
  byGate: boolean,
): AuditRecord[] {
  const pattern = d.pattern;
  const key = d.id;
  const decision = chainDecision(d, outcome, byGate);
  // A person's accept executes too: the decision was logged when it was suggested.
  const records: AuditRecord[] = decision === undefined ? [] : [{ type: 'decision', decision }];
  if (outcome === 'executed') records.push({ type: 'outcome', decisionId: key, pattern, outcome: 'acted', by: actor });
  if (outcome === 'suggested') records.push({ type: 'outcome', decisionId: key, pattern, outcome: 'suggested' });
  // An answer given in chat names the chat user beside the Jira account (absent otherwise: older chains verify unchanged).
  const via = extra.via === undefined ? {} : { via: extra.via };
  if (outcome === 'accepted')
    records.push({ type: 'outcome', decisionId: key, pattern, outcome: 'accepted', by: actor, ...via });
  if (outcome === 'overridden') {
    const r = extra.overrideReason;
    records.push({
      type: 'outcome',
      decisionId: key,
      pattern,
      outcome: 'overridden',
      by: actor,
      // The code is the reason; a person's words go beside it (core's `note`, ADR 0019), never into the code.
      reason: r?.code ?? 'other',
      ...(r === undefined || r.text === '' ? {} : { note: r.text }),
      ...via,
    });
  }
  return records;
}

/**
 * Records an outcome twice over: in the issue's hash chain (core's `AuditRecord`s, tamper-evident,
 * verified with `verifyAudit`) and as a row of the `audit` entity that the admin page queries by
 * issue, time and outcome. The row points at its chain entry.
 */
export async function recordAudit(
  storage: AuditLog & RecordStore,
  d: Decision,
  outcome: Outcome,
  at: number,
  actor: string,
  extra: Partial<AuditEntry> = {},
  /** The gate made this outcome (acted, suggested, dropped): core's decision goes to the chain as it is. */
  byGate = false,
): Promise<AuditEntry> {
  let chain: AuditEntry['chain'];
  for (const record of chainRecords(d, outcome, actor, extra, byGate)) {
    const e = await storage.appendChain(d.caseId, record, at);
    chain = { seq: e.seq, hash: e.hash };
  }
  const row = auditEntry(d, outcome, at, actor, chain === undefined ? extra : { ...extra, chain });
  await storage.appendAudit(row);
  // What the agent did, or a person overrode, is watched for a while: a person's later change is its final action.
  await watchForFinalAction(storage, d, outcome, at);
  return row;
}
