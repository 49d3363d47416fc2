import { applyCharter, compileCharter } from '@baton/core';
import type { Charter, Decision, Proposal } from '@baton/core';
import { isDeferringRule } from '../contracts/audit.ts';
import type { DeferringRule } from '../contracts/audit.ts';

/**
 * What the app does with core's decision, read from the gate's rule as data (`because.code`), never
 * from its text. Core's `drop` for caps, quiet hours and a recent human touch means "not now": the app
 * defers (nothing claimed, a later tick tries again); any other drop (autonomy off, no valid action)
 * is final. Core's `suggest` and `escalate` wait for a person, who sees, for an escalation, the rule
 * that stopped the agent and the evidence. A language model's proposal (`source: 'model'`) core's
 * gate only ever suggests (`model.suggestOnly`), whatever the thresholds.
 */
export type GateVerdict = 'act' | 'suggest' | 'drop' | { defer: DeferringRule };

const VERDICT_OF: Readonly<Record<Decision['disposition'], 'act' | 'suggest' | 'drop'>> = {
  act: 'act',
  suggest: 'suggest',
  escalate: 'suggest',
  drop: 'drop',
};

export interface GateInput {
  now: number;
  nudgesToday: number;
  /** Nudges each person (account id) was sent today across issues, for the charter's per-person cap. */
  personNudgesToday?: ReadonlyMap<string, number>;
  lastHumanActivityAt?: number | null;
}

/**
 * The charter's gate on a proposal, once, by core's `applyCharter` with the caps as they stand in
 * app storage: core's decision, and what the app does with it.
 */
export function gateProposal(
  p: Proposal,
  charter: Charter,
  ctx: GateInput,
): { decision: Decision; verdict: GateVerdict } {
  const decision = applyCharter(p, compileCharter(charter), {
    now: ctx.now,
    caseNudgesToday: ctx.nudgesToday,
    ...(ctx.personNudgesToday === undefined ? {} : { personNudgesToday: ctx.personNudgesToday }),
    ...(ctx.lastHumanActivityAt === undefined ? {} : { lastHumanActivityAt: ctx.lastHumanActivityAt }),
  });
  const { because } = decision;
  return { decision, verdict: isDeferringRule(because) ? { defer: because } : VERDICT_OF[decision.disposition] };
}
