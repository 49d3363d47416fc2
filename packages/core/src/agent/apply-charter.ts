import type { Charter } from '../charter/charter-schema.ts';
import { compileCharter, type CompiledCharter } from '../charter/compile-charter.ts';
import { businessTimeBetween, isBusinessTime } from '../time/calendar.ts';
import { traitsOf, type Action } from './action.ts';
import { idempotencyKey, maxRisk, type Decision, type Disposition, type Proposal, type Risk } from './decision.ts';

/** What the gate must know beyond the proposal: the moment, what was already sent, recent human touch. */
export interface GateContext {
  readonly now: number;
  /** Nudges already sent (acted or suggested) on this case today. */
  readonly caseNudgesToday?: number;
  /** Nudges already sent to each person today. */
  readonly personNudgesToday?: ReadonlyMap<string, number>;
  /** The last time a person (not the agent) touched the case. */
  readonly lastHumanActivityAt?: number | null;
}

const LEVEL = { off: 0, assist: 1, automate: 2, enforce: 3 } as const;
const RISK_RANK: Record<Risk, number> = { low: 0, medium: 1, high: 2 };

function decide(p: Proposal, actions: readonly Action[], risk: Risk, disposition: Disposition, dispositionRule: string): Decision {
  const key = idempotencyKey(p);
  return { ...p, actions: [...actions], risk, id: key, idempotencyKey: key, disposition, dispositionRule };
}

function inQuietHours(c: CompiledCharter, now: number): boolean {
  const caps = c.charter.caps;
  if (caps.quietOutsideBusinessHours && !isBusinessTime(c.calendar, now)) return true;
  if (caps.quietHours === null) return false;
  const minute = c.localMinute(now);
  const from = Number(caps.quietHours.from.slice(0, 2)) * 60 + Number(caps.quietHours.from.slice(3));
  const to = Number(caps.quietHours.to.slice(0, 2)) * 60 + Number(caps.quietHours.to.slice(3));
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

/**
 * The charter's deterministic gate: turns a pattern's proposal into a decision with a disposition
 * and the rule that chose it. Order: autonomy `off` removes actions; nudges respect recent human
 * activity, quiet hours and caps (→ `drop`, to be proposed again later); the risk rules raise the
 * risk; confidence below `suggest` or risk at `escalateAt` → `escalate`; customer-facing without
 * permission or autonomy `assist` → `suggest`; otherwise `act` when the confidence clears `act`
 * (or, under `enforce`, `suggest`).
 * @example applyCharter(proposal, DEFAULT_CHARTER, { now }) // disposition 'suggest' (assist everywhere)
 */
export function applyCharter(proposal: Proposal, charter: Charter | CompiledCharter, context: GateContext): Decision {
  const c = 'charter' in charter ? charter : compileCharter(charter);
  const rules = c.charter;
  const kept: Action[] = [];
  let level = 4;
  let levelKind = '';
  let risk = proposal.risk;
  let customerFacing = false;
  let nudge = false;
  const recipients: string[] = [];
  for (const action of proposal.actions) {
    const autonomy = c.autonomy(action.kind);
    if (autonomy === 'off') continue;
    kept.push(action);
    if (LEVEL[autonomy] < level) {
      level = LEVEL[autonomy];
      levelKind = action.kind;
    }
    const t = traitsOf(action);
    if (t.customerFacing) {
      customerFacing = true;
      risk = maxRisk(risk, rules.risk.customerFacingRisk);
    }
    for (const f of t.fields) {
      if (c.moneyFields.has(f)) risk = maxRisk(risk, rules.risk.moneyRisk);
      if (c.priorityFields.has(f)) risk = maxRisk(risk, rules.risk.priorityRisk);
    }
    if (t.nudge) {
      nudge = true;
      if (t.recipient !== null) recipients.push(t.recipient);
    }
  }
  if (kept.length === 0) return decide(proposal, proposal.actions, risk, 'drop', `autonomy.off:${proposal.actions[0]!.kind}`);
  if (nudge) {
    const last = context.lastHumanActivityAt;
    if (last !== undefined && last !== null && last <= context.now && businessTimeBetween(c.calendar, last, context.now) < c.recentTouchMs) {
      return decide(proposal, kept, risk, 'drop', 'caps.recentTouch');
    }
    if (inQuietHours(c, context.now)) return decide(proposal, kept, risk, 'drop', 'caps.quietHours');
    if ((context.caseNudgesToday ?? 0) >= rules.caps.maxNudgesPerCasePerDay) return decide(proposal, kept, risk, 'drop', 'caps.perCaseDay');
    for (const r of recipients) {
      if ((context.personNudgesToday?.get(r) ?? 0) >= rules.caps.maxNudgesPerPersonPerDay) {
        return decide(proposal, kept, risk, 'drop', 'caps.perPersonDay');
      }
    }
  }
  if (proposal.confidence < rules.confidence.suggest) return decide(proposal, kept, risk, 'escalate', 'confidence.belowSuggest');
  if (RISK_RANK[risk] >= RISK_RANK[rules.risk.escalateAt]) return decide(proposal, kept, risk, 'escalate', `risk.${risk}`);
  if (customerFacing && !rules.risk.autoCustomerFacing) return decide(proposal, kept, risk, 'suggest', 'risk.customerFacing');
  if (level <= LEVEL.assist) return decide(proposal, kept, risk, 'suggest', `autonomy.assist:${levelKind}`);
  if (proposal.confidence >= rules.confidence.act) return decide(proposal, kept, risk, 'act', 'confidence.act');
  if (level === LEVEL.enforce) return decide(proposal, kept, risk, 'act', `autonomy.enforce:${levelKind}`);
  return decide(proposal, kept, risk, 'suggest', 'confidence.suggest');
}
