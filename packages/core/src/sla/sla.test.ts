import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bpicTraces } from '../../test/bpic-fixture.ts';
import { compileCharter } from '../charter/compile-charter.ts';
import type { CaseRecord } from '../model/case.ts';
import type { CaseEvent } from '../model/event.ts';
import {
  advanceClock,
  attributesAtCreation,
  computeClock,
  elapsedAt,
  initialClock,
  readClock,
  slaClocks,
} from './sla.ts';
import { BPIC_WORKFLOW, charterOf } from '../../test/charters.ts';

const HOUR = 3_600_000;

const bpic = charterOf({
  workflow: BPIC_WORKFLOW,
  slaGoals: [{ id: 'resolution', target: '3d', pause: [{ on: 'waiting', reasons: ['customer'] }], warnAt: [0.5, 0.9] }],
});

describe('SLA clocks on a real BPIC 2013 incident (1-467153946)', () => {
  const trace = bpicTraces().find((t) => t.id === '1-467153946')!;

  it('pauses while waiting on the user, in business time', () => {
    const [r] = slaClocks(trace, bpic, Date.parse('2011-02-01T12:00:00Z'));
    // 10:12:22Z → 13:37:55Z on Monday 31 January, then "Wait - User" until 3 February.
    expect(r!.status).toBe('paused');
    expect(r!.elapsedMs).toBe(3 * HOUR + 25 * 60_000 + 33_000);
    expect(r!.pauses).toEqual([[Date.parse('2011-01-31T13:37:55Z'), null]]);
    expect(r!.atRisk).toBe(false);
    expect(r!.dueAt).toBeNull();
  });

  it('runs again after the user answers, warns at 50 % and breaches after 3 business days', () => {
    const running = slaClocks(trace, bpic, Date.parse('2011-02-03T10:00:00Z'))[0]!;
    expect(running.status).toBe('running');
    // 20:34:27 left when the user answered (before Thursday's 09:00Z): Thursday, Friday, then Monday until 13:34:27Z.
    expect(running.dueAt).toBe(Date.parse('2011-02-07T13:34:27Z'));
    const atRisk = slaClocks(trace, bpic, Date.parse('2011-02-04T10:00:00Z'))[0]!;
    expect(atRisk.atRisk).toBe(true);
    const done = slaClocks(trace, bpic, Date.parse('2012-06-01T00:00:00Z'))[0]!;
    expect(done.status).toBe('stopped');
    expect(done.breached).toBe(true);
    expect(done.stoppedAt).toBe(Date.parse('2012-05-15T15:57:39Z'));
  });

  it('does not apply a goal to cases its `when` excludes', () => {
    const only = charterOf({ slaGoals: [{ id: 'p1', target: '4h', when: { priority: 'P1' } }] });
    expect(slaClocks(trace, only, Date.parse('2012-01-01T00:00:00Z'))).toEqual([]);
    expect(
      slaClocks({ ...trace, attributes: { priority: 'p1' } }, only, Date.parse('2012-01-01T00:00:00Z')),
    ).toHaveLength(1);
  });
});

// Random histories over a small workflow: state changes and a tracked field, in time order.
const STATES = ['Open', 'In Progress', 'Waiting for customer', 'Waiting for vendor', 'Closed'];
const generic = charterOf({
  workflow: {
    states: {
      Open: { phase: 'queue' },
      'In Progress': { phase: 'active' },
      'Waiting for customer': { phase: 'waiting', waitingReason: 'customer' },
      'Waiting for vendor': { phase: 'waiting', waitingReason: 'vendor' },
      Closed: { phase: 'done' },
    },
  },
  slaGoals: [
    {
      id: 'g',
      target: '2d',
      start: [
        { on: 'field', field: 'customfield_triaged', present: true },
        { on: 'status', in: ['In Progress'] },
      ],
      pause: [{ on: 'waiting', reasons: ['customer', 'vendor'] }],
    },
  ],
});
const unpaused = charterOf({ ...generic, version: 2, slaGoals: [{ ...generic.slaGoals[0]!, pause: [] }] });
const T0 = Date.parse('2026-03-02T00:00:00Z');

