import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../model/case.ts';
import { seededRandom } from './cohort-comparison.ts';
import { CostsSchema, type CostsInput } from './costs.ts';
import { createAnalysis } from './create-analysis.ts';
import { KpisSchema } from './kpis.ts';
import { defineCalendar } from '../time/calendar.ts';
import { mergeAnalysisPartials } from './merge-analyses.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const GO_LIVE = Date.parse('2026-03-01T00:00:00Z');

/** What a synthetic case is made of: the counts the overhead is priced from. */
interface Plan {
  readonly handoffs: number;
  readonly comments: number;
  readonly reopens: number;
  readonly cycleDays: number;
}

/** A Jira-like case with exactly the planned handoffs, plain comments, reopens and cycle time. */
function caseOf(id: string, start: number, plan: Plan): CaseRecord {
  const events: CaseRecord['events'] = [
    { caseId: id, at: start, offsetMinutes: 0, kind: 'created', state: 'To Do', owner: null },
  ];
  let at = start;
  for (let i = 0; i <= plan.handoffs; i++) {
    at += HOUR;
    const owner = `person-${i % 2 === 0 ? 'a' : 'b'}${i}`;
    events.push({ caseId: id, at, offsetMinutes: 0, kind: 'owner', field: 'assignee', to: owner, owner });
  }
  for (let i = 0; i < plan.comments; i++) {
    at += HOUR;
    events.push({ caseId: id, at, offsetMinutes: 0, kind: 'comment', text: `worked on step ${i}` });
  }
  const status = (from: string, to: string, when: number) =>
    events.push({ caseId: id, at: when, offsetMinutes: 0, kind: 'status', field: 'status', from, to });
  for (let i = 0; i < plan.reopens; i++) {
    status('To Do', 'Done', (at += HOUR));
    status('Done', 'To Do', (at += HOUR));
  }
  status('To Do', 'Done', start + plan.cycleDays * DAY);
  return { id, source: 'synthetic.json', attributes: {}, events };
}

/** A cohort of cases drawn from `draw`, created over 60 days from `from`. */
function cohort(prefix: string, n: number, from: number, draw: (r: () => number) => Plan, seed: number) {
  const r = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const plan = draw(r);
    return { plan, record: caseOf(`${prefix}-${i}`, from + Math.floor(r() * 60) * DAY, plan) };
  });
}

/** 0–4 handoffs, 0–5 comments, a reopen in 30 % of cases, 2–11 days. */
const usual = (r: () => number): Plan => ({
  handoffs: Math.floor(r() * 5),
  comments: Math.floor(r() * 6),
  reopens: r() < 0.3 ? 1 : 0,
  cycleDays: 2 + Math.floor(r() * 10),
});

const oneMoreHandoff = (r: () => number): Plan => {
  const p = usual(r);
  return { ...p, handoffs: p.handoffs + 1 };
};

/** The minutes a plan costs, priced directly from the plan (the second way to the same figure). */
function planMinutes(p: Plan, c: ReturnType<typeof CostsSchema.parse>): number {
  return p.handoffs * c.minutesPerHandoff + p.reopens * c.minutesPerException + p.comments * c.minutesPerMessage;
}

// Around the clock, so an SLA target of N days is N wall-clock days (the plans' cycle times).
const ALWAYS = (() => {
  const day = [['00:00', '24:00']];
  const c = defineCalendar({
    timeZone: 'UTC',
    week: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
  });
  if (!c.ok) throw new Error(c.issues[0]!.message);
  return c.value;
})();

function analyse(records: readonly CaseRecord[], costs: CostsInput, slaDays?: number) {
  const analysis = createAnalysis({
    calendar: ALWAYS,
    cohort: GO_LIVE,
    costs: CostsSchema.parse(costs),
    ...(slaDays === undefined ? {} : { slaTargetMs: () => slaDays * DAY }),
  });
  for (const r of records) analysis.add(r);
  return analysis;
}

