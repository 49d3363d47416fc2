import type { AuditEntry, Outcome } from '../contracts/audit.ts';
import type { AppDecision } from '../domain/decision.ts';

/** One audit row for a decision's outcome. Ids are derived, so writing the same outcome twice overwrites. */
export function auditEntry(d: AppDecision, outcome: Outcome, at: number, actor: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: `${d.key}#${outcome}`,
    decisionKey: d.key,
    issueKey: d.issueKey,
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
