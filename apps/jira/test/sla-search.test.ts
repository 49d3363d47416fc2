import { describe, expect, it } from 'vitest';
import { createJiraClient } from '@baton/jira';
import { onIssueEvent } from '../src/index.ts';
import { userJiraFetch } from '../src/platform/forge-jira.ts';
import { resolvedThisMorning, saveCharterYaml, saveCoreCharter, supCharter, slaGoal } from './fixtures.ts';
import { ISSUE_STATE_PROPERTY, IssueStateObjectSchema, slaDisplay, slaRiskOf } from '@baton/jira/issue-state';
import { MANIFEST, indexedPropertiesOf, issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// SLA state searchable with JQL: the app writes its clocks' worst state to the `baton.state` issue
// property (`slaState`), and the manifest's `jira:entityProperty` module asks Jira to index it under the
// alias `batonSla`. The harness registers the manifest's modules with the jira-sim, whose JQL then
// searches exactly what they index.
let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

/** What an agent's JQL search in Jira returns (as that person, through Forge's product fetch). */
async function keysFor(jql: string): Promise<string[]> {
  const jira = createJiraClient({ fetch: userJiraFetch('u-ada') });
  return (await jira.searchJql({ jql, fields: ['summary'] })).issues.map((i) => i.key ?? i.id).sort();
}

describe('SLA state in JQL (jira:entityProperty)', () => {
  it('finds a breached issue with `batonSla = breached`, and an on-track one only under its own state', async () => {
    // SUP-1 was created two business hours ago: a 1h goal is breached, a 3d one is on track.
    await saveCoreCharter(supCharter({ slaGoals: [slaGoal('respond', '1h')] }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    expect(await keysFor('project = SUP AND batonSla = breached')).toEqual(['SUP-1']);
    expect(await keysFor('project = SUP AND issue.property[baton.state].slaState = breached')).toEqual(['SUP-1']);

    await saveCoreCharter(supCharter({ slaGoals: [slaGoal('respond', '3d')] }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-1'));
    expect(await keysFor('project = SUP AND batonSla = breached')).toEqual([]);
    expect(await keysFor('project = SUP AND batonSla in (on-track, at-risk)')).toEqual(['SUP-1']);
  });

  it('says `none` when no goal applies, and an issue the app never evaluated has no SLA state', async () => {
    await saveCoreCharter(supCharter());
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    expect(await keysFor('project = SUP AND batonSla = none')).toEqual(['SUP-1']);
    expect(await keysFor('project = SUP AND batonSla = breached')).toEqual([]);
    expect(await keysFor('project = SUP AND batonSla is EMPTY')).not.toContain('SUP-1');
    expect(await keysFor('project = SUP AND batonSla is EMPTY')).toContain('SUP-2');
  });

  it('finds each of several goals on its own: `batonSlaBreached = respond` and not the goal on track', async () => {
    // SUP-1, created two business hours ago: a 1h response goal is breached, a 150m one at risk (past 75 %).
    await saveCoreCharter(supCharter({ slaGoals: [slaGoal('respond', '1h'), slaGoal('resolve', '2h30m')] }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    expect(await keysFor('project = SUP AND batonSlaBreached = respond')).toEqual(['SUP-1']);
    expect(await keysFor('project = SUP AND batonSlaBreached = resolve')).toEqual([]);
    expect(await keysFor('project = SUP AND batonSlaBreached in (resolve, respond)')).toEqual(['SUP-1']);
    expect(await keysFor('project = SUP AND issue.property[baton.state].slaBreached = respond')).toEqual(['SUP-1']);
    expect(await keysFor('project = SUP AND batonSlaAtRisk = resolve')).toEqual(['SUP-1']);
    expect(await keysFor('project = SUP AND batonSlaAtRisk = respond')).toEqual([]);
    // Once the goals are relaxed, nothing is breached or at risk: the lists are empty and the searches find nothing.
    await saveCoreCharter(supCharter({ slaGoals: [slaGoal('respond', '2d'), slaGoal('resolve', '3d')] }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-1'));
    expect(await keysFor('project = SUP AND batonSlaBreached = respond')).toEqual([]);
    expect(await keysFor('project = SUP AND batonSlaAtRisk = resolve')).toEqual([]);
  });

  it('finds a clock stopped within its target with `batonSla = met`, not with `= paused`', async () => {
    // One goal, paused while waiting for the customer and stopped by a resolution (JSM's "completed").
    await saveCharterYaml(
      [
        'version: 2',
        'scope: { projects: [SUP] }',
        'slaGoals:',
        '  - id: resolve',
        '    target: 3d',
        '    pause: [{ on: status, in: [Waiting for customer] }]',
        '    stop: [{ on: field, field: resolution, present: true }]',
        '',
      ].join('\n'),
    );
    // SUP-50: created this morning at 09:00, resolved at 11:00, two business hours used of three days.
    h.sim.store.insert(resolvedThisMorning());
    for (const key of ['SUP-1', 'SUP-3', 'SUP-50'])
      await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', key));
    expect(await keysFor('project = SUP AND batonSla = met')).toEqual(['SUP-50']);
    expect(await keysFor('project = SUP AND batonSla = paused')).toEqual(['SUP-3']);
    expect(await keysFor('project = SUP AND batonSla = on-track')).toEqual(['SUP-1']);
    expect(await keysFor('project = SUP AND batonSla in (paused, on-track, at-risk)')).not.toContain('SUP-50');
  });

  it('a clock whose start condition has not happened is `not-started`, not on track, and shows so', async () => {
    // The goal starts when someone takes the issue to In Progress: SUP-1 (To Do) has not started it.
    await saveCharterYaml(
      [
        'version: 2',
        'scope: { projects: [SUP] }',
        'slaGoals:',
        '  - id: fix',
        '    target: 1d',
        '    start: [{ on: status, in: [In Progress] }]',
        '',
      ].join('\n'),
    );
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-1'));
    expect(await keysFor('project = SUP AND batonSla = not-started')).toEqual(['SUP-1']);
    expect(await keysFor('project = SUP AND batonSla in (on-track, at-risk, breached)')).toEqual([]);
    const state = IssueStateObjectSchema.parse(h.sim.store.get('SUP-1').properties.get(ISSUE_STATE_PROPERTY));
    expect(state.sla).toEqual([
      expect.objectContaining({ goal: 'fix', state: 'not-started', elapsedMs: 0, dueAt: null }),
    ]);
    expect(slaDisplay(state.sla[0]!).label).toBe('Not started · fix');
    // Core's one-word risk (the packet, the daily report) reads a clock not started as fine, not as no SLA.
    expect(slaRiskOf(state.sla)).toBe('ok');
  });

  it("indexes only paths the property's schema has (a renamed field would leave the index empty)", () => {
    const indexed = indexedPropertiesOf(MANIFEST);
    expect(indexed).toEqual([
      { propertyKey: ISSUE_STATE_PROPERTY, path: 'slaState', type: 'string', searchAlias: 'batonSla' },
      { propertyKey: ISSUE_STATE_PROPERTY, path: 'slaBreached', type: 'string', searchAlias: 'batonSlaBreached' },
      { propertyKey: ISSUE_STATE_PROPERTY, path: 'slaAtRisk', type: 'string', searchAlias: 'batonSlaAtRisk' },
    ]);
    for (const v of indexed) expect(Object.keys(IssueStateObjectSchema.shape)).toContain(v.path.split('.')[0]);
  });
});