const history = fc
  .array(
    fc.record({
      gap: fc.integer({ min: 0, max: 3 * 24 * 60 }),
      kind: fc.constantFrom('status', 'status', 'field', 'comment'),
      state: fc.constantFrom(...STATES),
      value: fc.constantFrom('yes', '', null),
    }),
    { maxLength: 30 },
  )
  .map((steps) => {
    let at = T0;
    return steps.map((s): CaseEvent => {
      at += s.gap * 60_000;
      if (s.kind === 'status')
        return { caseId: 'C', at, offsetMinutes: 0, kind: 'status', field: 'status', to: s.state };
      if (s.kind === 'field')
        return { caseId: 'C', at, offsetMinutes: 0, kind: 'field', field: 'customfield_triaged', to: s.value };
      return { caseId: 'C', at, offsetMinutes: 0, kind: 'comment', text: 'hi' };
    });
  });

describe('SLA clock properties', () => {
  const c = compileCharter(generic);
  const goal = c.goals[0]!;
  const noPause = compileCharter(unpaused).goals[0]!;

  it('incremental (advanceClock) equals one pass (computeClock)', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 0, max: 90 * 24 * 60 }), (events, later) => {
        const atCreation = attributesAtCreation({ attributes: { customfield_triaged: 'yes' }, events });
        const incremental = events.reduce(
          (clock, e) => advanceClock(goal, c.resolve, clock, e),
          initialClock(goal, atCreation),
        );
        const onePass = computeClock(goal, c.resolve, events, atCreation);
        expect(incremental).toEqual(onePass);
        const now = (events.at(-1)?.at ?? T0) + later * 60_000;
        expect(readClock(goal, incremental, now)).toEqual(readClock(goal, onePass, now));
      }),
    );
  });

  it('pausing never shortens elapsed time', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 0, max: 30 * 24 * 60 }), (events, later) => {
        const now = (events.at(-1)?.at ?? T0) + later * 60_000;
        const paused = elapsedAt(goal, computeClock(goal, c.resolve, events), now);
        const plain = elapsedAt(noPause, computeClock(noPause, c.resolve, events), now);
        expect(plain).toBeGreaterThanOrEqual(paused);
      }),
    );
  });

  it('elapsed is monotonic in now', () => {
    fc.assert(
      fc.property(
        history,
        fc.integer({ min: 0, max: 30 * 24 * 60 }),
        fc.integer({ min: 0, max: 30 * 24 * 60 }),
        (events, a, b) => {
          const clock = computeClock(goal, c.resolve, events);
          const end = events.at(-1)?.at ?? T0;
          const [early, late] = a <= b ? [a, b] : [b, a];
          expect(elapsedAt(goal, clock, end + late * 60_000)).toBeGreaterThanOrEqual(
            elapsedAt(goal, clock, end + early * 60_000),
          );
        },
      ),
    );
  });
});

describe('SLA field conditions on names an object already has', () => {
  // Field names come from the charter, attributes from data: `constructor` and `toString` are names like
  // any other, not the properties every plain object inherits.
  it('a goal stopped by a field named constructor or toString runs until the field is set', () => {
    for (const field of ['constructor', 'toString', '__proto__']) {
      const charter = charterOf({
        slaGoals: [{ id: 'ack', target: '4h', stop: [{ on: 'field', field, present: true }] }],
      });
      const created = Date.parse('2011-02-01T09:00:00Z');
      const createdEvent: CaseEvent = { caseId: 'c1', at: created, offsetMinutes: 0, kind: 'created', state: 'Open' };
      const c: CaseRecord = { id: 'c1', source: 'test', attributes: {}, events: [createdEvent] };
      const [open] = slaClocks(c, charter, created + HOUR);
      expect(open!.status, field).toBe('running');
      const fieldSet: CaseEvent = {
        caseId: 'c1',
        at: created + 2 * HOUR,
        offsetMinutes: 0,
        kind: 'field',
        field,
        from: null,
        to: 'yes',
      };
      const set: CaseRecord = { ...c, events: [createdEvent, fieldSet] };
      const [done] = slaClocks(set, charter, created + 3 * HOUR);
      expect(done!.status, field).toBe('stopped');
    }
  });
});

