import { describe, expect, it } from 'vitest';
import { BPIC2013_INCIDENTS, readXesCases } from '../../test/xes-cases.ts';
import type { CaseRecord } from '../model/case.ts';
import type { CaseEvent } from '../model/event.ts';
import { createWorkflowResolver } from '../model/workflow.ts';
import { businessTimeBetween, type Calendar, DEFAULT_CALENDAR, defineCalendar } from '../time/calendar.ts';
import { createAnalysis, type AnalysisOptions } from './create-analysis.ts';
import { createDiagnosis } from './diagnose.ts';
import { summarizeCase } from './summarize-case.ts';
import { createWipTracker } from './wip.ts';

// An analysis interns each state name once (a slot with its mapping, the diagnosis's and the
// analysis's accumulators), writes a case's visits to reused arrays and reads business time from the
// calendar's running clock. These pin that it gives what the one-case functions give by name.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function calendarOf(input: unknown): Calendar {
  const r = defineCalendar(input);
  if (!r.ok) throw new Error('bad calendar');
  return r.value;
}

// Berlin: lunch breaks, a holiday, DST changes inside the cases below.
const berlin = calendarOf({
  timeZone: 'Europe/Berlin',
  week: {
    mon: [
      ['09:00', '12:00'],
      ['13:00', '17:00'],
    ],
    tue: [['09:00', '17:00']],
    wed: [['09:00', '17:00']],
    thu: [['09:00', '17:00']],
    fri: [['09:00', '15:00']],
  },
  holidays: ['2024-03-29', '2024-04-01', '2024-10-03'],
});

const STATES = [
  'To Do',
  'In Progress',
  'Waiting for customer',
  'Need more info',
  'Pending vendor',
  'Escalated',
  'Resolved',
  'Done',
  'Reopened',
];
const OWNERS = ['L1 desk', 'L2 network', '3rd line db', 'ann', 'bob', ''];

/** Jira-like cases: states of every phase, escalations, support lines, comments, owners coming and going. */
function syntheticCases(count: number, seed: number): CaseRecord[] {
  let x = seed;
  const rnd = (n: number) => {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    return x % n;
  };
  const cases: CaseRecord[] = [];
  for (let c = 0; c < count; c++) {
    const id = `S-${c}`;
    let at = Date.parse('2024-03-20T08:00:00Z') + rnd(300) * DAY + rnd(24) * HOUR;
    const events: CaseEvent[] = [{ caseId: id, at, offsetMinutes: 60, kind: 'created', state: 'To Do', owner: null }];
    const n = 1 + rnd(12);
    for (let i = 0; i < n; i++) {
      at += rnd(4) === 0 ? 0 : rnd(72) * HOUR + rnd(3_600_000);
      const pick = rnd(6);
      if (pick <= 1)
        events.push({ caseId: id, at, offsetMinutes: 60, kind: 'status', field: 'status', to: STATES[rnd(9)]! });
      else if (pick === 2) {
        const owner = OWNERS[rnd(6)]!;
        events.push({ caseId: id, at, offsetMinutes: 60, kind: 'owner', field: 'assignee', to: owner, owner });
      } else if (pick === 3)
        events.push({
          caseId: id,
          at,
          offsetMinutes: 60,
          kind: 'comment',
          text: rnd(2) === 0 ? 'Any update on this?' : 'done here',
        });
      else if (pick === 4)
        events.push({ caseId: id, at, offsetMinutes: 60, kind: 'field', field: 'priority', to: 'Critical' });
      else
        events.push({
          caseId: id,
          at,
          offsetMinutes: 60,
          kind: 'activity',
          to: STATES[rnd(9)]!,
          owner: OWNERS[rnd(6)]!,
        });
    }
    // Some cases come out of time order (the summary sorts them, stably).
    if (rnd(5) === 0) events.reverse();
    cases.push({ id, source: 'synthetic', attributes: {}, ...(rnd(3) === 0 ? { due: at - DAY } : {}), events });
  }
  return cases;
}

const incidents = readXesCases(BPIC2013_INCIDENTS).slice(0, 2_000);
const synthetic = syntheticCases(600, 7);

