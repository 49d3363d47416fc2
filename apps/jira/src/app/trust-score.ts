import { PatternSchema, trustFromEvents } from '@baton/core';
import type { PatternTrust, TrustEvent } from '@baton/core';
import type { AuditEntry } from '../contracts/audit.ts';

export interface TrustScore {
  /** Accepted ÷ (accepted + overridden); null until a person has answered a suggestion. */
  acceptance: number | null;
  accepted: number;
  overridden: number;
  executed: number;
  overrideReasons: Record<string, number>;
  /** Decisions whose final action a person's change showed, how many differ, and the share (null while none). */
  finals: number;
  drifted: number;
  drift: number | null;
}

/**
 * An audit row as the facts core's trust score counts (`trustFromEvents`), as the issue's hash chain
 * records them (`audit-entry.ts`'s `chainRecords`): a decision when the agent decided (acted, suggested,
 * dropped, failed), then its outcome; a person's answer; a `final` row's drift.
 */
export function trustEventsOf(e: AuditEntry): TrustEvent[] {
  const pattern = PatternSchema.catch('router').parse(e.pattern);
  const decision: TrustEvent = { kind: 'decision', pattern };
  switch (e.outcome) {
    case 'executed':
      return e.actor === 'app'
        ? [decision, { kind: 'outcome', pattern, outcome: 'acted' }]
        : [{ kind: 'outcome', pattern, outcome: 'acted' }];
    case 'suggested':
      return [decision, { kind: 'outcome', pattern, outcome: 'suggested' }];
    case 'dropped':
    case 'failed':
      return [decision];
    case 'accepted':
      return [{ kind: 'outcome', pattern, outcome: 'accepted' }];
    case 'overridden':
      return [{ kind: 'outcome', pattern, outcome: 'overridden', reason: e.overrideReason?.code ?? 'other' }];
    case 'final':
      return e.final === undefined
        ? []
        : [{ kind: 'final', pattern, drifted: e.final.drifted, afterAct: e.final.afterAct }];
    default:
      return [];
  }
}

/** Core's per-pattern trust summed over patterns (the audit log's one-line summary). */
export function sumTrust(byPattern: Readonly<Partial<Record<string, PatternTrust>>>): TrustScore {
  const total: TrustScore = {
    acceptance: null,
    accepted: 0,
    overridden: 0,
    executed: 0,
    overrideReasons: {},
    finals: 0,
    drifted: 0,
    drift: null,
  };
  for (const t of Object.values(byPattern)) {
    if (t === undefined) continue;
    total.accepted += t.accepted;
    total.overridden += t.overridden;
    total.executed += t.acted;
    total.finals += t.finals;
    total.drifted += t.drifted;
    for (const [code, n] of Object.entries(t.overrideReasons))
      total.overrideReasons[code] = (total.overrideReasons[code] ?? 0) + n;
  }
  const answered = total.accepted + total.overridden;
  return {
    ...total,
    acceptance: answered === 0 ? null : total.accepted / answered,
    drift: total.finals === 0 ? null : total.drifted / total.finals,
  };
}

/**
 * The trust figures of some audit rows, counted by core's `trustFromEvents` (per pattern) and summed over
 * patterns: how often people agree with the agent, why they don't (override reasons by code), and how
 * often what was finally done differs from what the agent did or proposed (drift).
 */
export function trustScore(entries: readonly AuditEntry[]): TrustScore {
  return sumTrust(trustFromEvents(entries.flatMap(trustEventsOf)));
}
