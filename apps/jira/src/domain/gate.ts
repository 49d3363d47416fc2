import { applyCharter } from '@baton/core';
import type { Charter } from '../contracts/charter.ts';
import { coreCharterOf } from './core-charter.ts';
import { proposalFromApp } from './core-decision.ts';
import type { AppDecision } from './decision.ts';

/**
 * What the charter lets happen to one decision, by core's gate (`applyCharter`). Core's `drop` for
 * caps, quiet hours and a recent human touch means "not now": the app defers (nothing claimed, a
 * later tick tries again); a drop because autonomy is off is final. Core's `escalate` (risk too high
 * for the machine) is a suggestion here: a person decides in the panel. A language model's proposal
 * (rule `….model`) core's gate only ever suggests (`model.suggestOnly`), whatever the thresholds.
 */
export type GateVerdict =
  | { verdict: 'act' }
  | { verdict: 'suggest'; why: string }
  | { verdict: 'drop'; why: string }
  | { verdict: 'defer'; why: 'cap' | 'quiet' | 'recent' };

export interface GateInput {
  now: number;
  nudgesToday: number;
  lastHumanActivityAt?: number | null;
}

export function gateDecision(d: AppDecision, charter: Charter, ctx: GateInput): GateVerdict {
  const proposal = d.core ?? proposalFromApp(d, ctx.now);
  const decided = applyCharter(
    { ...proposal, at: ctx.now },
    coreCharterOf(charter),
    ctx.lastHumanActivityAt === undefined
      ? { now: ctx.now, caseNudgesToday: ctx.nudgesToday }
      : { now: ctx.now, caseNudgesToday: ctx.nudgesToday, lastHumanActivityAt: ctx.lastHumanActivityAt },
  );
  const rule = decided.dispositionRule;
  switch (decided.disposition) {
    case 'act':
      return { verdict: 'act' };
    case 'suggest':
    case 'escalate':
      return { verdict: 'suggest', why: rule };
    case 'drop':
      if (rule.startsWith('caps.per')) return { verdict: 'defer', why: 'cap' };
      if (rule === 'caps.quietHours') return { verdict: 'defer', why: 'quiet' };
      if (rule === 'caps.recentTouch') return { verdict: 'defer', why: 'recent' };
      return { verdict: 'drop', why: rule };
  }
}
