import { PATTERNS } from '@baton/core';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { personalDataReport, workConsumer } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { NOW } from './fixtures.ts';
import { useForgeHarness, consumerEvent } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { errorsUnder, find, installUiKitHost, ONE_GOAL_SITE_YAML, texts } from './ui-kit.ts';
import type { UiKitHost } from './ui-kit.ts';

// The admin page and the project settings page, rendered by @forge/react's reconciler with the
// bridge answering from the real resolvers over the Forge harness (u-grace administers the site).
const SITE_YAML = ONE_GOAL_SITE_YAML;

let h: ForgeHarness;
let ui: UiKitHost;
useForgeHarness((started) => {
  h = started;
});

async function saveSite(yaml = SITE_YAML): Promise<void> {
  const storage = createBatonStorage();
  const { parseCharterYaml } = await import('../src/app/charter-yaml.ts');
  const parsed = parseCharterYaml(yaml);
  if (!parsed.ok) throw new Error('bad fixture');
  await storage.saveCharter(
    'global',
    { charter: parsed.value, yaml, updatedAt: NOW, updatedBy: 'test' },
    (await storage.getCharter('global'))?.version ?? 0,
  );
}

async function openAdminPage(pollMs = 2000): Promise<void> {
  ui = installUiKitHost({ accountId: 'u-grace', extension: { type: 'jira:adminPage' } });
  const { CharterAdmin } = await import('../src/frontend/admin/charter-admin.tsx');
  await ui.render(<CharterAdmin scope="global" pollMs={pollMs} />);
  await ui.settle(
    () =>
      ui.shown().includes('the agent charter for this site') &&
      find(ui.doc(), (d) => d.props.name === 'autonomy.kinds.notify').length === 1,
    'the charter form',
  );
}

const storage = () => createBatonStorage();
const saves = () => ui.calls.filter((c) => c.name === 'saveCharter');

