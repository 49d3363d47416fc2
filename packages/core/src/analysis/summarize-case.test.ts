import { describe, expect, it } from 'vitest';
import { bpicTraces } from '../../test/bpic-fixture.ts';
import type { CaseRecord } from '../model/case.ts';
import { createWorkflowResolver } from '../model/workflow.ts';
import { DEFAULT_CALENDAR } from '../time/calendar.ts';
import { summarizeCase } from './summarize-case.ts';

const HOUR = 3_600_000;
const resolve = createWorkflowResolver();
const options = { calendar: DEFAULT_CALENDAR, resolve };
const [first, second] = bpicTraces() as [CaseRecord, CaseRecord];
const at = (iso: string) => Date.parse(iso);

describe('summarizeCase on real BPIC 2013 traces (owner = org:group)', () => {
  it('case 1-364285768: owners, handoffs, ping-pong, one reopening', () => {
    const s = summarizeCase(first, options);
    expect(s.id).toBe('1-364285768');
    expect(s.events).toBe(17);
    expect(s.owners).toEqual(['V30', 'V5 3rd', 'V30', 'V13 2nd 3rd', 'V30', 'V5 3rd']);
    expect(s.handoffs).toBe(5);
    expect(s.pingPongBounces).toBe(2); // V30,V5 3rd,V30 and V30,V13 2nd 3rd,V30
    expect(s.cycleMs).toBe(at('2012-05-11T01:26:15+02:00') - at('2010-03-31T16:59:42+02:00'));
    expect(s.firstOffsetMinutes).toBe(120);
    // Resolved on 2010-04-06, queued again 16 s later: a reopening.
    expect(s.exceptions).toEqual({ reopened: 1, waiting: 0, escalated: 0 });
    expect(s.finalState).toBe('Completed/Closed');
    // Repeated "Accepted/In Progress" events at the start are one visit: 16 visits for 17 events.
    expect(s.visits).toHaveLength(16);
  });

  it('case 1-364285768: time in the queue is the sum of its four stays', () => {
    const s = summarizeCase(first, options);
    const queued = s.visits.filter((v) => v.state === 'Queued/Awaiting Assignment').reduce((sum, v) => sum + v.ms, 0);
    expect(queued).toBe(
      at('2010-04-06T16:44:07+02:00') -
        at('2010-03-31T17:45:48+02:00') +
        (at('2010-04-06T16:44:47+02:00') - at('2010-04-06T16:44:38+02:00')) +
        (at('2010-04-08T12:52:23+02:00') - at('2010-04-06T16:45:07+02:00')) +
        (at('2010-04-20T11:07:11+02:00') - at('2010-04-08T12:53:35+02:00')),
    );
    expect(s.visits.every((v) => v.businessMs <= v.ms)).toBe(true);
    expect(s.visits.reduce((sum, v) => sum + v.ms, 0)).toBe(s.cycleMs);
  });

  it('case 1-467153946: ten waits, nine handoffs, one bounce', () => {
    const s = summarizeCase(second, options);
    expect(s.events).toBe(40);
    expect(s.handoffs).toBe(9);
    expect(s.pingPongBounces).toBe(1); // M25, G142 2nd, M25
    expect(s.exceptions).toEqual({ reopened: 0, waiting: 10, escalated: 0 });
    expect(s.waitingMs).toBeGreaterThan(0);
    expect(s.waitingBusinessMs).toBeLessThan(s.waitingMs);
  });

  it('SLA: met or breached against a due date, breached against a 5-business-day target', () => {
    const resolvedAt = at('2012-05-03T11:10:12+02:00');
    expect(summarizeCase({ ...first, due: resolvedAt }, options).sla).toEqual({
      due: resolvedAt,
      resolvedAt,
      outcome: 'met',
    });
    expect(summarizeCase({ ...first, due: resolvedAt - 1 }, options).sla.outcome).toBe('breached');
    const target = summarizeCase(first, { ...options, slaTargetMs: () => 40 * HOUR });
    // 2010-03-31 was a Wednesday; 40 business hours from 14:59:42Z end on Wednesday 7 April at 14:59:42Z.
    expect(target.sla).toEqual({ due: at('2010-04-07T14:59:42Z'), resolvedAt, outcome: 'breached' });
    expect(summarizeCase(first, options).sla.outcome).toBe('none');
  });

  it('SLA: an unresolved case is open before its due date and breached after it', () => {
    const open = { ...first, events: first.events.slice(0, 5) };
    const last = open.events[4]!.at;
    expect(summarizeCase({ ...open, due: last + 1 }, options).sla).toEqual({
      due: last + 1,
      resolvedAt: null,
      outcome: 'open',
    });
    expect(summarizeCase({ ...open, due: last - 1 }, options).sla.outcome).toBe('breached');
  });
});

