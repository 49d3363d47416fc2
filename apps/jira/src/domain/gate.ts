import { applyCharter, compileCharter } from '@baton/core';
import type { Charter, DecisionEvidence, GateRule, GateRuleCode } from '@baton/core';
import { proposalFromApp } from './core-decision.ts';
import type { AppDecision } from './decision.ts';

/**
 * What the charter lets happen to one decision, by core's gate (`applyCharter`). Core's `drop` for
 * caps, quiet hours and a recent human touch means "not now": the app defers (nothing claimed, a
 * later tick tries again); a drop because autonomy is off is final. Core's `escalate` (risk too high
 * for the machine, or confidence below the suggest line) is a suggestion marked `escalated`, with
 * the proposal's evidence: a person decides in the panel, seeing why the agent did not act. A
 * language model's proposal (`source: 'model'`) core's gate only ever suggests (`model.suggestOnly`),
 * whatever the thresholds.
 * The verdict is read from the gate's rule as data (`because.code`), never from its text.
 */
export type GateVerdict =
  | { verdict: 'act'; because?: GateRule }
  | { verdict: 'suggest'; why: string; because?: GateRule; escalated?: { evidence: DecisionEvidence[] } }
  | { verdict: 'drop'; why: string; because?: GateRule }
  | { verdict: 'defer'; why: 'cap' | 'quiet' | 'recent' };

/** Core's drops that mean "not now" (a later tick tries again), by the gate rule that made them. */
const DEFERRED_BY: Partial<Record<GateRuleCode, 'cap' | 'quiet' | 'recent'>> = {
  'caps.perCaseDay': 'cap',
  'caps.perPersonDay': 'cap',
  'caps.quietHours': 'quiet',
  'caps.recentTouch': 'recent',
};

export interface GateInput {
  now: number;
  nudgesToday: number;
  /** Nudges each person (account id) was sent today across issues, for the charter's per-person cap. */
  personNudgesToday?: ReadonlyMap<string, number>;
  lastHumanActivityAt?: number | null;
}

export function gateDecision(d: AppDecision, charter: Charter, ctx: GateInput): GateVerdict {
  const proposal = d.core ?? proposalFromApp(d, ctx.now);
  const decided = applyCharter({ ...proposal, at: ctx.now }, compileCharter(charter), {
    now: ctx.now,
    caseNudgesToday: ctx.nudgesToday,
    ...(ctx.personNudgesToday === undefined ? {} : { personNudgesToday: ctx.personNudgesToday }),
    ...(ctx.lastHumanActivityAt === undefined ? {} : { lastHumanActivityAt: ctx.lastHumanActivityAt }),
  });
  const rule = decided.dispositionRule;
  // The gate's rule as data, carried to the audit chain's decision record.
  const because = decided.because === undefined ? {} : { because: decided.because };
  switch (decided.disposition) {
    case 'act':
      return { verdict: 'act', ...because };
    case 'suggest':
      return { verdict: 'suggest', why: rule, ...because };
    case 'escalate':
      return { verdict: 'suggest', why: rule, ...because, escalated: { evidence: decided.evidence } };
    case 'drop': {
      const deferred = decided.because === undefined ? undefined : DEFERRED_BY[decided.because.code];
      return deferred === undefined ? { verdict: 'drop', why: rule, ...because } : { verdict: 'defer', why: deferred };
    }
  }
}