describe('admin page: the charter', () => {
  it('editing fields and saving sends the charter as YAML with the version it was read at', async () => {
    await openAdminPage();
    expect(ui.shown()).toMatch(/No charter saved yet/);
    ui.choose('autonomy.kinds.notify', 'automate');
    ui.type('scope.projects', 'SUP, OPS');
    ui.type('caps.maxNudgesPerCasePerDay', '3');
    ui.type('calendars.default.timeZone', 'Europe/Berlin');
    ui.type('calendars.default.week.fri', '09:00-12:00, 13:00-15:00');
    ui.type('calendars.default.holidays', '2026-12-24, 2026-12-25');
    await ui.click('Add SLA goal');
    ui.type('slaGoals.0.id', 'first-response');
    ui.type('slaGoals.0.target', '4h');
    ui.type('slaGoals.0.when.priority', 'High, Highest');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Saved: version 1 is in force.'), 'the saved notice');
    expect(saves()).toHaveLength(1);
    const sent = saves()[0]?.payload as { scope: string; yaml: string; expectedVersion: number };
    expect(sent).toMatchObject({ scope: 'global', expectedVersion: 0 });
    const charter = parse(sent.yaml) as Record<string, unknown>;
    // Core's charter, as `baton replay` reads it.
    expect(charter).toMatchObject({
      version: 2,
      scope: { projects: ['SUP', 'OPS'] },
      autonomy: {
        kinds: { assign: 'assist', notify: 'automate', escalate: 'assist', comment: 'assist', setField: 'assist' },
      },
      calendars: {
        default: {
          timeZone: 'Europe/Berlin',
          week: {
            mon: [['09:00', '17:00']],
            fri: [
              ['09:00', '12:00'],
              ['13:00', '15:00'],
            ],
          },
          holidays: ['2026-12-24', '2026-12-25'],
        },
      },
      caps: { maxNudgesPerCasePerDay: 3, quietHours: null },
      slaGoals: [{ id: 'first-response', target: '4h', when: { priority: ['High', 'Highest'] }, warnAt: [0.75] }],
    });
    // The workflow map went along, pre-filled from the site's statuses and categories.
    expect((charter.workflow as { states: unknown }).states).toEqual({
      'To Do': { phase: 'queue', ready: [] },
      'In Progress': { phase: 'active', ready: [] },
      'Waiting for customer': { phase: 'waiting', ready: [] },
      Done: { phase: 'done', ready: [] },
    });
    expect((await createBatonStorage().getCharter('global'))?.charter.autonomy.kinds.notify).toBe('automate');
    // Reloaded at the new version: the next save expects version 1.
    await ui.settle(() => ui.shown().includes('Version 1'), 'the reloaded charter');
    ui.choose('autonomy.kinds.assign', 'automate');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Saved: version 2 is in force.'), 'the second save');
    expect(saves()[1]?.payload).toMatchObject({ expectedVersion: 1 });
  });

  it('the form has a dial for field writes ("Set fields (due date, priority, labels, components)"); saving writes autonomy.kinds.setField in the YAML', async () => {
    await saveSite();
    await openAdminPage();
    expect(ui.shown()).toContain('Set fields (due date, priority, labels, components)');
    // The site charter was saved without the dial: the form shows what applies, core's autonomy.default.
    const dial = find(ui.doc(), (d) => d.props.name === 'autonomy.kinds.setField');
    expect(dial.map((d) => (d.props.value as { value: string }).value)).toEqual(['assist']);
    ui.choose('autonomy.kinds.setField', 'automate');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Saved: version 2 is in force.'), 'the saved notice');
    const sent = saves()[0]?.payload as { yaml: string };
    expect(parse(sent.yaml)).toMatchObject({ autonomy: { default: 'assist', kinds: { setField: 'automate' } } });
    expect((await createBatonStorage().getCharter('global'))?.charter.autonomy).toEqual({
      default: 'assist',
      kinds: { setField: 'automate' },
    });
  });

  it('an invalid form is not sent: each problem shows under its field and in the list, the old version stays', async () => {
    await saveSite();
    await openAdminPage();
    ui.type('slaGoals.0.target', 'soon');
    ui.type('confidence.act', 'high');
    ui.type('calendars.default.timeZone', 'Mars/Olympus');
    ui.type('calendars.default.week.mon', '17:00-08:00');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Not saved'), 'the rejection');
    expect(saves()).toHaveLength(0);
    const notice = find(ui.doc(), (d) => d.type === 'SectionMessage')[0];
    expect(notice?.props.title).toMatch(/4 problems to fix\. Version 1 stays in force\./);
    expect(texts(notice)).toEqual([
      expect.stringMatching(/4 problems/),
      "calendars.default.timeZone: expected an IANA time zone name like 'Europe/Berlin' or 'UTC'",
      'calendars.default.week.mon[0]: expected the end after the start; split a shift that crosses midnight over two days',
      "slaGoals[0].target: expected a duration like '8h' or '3d'",
      expect.stringMatching(/^confidence\.act: /),
    ]);
    expect(errorsUnder(ui.doc(), 'slaGoals.0.target')).toEqual(["expected a duration like '8h' or '3d'"]);
    expect(errorsUnder(ui.doc(), 'calendars.default.timeZone')).toEqual([
      "expected an IANA time zone name like 'Europe/Berlin' or 'UTC'",
    ]);
    expect(errorsUnder(ui.doc(), 'calendars.default.week.mon')).toEqual([
      'item 1: expected the end after the start; split a shift that crosses midnight over two days',
    ]);
    expect(errorsUnder(ui.doc(), 'calendars.default.week.tue')).toEqual([]);
    expect(errorsUnder(ui.doc(), 'confidence.act')).toHaveLength(1);
    expect((await createBatonStorage().getCharter('global'))?.version).toBe(1);
  });

  it('the YAML tab saves text as written; an invalid charter is rejected whole with every problem listed and the previous version stays in force', async () => {
    await saveSite();
    await openAdminPage();
    expect(ui.field('charter.yaml').props.value).toBe(SITE_YAML);
    const bad = [
      'version: 2',
      'scope: { projects: [SUP] }',
      'autonomy:',
      '  kinds: { notify: sometimes }',
      'slaGoals:',
      '  - id: resolve',
      '    target: 3 days',
    ].join('\n');
    ui.type('charter.yaml', bad);
    await ui.click('Save YAML');
    await ui.settle(() => ui.shown().includes('rejected whole'), 'the rejection');
    expect(saves().at(-1)?.payload).toEqual({ scope: 'global', yaml: bad, expectedVersion: 1 });
    const notice = find(ui.doc(), (d) => d.type === 'SectionMessage')[0];
    expect(notice?.props.title).toBe(
      'Not saved: the charter was rejected whole (2 problems). Version 1 stays in force.',
    );
    const listed = texts(notice).slice(1).join('\n');
    // Core's problems by core's path.
    expect(listed).toMatch(/^autonomy\.kinds\.notify: /m);
    expect(listed).toMatch(/^slaGoals\[0\]\.target: expected a duration/m);
    expect(await createBatonStorage().getCharter('global')).toMatchObject({ version: 1, yaml: SITE_YAML });
    // What core accepts but Jira would refuse (a label with spaces) is the app's problem, at core's path.
    const spaced = `${SITE_YAML}routing: { classify: [{ field: labels, label: two words, keywords: [x] }] }\n`;
    ui.type('charter.yaml', spaced);
    await ui.click('Save YAML');
    await ui.settle(() => ui.shown().includes('(1 problem)'), 'the second rejection');
    expect(texts(find(ui.doc(), (d) => d.type === 'SectionMessage')[0]).slice(1)).toEqual([
      "routing.classify[0].label: a label cannot contain spaces: 'two words'",
    ]);
    // Fixed, it saves as version 2 exactly as typed.
    const good = `${SITE_YAML}autonomy:\n  kinds: { notify: automate }\n`;
    ui.type('charter.yaml', good);
    await ui.click('Save YAML');
    await ui.settle(() => ui.shown().includes('Saved: version 2'), 'the save');
    expect(await createBatonStorage().getCharter('global')).toMatchObject({ version: 2, yaml: good });
  });

  it("after a closed account was erased the page says what Baton changed; the next save is the admin's and the note goes", async () => {
    await saveSite(`${SITE_YAML}report: { to: [u-ada, u-grace] }\n`);
    h.privacy.status.set('u-ada', 'closed');
    await storage().putJson('person:u-ada', { name: 'Ada Lovelace', at: NOW });
    expect(await personalDataReport()).toMatchObject({ complete: true, charters: ['global'] });
    await openAdminPage();
    const told = find(ui.doc(), (d) => d.type === 'SectionMessage' && d.props.title === 'Baton changed this charter');
    expect(texts(told[0]).join(' ')).toMatch(
      /removed a closed Atlassian account .*\(report\.to\[0\]\): check who takes its place/,
    );
    expect(ui.shown()).not.toContain('u-ada');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Saved: version 2 is in force.'), 'the save');
    expect((await storage().getCharter('global'))?.notice).toBeUndefined();
    await ui.settle(() => !ui.shown().includes('Baton changed this charter'), 'the note gone');
  });

  it('quiet hours switch on with editable times; a goal can be removed', async () => {
    await saveSite();
    await openAdminPage();
    expect(find(ui.doc(), (d) => d.props.name === 'caps.quietHours.from')).toHaveLength(0);
    (
      find(ui.doc(), (d) => d.type === 'Toggle' && String(d.props.id).endsWith('caps.quietHours'))[0]?.props
        .onChange as () => void
    )();
    await ui.settle(
      () => find(ui.doc(), (d) => d.props.name === 'caps.quietHours.from').length === 1,
      'the quiet-hours fields',
    );
    ui.type('caps.quietHours.from', '19:30');
    await ui.click('Remove goal 1');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Saved: version 2'), 'the save');
    expect(parse((saves()[0]?.payload as { yaml: string }).yaml)).toMatchObject({
      caps: { quietHours: { from: '19:30', to: '07:00' } },
      slaGoals: [],
    });
  });

  it('a save over a newer version is refused as a conflict and the newer version stays', async () => {
    await saveSite();
    await openAdminPage();
    await saveSite(`${SITE_YAML}confidence: { act: 0.95 }\n`); // another admin, meanwhile
    ui.choose('autonomy.kinds.notify', 'enforce');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Someone saved the charter meanwhile'), 'the conflict');
    const notice = find(ui.doc(), (d) => d.type === 'SectionMessage')[0];
    expect(notice?.props.appearance).toBe('warning');
    expect(saves()[0]?.payload).toMatchObject({ expectedVersion: 1 });
    expect(await createBatonStorage().getCharter('global')).toMatchObject({
      version: 2,
      charter: { confidence: { act: 0.95 }, autonomy: { kinds: {} } },
    });
  });

  it('the workflow map lists the statuses with their categories; a changed phase is saved', async () => {
    await saveSite();
    await openAdminPage();
    const table = find(ui.doc(), (d) => d.type === 'DynamicTable' && d.props.caption === 'Workflow map')[0];
    const rows = find(table, (d) => d.type === 'Row').map((r) => [
      ...texts(r),
      ...find(r, (d) => d.type === 'Select' && String(d.props.name).endsWith('.phase')).map(
        (s) => (s.props.value as { value: string }).value,
      ),
    ]);
    expect(rows).toEqual([
      ['To Do', 'new', 'queue'],
      ['In Progress', 'indeterminate', 'active'],
      ['Waiting for customer', 'indeterminate', 'waiting'],
      ['Done', 'done', 'done'],
    ]);
    ui.choose('workflow.states.In Progress.phase', 'waiting');
    await ui.click('Save workflow map');
    await ui.settle(() => ui.shown().includes('Saved: version 2'), 'the save');
    expect((await createBatonStorage().getCharter('global'))?.charter.workflow.states['In Progress']).toEqual({
      phase: 'waiting',
      ready: [],
    });
  });
});

