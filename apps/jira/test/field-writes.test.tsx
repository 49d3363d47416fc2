import { describe, expect, it } from 'vitest';
import { uiResolver } from '../src/index.ts';
import { invokeResolver, saveCoreCharter, supCharter, ASSIST_ALL, slaGoal } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { installUiKitHost } from './ui-kit.ts';
import type { UiKitHost } from './ui-kit.ts';

// The charter page's check that the fields Baton writes are on the edit screens: the real resolver
// reads jira-sim's editmeta (driven by each issue's edit screen, which PUT /issue enforces too), and the
// page is rendered through @forge/react's reconciler. SUP's most recent issue per type: Incident
// SUP-1, Service request SUP-2, Task SUP-5.
let h: ForgeHarness;
let ui: UiKitHost;
useForgeHarness((started) => {
  h = started;
});

const SLA = [slaGoal('resolve', '3d')];
const editmetaCalls = () =>
  h.sim
    .requestsTo('/rest/api/3/issue/')
    .filter((r) => r.path.endsWith('/editmeta'))
    .map((r) => r.path.split('/')[5]);

async function openPage(scope: string): Promise<void> {
  ui = installUiKitHost(
    scope === 'global'
      ? { accountId: 'u-grace', extension: { type: 'jira:adminPage' } }
      : {
          accountId: 'u-grace',
          extension: { type: 'jira:projectSettingsPage', project: { id: '10100', key: scope, type: 'service_desk' } },
        },
  );
  const { CharterAdmin } = await import('../src/frontend/admin/charter-admin.tsx');
  await ui.render(<CharterAdmin scope={scope} />);
  await ui.settle(
    () => !ui.shown().includes('Checking the edit screens') && !ui.shown().includes('Loading the charter'),
    'the field-write check',
  );
}

describe('checking the fields Baton writes against the edit screens', () => {
  it('names the field, issue type and project whose edit screen lacks it, and turns green once it is added', async () => {
    await saveCoreCharter(
      supCharter({
        slaGoals: SLA,
        routing: { classify: [{ field: 'labels', label: 'billing', keywords: ['invoice'] }] },
      }),
    );
    // Incidents have no Due date on their edit screen.
    for (const key of ['SUP-1', 'SUP-3', 'SUP-4'])
      h.sim.store.get(key).editableFields = ['summary', 'description', 'priority', 'labels', 'components', 'assignee'];
    await openPage('global');
    expect(ui.shown()).toContain('1 field Baton writes is not on an edit screen');
    expect(ui.shown()).toContain(
      "Add Due date to the edit screen of Incident in SUP (Baton writes it for SLA goal 'resolve' (the router's due date)",
    );
    expect(ui.shown()).not.toContain('Add Labels');
    expect(ui.shown()).not.toContain('of Task in SUP');
    expect(editmetaCalls().sort()).toEqual(['SUP-1', 'SUP-2', 'SUP-5']);

    // The admin adds Due date to the Incident screen: the check agrees, and so does Jira's PUT.
    for (const key of ['SUP-1', 'SUP-3', 'SUP-4']) h.sim.store.get(key).editableFields.push('duedate');
    await ui.click('Check the edit screens again');
    await ui.settle(() => ui.shown().includes('All fields Baton writes are on the edit screens'), 'the all-clear');
    expect(ui.shown()).toContain(
      'SUP: Due date, Labels checked on Incident (SUP-1), Service request (SUP-2), Task (SUP-5).',
    );
  });

  it('on a project settings page checks that project with its own charter: priority from a raise-priority step, components from a rule', async () => {
    await saveCoreCharter(
      supCharter({
        scope: { projects: [] },
        slaGoals: SLA,
        escalation: {
          ladders: [
            {
              id: 'breach',
              goal: 'resolve',
              steps: [
                {
                  slaConsumed: 1,
                  do: 'raise-priority',
                  message: '{case} "{title}": {state} for {idle}, owner {owner}',
                  priority: 'High',
                },
              ],
            },
          ],
        },
        routing: { classify: [{ field: 'components', label: 'Billing', keywords: ['invoice'] }] },
        autonomy: { default: 'off', kinds: { ...ASSIST_ALL, setField: 'automate' } },
      }),
      'SUP',
    );
    h.sim.store.get('SUP-5').editableFields = ['summary', 'duedate'];
    const r = await invokeResolver(uiResolver as never, 'checkFieldWrites', { scope: 'SUP' }, 'u-grace');
    if (!r.ok) throw new Error(r.error.message);
    const data = r.data as {
      problems: { issueType: string; field: string; fix: string }[];
      projects: { writes: { field: string; because: string }[] }[];
    };
    expect(data.projects[0]?.writes).toEqual([
      { field: 'duedate', name: 'Due date', because: "SLA goal 'resolve' (the router's due date)" },
      { field: 'priority', name: 'Priority', because: "raise-priority steps of ladder 'breach'" },
      { field: 'components', name: 'Components', because: 'classify rules (Billing)' },
    ]);
    expect(data.problems.map((p) => `${p.issueType}:${p.field}`)).toEqual(['Task:priority', 'Task:components']);

    await openPage('SUP');
    expect(ui.shown()).toContain('2 fields Baton writes are not on an edit screen');
    expect(ui.shown()).toContain('Add Priority to the edit screen of Task in SUP');
    expect(ui.shown()).toContain('Add Components to the edit screen of Task in SUP');
  });

  it('reads no edit screen when the Set fields dial is off, and says the charter writes none', async () => {
    await saveCoreCharter(
      supCharter({
        slaGoals: SLA,
        autonomy: { default: 'off', kinds: { ...ASSIST_ALL, setField: 'off' } },
      }),
    );
    h.sim.store.get('SUP-1').editableFields = ['summary'];
    await openPage('global');
    expect(ui.shown()).toContain('The charter in force writes no fields');
    expect(editmetaCalls()).toEqual([]);
  });

  it('refuses an agent (project admin needed) and a bad scope by field', async () => {
    const agent = await invokeResolver(uiResolver as never, 'checkFieldWrites', { scope: 'SUP' }, 'u-ada');
    expect(agent).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const bad = await invokeResolver(uiResolver as never, 'checkFieldWrites', { scope: 'sup' }, 'u-grace');
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(editmetaCalls()).toEqual([]);
  });
});
