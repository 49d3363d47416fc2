import type { Charter } from './charter-schema.ts';
import { compileCharter, type CompiledCharter } from './compile-charter.ts';
import { addBusinessTime, businessTimeBetween, isBusinessTime, nextBusinessBoundary } from '../time/calendar.ts';
import { ActionSchema, traitsOf, type Action, type ActionKind } from '../decision/action.ts';
import { formatPath } from '../result.ts';
import {
  formatGateRule,
  idempotencyKey,
  maxRisk,
  type Decision,
  type Disposition,
  type GateRule,
  type Proposal,
  type Risk,
} from '../decision/decision.ts';

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

function decide(
  p: Proposal,
  actions: readonly Action[],
  risk: Risk,
  disposition: Disposition,
  because: GateRule,
): Decision {
  const key = idempotencyKey(p);
  return {
    ...p,
    actions: [...actions],
    risk,
    id: key,
    idempotencyKey: key,
    disposition,
    dispositionRule: formatGateRule(because),
    because,
  };
}

const clockMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

function inQuietHours(c: CompiledCharter, now: number): boolean {
  const caps = c.charter.caps;
  if (caps.quietOutsideBusinessHours && !isBusinessTime(c.calendar, now)) return true;
  if (caps.quietHours === null) return false;
  const minute = c.localMinute(now);
  const from = clockMinutes(caps.quietHours.from);
  const to = clockMinutes(caps.quietHours.to);
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

/** The start of the next minute after `ms` whose local minute of the day is `minute` (a DST shift is corrected once). */
function nextLocalMinute(c: CompiledCharter, ms: number, minute: number): number {
  const now = c.localMinute(ms);
  const ahead = (minute - now + 1440) % 1440 || 1440;
  let at = ms - (((ms % 60_000) + 60_000) % 60_000) + ahead * 60_000;
  const landed = c.localMinute(at);
  if (landed !== minute) at += (((((minute - landed) % 1440) + 1440 + 720) % 1440) - 720) * 60_000;
  return at > ms ? at : at + 1440 * 60_000;
}

/**
 * The first instant after `context.now` at which the gate's clock-driven checks on a nudge can decide
 * differently — the recent human touch running out, quiet hours (or the hours outside business
 * hours) starting or ending — or null when none will within a year. Per-day caps are counts the
 * caller keeps (see the watchdog's `nextDueAt`). Kept beside `applyCharter` so that a new check of
 * the clock there gets its time here.
 */
export function nextGateChangeAt(
  charter: CompiledCharter,
  context: Pick<GateContext, 'now' | 'lastHumanActivityAt'>,
): number | null {
  const c = charter;
  const now = context.now;
  let soonest = Infinity;
  const last = context.lastHumanActivityAt;
  if (last !== undefined && last !== null) {
    const until = last > now ? last : addBusinessTime(c.calendar, last, c.recentTouchMs);
    if (until > now) soonest = until;
  }
  const caps = c.charter.caps;
  const hours =
    caps.quietHours === null ? null : [clockMinutes(caps.quietHours.from), clockMinutes(caps.quietHours.to)];
  const edges = hours !== null && hours[0] !== hours[1];
  if (caps.quietOutsideBusinessHours || edges) {
    // Walk the edges until quiet really flips: an edge inside the other kind of quiet (20:00 outside
    // business hours) changes nothing, and quiet that never ends has no time.
    const quiet = inQuietHours(c, now);
    for (let t = now; t < now + 366 * 86_400_000 && t < soonest;) {
      let edge = caps.quietOutsideBusinessHours ? (nextBusinessBoundary(c.calendar, t) ?? Infinity) : Infinity;
      if (edges) edge = Math.min(edge, nextLocalMinute(c, t, hours[0]!), nextLocalMinute(c, t, hours[1]!));
      if (edge === Infinity) break;
      if (inQuietHours(c, edge) !== quiet) {
        soonest = Math.min(soonest, edge);
        break;
      }
      t = edge;
    }
  }
  return soonest === Infinity ? null : soonest;
}

/**
 * Core never emits a decision its own schema refuses: an action that fails its schema (a
 * notification to an empty or missing account id, from a record whose assignee has none) is left
 * out, and said so in the reason; when none is left, the decision is a `drop` with no action under
 * the rule `schema.invalidAction`, so that it is audited and a replay goes on around it.
 */
function refuseInvalidActions(p: Proposal): { proposal: Proposal; refused: Decision | null } {
  let problems: string[] | undefined;
  let valid: Action[] | undefined;
  for (const [i, action] of p.actions.entries()) {
    const r = ActionSchema.safeParse(action);
    if (r.success) {
      valid?.push(action);
      continue;
    }
    valid ??= p.actions.slice(0, i);
    const issue = r.error.issues[0]!;
    const kind = typeof (action as { kind?: unknown }).kind === 'string' ? (action as { kind: string }).kind : 'action';
    const where = formatPath(issue.path.map((x) => (typeof x === 'symbol' ? String(x) : x)));
    (problems ??= []).push(`${kind}${where === '' ? '' : `.${where}`}: ${issue.message}`);
  }
  if (problems === undefined || valid === undefined) return { proposal: p, refused: null };
  const what = problems.join('; ');
  if (valid.length === 0) {
    const key = idempotencyKey(p);
    return {
      proposal: p,
      refused: {
        ...p,
        actions: [],
        reason: `${p.reason} — refused, no valid action (${what})`,
        id: key,
        idempotencyKey: key,
        disposition: 'drop',
        dispositionRule: formatGateRule({ code: 'schema.invalidAction' }),
        because: { code: 'schema.invalidAction' },
      },
    };
  }
  return { proposal: { ...p, actions: valid, reason: `${p.reason} (left out: ${what})` }, refused: null };
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
export function applyCharter(proposed: Proposal, charter: Charter | CompiledCharter, context: GateContext): Decision {
  const checked = refuseInvalidActions(proposed);
  if (checked.refused !== null) return checked.refused;
  const proposal = checked.proposal;
  const c = 'charter' in charter ? charter : compileCharter(charter);
  const rules = c.charter;
  const kept: Action[] = [];
  let level = 4;
  let levelKind: ActionKind = proposal.actions[0]!.kind;
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
  if (kept.length === 0)
    return decide(proposal, proposal.actions, risk, 'drop', { code: 'autonomy.off', kind: proposal.actions[0]!.kind });
  if (nudge) {
    const last = context.lastHumanActivityAt;
    if (
      last !== undefined &&
      last !== null &&
      last <= context.now &&
      businessTimeBetween(c.calendar, last, context.now) < c.recentTouchMs
    ) {
      return decide(proposal, kept, risk, 'drop', { code: 'caps.recentTouch' });
    }
    if (inQuietHours(c, context.now)) return decide(proposal, kept, risk, 'drop', { code: 'caps.quietHours' });
    if ((context.caseNudgesToday ?? 0) >= rules.caps.maxNudgesPerCasePerDay)
      return decide(proposal, kept, risk, 'drop', { code: 'caps.perCaseDay' });
    for (const r of recipients) {
      if ((context.personNudgesToday?.get(r) ?? 0) >= rules.caps.maxNudgesPerPersonPerDay) {
        return decide(proposal, kept, risk, 'drop', { code: 'caps.perPersonDay' });
      }
    }
  }
  if (proposal.confidence < rules.confidence.suggest)
    return decide(proposal, kept, risk, 'escalate', { code: 'confidence.belowSuggest' });
  if (RISK_RANK[risk] >= RISK_RANK[rules.risk.escalateAt])
    return decide(proposal, kept, risk, 'escalate', { code: 'risk.escalateAt', risk });
  if (customerFacing && !rules.risk.autoCustomerFacing)
    return decide(proposal, kept, risk, 'suggest', { code: 'risk.customerFacing' });
  if (level <= LEVEL.assist)
    return decide(proposal, kept, risk, 'suggest', { code: 'autonomy.assist', kind: levelKind });
  // A language model's guess (`source: 'model'`) is never carried out on its own: not at a zero act line, not
  // under enforce. Its confidence is already capped below the act line; this holds when that cap cannot.
  if (proposal.source === 'model') return decide(proposal, kept, risk, 'suggest', { code: 'model.suggestOnly' });
  if (proposal.confidence >= rules.confidence.act)
    return decide(proposal, kept, risk, 'act', { code: 'confidence.act' });
  if (level === LEVEL.enforce)
    return decide(proposal, kept, risk, 'act', { code: 'autonomy.enforce', kind: levelKind });
  return decide(proposal, kept, risk, 'suggest', { code: 'confidence.suggest' });
}