describe('admin page: dry run, audit log, daily report', () => {
  it('starts a dry run, polls until the consumer has run it, and shows what the agent would have done', async () => {
    await saveSite();
    await openAdminPage(20);
    ui.type('dryRun.days', '7');
    await ui.click('Start dry run');
    await ui.settle(() => h.queued.length === 1, 'the queued dry run');
    expect(ui.calls.find((c) => c.name === 'startDryRun')?.payload).toEqual({ projectKey: 'SUP', days: 7 });
    await ui.settle(() => ui.shown().includes('is running'), 'the running notice');
    // The page has polled once while the run waits on the queue: under load the consumer could
    // otherwise finish before the first poll, and the page would never be seen polling a running run.
    await ui.settle(() => ui.calls.some((c) => c.name === 'getDryRun'), 'a poll while running');
    await workConsumer(consumerEvent(h.queued[0]?.body));
    await ui.settle(() => /issues over 7 days/.test(ui.shown()), 'the dry-run result');
    const stored = (await createBatonStorage().getJson(
      `dryrun:${String((h.queued[0]?.body as { runId: string }).runId)}`,
    )) as {
      decisions: { issueKey: string; pattern: string; kind: string; verdict: string }[];
      counts: { pattern: string; kind: string; verdict: string; n: number }[];
    };
    // Core's replay: every pattern may decide (router, watchdog, clerk, concierge).
    expect(stored.decisions.every((d) => (PATTERNS as readonly string[]).includes(d.pattern))).toBe(true);
    expect(ui.shown()).toContain(`${stored.decisions.length} decisions`);
    const perKind = find(
      ui.doc(),
      (d) => d.type === 'DynamicTable' && d.props.caption === 'Decisions per action and what the charter would do',
    )[0];
    const order = (a: { pattern: string; kind: string; verdict: string }, b: typeof a) =>
      a.pattern.localeCompare(b.pattern) || a.kind.localeCompare(b.kind) || a.verdict.localeCompare(b.verdict);
    const shownCounts = find(perKind, (d) => d.type === 'Row')
      .flatMap((r) => {
        const [pattern = '', kind = '', ...n] = texts(r);
        return ['act', 'suggest', 'escalate', 'drop'].map((verdict, i) => ({
          pattern,
          kind,
          verdict,
          n: Number(n[i]),
        }));
      })
      .filter((c) => c.n !== 0);
    expect(shownCounts.sort(order)).toEqual([...stored.counts].sort(order));
    // Every decision is counted once, under its own pattern and action.
    expect(stored.counts.reduce((a, c) => a + c.n, 0)).toBe(stored.decisions.length);
    const decisions = find(
      ui.doc(),
      (d) => d.type === 'DynamicTable' && d.props.caption === 'What the agent would have done',
    )[0];
    expect(find(decisions, (d) => d.type === 'Row')).toHaveLength(stored.decisions.length);
    expect(stored.decisions.length).toBeGreaterThan(0);
    expect(ui.calls.filter((c) => c.name === 'getDryRun').length).toBeGreaterThanOrEqual(2);
  });

  it('passes the audit filters and the cursor through, and shows the trust score', async () => {
    await saveSite();
    const storage = createBatonStorage();
    for (let n = 0; n < 55; n++) {
      await storage.appendAudit({
        id: `e${n}`,
        decisionKey: `d${n}`,
        issueKey: `SUP-${(n % 3) + 1}`,
        at: NOW - n * 60_000,
        pattern: 'watchdog',
        kind: 'nudge',
        outcome: n === 0 ? 'accepted' : n === 1 ? 'overridden' : 'suggested',
        reason: `reason ${n}`,
        actor: 'app-baton',
        ...(n === 1 ? { overrideReason: { code: 'not-stale' as const, text: '' } } : {}),
      });
    }
    await openAdminPage();
    await ui.settle(() => ui.shown().includes('Trust: 50%'), 'the trust score');
    expect(ui.shown()).toMatch(
      /Trust: 50% of answered suggestions accepted \(1 accepted, 1 overridden: not-stale ×1\)/,
    );
    const log = () => find(ui.doc(), (d) => d.type === 'DynamicTable' && d.props.caption === 'Audit log')[0];
    expect(find(log(), (d) => d.type === 'Row')).toHaveLength(50);
    await ui.click('Next page');
    await ui.settle(() => find(log(), (d) => d.type === 'Row').length === 5, 'the second page');
    const audits = () => ui.calls.filter((c) => c.name === 'getAuditLog').map((c) => c.payload);
    expect(audits().at(-1)).toEqual({ projectKey: 'SUP', cursor: expect.any(String) });
    ui.type('audit.issueKey', 'sup-2');
    ui.choose('audit.outcome', 'overridden');
    ui.type('audit.sinceDays', '3');
    await ui.click('Filter');
    await ui.settle(() => find(log(), (d) => d.type === 'Row').length === 1, 'the filtered log');
    expect(audits().at(-1)).toEqual({ projectKey: 'SUP', issueKey: 'SUP-2', outcome: 'overridden', sinceDays: 3 });
    expect(texts(find(log(), (d) => d.type === 'Row')[0])).toEqual([
      expect.any(String),
      'SUP-2',
      'nudge',
      'overridden',
      'reason 1',
      'app-baton',
    ]);
  });

  it('shows the daily report: core’s report with people by name, and who receives it by email', async () => {
    await saveSite();
    await openAdminPage();
    await ui.settle(
      () => ui.shown().includes('What changed (24 h)') && ui.shown().includes('Who must act next'),
      'the report',
    );
    // SUP-2 is Ada's: she acts next, shown by name; the site charter names nobody for the email.
    expect(ui.shown()).toMatch(/Ada Lovelace: .*SUP-2/);
    expect(ui.shown()).toContain('Not emailed: name people or teams under `report.to`');
    expect(ui.calls.find((c) => c.name === 'getDailyReport')?.payload).toEqual({ projectKey: 'SUP' });
  });
});

