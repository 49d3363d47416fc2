import { describe, expect, it } from 'vitest';
import { fixtureCase } from '../../../test/appcelerator-cases.ts';
import type { CaseRecord } from '../../model/case.ts';
import { createRuleClassifier, missingInfoDueAt, routeCase, type RouterClassifier } from './router.ts';
import { charterOf } from '../../../test/charters.ts';

const jira = charterOf({
  workflow: {
    states: {
      Open: {
        phase: 'queue',
        ready: [
          { kind: 'field', field: 'components', label: 'the component' },
          { kind: 'field', field: 'environment', label: 'the SDK version and platform' },
        ],
      },
      'In Progress': { phase: 'active' },
      'Waiting for reporter': {
        phase: 'waiting',
        waitingReason: 'customer',
        ready: [{ kind: 'attachment', label: 'a test case' }],
        onReady: 'In Progress',
      },
      Resolved: { phase: 'done' },
      Closed: { phase: 'done' },
    },
  },
  slaGoals: [{ id: 'resolution', target: '5d', when: { priority: ['Critical', 'High', 'Medium'] } }],
  routing: {
    teams: [
      {
        id: 'ios',
        lead: 'ingo',
        members: [
          { id: 'hknoechel', skills: ['iOS'] },
          { id: 'vijaysingh', skills: ['iOS'] },
          { id: 'ewieber', skills: ['Android'] },
        ],
      },
    ],
    ownership: [{ id: 'ios-area', when: { components: 'iOS' }, team: 'ios' }],
    classify: [
      { field: 'components', label: 'iOS', keywords: ['iOS', 'Xcode', 'simulator'] },
      { field: 'components', label: 'Android', keywords: ['Android', 'Gradle'] },
    ],
  },
});

// TIMOB-18064 as the router sees it on creation: the real issue with only its `created` event.
const created = (): CaseRecord => {
  const full = fixtureCase('TIMOB-18064');
  return { ...full, events: full.events.slice(0, 1), state: 'Open', owner: null };
};
const NOW = Date.parse('2014-11-21T10:00:00Z'); // the next (business) morning

