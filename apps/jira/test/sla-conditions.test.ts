import { describe, expect, it, vi } from 'vitest';
import { ISSUE_STATE_PROPERTY, IssueStateSchema } from '@baton/jira/issue-state';
import { onIssueEvent } from '../src/index.ts';
import { parseCharterYaml } from '../src/app/charter-yaml.ts';
import { NOW, resolvedThisMorning, saveCharterYaml } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

/**
 * SLA goals as a Jira Service Management admin sets them, in the charter rather than in the app: each
 * goal with its own start / pause / stop conditions by status and by field, several goals per issue,
 * read live from the issue's changelog by the real trigger against the support-desk seed (Monday
 * 12:00 UTC; the default calendar is Monday to Friday, 09:00–17:00 UTC).
 */
const HOUR = 3_600_000;
const CHARTER = `
version: 2
scope: { projects: [SUP] }
slaGoals:
  - id: respond
    target: 4h
    stop: [{ on: field, field: assignee, present: true }]
  - id: resolve
    target: 3d
    pause: [{ on: status, in: [Waiting for customer] }]
    stop: [{ on: field, field: resolution, present: true }]
`;

let h: ForgeHarness;
useForgeHarness(async (started) => {
  h = started;
  await saveCharterYaml(CHARTER);
});

const ago = (hours: number) => new Date(NOW - hours * HOUR).toISOString();

/** The clocks the app wrote to the issue property (what the panel, the extension and JQL read). */
async function clocksOf(key: string) {
  await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', key));
  const state = IssueStateSchema.parse(h.sim.store.get(key).properties.get(ISSUE_STATE_PROPERTY));
  return Object.fromEntries(state.sla.map((c) => [c.goal, { state: c.state, elapsedMs: c.elapsedMs }]));
}

describe('SLA start / pause / stop conditions from the charter, several goals per issue', () => {
  it('an unassigned new issue runs both clocks; assigning it stops the response clock and not the other', async () => {
    // SUP-1: created Monday 10:00, nobody on it.
    expect(await clocksOf('SUP-1')).toEqual({
      respond: { state: 'on-track', elapsedMs: 2 * HOUR },
      resolve: { state: 'on-track', elapsedMs: 2 * HOUR },
    });
    h.sim.store.assign('SUP-1', 'u-ada', 'u-grace');
    vi.setSystemTime(NOW + 2 * HOUR);
    // A clock stopped within its target is met (not paused: no pause condition holds) and keeps the time it stopped at.
    expect(await clocksOf('SUP-1')).toEqual({
      respond: { state: 'met', elapsedMs: 2 * HOUR },
      resolve: { state: 'on-track', elapsedMs: 4 * HOUR },
    });
  });

  it('a clock pauses in the status the goal names, and the other goal on the issue is not paused', async () => {
    // SUP-3: created Friday 09:00, assigned at 10:00, waiting for the customer since Saturday 10:00.
    expect(await clocksOf('SUP-3')).toEqual({
      respond: { state: 'met', elapsedMs: HOUR },
      resolve: { state: 'paused', elapsedMs: 8 * HOUR },
    });
  });

  it('a resolution set this morning stops the clock when it was set, not at creation', async () => {
    // Created today 09:00 and assigned from the start, worked from 10:00, resolved at 11:00.
    h.sim.store.insert(resolvedThisMorning());
    expect(await clocksOf('SUP-50')).toEqual({
      respond: { state: 'met', elapsedMs: 0 },
      resolve: { state: 'met', elapsedMs: 2 * HOUR },
    });
  });

  it('a custom field set when the issue was created pauses its clock from the start (read from the issue)', async () => {
    // "Pending reason" (a select list) chosen on the create screen: no changelog entry says it is set.
    await saveCharterYaml(
      [
        'version: 2',
        'scope: { projects: [SUP] }',
        'slaGoals:',
        '  - id: resolve',
        '    target: 3d',
        '    pause: [{ on: field, field: customfield_10040, present: true }]',
        '',
      ].join('\n'),
    );
    const pending = { self: 'https://sim/rest/api/3/customFieldOption/10100', value: 'Vendor', id: '10100' };
    h.sim.store.insert({
      key: 'SUP-51',
      summary: 'Certificate renewal waits on the vendor',
      issuetype: 'Service request',
      status: 'To Do',
      reporter: 'u-cust',
      created: ago(3),
      customFields: { customfield_10040: pending },
    });
    expect(await clocksOf('SUP-51')).toEqual({ resolve: { state: 'paused', elapsedMs: 0 } });
    // The same, cleared an hour ago (a changelog entry, the field empty now): the clock has run since.
    h.sim.store.insert({
      key: 'SUP-52',
      summary: 'Certificate renewal waited on the vendor',
      issuetype: 'Service request',
      status: 'To Do',
      reporter: 'u-cust',
      created: ago(3),
      histories: [
        {
          author: 'u-ada',
          created: ago(1),
          items: [
            {
              field: 'Pending reason',
              fieldtype: 'custom',
              fieldId: 'customfield_10040',
              from: '10100',
              fromString: 'Vendor',
              to: null,
              toString: null,
            },
          ],
        },
      ],
    });
    expect(await clocksOf('SUP-52')).toEqual({ resolve: { state: 'on-track', elapsedMs: HOUR } });
  });

  it('a breach of one goal is the issue’s SLA state while the other is on track', async () => {
    // SUP-1 unassigned for five business hours: the 4h response goal breaches, resolution is on track.
    vi.setSystemTime(NOW + 3 * HOUR);
    expect(await clocksOf('SUP-1')).toEqual({
      respond: { state: 'breached', elapsedMs: 5 * HOUR },
      resolve: { state: 'on-track', elapsedMs: 5 * HOUR },
    });
    const state = IssueStateSchema.parse(h.sim.store.get('SUP-1').properties.get(ISSUE_STATE_PROPERTY));
    expect(state.slaState).toBe('breached');
  });
});

describe('SLA conditions the app cannot read are refused with their path', () => {
  it('names a near miss of a Jira field id, a bad custom field id and the status written as a field', () => {
    const r = parseCharterYaml(
      [
        'version: 2',
        'slaGoals:',
        '  - id: respond',
        '    target: 4h',
        '    start: [{ on: field, field: customfield_x, present: true }]',
        '    pause: [{ on: field, field: status, equals: Waiting }]',
        '    stop: [{ on: field, field: Assignee, present: true }, { on: field, field: Resolution }]',
        '',
      ].join('\n'),
    );
    expect(r.ok ? [] : r.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      [
        'slaGoals.0.start.0.field',
        "unknown field 'customfield_x': a custom field id is customfield_ and digits, like customfield_10010",
      ],
      ['slaGoals.0.pause.0.field', 'the status is not read as a field: write { on: status, in: [...] } (or on: phase)'],
      ['slaGoals.0.stop.0.field', "unknown field 'Assignee': Jira's id is 'assignee'"],
      ['slaGoals.0.stop.1.field', "unknown field 'Resolution': Jira's id is 'resolution'"],
    ]);
  });

  it('keeps what is valid: a charter with good conditions parses with every goal and condition', () => {
    const r = parseCharterYaml(CHARTER);
    expect(r.ok && r.value.slaGoals.map((g) => [g.id, g.pause.length, g.stop[0]])).toEqual([
      ['respond', 0, { on: 'field', field: 'assignee', present: true }],
      ['resolve', 1, { on: 'field', field: 'resolution', present: true }],
    ]);
  });
});
