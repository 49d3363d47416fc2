import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { onIssueEvent } from '../src/index.ts';
import { parseCharterYaml } from '../src/app/charter-yaml.ts';
import { CharterSchema } from '../src/contracts/charter-migration/jira-app-v1.ts';
import { IssueStateSchema, ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { compileCharter } from '@baton/core';
import { charterFromApp } from '../src/contracts/charter-migration/migrate.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import type { CharterInput } from '@baton/core';
import { saveCoreCharter, supCharter } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { find, installUiKitHost, texts } from './ui-kit.ts';
import type { UiKitHost } from './ui-kit.ts';

// The workflow map's "required to leave" per status: the charter's definition of ready, compiled into
// core's charter, checked by the clerk against the issue as Jira has it now.

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const stateOf = (key: string) => IssueStateSchema.parse(h.sim.store.get(key).properties.get(ISSUE_STATE_PROPERTY));

type States = NonNullable<NonNullable<CharterInput['workflow']>['states']>;
/** The site charter whose To Do (a queue, 2 days) requires `ready` to leave; `more` are other statuses. */
const saveToDoReady = (ready: NonNullable<States[string]['ready']>, more: States = {}) =>
  saveCoreCharter(
    supCharter({ workflow: { norm: '2d', states: { 'To Do': { phase: 'queue', norm: '2d', ready }, ...more } } }),
  );

describe('the charter: required to leave a status', () => {
  it("compiles each status's artifacts into core's definition of ready (fields, custom fields, link, attachment)", () => {
    const app = CharterSchema.parse({
      workflow: {
        'To Do': { phase: 'queue', ready: ['duedate', 'customfield_10010', 'link', 'attachment'] },
        Done: { phase: 'done' },
      },
    });
    const core = compileCharter(charterFromApp(app));
    expect(core.states.get('to do')?.ready).toEqual([
      { kind: 'field', field: 'duedate', label: 'due date set' },
      { kind: 'field', field: 'customfield_10010', label: 'customfield_10010 set' },
      { kind: 'link', label: 'a linked issue or URL' },
      { kind: 'attachment', label: 'an attachment' },
    ]);
    expect(core.states.get('to do')?.phase).toBe('queue');
    expect(core.states.get('done')?.ready).toEqual([]);
  });

  it('rejects an unknown field name with its path, and keeps the rest of the problems', () => {
    const r = parseCharterYaml(
      [
        'version: 2',
        'workflow:',
        '  states:',
        '    To Do:',
        '      phase: queue',
        '      ready: [{ kind: field, field: duedate }, { kind: field, field: dueDate }, { kind: field, field: customfield_x }, { kind: form }]',
        '',
      ].join('\n'),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // Core's problem (no such kind), then the app's near misses of a Jira field id, each at its path.
    expect(r.issues.map((i) => [i.path, i.message])).toEqual([
      [['workflow', 'states', 'To Do', 'ready', 3, 'kind'], expect.any(String)],
      [['workflow', 'states', 'To Do', 'ready', 1, 'field'], "unknown field 'dueDate': Jira's id is 'duedate'"],
      [
        ['workflow', 'states', 'To Do', 'ready', 2, 'field'],
        expect.stringMatching(/^unknown field 'customfield_x': a custom field id is customfield_ and digits/),
      ],
    ]);
  });

  it('the packet on the issue property lists what the current status requires, missing until Jira has it', async () => {
    await saveToDoReady(
      [
        { kind: 'field', field: 'duedate', label: 'due date set' },
        { kind: 'field', field: 'description', label: 'description written' },
        { kind: 'field', field: 'priority', label: 'priority set' },
        { kind: 'field', field: 'fixVersions', label: 'fix version set' },
      ],
      { 'In Progress': { phase: 'active', norm: '2d', ready: [{ kind: 'attachment', label: 'an attachment' }] } },
    );
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1', { atlassianId: 'u-cust' }));
    // SUP-1 (To Do) has a description and a priority, no due date and no fix version; the default
    // "owner assigned" line is gone because the charter says what To Do requires.
    expect(stateOf('SUP-1').packet?.definitionOfReady).toEqual([
      { item: 'due date set', present: false },
      { item: 'description written', present: true },
      { item: 'priority set', present: true },
      { item: 'fix version set', present: false },
    ]);
    expect(stateOf('SUP-1').ready).toEqual(stateOf('SUP-1').packet?.definitionOfReady);

    h.sim.store.edit('SUP-1', { duedate: '2026-11-27' }, 'u-ada');
    await onIssueEvent(
      issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-1', {
        changelogItems: [{ field: 'duedate', fromString: null, toString: '2026-11-27' }],
      }),
    );
    expect(stateOf('SUP-1').packet?.definitionOfReady.slice(0, 1)).toEqual([{ item: 'due date set', present: true }]);

    // In Progress requires something else: the checklist follows the issue's current status.
    h.sim.store.edit('SUP-1', { status: 'In Progress' }, 'u-ada');
    await onIssueEvent(
      issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-1', {
        changelogItems: [{ field: 'status', fromString: 'To Do', toString: 'In Progress' }],
      }),
    );
    expect(stateOf('SUP-1').packet?.definitionOfReady).toEqual([{ item: 'an attachment', present: false }]);
  });

  it('a status the charter gives no list keeps the default checklist (owner, priority)', async () => {
    await saveCoreCharter(
      supCharter({ workflow: { norm: '2d', states: { Done: { phase: 'done', norm: '2d', ready: [] } } } }),
    );
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1', { atlassianId: 'u-cust' }));
    expect(stateOf('SUP-1').packet?.definitionOfReady).toEqual([
      { item: 'owner assigned', present: false },
      { item: 'priority set', present: true },
    ]);
  });
});

