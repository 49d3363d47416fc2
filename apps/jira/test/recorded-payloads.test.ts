import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedFromRecorded } from '@baton/jira-sim';
import { describe, expect, it } from 'vitest';
import { onIssueEvent, watchdogTick } from '../src/index.ts';
import { readIssue } from '../src/app/read-issue.ts';
import { CharterSchema } from '../src/contracts/charter-migration/jira-app-v1.ts';
import { IssueStateSchema, ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { businessTimeBetween } from '@baton/core';
import { compileCharter } from '@baton/core';
import { charterFromApp } from '../src/contracts/charter-migration/migrate.ts';
import { factsAt } from '../src/app/facts-at.ts';
import { trustScore } from '../src/app/trust-score.ts';
import { watchdogDecisions } from '../src/app/watchdog-rules.ts';
import { forgeDeps } from '../src/handlers/forge-deps.ts';
import { saveCoreCharter, supCharter, coreCharter, ASSIST_ALL, slaGoal } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// Recorded Jira responses (fixtures/SOURCE.md) seed the jira-sim (`seedFromRecorded`: custom fields,
// comments and people as recorded) and the real handlers read them through @forge/api as Forge runs
// them, like every other app test: the sim serves the recorded issue in v3 shape, `fields=` selection
// included.

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));
const RECORDED = fixture('jira-to-matrix-issue.json');
/** The recorded assignee (one account id, recorded under two display names). */
const ASSIGNEE = '5b912f5c8a96e82b9549361c';

const CHARTER = supCharter({
  scope: { projects: ['BBCOM'] },
  slaGoals: [slaGoal('resolution', '5d', { when: { priority: ['Highest'] } })],
  autonomy: { default: 'off', kinds: { ...ASSIST_ALL, notify: 'automate', requestInfo: 'automate' } },
  caps: { maxNudgesPerCasePerDay: 3, quietHours: null, quietOutsideBusinessHours: false },
});
// Monday 24 December 2018, 12:00 UTC: five days after the last comment on the recorded issue.
const NOW = Date.UTC(2018, 11, 24, 12, 0);

let h: ForgeHarness;
useForgeHarness(
  (started) => {
    h = started;
  },
  {
    at: NOW,
    seed: () =>
      seedFromRecorded({
        me: { accountId: 'app-baton', displayName: 'Baton' },
        issues: [RECORDED, fixture('jira-cli-issue.json')],
        // jira-cli's trimmed v3 issue names its status only; To Do is Jira's "new" category.
        statusCategories: { 'To Do': 'new' },
      }),
  },
);

const stateOf = (key: string) => IssueStateSchema.parse(h.sim.store.get(key).properties.get(ISSUE_STATE_PROPERTY));
const appComments = (key: string) => h.sim.store.get(key).comments.filter((c) => c.author === 'app-baton');