describe.each([
  ['BPIC 2013 incidents, default calendar', incidents, {}],
  ['BPIC 2013 incidents, Berlin calendar with an SLA', incidents, { calendar: berlin, slaTargetMs: () => 16 * HOUR }],
  ['synthetic Jira cases, Berlin calendar with an SLA', synthetic, { calendar: berlin, slaTargetMs: () => 8 * HOUR }],
  [
    'synthetic Jira cases, an SLA for some of them (due dates on some, none on others)',
    synthetic,
    { slaTargetMs: (r: CaseRecord) => (Number(r.id.slice(2)) % 4 === 0 ? 8 * HOUR : undefined) },
  ],
] as [string, CaseRecord[], AnalysisOptions][])('%s', (_name, cases, options) => {
  const calendar = options.calendar ?? DEFAULT_CALENDAR;

  it("returns each case's summarizeCase, key for key and in the same order", () => {
    const analysis = createAnalysis(options);
    const resolve = createWorkflowResolver();
    for (const record of cases) {
      const byName = summarizeCase(record, { calendar, resolve, slaTargetMs: options.slaTargetMs });
      expect(JSON.stringify(analysis.add(record))).toBe(JSON.stringify(byName));
    }
  });

  it("addTransient: its summary, read before the next case, is that case's summarizeCase; the figures add's", () => {
    // One summary object rewritten case after case: nothing of the case before may stay in it.
    const transient = createAnalysis(options);
    const plain = createAnalysis(options);
    const resolve = createWorkflowResolver();
    for (const record of cases) {
      const byName = summarizeCase(record, { calendar, resolve, slaTargetMs: options.slaTargetMs });
      const s = transient.addTransient(record);
      plain.add(record);
      expect(s).toBeDefined();
      const read = Object.fromEntries(Object.keys(byName).map((k) => [k, s![k as keyof typeof s]]));
      expect(JSON.stringify(read)).toBe(JSON.stringify(byName));
    }
    expect(JSON.stringify(transient.result())).toBe(JSON.stringify(plain.result()));
    expect(JSON.stringify(transient.partial())).toBe(JSON.stringify(plain.partial()));
  });

  it('keeps the diagnosis a diagnosis fed by state names keeps', () => {
    const analysis = createAnalysis(options);
    const resolve = createWorkflowResolver();
    const byName = createDiagnosis({ resolve });
    for (const record of cases) {
      analysis.add(record);
      byName.add(record, summarizeCase(record, { calendar, resolve, slaTargetMs: options.slaTargetMs }));
    }
    expect(JSON.stringify(analysis.partial().diagnosis)).toBe(JSON.stringify(byName.state()));
    expect(JSON.stringify(analysis.exactState().diagnosis)).toBe(JSON.stringify(byName.exactState()));
  });
});

describe('business time of a case whose instants are not whole milliseconds', () => {
  it('is computed from the instants (the running clock counts whole milliseconds only)', () => {
    const start = Date.parse('2024-03-28T10:00:00Z') + 0.25;
    const events: CaseEvent[] = [
      { caseId: 'F-1', at: start, offsetMinutes: 60, kind: 'created', state: 'To Do' },
      { caseId: 'F-1', at: start + 30 * HOUR + 0.5, offsetMinutes: 60, kind: 'status', to: 'In Progress' },
      { caseId: 'F-1', at: start + 100 * HOUR + 0.125, offsetMinutes: 60, kind: 'status', to: 'Done' },
    ];
    const s = createAnalysis({ calendar: berlin }).add({ id: 'F-1', source: 'x', attributes: {}, events })!;
    expect(s.cycleBusinessMs).toBe(businessTimeBetween(berlin, events[0]!.at, events[2]!.at));
    expect(s.visits.map((v) => v.businessMs)).toEqual([
      businessTimeBetween(berlin, events[0]!.at, events[1]!.at),
      businessTimeBetween(berlin, events[1]!.at, events[2]!.at),
      0,
    ]);
    expect(s.cycleBusinessMs).toBeGreaterThan(0);
  });
});

describe("the diagnosis's bounces", () => {
  it('count a return to an owner seen earlier in the same stay, not in an earlier one', () => {
    const t = Date.parse('2024-05-06T09:00:00Z');
    const e = (h: number, kind: CaseEvent['kind'], more: Partial<CaseEvent>): CaseEvent => ({
      caseId: 'B-1',
      at: t + h * HOUR,
      offsetMinutes: 0,
      kind,
      ...more,
    });
    const events: CaseEvent[] = [
      e(0, 'status', { to: 'In Progress', owner: 'ann' }),
      e(1, 'owner', { to: 'bob', owner: 'bob' }),
      e(2, 'status', { to: 'In Review' }), // bob enters In Review
      e(3, 'owner', { to: 'ann', owner: 'ann' }), // ann was here in In Progress, not in this stay
      e(4, 'owner', { to: 'bob', owner: 'bob' }), // back to bob, who entered this stay: a bounce
      e(5, 'status', { to: 'Done' }),
    ];
    const analysis = createAnalysis();
    analysis.add({ id: 'B-1', source: 'x', attributes: {}, events });
    const states = new Map(analysis.partial().diagnosis.states.map((s) => [s.name, s]));
    expect(states.get('In Progress')!.bounces).toBe(0);
    expect(states.get('In Review')!.bounces).toBe(1);
  });
});

describe('the figures an analysis reads once per result', () => {
  it('lists each source once, in the order first seen, whatever order the cases come in', () => {
    const analysis = createAnalysis();
    for (const [i, source] of ['b.json', 'a.csv', 'b.json', 'b.json', 'c.xes', 'a.csv'].entries())
      analysis.add({ ...incidents[i]!, source });
    expect(analysis.exactState().sources).toEqual(['b.json', 'a.csv', 'c.xes']);
    expect(analysis.result().sources).toEqual(['a.csv', 'b.json', 'c.xes']);
  });

  it("gives the diagnosis's WIP series and active months of a tracker fed the same cases", () => {
    const analysis = createAnalysis();
    const tracker = createWipTracker();
    for (const record of incidents) {
      const s = analysis.add(record)!;
      tracker.add(s.firstAt, s.lastAt);
    }
    const diagnosis = analysis.result().diagnosis!;
    expect(diagnosis.wip).toEqual(tracker.result());
    expect(diagnosis.activeMonths).toEqual(tracker.activeMonths());
    expect(diagnosis.wip.series.length).toBeGreaterThan(10);
  });
});