describe('measured savings (kpis.cohorts.savings)', () => {
  const costs = CostsSchema.parse({ loadedCostPerHour: 90, currency: 'USD' });

  const mean = (xs: readonly { plan: Plan }[]) =>
    xs.reduce((sum, c) => sum + planMinutes(c.plan, costs), 0) / xs.length;

  it('measures a known effect: one handoff fewer per case saves 15 minutes a case, inside the interval', () => {
    // The same draw on both sides, plus one handoff per case before (15 minutes at the default price).
    const before = cohort('B', 400, GO_LIVE - 90 * DAY, oneMoreHandoff, 1);
    const after = cohort('A', 400, GO_LIVE, usual, 2);
    const s = KpisSchema.parse(
      analyse(
        [...before, ...after].map((c) => c.record),
        costs,
      ).result(),
    ).cohorts!.savings!;
    // The second way: price each case from the plan it was built from, then compare the means.
    expect(s.overheadMinutesPerCase.before).toBeCloseTo(mean(before), 9);
    expect(s.overheadMinutesPerCase.after).toBeCloseTo(mean(after), 9);
    expect(s.overheadMinutesPerCase.saved).toBeCloseTo(mean(before) - mean(after), 9);
    const [lo, hi] = s.overheadMinutesPerCase.ci95!;
    expect(lo).toBeLessThan(15);
    expect(hi).toBeGreaterThan(15);
    expect(lo).toBeGreaterThan(0);
    expect([s.casesBefore, s.casesAfter]).toEqual([400, 400]);
    expect(s.minutesSaved).toBeCloseTo((mean(before) - mean(after)) * 400, 6);
    expect(s.money).toBeCloseTo(((mean(before) - mean(after)) * 400 * 90) / 60, 6);
    expect(s.moneyCi95).toEqual([(lo * 400 * 90) / 60, (hi * 400 * 90) / 60]);
    expect(s.currency).toBe('USD');
    const handoffs = (xs: readonly { plan: Plan }[]) => xs.reduce((n, c) => n + c.plan.handoffs, 0) / xs.length;
    expect(s.perCase.handoffs.before).toBeCloseTo(handoffs(before), 9);
    expect(s.perCase.handoffs.after).toBeCloseTo(handoffs(after), 9);
  });

  it('finds no effect where there is none: the interval covers zero', () => {
    const before = cohort('B', 400, GO_LIVE - 90 * DAY, usual, 3);
    const after = cohort('A', 400, GO_LIVE, usual, 4);
    const s = KpisSchema.parse(
      analyse(
        [...before, ...after].map((c) => c.record),
        costs,
      ).result(),
    ).cohorts!.savings!;
    const [lo, hi] = s.overheadMinutesPerCase.ci95!;
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(0);
    // A case costs more after when it takes one more handoff: a negative saving, the interval below zero.
    const worse = cohort('A', 400, GO_LIVE, oneMoreHandoff, 4);
    const w = KpisSchema.parse(
      analyse(
        [...before, ...worse].map((c) => c.record),
        costs,
      ).result(),
    ).cohorts!.savings!;
    expect(w.overheadMinutesPerCase.ci95![1]).toBeLessThan(0);
    expect(w.minutesSaved).toBeLessThan(0);
  });

  it('prices SLA penalties and reopen rework only when the costs give them', () => {
    const before = cohort('B', 300, GO_LIVE - 90 * DAY, (r) => ({ ...usual(r), reopens: r() < 0.4 ? 1 : 0 }), 3);
    const after = cohort(
      'A',
      300,
      GO_LIVE,
      (r) => ({ ...usual(r), reopens: r() < 0.1 ? 1 : 0, cycleDays: 2 + Math.floor(r() * 5) }),
      4,
    );
    const records = [...before, ...after].map((c) => c.record);
    const plain = KpisSchema.parse(analyse(records, { currency: 'EUR' }, 7).result()).cohorts!.savings!;
    expect(plain.secondOrder).toEqual({ slaPenalties: null, reopens: null });
    expect(plain.totalMoney).toBe(plain.money);

    const priced = KpisSchema.parse(
      analyse(records, { currency: 'EUR', penaltyPerSlaBreach: 200, costPerReopen: 120 }, 7).result(),
    ).cohorts!.savings!;
    // The second way: from the plans (SLA target 7 days; a case breaches when its cycle exceeds it).
    const breaches = (xs: readonly { plan: Plan }[]) => xs.filter((c) => c.plan.cycleDays > 7).length / xs.length;
    const reopens = (xs: readonly { plan: Plan }[]) => xs.reduce((n, c) => n + c.plan.reopens, 0) / xs.length;
    const sla = priced.secondOrder.slaPenalties!;
    expect(sla.breachRateBefore).toBeCloseTo(breaches(before), 9);
    expect(sla.breachRateAfter).toBe(0);
    expect(sla.breachesAvoided).toBeCloseTo(breaches(before) * 300, 6);
    expect(sla.money).toBeCloseTo(breaches(before) * 300 * 200, 6);
    expect(sla.breachesAvoidedCi95![0]).toBeLessThan(sla.breachesAvoided!);
    const rework = priced.secondOrder.reopens!;
    expect(rework.perCaseBefore).toBeCloseTo(reopens(before), 9);
    expect(rework.reopensAvoided).toBeCloseTo((reopens(before) - reopens(after)) * 300, 6);
    expect(priced.totalMoney).toBeCloseTo(priced.money! + sla.money! + rework.money!, 6);
  });

  it('adds up across partials: two halves merged give the same savings as one analysis', () => {
    const records = [
      ...cohort('B', 200, GO_LIVE - 90 * DAY, usual, 5),
      ...cohort('A', 200, GO_LIVE, (r) => ({ ...usual(r), handoffs: 0 }), 6),
    ].map((c) => c.record);
    const prices = { penaltyPerSlaBreach: 50, costPerReopen: 10 };
    const whole = KpisSchema.parse(analyse(records, prices, 6).result()).cohorts!.savings!;
    const halves = [records.filter((_, i) => i % 2 === 0), records.filter((_, i) => i % 2 === 1)].map((h) =>
      analyse(h, prices, 6).partial(),
    );
    const merged = mergeAnalysisPartials(halves);
    if (!merged.ok) throw new Error(merged.issues[0]!.message);
    const m = merged.value.cohorts!.savings!;
    expect(m.minutesSaved).toBeCloseTo(whole.minutesSaved!, 6);
    expect(m.overheadMinutesPerCase.ci95![0]).toBeCloseTo(whole.overheadMinutesPerCase.ci95![0], 6);
    expect(m.secondOrder).toEqual(whole.secondOrder);
  });

  it('measures nothing on a side with no cases, and refuses a negative price by name', () => {
    const only = cohort('B', 20, GO_LIVE - 90 * DAY, usual, 7).map((c) => c.record);
    const s = KpisSchema.parse(analyse(only, {}).result()).cohorts!.savings!;
    expect(s.casesAfter).toBe(0);
    expect([s.overheadMinutesPerCase.saved, s.minutesSaved, s.money, s.overheadMinutesPerCase.ci95]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    const bad = CostsSchema.safeParse({ penaltyPerSlaBreach: -5 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['penaltyPerSlaBreach'], message: 'expected a penalty ≥ 0' });
  });
});
