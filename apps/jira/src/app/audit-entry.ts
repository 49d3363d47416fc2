import { formatGateRule } from '@baton/core';
import type { AuditRecord, Decision, Disposition, GateRule } from '@baton/core';
import type { AuditEntry, Outcome } from '../contracts/audit.ts';
import { proposalFromApp, proposalOf } from '../domain/core-decision.ts';
import type { AppDecision } from '../domain/decision.ts';
import type { BatonStorage } from '../platform/baton-storage.ts';
import { watchForFinalAction } from './final-actions.ts';

/** One audit row for a decision's outcome. Ids are derived, so writing the same outcome twice overwrites. */
export function auditEntry(
  d: AppDecision,
  outcome: Outcome,
  at: number,
  actor: string,
  extra: Partial<AuditEntry> = {},
): AuditEntry {
  return {
    id: `${d.key}#${outcome}`,
    decisionKey: d.key,
    issueKey: d.issueKey,
    projectKey: d.issueKey.split('-')[0] as string,
    rule: d.core?.rule ?? `app.${d.kind}`,
    at,
    pattern: d.pattern,
    kind: d.kind,
    outcome,
    reason: d.reason,
    actor,
    confidence: d.confidence,
    ...extra,
  };
}

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const DISPOSITION: Partial<Record<Outcome, Disposition>> = {
  executed: 'act',
  suggested: 'suggest',
  dropped: 'drop',
  failed: 'act',
};

/**
 * The decision as core's audit log records it (the proposal, the gate's disposition and its rule as
 * data, `because`). An outcome the gate did not decide (Jira refused, the priority was already
 * higher) has no gate rule: its text says what the app found (`app.failed`, `app.dropped`).
 */
function coreDecision(
  d: AppDecision,
  disposition: Disposition,
  because: GateRule | undefined,
  outcome: Outcome,
  at: number,
): Decision {
  const p = d.core === undefined ? proposalFromApp(d, at) : proposalOf(d.core);
  return because === undefined
    ? { ...p, id: d.key, idempotencyKey: d.key, disposition, dispositionRule: `app.${outcome}` }
    : { ...p, id: d.key, idempotencyKey: d.key, disposition, dispositionRule: formatGateRule(because), because };
}

/** What core's log says for an app outcome: the decision when the agent decided, then what became of it. */
function chainRecords(
  d: AppDecision,
  outcome: Outcome,
  at: number,
  actor: string,
  extra: Partial<AuditEntry>,
  because: GateRule | undefined,
): AuditRecord[] {
  const pattern = d.pattern;
  const decided = DISPOSITION[outcome];
  // A person's accept executes too: the decision was logged when it was suggested.
  const records: AuditRecord[] =
    decided !== undefined && !(outcome === 'executed' && actor !== 'app')
      ? [{ type: 'decision', decision: coreDecision(d, decided, because, outcome, at) }]
      : [];
  if (outcome === 'executed')
    records.push({ type: 'outcome', decisionId: d.key, pattern, outcome: 'acted', by: actor });
  if (outcome === 'suggested') records.push({ type: 'outcome', decisionId: d.key, pattern, outcome: 'suggested' });
  // An answer given in chat names the chat user beside the Jira account (absent otherwise: older chains verify unchanged).
  const via = extra.via === undefined ? {} : { via: extra.via };
  if (outcome === 'accepted')
    records.push({ type: 'outcome', decisionId: d.key, pattern, outcome: 'accepted', by: actor, ...via });
  if (outcome === 'overridden') {
    const r = extra.overrideReason;
    records.push({
      type: 'outcome',
      decisionId: d.key,
      pattern,
      outcome: 'overridden',
      by: actor,
      reason: r === undefined ? 'other' : `${r.code}${r.text === '' ? '' : `: ${r.text}`}`,
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
  storage: BatonStorage,
  d: AppDecision,
  outcome: Outcome,
  at: number,
  actor: string,
  extra: Partial<AuditEntry> = {},
  because?: GateRule,
): Promise<AuditEntry> {
  let chain: AuditEntry['chain'];
  for (const record of chainRecords(d, outcome, at, actor, extra, because)) {
    const e = await storage.appendChain(d.issueKey, record, at);
    chain = { seq: e.seq, hash: e.hash };
  }
  const row = auditEntry(d, outcome, at, actor, chain === undefined ? extra : { ...extra, chain });
  await storage.appendAudit(row);
  // What the agent did, or a person overrode, is watched for a while: a person's later change is its final action.
  await watchForFinalAction(storage, d, outcome, at);
  return row;
}