describe('SLA field conditions start from the values the case was created with', () => {
  // A case's attributes are its values today (the Jira mapping reads the issue as it is now): the clock
  // must not read a resolution set last week, or a priority raised this morning, back into its creation.
  const created = Date.parse('2026-03-02T09:00:00Z'); // a Monday, 09:00
  const event = (at: number, e: Omit<CaseEvent, 'caseId' | 'at' | 'offsetMinutes'>): CaseEvent => ({
    caseId: 'SUP-9',
    at,
    offsetMinutes: 0,
    ...e,
  });
  const opened = (owner: string | null = null) => event(created, { kind: 'created', state: 'Open', owner });

  it('a goal stopped when the resolution is set runs from creation until it was set', () => {
    const charter = charterOf({
      slaGoals: [{ id: 'resolve', target: '1d', stop: [{ on: 'field', field: 'resolution', present: true }] }],
    });
    const resolved = event(created + 2 * HOUR, { kind: 'field', field: 'resolution', from: null, to: 'Done' });
    const record: CaseRecord = {
      id: 'SUP-9',
      source: 'test',
      attributes: { resolution: 'Done' },
      events: [opened(), resolved],
    };
    const [clock] = slaClocks(record, charter, created + 5 * HOUR);
    expect(clock).toMatchObject({ status: 'stopped', startedAt: created, stoppedAt: created + 2 * HOUR });
    expect(clock!.elapsedMs).toBe(2 * HOUR);
    // Read on a day before it was resolved (a dry run over the past), the clock still runs.
    expect(slaClocks(record, charter, created + HOUR)[0]).toMatchObject({ status: 'running', elapsedMs: HOUR });
  });

  it('a goal started by a priority starts when the priority was raised, not at creation', () => {
    const charter = charterOf({
      slaGoals: [{ id: 'p1', target: '4h', start: [{ on: 'field', field: 'priority', equals: 'Highest' }] }],
    });
    const raised = event(created + 3 * HOUR, { kind: 'field', field: 'priority', from: 'Low', to: 'Highest' });
    const record: CaseRecord = {
      id: 'SUP-9',
      source: 'test',
      attributes: { priority: 'Highest' },
      events: [opened(), raised],
    };
    expect(slaClocks(record, charter, created + 4 * HOUR)[0]).toMatchObject({
      status: 'running',
      startedAt: created + 3 * HOUR,
      elapsedMs: HOUR,
    });
    // Never changed: the priority it has is the one it was created with.
    const always: CaseRecord = { ...record, events: [opened()] };
    expect(slaClocks(always, charter, created + HOUR)[0]).toMatchObject({ status: 'running', startedAt: created });
  });

  it('`assignee` as a field reads the owner: a first assignment stops a response goal, an owner at creation at once', () => {
    const charter = charterOf({
      slaGoals: [{ id: 'respond', target: '4h', stop: [{ on: 'field', field: 'assignee', present: true }] }],
    });
    const taken = event(created + HOUR, { kind: 'owner', field: 'assignee', from: null, to: 'u-ada', owner: 'u-ada' });
    const unassigned: CaseRecord = { id: 'SUP-9', source: 'test', attributes: {}, events: [opened(), taken] };
    expect(slaClocks(unassigned, charter, created + 3 * HOUR)[0]).toMatchObject({
      status: 'stopped',
      stoppedAt: created + HOUR,
      elapsedMs: HOUR,
    });
    const assigned: CaseRecord = { id: 'SUP-9', source: 'test', attributes: {}, events: [opened('u-ada')] };
    expect(slaClocks(assigned, charter, created + 3 * HOUR)[0]).toMatchObject({ status: 'stopped', elapsedMs: 0 });
    // Nobody took it: the clock runs on.
    const nobody: CaseRecord = { id: 'SUP-9', source: 'test', attributes: {}, events: [opened()] };
    expect(slaClocks(nobody, charter, created + 3 * HOUR)[0]).toMatchObject({ status: 'running', elapsedMs: 3 * HOUR });
  });

  it('several goals on one case each follow their own conditions', () => {
    const charter = charterOf({
      workflow: { states: { Open: { phase: 'queue' }, 'Waiting for customer': { phase: 'waiting' } } },
      slaGoals: [
        { id: 'respond', target: '4h', stop: [{ on: 'field', field: 'assignee', present: true }] },
        { id: 'resolve', target: '2d', pause: [{ on: 'status', in: ['Waiting for customer'] }] },
      ],
    });
    const record: CaseRecord = {
      id: 'SUP-9',
      source: 'test',
      attributes: {},
      events: [
        opened(),
        event(created + HOUR, { kind: 'owner', field: 'assignee', from: null, to: 'u-ada', owner: 'u-ada' }),
        event(created + 2 * HOUR, { kind: 'status', field: 'status', from: 'Open', to: 'Waiting for customer' }),
      ],
    };
    const [respond, resolve] = slaClocks(record, charter, created + 6 * HOUR);
    expect(respond).toMatchObject({ goalId: 'respond', status: 'stopped', elapsedMs: HOUR });
    expect(resolve).toMatchObject({ goalId: 'resolve', status: 'paused', elapsedMs: 2 * HOUR });
  });
});
