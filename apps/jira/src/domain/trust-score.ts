import type { AuditEntry } from '../contracts/audit.ts';

export interface TrustScore {
  /** Accepted ÷ (accepted + overridden); null until a person has answered a suggestion. */
  acceptance: number | null;
  accepted: number;
  overridden: number;
  executed: number;
  overrideReasons: Record<string, number>;
}

/** The trust figures from the audit log: how often people agree with the agent, and why they don't. */
export function trustScore(entries: readonly AuditEntry[]): TrustScore {
  let accepted = 0;
  let overridden = 0;
  let executed = 0;
  const overrideReasons: Record<string, number> = {};
  for (const e of entries) {
    if (e.outcome === 'accepted') accepted++;
    if (e.outcome === 'executed') executed++;
    if (e.outcome === 'overridden') {
      overridden++;
      const code = e.overrideReason?.code ?? 'other';
      overrideReasons[code] = (overrideReasons[code] ?? 0) + 1;
    }
  }
  const answered = accepted + overridden;
  return { acceptance: answered === 0 ? null : accepted / answered, accepted, overridden, executed, overrideReasons };
}