describe('recorded Jira payloads through the sim and the real handlers', () => {
  it('a real Jira issue with comments: the watchdog nudges the assignee about the stall and the SLA breach, once', async () => {
    await saveCoreCharter(CHARTER);
    const tick = await watchdogTick();
    expect(tick.evaluated).toEqual(['BBCOM-1398']);
    const nudges = appComments('BBCOM-1398').map((c) => h.sim.store.commentText(c));
    expect(nudges).toHaveLength(2);
    expect(nudges[0]).toMatch(/idle in К выполнению/);
    expect(nudges[1]).toMatch(/SLA resolution breached/);
    // Created Wed 5 Dec 11:32 UTC; five 8-hour days later (09:00–17:00 UTC) is Wed 12 Dec 11:32: when it breached.
    const state = stateOf('BBCOM-1398');
    expect(state.sla).toEqual([
      expect.objectContaining({
        goal: 'resolution',
        state: 'breached',
        dueAt: Date.UTC(2018, 11, 12, 11, 32, 11, 571),
      }),
    ]);
    expect(state.packet?.definitionOfReady).toEqual([
      { item: 'owner assigned', present: true },
      { item: 'priority set', present: true },
    ]);
    expect(state.packet?.risks.join(' ')).toMatch(/SLA|breach/i);
    // Core's idempotency keys: the next tick (the nudges changed the issue, so it is read again) posts nothing twice.
    await watchdogTick();
    expect(appComments('BBCOM-1398')).toHaveLength(2);
    expect(h.sim.store.get('BBCOM-1398').comments.filter((c) => c.author === ASSIGNEE)).toHaveLength(3);
  });

  it("a recorded issue against its status's definition of ready: custom fields requested by id and read from Jira's fields", async () => {
    await saveCoreCharter({
      ...CHARTER,
      workflow: {
        norm: '2d',
        states: {
          'К выполнению': {
            phase: 'queue',
            norm: '2d',
            ready: [
              { kind: 'field', field: 'customfield_10019', label: 'customfield_10019 set' },
              { kind: 'field', field: 'customfield_10030', label: 'customfield_10030 set' },
              { kind: 'field', field: 'duedate', label: 'due date set' },
              { kind: 'field', field: 'assignee', label: 'owner assigned' },
            ],
          },
        },
      },
    });
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'BBCOM-1398', { atlassianId: ASSIGNEE }));
    const read = h.sim.requests.find((r) => r.method === 'GET' && r.path === '/rest/api/3/issue/BBCOM-1398');
    expect(read?.query.fields?.split(',')).toEqual(expect.arrayContaining(['customfield_10019', 'customfield_10030']));
    // The recording: customfield_10019 (rank) is set, customfield_10030 is null, no due date, an assignee.
    expect(stateOf('BBCOM-1398').packet?.definitionOfReady).toEqual([
      { item: 'customfield_10019 set', present: true },
      { item: 'customfield_10030 set', present: false },
      { item: 'due date set', present: false },
      { item: 'owner assigned', present: true },
    ]);
  });

  it('the past of a recorded issue, read through the app’s Jira client: before creation nothing, on the first day no stall', async () => {
    const charter = coreCharter(CHARTER);
    const issue = await readIssue(forgeDeps().jira, 'BBCOM-1398', charter);
    expect(issue).toMatchObject({
      key: 'BBCOM-1398',
      status: 'К выполнению',
      phase: 'queue',
      assignee: ASSIGNEE,
      priority: 'Highest',
    });
    expect(issue.record.events.map((e) => e.kind)).toEqual(['created', 'comment', 'comment', 'comment']);
    expect(factsAt(issue, issue.created - 1)).toBeUndefined();
    const dayOne = factsAt(issue, issue.created + 3_600_000)!;
    expect(dayOne.record.events.map((e) => e.kind)).toEqual(['created']);
    expect(watchdogDecisions(dayOne, [], charter, issue.created + 3_600_000)).toEqual([]);
  });

  it('a v3 issue with an ADF description and no changelog maps; a response that is not an issue fails with its path', async () => {
    const charter = coreCharter(CHARTER);
    const jira = forgeDeps().jira;
    const issue = await readIssue(jira, 'TEST-1', charter);
    expect(issue).toMatchObject({
      key: 'TEST-1',
      status: 'To Do',
      summary: 'Bug summary',
      statusChanges: [],
      assigneeChanges: [],
    });
    expect(issue.record.attributes.description ?? issue.record.title).toBeTruthy();
    // Something that is not an issue, served where TEST-1 was (a broken proxy, a changed API).
    h.sim.fail({
      status: 200,
      path: '/rest/api/3/issue/TEST-1',
      body: { id: '1', key: 'X-1', fields: { created: 'yesterday' } },
    });
    await expect(readIssue(jira, 'TEST-1', charter)).rejects.toThrow(/TEST-1 could not be read/);
  });
});

describe('adapters over core', () => {
  it('the old dialect’s calendar (fixed offset, one window) migrates to core’s and equals the window walked by hand', () => {
    const india = compileCharter(
      charterFromApp(
        CharterSchema.parse({
          calendar: { utcOffsetMinutes: 330, workdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
        }),
      ),
    ).calendar;
    // +05:30 all year is India's zone, so the due date's local day is the team's.
    expect(india.timeZone).toBe('Asia/Kolkata');
    // Monday 09:00 IST is 03:30 UTC; Friday 17:00 IST is 11:30 UTC: one working week.
    const mon = Date.UTC(2026, 10, 23, 3, 30);
    expect(businessTimeBetween(india, mon, mon + 4 * 86_400_000 + 8 * 3_600_000)).toBe(40 * 3_600_000);
    // A whole-hour offset is its Etc zone: Sunday 19:00 UTC is Monday 09:00 in UTC+14.
    const kiribati = compileCharter(
      charterFromApp(CharterSchema.parse({ calendar: { utcOffsetMinutes: 840 } })),
    ).calendar;
    expect(kiribati.timeZone).toBe('Etc/GMT-14');
    expect(businessTimeBetween(kiribati, Date.UTC(2026, 10, 22, 19, 0), Date.UTC(2026, 10, 22, 20, 0))).toBe(3_600_000);
  });

  it('trust from audit rows is core’s trustScore summed over patterns', () => {
    const row = (
      outcome: 'executed' | 'accepted' | 'overridden' | 'dropped',
      pattern: string,
      code?: 'wrong-owner',
    ) => ({
      id: `${outcome}-${pattern}`,
      decisionKey: `k-${pattern}`,
      issueKey: 'SUP-1',
      at: 0,
      pattern,
      kind: 'assign',
      outcome,
      reason: '',
      actor: 'u-ada',
      ...(code ? { overrideReason: { code, text: '' } } : {}),
    });
    expect(
      trustScore([
        row('accepted', 'router'),
        row('overridden', 'watchdog', 'wrong-owner'),
        row('executed', 'router'),
        row('dropped', 'router'),
      ]),
    ).toEqual({
      acceptance: 0.5,
      accepted: 1,
      overridden: 1,
      executed: 1,
      overrideReasons: { 'wrong-owner': 1 },
      finals: 0,
      drifted: 0,
      drift: null,
    });
    expect(trustScore([]).acceptance).toBeNull();
  });
});
