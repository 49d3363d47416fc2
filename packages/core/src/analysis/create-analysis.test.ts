import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bpicTraces } from '../../test/bpic-fixture.ts';
import type { CaseRecord } from '../model/case.ts';
import { defineCalendar } from '../time/calendar.ts';
import { defineCosts } from './costs.ts';
import { createAnalysis } from './create-analysis.ts';
import { KpisSchema } from './kpis.ts';
import { summarizeCase } from './summarize-case.ts';
import { createWorkflowResolver } from '../model/workflow.ts';
import { DEFAULT_CALENDAR } from '../time/calendar.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const traces = bpicTraces();

function jiraCase(id: string, start: number, comments: string[], owners: string[]): CaseRecord {
  const events: CaseRecord['events'] = [
    { caseId: id, at: start, offsetMinutes: 60, kind: 'created', state: 'To Do', owner: null },
  ];
  owners.forEach((o, i) =>
    events.push({
      caseId: id,
      at: start + (i + 1) * HOUR,
      offsetMinutes: 60,
      kind: 'owner',
      field: 'assignee',
      to: o,
      owner: o,
    }),
  );
  comments.forEach((text, i) =>
    events.push({ caseId: id, at: start + (20 + i) * HOUR, offsetMinutes: 60, kind: 'comment', text }),
  );
  events.push({
    caseId: id,
    at: start + 3 * DAY,
    offsetMinutes: 60,
    kind: 'status',
    field: 'status',
    from: 'To Do',
    to: 'Done',
  });
  return { id, source: 'jira.json', attributes: {}, events };
}

