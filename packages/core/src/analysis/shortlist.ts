import { compareText } from '../text/compare-text.ts';
import { oneDecimal } from '../text/format-number.ts';
import type { CauseKind, DiagnosedChokePoint, Diagnosis, Intervention } from './diagnosis-schema.ts';
import type { Kpis } from './kpis.ts';

/** What the shortlist reads of each state's evidence (see `createDiagnosis`). */
interface Evidence {
  readonly visits: number;
  readonly handedOn: number;
  readonly bounces: number;
  readonly toCustomerWait: number;
  readonly reentries: number;
  readonly escalations: number;
}

/**
 * The playbook's answer to each likely cause: which pattern, at which level, what it changes, and
 * the share of the evidence it is assumed to remove. Stated here once, shown with every estimate.
 */
export const PLAYBOOK: Readonly<
  Record<
    CauseKind,
    {
      pattern: Intervention['pattern'];
      level: Intervention['level'];
      change: string;
      /** Share of the counted events avoided, and of the waiting time removed. */
      avoided: number;
      waitCut: number;
      /** Which events are counted and which minutes each costs. */
      events: (e: Evidence, c: DiagnosedChokePoint) => number;
      eventName: string;
      minutes: (k: Kpis) => number;
      minutesName: string;
    }
  >
> = {
  'missing-data': {
    pattern: 'router',
    level: 'automate',
    change: 'asks for what is missing when the case arrives and keeps asking (then escalates) until it is given',
    avoided: 1 / 3,
    waitCut: 1 / 3,
    // A wait on the customer is itself the missing information; elsewhere, the visits that led to one.
    events: (e, c) => (c.waitingReason === 'customer' ? c.visits : e.toCustomerWait),
    eventName: 'waits on the customer for information',
    minutes: (k) => k.money.minutesPerException,
    minutesName: 'minutes per exception',
  },
  'unclear-ownership': {
    pattern: 'router',
    level: 'assist',
    change: 'proposes an owner by policy, skills and load the moment work lands here',
    avoided: 1 / 2,
    waitCut: 1 / 4,
    events: (e) => e.handedOn + e.bounces,
    eventName: 'handoffs and bounces',
    minutes: (k) => k.money.minutesPerHandoff,
    minutesName: 'minutes per handoff',
  },
  'external-wait': {
    pattern: 'watchdog',
    level: 'automate',
    change: 'watches the wait in business time, nudges the other party at the norm and climbs the ladder',
    avoided: 1 / 2,
    waitCut: 1 / 5,
    events: (e) => e.handedOn,
    eventName: 'status checks on work waiting elsewhere (one per handoff out)',
    minutes: (k) => k.money.minutesPerStatusCheck,
    minutesName: 'minutes per status check',
  },
  'policy-ambiguity': {
    pattern: 'clerk',
    level: 'assist',
    change: 'hands over a packet with the definition of ready, decisions and open questions, so work is not redone',
    avoided: 3 / 10,
    waitCut: 1 / 10,
    events: (e) => e.reentries + e.escalations,
    eventName: 're-entries and escalations',
    minutes: (k) => k.money.minutesPerException,
    minutesName: 'minutes per exception',
  },
};

const pct = (x: number) => `${Math.round(x * 100)} %`;
const num = oneDecimal;

function confidenceOf(share: number, visits: number): Pick<Intervention, 'confidence' | 'why'> {
  const confidence = share >= 0.5 && visits >= 200 ? 'high' : share >= 0.2 && visits >= 50 ? 'medium' : 'low';
  return { confidence, why: `the evidence covers ${pct(share)} of ${num(visits)} visits` };
}

function forChokePoint(c: DiagnosedChokePoint, e: Evidence, k: Kpis, months: number): Intervention | undefined {
  if (c.likelyCause === null) return undefined;
  const play = PLAYBOOK[c.likelyCause];
  const perMonth = play.events(e, c) / months;
  const minutes = perMonth * play.avoided * play.minutes(k);
  const share = c.causes.find((x) => x.kind === c.likelyCause)?.share ?? 0;
  return {
    state: c.state,
    pattern: play.pattern,
    level: play.level,
    change: `In ${c.state}: the ${play.pattern} ${play.change}.`,
    assumption:
      `${num(perMonth)} ${play.eventName} a month here; ${pct(play.avoided)} avoided × ${num(play.minutes(k))} ${play.minutesName}; ` +
      `${pct(play.waitCut)} of the ${num(c.totalDays / months)} days a month cases wait here removed; ` +
      `${k.money.currency} ${num(k.money.loadedCostPerHour)} an hour; a month of the ${num(months)} in which 90 % of cases came and went`,
    minutesPerMonth: minutes,
    moneyPerMonth: (minutes / 60) * k.money.loadedCostPerHour,
    waitingDaysPerMonth: (c.totalDays / months) * play.waitCut,
    ...confidenceOf(share, c.visits),
  };
}

/**
 * The workshop's output: for each diagnosed choke point, the intervention its likely cause calls
 * for, and one for status chasing across the board; ranked by minutes saved a month.
 */
export function createShortlist(
  d: Omit<Diagnosis, 'shortlist'>,
  k: Kpis,
  evidence: ReadonlyMap<string, Evidence>,
): Intervention[] {
  const out: Intervention[] = [];
  const months = d.activeMonths.months > 0 ? d.activeMonths.months : 1;
  for (const c of d.chokePoints) {
    const e = evidence.get(c.state);
    const i = e === undefined ? undefined : forChokePoint(c, e, k, months);
    if (i !== undefined) out.push(i);
  }
  if (k.statusChases > 0) {
    const perMonth = k.statusChases / months;
    const minutes = perMonth * 0.5 * k.money.minutesPerStatusCheck;
    out.push({
      state: null,
      pattern: 'concierge',
      level: 'automate',
      change: 'sends each audience an update when something meaningful changes, so nobody has to ask',
      assumption: `${num(perMonth)} status chases a month; 50 % avoided × ${num(k.money.minutesPerStatusCheck)} minutes per status check; ${k.money.currency} ${num(k.money.loadedCostPerHour)} an hour`,
      minutesPerMonth: minutes,
      moneyPerMonth: (minutes / 60) * k.money.loadedCostPerHour,
      waitingDaysPerMonth: 0,
      ...confidenceOf(k.statusChaseCases / Math.max(k.cases, 1), k.cases),
    });
  }
  return out.sort((a, b) => b.minutesPerMonth - a.minutesPerMonth || compareText(a.state ?? '', b.state ?? ''));
}
