import { applyCharter } from '@baton/core';
import type { CompiledCharter } from '@baton/core';
import type { Charter } from '../contracts/charter.ts';
import { coreCharterOf } from './core-charter.ts';
import { proposalFromApp } from './core-decision.ts';
import type { AppDecision } from './decision.ts';

/**
 * What the charter lets happen to one decision, by core's gate (`applyCharter`). Core's `drop` for
 * caps, quiet hours and a recent human touch means "not now": the app defers (nothing claimed, a
 * later tick tries again); a drop because autonomy is off is final. Core's `escalate` (risk too high
 * for the machine) is a suggestion here: a person decides in the panel.
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

/**
 * The app's charter has no dial for field writes yet, so core's `setField` (the router's due date)
 * follows the `assign` dial: both are the router's bookkeeping on a new issue, neither is seen by
 * the customer. Without this, core's default (`off`) would drop every due date. A `setField` dial
 * of its own, once the charter has one, wins.
 */
function withFieldDial(compiled: CompiledCharter): CompiledCharter {
  if (compiled.charter.autonomy.kinds.setField !== undefined) return compiled;
  return { ...compiled, autonomy: (kind) => compiled.autonomy(kind === 'setField' ? 'assign' : kind) };
}

export function gateDecision(d: AppDecision, charter: Charter, ctx: GateInput): GateVerdict {
  const proposal = d.core ?? proposalFromApp(d, ctx.now);
  const decided = applyCharter(
    { ...proposal, at: ctx.now },
    withFieldDial(coreCharterOf(charter)),
    ctx.lastHumanActivityAt === undefined ? { now: ctx.now, caseNudgesToday: ctx.nudgesToday } : { now: ctx.now, caseNudgesToday: ctx.nudgesToday, lastHumanActivityAt: ctx.lastHumanActivityAt },
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