describe('admin page: the coordination dashboard', () => {
  it('says there is no analysis yet, refreshes on the queue showing issues read, then the KPIs and choke points; a narrower window on the next refresh', async () => {
    await saveSite();
    await openAdminPage(20);
    const updatedWithin = (days: number) =>
      [...h.sim.store.issues.values()].filter((i) => i.key.startsWith('SUP-') && i.updated >= NOW - days * 86_400_000)
        .length;
    expect(updatedWithin(1)).toBeLessThan(updatedWithin(30));
    await ui.settle(() => ui.shown().includes('No analysis yet'), 'the empty dashboard');
    expect(ui.calls.filter((c) => c.name === 'getDashboard').map((c) => c.payload)).toEqual([{ projectKey: 'SUP' }]);
    await ui.click('Refresh');
    await ui.settle(() => h.queued.length === 1, 'the queued refresh');
    expect(ui.calls.find((c) => c.name === 'startDashboard')?.payload).toEqual({ projectKey: 'SUP', days: 30 });
    await ui.settle(() => ui.shown().includes('Refreshing: 0 issues read so far'), 'the progress');
    await workConsumer(consumerEvent(h.queued.shift()?.body));
    await ui.settle(
      () => new RegExp(`^${updatedWithin(30)} issues updated in the last 30 days, `, 'm').test(ui.shown()),
      'the dashboard',
    );
    expect(ui.calls.some((c) => c.name === 'getDashboardProgress')).toBe(true);
    const chokes = () =>
      find(
        find(ui.doc(), (d) => d.type === 'DynamicTable' && d.props.caption === 'Choke points: where work waits')[0],
        (d) => d.type === 'Row',
      ).map((r) => texts(r).slice(0, 2));
    expect(chokes()).toContainEqual(['Waiting for customer', 'waiting']);
    expect(ui.shown()).toMatch(/Cycle time: median [\d.–]+ days/);
    ui.type('dashboard.days', '1');
    await ui.click('Refresh');
    await ui.settle(() => h.queued.length === 1, 'the second refresh');
    expect(ui.calls.filter((c) => c.name === 'startDashboard').at(-1)?.payload).toEqual({ projectKey: 'SUP', days: 1 });
    await workConsumer(consumerEvent(h.queued.shift()?.body));
    await ui.settle(
      () => new RegExp(`^${updatedWithin(1)} issues updated in the last day, `, 'm').test(ui.shown()),
      'the refreshed dashboard',
    );
  });
});

