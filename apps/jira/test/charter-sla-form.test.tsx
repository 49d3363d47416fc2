import { parseCharter } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { useForgeHarness } from './forge-harness.ts';
import { errorsUnder, find, ONE_GOAL_SITE_YAML, openSiteAdmin } from './ui-kit.ts';
import type { UiKitHost } from './ui-kit.ts';

// The SLA goals of the admin page's charter form, with their start / pause / stop conditions, rendered by
// @forge/react's reconciler with the bridge answering from the real resolvers (u-grace administers the site).
const SITE_YAML = ONE_GOAL_SITE_YAML;

let ui: UiKitHost;
useForgeHarness(() => undefined);

async function openWithSite(yaml = SITE_YAML): Promise<void> {
  ui = await openSiteAdmin(yaml, 'Add SLA goal');
}

const saves = () => ui.calls.filter((c) => c.name === 'saveCharter');
const has = (name: string) => find(ui.doc(), (d) => d.props.name === name).length === 1;
const errorsAt = (name: string) => errorsUnder(ui.doc(), name);
const goalsOf = (yaml: string): unknown => {
  const r = parseCharter(parse(yaml));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value.slaGoals;
};

describe('admin page: SLA goals with start / pause / stop conditions', () => {
  it('adds a goal and conditions by status, phase and field, saves them as YAML core and the backend keep', async () => {
    await openWithSite();
    // The YAML left the conditions out: the form shows core's defaults, spelled out (start on creation,
    // stop in the phase done, never paused).
    expect(ui.shown()).toContain('Goal 1 paused while: never paused');
    expect((ui.field('slaGoals.0.start.0.on').props.value as { value: string }).value).toBe('created');
    expect(ui.field('slaGoals.0.stop.0.in').props.value).toEqual([{ label: 'done', value: 'done' }]);

    // Goal 1 pauses while waiting for the customer (a status of the workflow map) ...
    await ui.click('Add pause condition to goal 1');
    await ui.settle(() => has('slaGoals.0.pause.0.in'), 'the status condition');
    expect(ui.options('slaGoals.0.pause.0.in')).toEqual(['To Do', 'In Progress', 'Waiting for customer', 'Done']);
    ui.chooseMany('slaGoals.0.pause.0.in', ['Waiting for customer']);
    // ... and stops once a resolution is set (a field condition, the field picked among the site's).
    ui.choose('slaGoals.0.stop.0.on', 'field');
    // Once the site's fields are read, the field is picked among them (typed until then).
    await ui.settle(
      () => has('slaGoals.0.stop.0.field') && ui.field('slaGoals.0.stop.0.field').type === 'Select',
      "the field condition's picker",
    );
    expect(ui.options('slaGoals.0.stop.0.field')).toContain('resolution');
    ui.choose('slaGoals.0.stop.0.field', 'resolution');
    // A second stop condition: priority equals Highest (then removed again), and the phase done.
    await ui.click('Add stop condition to goal 1');
    await ui.settle(() => has('slaGoals.0.stop.1.on'), 'the second stop condition');
    ui.choose('slaGoals.0.stop.1.on', 'field');
    await ui.settle(() => has('slaGoals.0.stop.1.test'), 'the test of the field');
    ui.choose('slaGoals.0.stop.1.field', 'priority');
    ui.choose('slaGoals.0.stop.1.test', 'equals');
    await ui.settle(() => has('slaGoals.0.stop.1.equals'), 'the value field');
    ui.type('slaGoals.0.stop.1.equals', 'Highest');
    await ui.click('Remove goal 1 stop condition 2');
    await ui.click('Add stop condition to goal 1');
    await ui.settle(() => has('slaGoals.0.stop.1.on'), 'the new second stop condition');
    ui.choose('slaGoals.0.stop.1.on', 'phase');
    await ui.settle(() => has('slaGoals.0.stop.1.in'), 'the phase condition');
    expect(ui.options('slaGoals.0.stop.1.in')).toEqual(['queue', 'active', 'waiting', 'done']);

    // A second goal, a response goal: starts on creation, stops when assigned, pauses while waiting on a vendor.
    await ui.click('Add SLA goal');
    ui.type('slaGoals.1.id', 'respond');
    ui.type('slaGoals.1.target', '4h');
    // A new goal starts without conditions: the form says what core does then.
    expect(ui.shown()).toContain('Goal 2 stops when: when the issue reaches a done status');
    await ui.click('Add stop condition to goal 2');
    await ui.settle(() => has('slaGoals.1.stop.0.on'), "goal 2's stop condition");
    ui.choose('slaGoals.1.stop.0.on', 'field');
    await ui.settle(() => has('slaGoals.1.stop.0.field'), "goal 2's field");
    ui.choose('slaGoals.1.stop.0.field', 'assignee');
    await ui.click('Add pause condition to goal 2');
    await ui.settle(() => has('slaGoals.1.pause.0.on'), "goal 2's pause condition");
    ui.choose('slaGoals.1.pause.0.on', 'waiting');
    await ui.settle(() => has('slaGoals.1.pause.0.reasons'), 'the waiting reasons');
    ui.chooseMany('slaGoals.1.pause.0.reasons', ['vendor', 'approval']);

    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Saved: version 2 is in force.'), 'the saved notice');
    const sent = (saves()[0]?.payload as { yaml: string }).yaml;
    expect(goalsOf(sent)).toEqual([
      expect.objectContaining({
        id: 'resolve',
        target: '3d',
        start: [{ on: 'created' }],
        pause: [{ on: 'status', in: ['Waiting for customer'] }],
        stop: [
          { on: 'field', field: 'resolution', present: true },
          { on: 'phase', in: ['done'] },
        ],
      }),
      expect.objectContaining({
        id: 'respond',
        target: '4h',
        pause: [{ on: 'waiting', reasons: ['vendor', 'approval'] }],
        stop: [{ on: 'field', field: 'assignee', present: true }],
      }),
    ]);
    const stored = await createBatonStorage().getCharter('global');
    expect(stored?.charter.slaGoals.map((g) => [g.id, g.pause, g.stop])).toEqual([
      ['resolve', [{ on: 'status', in: ['Waiting for customer'] }], expect.any(Array)],
      [
        'respond',
        [{ on: 'waiting', reasons: ['vendor', 'approval'] }],
        [{ on: 'field', field: 'assignee', present: true }],
      ],
    ]);
  });

  it('shows a problem under the condition it is about, and does not save', async () => {
    await openWithSite();
    await ui.click('Add pause condition to goal 1');
    await ui.settle(() => has('slaGoals.0.pause.0.in'), 'the status condition');
    // No status chosen: core wants at least one.
    await ui.click('Add stop condition to goal 1');
    await ui.settle(() => has('slaGoals.0.stop.0.on'), 'the stop condition');
    ui.choose('slaGoals.0.stop.0.on', 'field');
    await ui.settle(() => has('slaGoals.0.stop.0.field'), 'the field condition');
    ui.choose('slaGoals.0.stop.0.test', 'equals');
    await ui.settle(() => has('slaGoals.0.stop.0.equals'), 'the value field');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Not saved'), 'the refusal');
    expect(saves()).toHaveLength(0);
    expect(errorsAt('slaGoals.0.pause.0.in').join(' ')).toMatch(/at least 1|too small|>=1/i);
    expect((await createBatonStorage().getCharter('global'))?.version).toBe(1);
  });

  it('YAML → form → YAML keeps every goal and condition (status, phase, waiting, field set / empty / equals)', async () => {
    const yaml = [
      'version: 2',
      'scope: { projects: [SUP] }',
      'workflow:',
      '  states:',
      '    Waiting for customer: { phase: waiting, waitingReason: customer }',
      'slaGoals:',
      '  - id: respond',
      '    target: 4h',
      '    when: { priority: [High, Highest] }',
      '    start: [{ on: phase, in: [queue, active] }]',
      '    pause: [{ on: waiting, reasons: [customer] }, { on: field, field: customfield_10040, present: true }]',
      '    stop: [{ on: field, field: assignee, present: true }]',
      '    warnAt: [0.5]',
      '  - id: resolve',
      '    target: 3d',
      '    pause: [{ on: status, in: [Waiting for customer] }, { on: field, field: priority, equals: Lowest }]',
      '    stop: [{ on: field, field: resolution, present: true }, { on: field, field: duedate, present: false }]',
      '',
    ].join('\n');
    await openWithSite(yaml);
    // The form shows each condition as it is.
    expect(ui.field('slaGoals.0.start.0.in').props.value).toEqual([
      { label: 'queue', value: 'queue' },
      { label: 'active', value: 'active' },
    ]);
    expect((ui.field('slaGoals.1.stop.1.test').props.value as { value: string }).value).toBe('empty');
    expect((ui.field('slaGoals.1.pause.1.test').props.value as { value: string }).value).toBe('equals');
    expect(ui.field('slaGoals.1.pause.1.equals').props.value).toBe('Lowest');
    // Saved from the form unchanged: the same goals, condition for condition.
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Saved: version 2 is in force.'), 'the saved notice');
    expect(goalsOf((saves()[0]?.payload as { yaml: string }).yaml)).toEqual(goalsOf(yaml));
    // And the YAML tab's "Take the form's values" writes them back the same.
    await ui.settle(() => ui.shown().includes('Version 2'), 'the reloaded charter');
    await ui.click("Take the form's values");
    await ui.settle(() => String(ui.field('charter.yaml').props.value).includes('customfield_10040'), 'the YAML');
    expect(goalsOf(String(ui.field('charter.yaml').props.value))).toEqual(goalsOf(yaml));
  });
});