describe('admin page: required to leave, in the workflow map', () => {
  let ui: UiKitHost;
  async function openAdminPage(): Promise<void> {
    ui = installUiKitHost({ accountId: 'u-grace', extension: { type: 'jira:adminPage' } });
    const { CharterAdmin } = await import('../src/frontend/admin/charter-admin.tsx');
    await ui.render(<CharterAdmin scope="global" />);
    // The map's ready lists become pickers once the site's fields are read (getPickerOptions).
    await ui.settle(
      () => find(ui.doc(), (d) => d.props.name === 'workflow.states.To Do.ready' && d.type === 'Select').length === 1,
      'the workflow map',
    );
  }
  const saves = () => ui.calls.filter((c) => c.name === 'saveCharter');

  it("the fields are chosen by name among the site's (GET /field on the sim), saved by id under workflow.<status>.ready and shown again after reload", async () => {
    h.sim.store.fields.set('customfield_10010', {
      id: 'customfield_10010',
      name: 'Customer tier',
      custom: true,
      schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select' },
    });
    await openAdminPage();
    const table = find(ui.doc(), (d) => d.type === 'DynamicTable' && d.props.caption === 'Workflow map')[0];
    expect(texts(find(table, (d) => d.type === 'ContentWrapper' && d.props.name === 'head')[0])).toEqual([
      'Status',
      'Jira category',
      'Phase for Baton',
      'Required to leave',
    ]);
    const offered = ui.field('workflow.states.To Do.ready').props.options as { label: string; value: string }[];
    // Only what a checklist can read: no Summary or Status; the custom field by name; link, attachment, approval.
    expect(offered).toEqual(
      expect.arrayContaining([
        { label: 'Due date', value: 'duedate' },
        { label: 'Customer tier (customfield_10010)', value: 'customfield_10010' },
        { label: 'A linked issue or URL', value: 'link' },
      ]),
    );
    expect(offered.map((o) => o.value)).not.toContain('summary');
    ui.chooseMany('workflow.states.To Do.ready', ['duedate', 'customfield_10010', 'link']);
    await ui.settle(
      () => (ui.field('workflow.states.To Do.ready').props.value as unknown[]).length === 3,
      'the chosen fields',
    );
    ui.pickUser('workflow.states.To Do.ready.approver', 'u-linus');
    await ui.settle(
      () => (ui.field('workflow.states.To Do.ready').props.value as unknown[]).length === 4,
      'the named approval',
    );
    await ui.click('Save workflow map');
    await ui.settle(() => ui.shown().includes('Saved: version 1'), 'the save');
    const sent = parse((saves()[0]?.payload as { yaml: string }).yaml) as {
      workflow: { states: Record<string, unknown> };
    };
    // Core's definition of ready: each item a requirement with the checklist's words.
    const want = [
      { kind: 'field', field: 'duedate', label: 'due date set' },
      { kind: 'field', field: 'customfield_10010', label: 'customfield_10010 set' },
      { kind: 'link', label: 'a linked issue or URL' },
      { kind: 'approval', by: 'u-linus', label: 'approval by u-linus' },
    ];
    expect(sent.workflow.states['To Do']).toEqual({ phase: 'queue', ready: want });
    expect(sent.workflow.states['In Progress']).toEqual({ phase: 'active', ready: [] });
    expect((await createBatonStorage().getCharter('global'))?.charter.workflow.states['To Do']?.ready).toEqual(want);
    await ui.settle(() => ui.shown().includes('Version 1'), 'the reloaded charter');
    expect(ui.field('workflow.states.To Do.ready').props.value).toEqual([
      { label: 'Due date', value: 'duedate' },
      { label: 'Customer tier (customfield_10010)', value: 'customfield_10010' },
      { label: 'A linked issue or URL', value: 'link' },
      { label: 'An approval by u-linus', value: 'approval:u-linus' },
    ]);
  });

  it('an item the site does not know (a custom field id from the YAML) is shown as it is and kept when another is added', async () => {
    await saveToDoReady([
      { kind: 'field', field: 'assignee', label: 'owner assigned' },
      { kind: 'field', field: 'customfield_99999', label: 'customfield_99999 set' },
    ]);
    await openAdminPage();
    await ui.settle(() => Array.isArray(ui.field('workflow.states.To Do.ready').props.value), 'the field picker');
    expect(ui.field('workflow.states.To Do.ready').props.value).toEqual([
      { label: 'Assignee', value: 'assignee' },
      { label: 'customfield_99999 (not found in Jira)', value: 'customfield_99999' },
    ]);
    ui.chooseMany('workflow.states.To Do.ready', ['assignee', 'customfield_99999', 'attachment']);
    await ui.click('Save workflow map');
    await ui.settle(() => ui.shown().includes('Saved: version 2'), 'the save');
    expect(
      (
        parse((saves()[0]?.payload as { yaml: string }).yaml) as {
          workflow: { states: Record<string, { ready?: { kind: string; field?: string }[] }> };
        }
      ).workflow.states['To Do']?.ready?.map((r) => r.field ?? r.kind),
    ).toEqual(['assignee', 'customfield_99999', 'attachment']);
  });
});