describe('createAnalysis', () => {
  it('aggregates the real BPIC traces: counts, handoffs, ping-pong, states', () => {
    const analysis = createAnalysis();
    for (const t of traces) analysis.add(t);
    analysis.addSkipped(2);
    const k = KpisSchema.parse(analysis.result());
    expect(k.cases).toBe(2);
    expect(k.events).toBe(57);
    expect(k.skipped).toBe(2);
    expect(k.handoffs).toBe(5 + 9);
    expect(k.pingPongBounces).toBe(3);
    expect(k.pingPongCases).toBe(2);
    expect(k.reassignmentRate).toBe(1);
    expect(k.handoffsHistogram[5]).toBe(1);
    expect(k.handoffsHistogram[9]).toBe(1);
    expect(k.pingPongPairs).toEqual(
      [
        { a: 'V13 2nd 3rd', b: 'V30', bounces: 1 },
        { a: 'V30', b: 'V5 3rd', bounces: 1 },
        { a: 'G142 2nd', b: 'M25', bounces: 1 },
      ].sort((x, y) => x.a.localeCompare(y.a)),
    );
    expect(k.cycleTimeDays.count).toBe(2);
    expect(k.cycleTimeDays.p50).toBeCloseTo((k.cycleTimeDays.p10! + k.cycleTimeDays.p90!) / 2, 9);
    expect(k.cycleTimeHistogram.wall.reduce((a, b) => a + b, 0)).toBe(2);
    const queue = k.states['Queued/Awaiting Assignment']!;
    expect(queue.phase).toBe('queue');
    expect(queue.cases).toBe(2);
    expect(queue.visits).toBe(4 + 6);
    // Every moment of each case is in exactly one state.
    const stateDays = Object.values(k.states).reduce((sum, s) => sum + s.totalDays, 0);
    const cycleDays = traces.reduce((sum, t) => sum + (t.events.at(-1)!.at - t.events[0]!.at) / DAY, 0);
    expect(stateDays).toBeCloseTo(cycleDays, 6);
    expect(k.chokePoints.every((c) => c.phase === 'queue' || c.phase === 'waiting')).toBe(true);
    expect(k.chokePoints.reduce((s, c) => s + c.share, 0)).toBeLessThanOrEqual(1 + 1e-9);
    expect(k.exceptions).toMatchObject({ cases: 2, reopened: 1, waiting: 10, escalated: 0 });
    expect(k.sla.breachRate).toBeNull();
    expect(k.period.from).toBe('2010-03-31T14:59:42.000Z');
  });

  it('prices the four buckets with the costs config', () => {
    const costs = defineCosts({
      minutesPerHandoff: 10,
      minutesPerStatusCheck: 6,
      minutesPerException: 60,
      minutesPerMessage: 2,
      loadedCostPerHour: 90,
      currency: 'USD',
    });
    if (!costs.ok) throw new Error('bad costs');
    const analysis = createAnalysis({ costs: costs.value });
    analysis.add(
      jiraCase(
        'A-1',
        Date.parse('2024-03-04T09:00:00Z'),
        ['Any update?', 'Logs attached', 'ETA please?'],
        ['ann', 'bob', 'ann'],
      ),
    );
    const k = analysis.result();
    expect(k.overhead.handoffs).toEqual({ count: 2, minutes: 20 });
    // Both 'Any update?' and 'ETA please?' chase status (see the labelled sample in core/test/fixtures).
    expect(k.overhead.statusTracking).toEqual({ count: 2, minutes: 12 });
    expect(k.overhead.communication).toEqual({ count: 1, minutes: 2 });
    expect(k.overhead.exceptions).toEqual({ count: 0, minutes: 0 });
    expect(k.overhead.totalMinutes).toBe(34);
    expect(k.money).toMatchObject({ currency: 'USD', total: 51, loadedCostPerHour: 90 });
    expect(k.statusChaseCases).toBe(1);
  });

  it('filters by the first event with since/until and compares cohorts', () => {
    const mar = Date.parse('2024-03-04T09:00:00Z');
    const analysis = createAnalysis({ since: mar, until: mar + 60 * DAY, cohort: mar + 30 * DAY });
    analysis.add(jiraCase('A-0', mar - DAY, [], ['ann']));
    analysis.add(jiraCase('A-1', mar, [], ['ann', 'bob', 'ann']));
    analysis.add(jiraCase('A-2', mar + 31 * DAY, [], ['ann']));
    analysis.add(jiraCase('A-3', mar + 60 * DAY, [], ['ann']));
    const k = analysis.result();
    expect(k.cases).toBe(2);
    expect(k.filter.excludedCases).toBe(2);
    expect(k.cohorts?.before).toMatchObject({ cases: 1, handoffsPerCase: 2, pingPongCaseRate: 1 });
    expect(k.cohorts?.after).toMatchObject({ cases: 1, handoffsPerCase: 0, pingPongCaseRate: 0 });
    expect(k.cohorts?.after.cycleTimeDays.p50).toBe(3);
  });

  it("counts business days in the calendar's working day", () => {
    const cal = defineCalendar({
      timeZone: 'Europe/Amsterdam',
      week: { mon: [['09:00', '13:00']], tue: [['09:00', '13:00']] },
    });
    if (!cal.ok) throw new Error('bad calendar');
    const analysis = createAnalysis({ calendar: cal.value });
    analysis.add(jiraCase('A-1', Date.parse('2024-03-04T00:00:00Z'), [], [])); // Monday 01:00 CET, + 3 days
    const k = analysis.result();
    expect(k.calendar).toEqual({ timeZone: 'Europe/Amsterdam', businessDayHours: 4 });
    expect(k.cycleTimeBusinessDays.p50).toBe(2); // Monday and Tuesday mornings
  });

  it('applies an SLA target and reports the breach rate', () => {
    const analysis = createAnalysis({ slaTargetMs: (r) => (r.id === 'A-2' ? undefined : 16 * HOUR) });
    const monday = Date.parse('2024-03-04T09:00:00Z');
    analysis.add(jiraCase('A-1', monday, [], [])); // done Thursday 09:00: 24 business hours > 16 → breached
    analysis.add({ ...jiraCase('A-3', monday, [], []), due: monday + 4 * DAY }); // due date wins: met
    analysis.add(jiraCase('A-2', monday, [], []));
    const k = analysis.result();
    expect(k.sla).toEqual({ casesWithTarget: 2, met: 1, breached: 1, open: 0, breachRate: 0.5 });
  });

  it('skips a case without events and reports nothing for an empty input', () => {
    const analysis = createAnalysis();
    expect(analysis.add({ id: 'X', source: 's', attributes: {}, events: [] })).toBeUndefined();
    const k = KpisSchema.parse(analysis.result());
    expect(k).toMatchObject({ cases: 0, events: 0, skipped: 1, period: { from: null, to: null } });
    expect(k.cycleTimeDays.p50).toBeNull();
    expect(k.money.perMonth).toBeNull();
  });

  it('does not depend on the order of cases', () => {
    const cases = [...traces, jiraCase('A-1', Date.parse('2024-03-04T09:00:00Z'), ['any news?'], ['a', 'b', 'a'])];
    fc.assert(
      fc.property(fc.shuffledSubarray(cases, { minLength: cases.length }), (order) => {
        const a = createAnalysis();
        const b = createAnalysis();
        for (const c of cases) a.add(c);
        for (const c of order) b.add(c);
        expect(b.result()).toEqual(a.result());
      }),
      { numRuns: 20 },
    );
  });

  it('matches summarizeCase for the per-case figures it returns', () => {
    const analysis = createAnalysis();
    const s = analysis.add(traces[0]!);
    expect(s).toEqual(summarizeCase(traces[0]!, { calendar: DEFAULT_CALENDAR, resolve: createWorkflowResolver() }));
  });
});
