import type { Charter } from '../contracts/charter.ts';
import { inQuietHours } from './app-calendar.ts';
import type { AppDecision } from './decision.ts';

/** What the charter lets happen to one decision. Deterministic: no model has a say here. */
export type GateVerdict = { verdict: 'act' } | { verdict: 'suggest'; why: string } | { verdict: 'drop'; why: string } | { verdict: 'defer'; why: 'cap' | 'quiet' };

export function gateDecision(d: AppDecision, charter: Charter, ctx: { now: number; nudgesToday: number }): GateVerdict {
  const autonomy = charter.autonomy[d.kind];
  if (autonomy === 'off') return { verdict: 'drop', why: `autonomy for ${d.kind} is off` };
  if (autonomy === 'assist') return { verdict: 'suggest', why: `autonomy for ${d.kind} is assist` };
  if (d.risk === 'high') return { verdict: 'suggest', why: 'high risk: a person decides' };
  if (d.confidence < charter.minConfidenceToAct) return { verdict: 'suggest', why: `confidence ${d.confidence} below ${charter.minConfidenceToAct}` };
  const speaks = d.kind === 'nudge' || d.kind === 'escalate' || d.kind === 'comment';
  if (speaks && ctx.nudgesToday >= charter.caps.nudgesPerIssuePerDay) return { verdict: 'defer', why: 'cap' };
  if (speaks && inQuietHours(ctx.now, charter.caps.quietHours, charter.calendar)) return { verdict: 'defer', why: 'quiet' };
  return { verdict: 'act' };
}
