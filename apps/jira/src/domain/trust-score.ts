import { PatternSchema, trustScore as coreTrustScore } from '@baton/core';
import type { AuditEntry as ChainEntry, Outcome as CoreOutcome } from '@baton/core';
import type { AuditEntry, Outcome } from '../contracts/audit.ts';

export interface TrustScore {
  /** Accepted ÷ (accepted + overridden); null until a person has answered a suggestion. */
  acceptance: number | null;
  accepted: number;
  overridden: number;
  executed: number;
  overrideReasons: Record<string, number>;
}

const CORE_OUTCOME: Partial<Record<Outcome, CoreOutcome>> = {
  executed: 'acted',
  suggested: 'suggested',
  accepted: 'accepted',
  overridden: 'overridden',
};

/**
 * The trust figures from the app's audit rows, counted by core's `trustScore` (per pattern) and
 * summed over patterns for the admin page: how often people agree with the agent, and why they
 * don't (override reasons by code).
 */
export function trustScore(entries: readonly AuditEntry[]): TrustScore {
  const log: ChainEntry[] = entries.flatMap((e, seq) => {
    const outcome = CORE_OUTCOME[e.outcome];
    if (outcome === undefined) return [];
    const pattern = PatternSchema.catch('router').parse(e.pattern);
    const reason = e.outcome === 'overridden' ? (e.overrideReason?.code ?? 'other') : undefined;
    // Only the records are read: these are not chain entries, so there is nothing to hash.
    return [
      {
        seq,
        at: e.at,
        prevHash: '',
        hash: '',
        record: {
          type: 'outcome' as const,
          decisionId: e.decisionKey,
          pattern,
          outcome,
          ...(reason === undefined ? {} : { reason }),
        },
      },
    ];
  });
  const total: TrustScore = { acceptance: null, accepted: 0, overridden: 0, executed: 0, overrideReasons: {} };
  for (const t of Object.values(coreTrustScore(log))) {
    total.accepted += t.accepted;
    total.overridden += t.overridden;
    total.executed += t.acted;
    for (const [code, n] of Object.entries(t.overrideReasons))
      total.overrideReasons[code] = (total.overrideReasons[code] ?? 0) + n;
  }
  const answered = total.accepted + total.overridden;
  return { ...total, acceptance: answered === 0 ? null : total.accepted / answered };
}
