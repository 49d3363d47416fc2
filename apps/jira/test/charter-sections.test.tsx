import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { NOW } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';
import { errorsUnder, find, installUiKitHost, ONE_GOAL_SITE_YAML, openSiteAdmin, texts } from './ui-kit.ts';
import type { UiKitHost } from './ui-kit.ts';

// The classify rules and escalation ladders sections of the admin page's charter form, rendered by @forge/react's
// reconciler with the bridge answering from the real resolvers (u-grace administers the site).
const SITE_YAML = ONE_GOAL_SITE_YAML;

let ui: UiKitHost;
useForgeHarness(() => undefined);

async function openWithSite(yaml = SITE_YAML): Promise<void> {
  ui = await openSiteAdmin(yaml, 'Escalation ladders');
}

const saves = () => ui.calls.filter((c) => c.name === 'saveCharter');
const errorsAt = (name: string) => errorsUnder(ui.doc(), name);

describe('admin page: escalation ladders form', () => {
  it('adds a ladder with two steps (share of a goal → notify a person; idle → raise priority), saves them as YAML the backend keeps', async () => {
    await openWithSite();
    expect(ui.shown()).toContain('No escalation ladder.');
    await ui.click('Add escalation ladder');
    ui.type('escalation.ladders.0.id', 'breach');
    // The goal is chosen among the charter's SLA goals.
    expect(ui.options('escalation.ladders.0.goal')).toEqual(['', 'resolve']);
    ui.choose('escalation.ladders.0.goal', 'resolve');
    ui.choose('escalation.ladders.0.steps.0.threshold', 'share of an SLA goal consumed');
    await ui.settle(
      () => find(ui.doc(), (d) => d.props.name === 'escalation.ladders.0.steps.0.slaConsumed').length === 1,
      'the share field',
    );
    ui.type('escalation.ladders.0.steps.0.slaConsumed', '1');
    ui.choose('escalation.ladders.0.steps.0.do', 'notify-lead');
    ui.pickUser('escalation.ladders.0.steps.0.target', 'u-grace');
    await ui.settle(() => ui.shown().includes('Account id: u-grace'), 'the step target picked');
    await ui.click('Add step to ladder 1');
    ui.choose('escalation.ladders.0.steps.1.do', 'raise-priority');
    // The priority to raise to is one of the site's, read from Jira (the sim) through getPickerOptions.
    await ui.settle(
      () =>
        find(ui.doc(), (d) => d.props.name === 'escalation.ladders.0.steps.1.priority' && d.type === 'Select')
          .length === 1,
      'the priority picker',
    );
    expect(ui.options('escalation.ladders.0.steps.1.priority')).toEqual([
      '',
      'Highest',
      'High',
      'Medium',
      'Low',
      'Lowest',
    ]);
    ui.choose('escalation.ladders.0.steps.1.priority', 'Highest');
    ui.type('escalation.ladders.0.steps.1.idle', '3d');
    ui.pickUser('escalation.ladders.0.steps.1.target', 'u-linus');
    await ui.settle(() => ui.shown().includes('Account id: u-linus'), 'the step target picked');
    await ui.click('Clear ladder 1 step 2 target'); // cleared again: the step names nobody
    await ui.settle(() => !ui.shown().includes('Account id: u-linus'), 'the step target cleared');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Saved: version 2 is in force.'), 'the saved notice');
    const sent = parse((saves()[0]?.payload as { yaml: string }).yaml) as { escalation: unknown };
    expect(sent.escalation).toEqual({
      ladders: [
        {
          id: 'breach',
          goal: 'resolve',
          steps: [
            {
              slaConsumed: 1,
              do: 'notify-lead',
              target: 'u-grace',
              message: '{case} "{title}": {state} for {idle}, owner {owner}',
            },
            {
              idle: '3d',
              do: 'raise-priority',
              priority: 'Highest',
              message: '{case} "{title}": {state} for {idle}, owner {owner}',
            },
          ],
        },
      ],
    });
    expect(
      (await createBatonStorage().getCharter('global'))?.charter.escalation.ladders[0]?.steps.map((s) => s.do),
    ).toEqual(['notify-lead', 'raise-priority']);
  });

  it('an invalid step is not sent: each problem shows under its field with its path in the list; removing the step fixes it', async () => {
    await openWithSite();
    await ui.click('Add escalation ladder');
    ui.choose('escalation.ladders.0.goal', 'resolve');
    ui.type('slaGoals.0.id', 'resolution'); // the goal renamed: the ladder's goal is no SLA goal now, still shown
    await ui.settle(() => ui.options('escalation.ladders.0.goal').includes('resolution'), 'the renamed goal offered');
    expect(find(ui.doc(), (d) => d.props.name === 'escalation.ladders.0.goal')[0]?.props.value).toEqual({
      label: 'resolve (not an SLA goal of this charter)',
      value: 'resolve',
    });
    ui.choose('escalation.ladders.0.steps.0.do', 'raise-priority'); // without a priority
    await ui.click('Add step to ladder 1');
    ui.type('escalation.ladders.0.steps.1.idle', 'soon');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Not saved'), 'the rejection');
    expect(saves()).toHaveLength(0);
    const notice = find(ui.doc(), (d) => d.type === 'SectionMessage')[0];
    // Core's problems, by core's paths.
    expect(texts(notice).slice(1)).toEqual([
      "escalation.ladders[0].steps[1].idle: expected a duration like '8h' or '3d'",
      "escalation.ladders[0].goal: unknown SLA goal 'resolve'",
      'escalation.ladders[0].steps[0].priority: expected the priority to raise to',
    ]);
    expect(errorsAt('escalation.ladders.0.steps.1.idle')).toEqual(["expected a duration like '8h' or '3d'"]);
    expect(errorsAt('escalation.ladders.0.goal')).toEqual(["unknown SLA goal 'resolve'"]);
    expect(errorsAt('escalation.ladders.0.steps.0.priority')).toEqual(['expected the priority to raise to']);
    expect(saves()).toHaveLength(0);

    await ui.click('Remove ladder 1 step 1');
    ui.type('escalation.ladders.0.steps.0.idle', '2d');
    ui.choose('escalation.ladders.0.goal', '');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Saved: version 2 is in force.'), 'the save');
    expect((parse((saves()[0]?.payload as { yaml: string }).yaml) as { escalation: unknown }).escalation).toEqual({
      ladders: [
        {
          id: 'ladder-1',
          steps: [{ idle: '2d', do: 'nudge-owner', message: '{case} "{title}": {state} for {idle}, owner {owner}' }],
        },
      ],
    });
    await ui.click('Remove ladder 1');
    expect(ui.shown()).toContain('No escalation ladder.');
  });
});