describe('project settings page', () => {
  it("shows the site charter for a project without its own, and saves the project's own charter", async () => {
    await saveSite();
    ui = installUiKitHost({
      accountId: 'u-grace',
      extension: { type: 'jira:projectSettingsPage', project: { id: '10100', key: 'SUP', type: 'service_desk' } },
    });
    vi.resetModules();
    await import('../src/frontend/project-settings.tsx');
    await ui.settle(() => ui.shown().includes('the agent charter for SUP'), 'the project page');
    expect(ui.shown()).toMatch(/No own charter yet: the site charter applies/);
    expect(find(ui.doc(), (d) => d.props.name === 'scope.projects')).toHaveLength(0);
    ui.choose('autonomy.kinds.escalate', 'off');
    await ui.click('Save charter');
    await ui.settle(() => ui.shown().includes('Saved: version 1 is in force.'), 'the save');
    expect(saves()[0]?.payload).toMatchObject({ scope: 'SUP', expectedVersion: 0 });
    expect((await createBatonStorage().getCharter('SUP'))?.charter).toMatchObject({
      autonomy: { kinds: { escalate: 'off' } },
      slaGoals: [{ id: 'resolve', target: '3d' }],
    });
    expect((await createBatonStorage().getCharter('global'))?.version).toBe(1);
  });

  it('a project admin without site rights sees the refusal from the resolver', async () => {
    ui = installUiKitHost({ accountId: 'u-ada', extension: { type: 'jira:adminPage' } });
    const { CharterAdmin } = await import('../src/frontend/admin/charter-admin.tsx');
    await ui.render(<CharterAdmin scope="global" />);
    await ui.settle(() => ui.shown().includes('You need ADMINISTER'), 'the refusal');
    expect(find(ui.doc(), (d) => d.props.name === 'autonomy.kinds.notify')).toHaveLength(0);
  });
});