describe('router on a real Appcelerator issue (TIMOB-18064)', () => {
  it('classifies, proposes an owner by skills and load, sets the due date and asks for what is missing', () => {
    const load = new Map([
      ['vijaysingh', 15],
      ['hknoechel', 3],
    ]);
    const ds = routeCase(created(), jira, { now: NOW, load });
    expect(ds.map((d) => d.rule)).toEqual(['router.classify', 'router.owner', 'router.due', 'router.ready.request']);
    const [classify, owner, due, request] = ds as [(typeof ds)[0], (typeof ds)[0], (typeof ds)[0], (typeof ds)[0]];
    expect(classify.actions).toEqual([{ kind: 'setField', field: 'components', value: 'iOS' }]);
    expect(owner.actions).toEqual([{ kind: 'assign', to: 'hknoechel', team: 'ios' }]); // vijaysingh is at the load limit
    // Created Thursday 21:45Z (after hours): the clock runs from Friday 09:00; 5 business days end Thursday 17:00.
    expect(due.actions).toEqual([{ kind: 'setField', field: 'duedate', value: '2014-11-27T17:00:00.000Z' }]);
    expect(request.actions[0]).toMatchObject({
      kind: 'requestInfo',
      from: 'vduggal',
      items: ['the component', 'the SDK version and platform'],
    });
    expect(request.disposition).toBe('suggest');
    expect(request.dispositionRule).toBe('risk.customerFacing');
  });

  it('reminds, then escalates to the lead, and never repeats a step already taken', () => {
    const base = { ...created(), owner: 'hknoechel', attributes: { ...created().attributes, components: 'iOS' } };
    const key = `ready:Open@${base.events[0]!.at}`;
    const later = Date.parse('2014-11-25T10:00:00Z');
    const remind = routeCase(base, jira, { now: later, takenSteps: new Set([`${key}:request`]) });
    expect(remind.map((d) => d.rule)).toEqual(['router.due', 'router.ready.remind']);
    const escalate = routeCase(base, jira, {
      now: Date.parse('2014-11-27T10:00:00Z'),
      takenSteps: new Set([`${key}:request`, `${key}:remind`, 'due:resolution']),
    });
    expect(escalate.map((d) => [d.rule, d.actions[0]!.kind])).toEqual([['router.ready.escalate', 'escalate']]);
    expect(escalate[0]!.actions[0]).toMatchObject({ to: 'ingo' });
    // The lead hears whom the issue waits on, by id: listed for a caller to show by name.
    const reporter = String(created().attributes['reporter']);
    expect((escalate[0]!.actions[0] as { message: string }).message).toContain(`from ${reporter} since`);
    expect(escalate[0]!.people).toEqual([reporter]);
    const again = routeCase(base, jira, {
      now: Date.parse('2014-11-27T10:00:00Z'),
      takenSteps: new Set([`${key}:request`, `${key}:remind`, `${key}:escalate`, 'due:resolution']),
    });
    expect(again).toEqual([]);
  });

  it("says when the loop has its next step: after the reporter's touch, the reminder line, the escalation line", () => {
    const base = { ...created(), owner: 'hknoechel', attributes: { ...created().attributes, components: 'iOS' } };
    const key = `ready:Open@${base.events[0]!.at}`;
    const steps = (now: number, taken: string[]) =>
      routeCase(base, jira, { now, takenSteps: new Set([...taken, 'due:resolution']), steps: ['ready'] }).map(
        (d) => d.rule,
      );
    // The reporter touched it a minute ago: the gate holds the request for the 4 business hours of `recentTouch`.
    expect(missingInfoDueAt(base, jira, { now: NOW, lastHumanActivityAt: NOW - 60_000 })).toBe(
      Date.parse('2014-11-21T13:59:00Z'),
    );
    const remindAt = missingInfoDueAt(base, jira, { now: NOW, takenSteps: new Set([`${key}:request`]) })!;
    expect(steps(remindAt - 60_000, [`${key}:request`])).toEqual([]);
    expect(steps(remindAt, [`${key}:request`])).toEqual(['router.ready.remind']);
    const asked = new Set([`${key}:request`, `${key}:remind`]);
    const escalateAt = missingInfoDueAt(base, jira, { now: remindAt, takenSteps: asked })!;
    expect(escalateAt).toBeGreaterThan(remindAt);
    expect(steps(escalateAt - 60_000, [...asked])).toEqual([]);
    expect(steps(escalateAt, [...asked])).toEqual(['router.ready.escalate']);
    expect(missingInfoDueAt(base, jira, { now: escalateAt, takenSteps: new Set([...asked, `${key}:escalate`]) })).toBe(
      null,
    );
    // The information arrived: once the loop is closed (the owner told), nothing more to wait for.
    const complete = { ...base, attributes: { ...base.attributes, environment: 'SDK 3.4, iOS 8' } };
    expect(routeCase(complete, jira, { now: NOW, takenSteps: asked, steps: ['ready'] }).map((d) => d.rule)).toEqual([
      'router.ready.closed',
    ]);
    expect(missingInfoDueAt(complete, jira, { now: NOW, takenSteps: new Set([...asked, `${key}:closed`]) })).toBe(null);
  });

  it("escalates to the charter's missingInfo.escalateTo when the owner's team has no lead, and never without anyone", () => {
    const leadless = {
      ...jira,
      routing: { ...jira.routing, teams: jira.routing.teams.map(({ lead: _lead, ...t }) => t) },
    };
    const base = { ...created(), owner: 'hknoechel', attributes: { ...created().attributes, components: 'iOS' } };
    const key = `ready:Open@${base.events[0]!.at}`;
    const taken = new Set([`${key}:request`, `${key}:remind`, 'due:resolution']);
    const late = Date.parse('2014-12-10T10:00:00Z');
    expect(routeCase(base, charterOf({ ...leadless }), { now: late, takenSteps: taken })).toEqual([]);
    expect(missingInfoDueAt(base, charterOf({ ...leadless }), { now: NOW, takenSteps: taken })).toBe(null);
    const named = charterOf({ ...leadless, missingInfo: { ...leadless.missingInfo, escalateTo: 'ops-lead' } });
    const [escalate] = routeCase(base, named, { now: late, takenSteps: taken });
    expect(escalate?.actions[0]).toMatchObject({ kind: 'escalate', to: 'ops-lead' });
  });

  it('moves the issue on when the charter says so and the answer never came, once, and only after asking', () => {
    const closing = charterOf({ ...jira, missingInfo: { ...jira.missingInfo, close: { after: '10d', to: 'Closed' } } });
    const base = { ...created(), owner: 'hknoechel', attributes: { ...created().attributes, components: 'iOS' } };
    const key = `ready:Open@${base.events[0]!.at}`;
    const asked = new Set([`${key}:request`, `${key}:remind`, `${key}:escalate`, 'due:resolution']);
    // After the escalation the loop now has one more line: ten business days in the state.
    const closeAt = missingInfoDueAt(base, closing, { now: NOW, takenSteps: asked })!;
    expect(missingInfoDueAt(base, jira, { now: NOW, takenSteps: asked })).toBe(null);
    // Ten business days from Friday 09:00 (created after hours on Thursday) end on Thursday 4 December, 17:00.
    expect(closeAt).toBe(Date.parse('2014-12-04T17:00:00Z'));
    const steps = (now: number, taken: ReadonlySet<string>, c = closing) =>
      routeCase(base, c, { now, takenSteps: taken, steps: ['ready'] });
    expect(steps(closeAt - 60_000, asked)).toEqual([]);
    const [timeout] = steps(closeAt, asked);
    expect(timeout?.rule).toBe('router.ready.timeout');
    expect(timeout?.risk).toBe('medium');
    expect(timeout?.actions).toEqual([
      { kind: 'transition', to: 'Closed' },
      {
        kind: 'notify',
        to: 'vduggal',
        message:
          'TIMOB-18064 moved to Closed: the SDK version and platform did not arrive within 10d of business time. Reply with it to have it looked at again.',
      },
    ]);
    // Once: taken, the loop has nothing left to wait for.
    const done = new Set([...asked, `${key}:timeout`]);
    expect(steps(closeAt + 86_400_000, done)).toEqual([]);
    expect(missingInfoDueAt(base, closing, { now: closeAt, takenSteps: done })).toBe(null);
    // Never without asking first: a reporter nobody asked is asked, not closed on.
    expect(steps(closeAt, new Set(['due:resolution'])).map((d) => d.rule)).toEqual(['router.ready.escalate']);
    // Without `missingInfo.close` the loop stops at the escalation, as before.
    expect(steps(closeAt, asked, jira)).toEqual([]);
  });

  it('closes the loop by itself when the missing information arrives', () => {
    const waiting: CaseRecord = {
      ...created(),
      owner: 'hknoechel',
      events: [
        created().events[0]!,
        {
          caseId: 'TIMOB-18064',
          at: NOW,
          offsetMinutes: 0,
          kind: 'status',
          to: 'Waiting for reporter',
          actor: 'hknoechel',
          owner: 'hknoechel',
        },
        {
          caseId: 'TIMOB-18064',
          at: NOW + 3_600_000,
          offsetMinutes: 0,
          kind: 'comment',
          actor: 'vduggal',
          text: 'Attached a test case [^profiler-test.zip]',
        },
      ],
      state: 'Waiting for reporter',
      attributes: { ...created().attributes, components: 'iOS', duedate: '2014-11-28' },
    };
    const before = routeCase(waiting, jira, { now: NOW + 60_000 });
    expect(before.map((d) => d.rule)).toEqual(['router.ready.request']);
    const after = routeCase(waiting, jira, { now: NOW + 2 * 3_600_000, takenSteps: new Set([before[0]!.threshold]) });
    expect(after.map((d) => d.rule)).toEqual(['router.ready.closed']);
    expect(after[0]!.actions).toEqual([
      { kind: 'transition', to: 'In Progress' },
      { kind: 'notify', to: 'hknoechel', message: 'TIMOB-18064: everything Waiting for reporter needs has arrived.' },
    ]);
  });

  it('re-evaluating the same events yields the same decision ids', () => {
    const a = routeCase(created(), jira, { now: NOW });
    const b = routeCase(created(), jira, { now: NOW + 60_000 });
    expect(b.map((d) => d.id)).toEqual(a.map((d) => d.id));
  });

  it('keeps a model-made classification under the act line; ignores unknown states and closed cases', () => {
    const model: RouterClassifier = {
      classify: () => [
        { field: 'components', ranked: [{ label: 'iOS', probability: 0.99 }], modelId: 'llm', modelMade: true },
      ],
    };
    const auto = charterOf({ ...jira, version: 2, autonomy: { default: 'automate' } });
    const [d] = routeCase(created(), auto, { now: NOW, classifier: model });
    expect([d!.confidence < 0.9, d!.disposition]).toEqual([true, 'suggest']);
    expect(
      routeCase({ ...created(), state: 'Triage' }, jira, { now: NOW }).some((x) => x.rule.startsWith('router.ready')),
    ).toBe(false);
    expect(routeCase(fixtureCase('TIMOB-25040'), jira, { now: Date.parse('2030-01-01T00:00:00Z') })).toEqual([]);
  });

  it('marks the model-made classification and an owner its guess chose, both below the act line; the rules alone act', () => {
    const auto = charterOf({ ...jira, version: 2, autonomy: { default: 'automate' } });
    const model: RouterClassifier = {
      classify: () => [
        { field: 'components', ranked: [{ label: 'iOS', probability: 0.99 }], modelId: 'llm:test', modelMade: true },
      ],
    };
    const byModel = routeCase(created(), auto, { now: NOW, classifier: model }).filter(
      (d) => d.rule.startsWith('router.classify') || d.rule.startsWith('router.owner'),
    );
    // Who made it is `source`; the rule id is the rule's own, never a name suffix.
    expect(byModel.map((d) => [d.rule, d.source, d.disposition])).toEqual([
      ['router.classify', 'model', 'suggest'],
      ['router.owner', 'model', 'suggest'],
    ]);
    expect(byModel.every((d) => d.confidence < 0.9 && d.reason.includes('model-made: llm:test'))).toBe(true);
    // The same guess from the rules' classifier carries no mark, and the owner may act.
    const rules: RouterClassifier = {
      classify: () => [
        { field: 'components', ranked: [{ label: 'iOS', probability: 0.99 }], modelId: 'charter-rules' },
      ],
    };
    const byRules = routeCase(created(), auto, { now: NOW, classifier: rules }).filter(
      (d) => d.rule.startsWith('router.classify') || d.rule.startsWith('router.owner'),
    );
    expect(byRules.map((d) => [d.rule, d.disposition])).toEqual([
      ['router.classify', 'act'],
      ['router.owner', 'act'],
    ]);
  });

  it('the default classifier needs a keyword: no guess on an unrelated text', () => {
    const classify = createRuleClassifier(jira);
    expect(classify.classify({ ...created(), title: 'Docs typo', description: 'A typo in the guide' })).toEqual([]);
    expect(classify.classify(fixtureCase('AC-4682'))[0]!.ranked[0]!.label).toBe('iOS');
  });
});