describe('summarizeCase on Jira-shaped histories', () => {
  const t0 = at('2015-11-20T14:00:00Z'); // a Friday
  const jira: CaseRecord = {
    id: 'TIMOB-1',
    source: 'jira',
    attributes: {},
    events: [
      { caseId: 'TIMOB-1', at: t0, offsetMinutes: -300, kind: 'created', state: 'Open', owner: null },
      {
        caseId: 'TIMOB-1',
        at: t0 + HOUR,
        offsetMinutes: -300,
        kind: 'owner',
        field: 'assignee',
        from: null,
        to: 'ann',
      },
      { caseId: 'TIMOB-1', at: t0 + 2 * HOUR, offsetMinutes: -300, kind: 'comment', text: 'Any update on this?' },
      { caseId: 'TIMOB-1', at: t0 + 3 * HOUR, offsetMinutes: -300, kind: 'comment', text: 'Stack trace attached.' },
      {
        caseId: 'TIMOB-1',
        at: t0 + 4 * HOUR,
        offsetMinutes: -300,
        kind: 'field',
        field: 'priority',
        from: 'Medium',
        to: 'Critical',
      },
      {
        caseId: 'TIMOB-1',
        at: t0 + 5 * HOUR,
        offsetMinutes: -300,
        kind: 'status',
        field: 'status',
        from: 'Open',
        to: 'Blocked',
      },
      {
        caseId: 'TIMOB-1',
        at: t0 + 70 * HOUR,
        offsetMinutes: -300,
        kind: 'status',
        field: 'status',
        from: 'Blocked',
        to: 'Closed',
      },
    ],
  };

  it('counts status chases, escalations, waiting time in wall and business hours', () => {
    const s = summarizeCase(jira, options);
    expect(s.comments).toBe(2);
    expect(s.statusChases).toBe(1);
    expect(s.owners).toEqual(['ann']);
    expect(s.handoffs).toBe(0);
    expect(s.exceptions).toEqual({ reopened: 0, waiting: 1, escalated: 1 });
    // Blocked from Friday 19:00Z to Monday 12:00Z: 65 h wall, Monday 09:00–12:00 = 3 business hours.
    expect(s.waitingMs).toBe(65 * HOUR);
    expect(s.waitingBusinessMs).toBe(3 * HOUR);
    expect(s.cycleBusinessMs).toBe(3 * HOUR + 3 * HOUR); // Friday 14–17, Monday 9–12
  });

  it('SLA: a case done from its first event (no history) is resolved at its last event', () => {
    const noHistory: CaseRecord = {
      ...jira,
      events: [
        { caseId: 'TIMOB-1', at: t0, offsetMinutes: 0, kind: 'created', state: 'Closed' },
        { caseId: 'TIMOB-1', at: t0 + 30 * 24 * HOUR, offsetMinutes: 0, kind: 'comment', text: 'Still broken.' },
      ],
    };
    const s = summarizeCase(noHistory, { ...options, slaTargetMs: () => 40 * HOUR });
    expect(s.sla).toMatchObject({ resolvedAt: t0 + 30 * 24 * HOUR, outcome: 'breached' });
  });

  it('sorts events that arrive out of order (readers merging sources)', () => {
    const shuffled = { ...jira, events: [...jira.events].reverse() };
    expect(summarizeCase(shuffled, options)).toEqual(summarizeCase(jira, options));
  });

  it('refuses a case without events (a programmer error: the aggregator skips them)', () => {
    expect(() => summarizeCase({ ...jira, events: [] }, options)).toThrow(RangeError);
  });
});