describe('admin page: classify rules form', () => {
  it('adds rules (field, value, keywords) and saves them; a label with spaces and a rule without keywords are not sent, each shown under its field', async () => {
    await openWithSite();
    expect(ui.shown()).toContain('No classify rule.');
    await ui.click('Add classify rule');
    await ui.click('Add classify rule');
    ui.choose('routing.classify.0.field', 'priority');
    // A priority rule's value is one of the site's priorities (the sim's, through getPickerOptions).
    await ui.settle(() => ui.field('routing.classify.0.label').type === 'Select', 'the priority picker');
    expect(ui.options('routing.classify.0.label')).toEqual(['Highest', 'High', 'Medium', 'Low', 'Lowest', 'new-label']);
    ui.choose('routing.classify.0.label', 'High');
    ui.type('routing.classify.0.keywords', 'outage, locked out');
    ui.type('routing.classify.1.label', 'two words');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Not saved'), 'the rejection');
    expect(saves()).toHaveLength(0);
    expect(texts(find(ui.doc(), (d) => d.type === 'SectionMessage')[0]).slice(1)).toEqual([
      "routing.classify[1].label: a label cannot contain spaces: 'two words'",
      expect.stringMatching(/^routing\.classify\[1\]\.keywords: /),
    ]);
    expect(errorsAt('routing.classify.1.label')).toEqual(["a label cannot contain spaces: 'two words'"]);
    expect(errorsAt('routing.classify.1.keywords')).toHaveLength(1);

    ui.type('routing.classify.1.label', 'billing');
    ui.type('routing.classify.1.keywords', 'invoice, VAT');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Saved: version 2 is in force.'), 'the save');
    expect((parse((saves()[0]?.payload as { yaml: string }).yaml) as { routing: unknown }).routing).toEqual({
      teams: [],
      ownership: [],
      classify: [
        { field: 'priority', label: 'High', keywords: ['outage', 'locked out'], when: {} },
        { field: 'labels', label: 'billing', keywords: ['invoice', 'VAT'], when: {} },
      ],
      modelClassify: { enabled: false, fields: [] },
      maxOpenPerPerson: 15,
    });
    await ui.settle(() => ui.shown().includes('Version 2'), 'the reloaded charter');
    await ui.click('Remove rule 1');
    expect(ui.field('routing.classify.0.label').props.value).toBe('billing');
  });

  it("on a project's settings page a component rule chooses among the project's components; a value from the YAML that Jira does not know is shown and kept", async () => {
    const { parseCharterYaml } = await import('../src/app/charter-yaml.ts');
    const yaml = [
      'version: 2',
      'routing:',
      '  classify:',
      '    - { field: components, label: Payroll, keywords: [payroll] }',
      '    - { field: priority, label: Critical, keywords: [down] }',
      '',
    ].join('\n');
    const parsed = parseCharterYaml(yaml);
    if (!parsed.ok) throw new Error('bad fixture');
    await createBatonStorage().saveCharter(
      'SUP',
      { charter: parsed.value, yaml, updatedAt: NOW, updatedBy: 'test' },
      0,
    );
    ui = installUiKitHost({
      accountId: 'u-grace',
      extension: { type: 'jira:projectSettingsPage', project: { key: 'SUP' } },
    });
    const { CharterAdmin } = await import('../src/frontend/admin/charter-admin.tsx');
    await ui.render(<CharterAdmin scope="SUP" pollMs={2000} />);
    await ui.settle(
      () => find(ui.doc(), (d) => d.props.name === 'routing.classify.0.label' && d.type === 'Select').length === 1,
      'the component picker',
    );
    // SUP's components in the sim (Billing, Login, Reports), read through getPickerOptions; Payroll is not one of them.
    expect(ui.options('routing.classify.0.label')).toEqual(['Billing', 'Login', 'Reports', 'Payroll']);
    expect(ui.field('routing.classify.0.label').props.value).toEqual({
      label: 'Payroll (not found in Jira)',
      value: 'Payroll',
    });
    expect(ui.field('routing.classify.1.label').props.value).toEqual({
      label: 'Critical (not found in Jira)',
      value: 'Critical',
    });
    ui.choose('routing.classify.0.label', 'Login');
    // The model settings are the site admin's: this page does not read them and says where the model is chosen.
    expect(ui.calls.some((c) => c.name === 'getModelSettings')).toBe(false);
    (
      find(ui.doc(), (d) => d.type === 'Toggle' && String(d.props.id).endsWith('routing.modelClassify.enabled'))[0]
        ?.props.onChange as () => void
    )();
    await ui.settle(
      () => ui.shown().includes("The model is chosen by a site admin on the Baton admin page's Model tab"),
      'the note',
    );
    ui.chooseMany('routing.modelClassify.fields', ['priority']);
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Saved: version 2 is in force.'), 'the save');
    expect(
      (parse((saves()[0]?.payload as { yaml: string }).yaml) as { routing: { classify: unknown } }).routing.classify,
    ).toEqual([
      { field: 'components', label: 'Login', keywords: ['payroll'], when: {} },
      { field: 'priority', label: 'Critical', keywords: ['down'], when: {} },
    ]);
    expect(
      (parse((saves()[0]?.payload as { yaml: string }).yaml) as { routing: { modelClassify: unknown } }).routing
        .modelClassify,
    ).toEqual({ enabled: true, fields: ['priority'] });
  });

  it('on the site admin page a component is typed (components belong to a project)', async () => {
    await openWithSite();
    await ui.click('Add classify rule');
    ui.choose('routing.classify.0.field', 'components');
    await ui.settle(
      () => ui.calls.some((c) => c.name === 'getPickerOptions') && ui.shown().includes('Value (component name)'),
      'the typed component field',
    );
    expect(ui.field('routing.classify.0.label').type).toBe('Textfield');
  });

  it('lets the model suggest fields that have classify rules: the toggle and the choice save routing.modelClassify; with no model chosen the page says nothing will be asked', async () => {
    await openWithSite();
    await ui.click('Add classify rule');
    ui.type('routing.classify.0.keywords', 'invoice');
    await ui.click('Add classify rule');
    ui.choose('routing.classify.1.field', 'components');
    ui.type('routing.classify.1.label', 'Billing');
    ui.type('routing.classify.1.keywords', 'refund');
    await ui.settle(() => ui.options('routing.modelClassify.fields').length === 2, 'the fields with rules offered');
    // Only the fields that have classify rules are offered (priority has none).
    expect(ui.options('routing.modelClassify.fields')).toEqual(['labels', 'components']);
    expect(ui.shown()).not.toContain('No model is chosen on the Model tab');
    (
      find(ui.doc(), (d) => d.type === 'Toggle' && String(d.props.id).endsWith('routing.modelClassify.enabled'))[0]
        ?.props.onChange as () => void
    )();
    await ui.settle(
      () => ui.shown().includes('No model is chosen on the Model tab: nothing will be asked'),
      'the no-model note',
    );
    ui.chooseMany('routing.modelClassify.fields', ['components']);
    // Forge LLM chosen on the Model tab: the section names the model instead.
    await ui.settle(() => ui.shown().includes('Today: 0 tokens'), 'the model tab');
    (ui.field('model.provider').props.onChange as (e: unknown) => void)({ target: { value: 'forge-llm' } });
    await ui.settle(() => find(ui.doc(), (d) => d.props.name === 'model.model').length === 1, 'the model choice');
    await ui.click('Save model settings');
    await ui.settle(() => ui.shown().includes("is asked about a new issue's empty fields"), 'the chosen-model note');
    expect(ui.shown()).not.toContain('No model is chosen on the Model tab');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Saved: version 2 is in force.'), 'the save');
    expect(
      (parse((saves()[0]?.payload as { yaml: string }).yaml) as { routing: { modelClassify: unknown } }).routing
        .modelClassify,
    ).toEqual({ enabled: true, fields: ['components'] });
    expect((await createBatonStorage().getCharter('global'))?.charter.routing.modelClassify).toEqual({
      enabled: true,
      fields: ['components'],
    });
  });

  it('removing the last classify rule of a field the model suggests shows the problem under the field choice, from the form and from the backend', async () => {
    await openWithSite(
      [
        ...SITE_YAML.split('\n').slice(0, -1),
        'routing:',
        '  classify:',
        '    - { field: priority, label: High, keywords: [outage] }',
        '  modelClassify: { enabled: true, fields: [priority] }',
        '',
      ].join('\n'),
    );
    await ui.settle(
      () =>
        ui.field('routing.modelClassify.fields').props.value !== undefined &&
        ui.options('routing.modelClassify.fields').includes('priority'),
      'the listed field',
    );
    await ui.click('Remove rule 1');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Not saved'), 'the rejection');
    expect(saves()).toHaveLength(0);
    const problem =
      "item 1: no labels for 'priority' in routing.classify (the model picks one of the labels the rules name)";
    expect(errorsAt('routing.modelClassify.fields')).toEqual([problem]);
    expect(ui.field('routing.modelClassify.fields').props.value).toEqual([
      { label: 'priority (no classify rule)', value: 'priority' },
    ]);
    // The same charter saved as YAML: the backend refuses it, and its problem shows under the same control.
    ui.type(
      'charter.yaml',
      [
        ...SITE_YAML.split('\n').slice(0, -1),
        'routing:',
        '  modelClassify: { enabled: true, fields: [labels] }',
        '',
      ].join('\n'),
    );
    await ui.click('Save YAML');
    await ui.settle(() => saves().length === 1 && ui.shown().includes('rejected whole'), 'the backend rejection');
    expect(errorsAt('routing.modelClassify.fields')).toEqual([
      "item 1: no labels for 'labels' in routing.classify (the model picks one of the labels the rules name)",
    ]);
  });
});

describe('admin page: how the handoff packet is delivered', () => {
  it('shows comment until the charter says otherwise; choosing email saves handoff.by, which the backend keeps', async () => {
    await openWithSite();
    const shownValue = () => find(ui.doc(), (d) => d.props.name === 'handoff.by')[0]?.props.value;
    expect(ui.options('handoff.by')).toEqual(['comment', 'email']);
    expect(shownValue()).toEqual({ label: 'comment', value: 'comment' });
    ui.choose('handoff.by', 'email');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Saved: version 2 is in force.'), 'the saved notice');
    expect((parse((saves()[0]?.payload as { yaml: string }).yaml) as { handoff: unknown }).handoff).toEqual({
      by: 'email',
    });
    expect((await createBatonStorage().getCharter('global'))?.charter.handoff).toEqual({ by: 'email' });
  });

  it('a charter that sends it by email opens with email chosen', async () => {
    await openWithSite(`${SITE_YAML}handoff: { by: email }\n`);
    expect(find(ui.doc(), (d) => d.props.name === 'handoff.by')[0]?.props.value).toEqual({
      label: 'email',
      value: 'email',
    });
  });
});
