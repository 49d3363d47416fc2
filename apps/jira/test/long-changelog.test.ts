import { afterEach, describe, expect, it, vi } from 'vitest';
import { supportDeskSeed } from '@baton/jira-sim';
import type { SimHistory, SimSeed } from '@baton/jira-sim';
import { watchdogTick } from '../src/index.ts';
import { CHANGELOG_PAGE_SIZE, readIssue } from '../src/app/read-issue.ts';
import { forgeDeps } from '../src/handlers/forge-deps.ts';
import { IssueStateSchema, ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { slaClocks } from '../src/app/sla.ts';
import { NOW, freezeTime, saveCoreCharter, supCharter, coreCharter, ASSIST_ALL, slaGoal } from './fixtures.ts';
import { startForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

/**
 * Jira embeds at most 100 histories with `expand=changelog` (the most recent); the sim does the
 * same. SUP-9 was created Thursday 10:00 and put in "Waiting for customer" an hour later; the
 * customer answered Monday 09:00 (In Progress), then a sync app relabelled it 248 times. Its two
 * status changes are histories 1 and 2 of 250, beyond the embedded 100. Read with only those 100,
 * SUP-9 looks "In Progress since Thursday 10:00": 18 business hours on a 2-day (16 h) resolution
 * goal, breached. Read whole, the clock was paused while waiting: 1 h Thursday + 3 h Monday = 4 h.
 */
const HISTORIES = 250;
const CREATED = NOW - (4 * 24 + 2) * 3_600_000; // Thursday 10:00
const WAITING = CREATED + 3_600_000; // Thursday 11:00
const ANSWERED = NOW - 3 * 3_600_000; // Monday 09:00

function longSeed(histories = HISTORIES): SimSeed {
  const seed = supportDeskSeed();
  const log: SimHistory[] = [
    {
      author: 'u-ada',
      created: new Date(WAITING).toISOString(),
      items: [{ field: 'status', from: '10000', fromString: 'To Do', to: '10001', toString: 'Waiting for customer' }],
    },
    {
      author: 'u-cust',
      created: new Date(ANSWERED).toISOString(),
      items: [{ field: 'status', from: '10001', fromString: 'Waiting for customer', to: '3', toString: 'In Progress' }],
    },
  ];
  for (let i = 2; i < histories; i++) {
    // Every 40 seconds after the answer (all before 12:00), by the app (never a person's activity).
    const at = new Date(ANSWERED + i * 40_000).toISOString();
    log.push({
      author: 'app-baton',
      created: at,
      items: [{ field: 'labels', from: null, fromString: `sync-${i - 1}`, to: null, toString: `sync-${i}` }],
    });
  }
  seed.issues.push({
    key: 'SUP-9',
    summary: 'Mailbox sync keeps relabelling this',
    status: 'In Progress',
    assignee: 'u-linus',
    reporter: 'u-cust',
    created: new Date(CREATED).toISOString(),
    updated: log.at(-1)!.created,
    histories: log,
  });
  return seed;
}

const CHARTER = supCharter({
  workflow: { norm: '1d', states: {} },
  slaGoals: [slaGoal('resolution', '2d')],
  autonomy: {
    default: 'off',
    kinds: { ...ASSIST_ALL, notify: 'automate', requestInfo: 'automate', escalate: 'automate' },
  },
  caps: { maxNudgesPerCasePerDay: 3, quietHours: null, quietOutsideBusinessHours: false },
});
const HOUR = 3_600_000;

let h: ForgeHarness;
afterEach(async () => {
  await h.close();
  vi.useRealTimers();
});

const bulk = () => h.sim.requestsTo('/rest/api/3/changelog/bulkfetch', 'POST');
const stateOf = (key: string) => IssueStateSchema.parse(h.sim.store.get(key).properties.get(ISSUE_STATE_PROPERTY));
const appComments = (key: string) => h.sim.store.get(key).comments.filter((c) => c.author === 'app-baton');

describe('an issue with more histories than Jira embeds', () => {
  it('the sim embeds only the 100 most recent, as Jira does', async () => {
    h = await startForgeHarness({ seed: longSeed() });
    const raw = await forgeDeps().jira.getIssue('SUP-9', { fields: ['status'], expand: 'changelog' });
    expect(raw.changelog?.histories).toHaveLength(100);
    expect(raw.changelog).toMatchObject({ total: HISTORIES });
  });

  it('is read whole: the status changes beyond the first 100 are in the facts, in order, and pause the SLA clock', async () => {
    h = await startForgeHarness({ seed: longSeed() });
    const charter = coreCharter(CHARTER);
    const facts = await readIssue(forgeDeps().jira, 'SUP-9', charter);
    expect(facts.record.attributes.changelogTruncated).toBeUndefined();
    expect(facts.statusChanges.map(({ at, to }) => ({ at, to }))).toEqual([
      { at: WAITING, to: 'Waiting for customer' },
      { at: ANSWERED, to: 'In Progress' },
    ]);
    // created + one event per history item, oldest first; the issue was To Do when created.
    expect(facts.record.events).toHaveLength(1 + HISTORIES);
    expect(facts.record.events[0]).toMatchObject({ kind: 'created', state: 'To Do' });
    const times = facts.record.events.map((e) => e.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(facts.lastHumanActivityAt).toBe(ANSWERED);
    expect(slaClocks(facts, charter, NOW)).toEqual([
      expect.objectContaining({ goal: 'resolution', state: 'on-track', elapsedMs: 4 * HOUR }),
    ]);
    // One issue read, then the whole changelog in pages of CHANGELOG_PAGE_SIZE: 250 → 3 pages.
    expect(h.sim.requestsTo('/rest/api/3/issue/SUP-9', 'GET')).toHaveLength(1);
    expect(bulk()).toHaveLength(Math.ceil(HISTORIES / CHANGELOG_PAGE_SIZE));
    expect(bulk().map((r) => r.body)).toEqual([
      { issueIdsOrKeys: [expect.any(String)], maxResults: CHANGELOG_PAGE_SIZE },
      { issueIdsOrKeys: [expect.any(String)], maxResults: CHANGELOG_PAGE_SIZE, nextPageToken: expect.any(String) },
      { issueIdsOrKeys: [expect.any(String)], maxResults: CHANGELOG_PAGE_SIZE, nextPageToken: expect.any(String) },
    ]);
  });

  it('with 100 histories or fewer makes no extra call', async () => {
    h = await startForgeHarness({ seed: longSeed(100) });
    const facts = await readIssue(forgeDeps().jira, 'SUP-9', coreCharter(CHARTER));
    expect(facts.record.events).toHaveLength(101);
    expect(facts.statusChanges.map((s) => s.at)).toEqual([WAITING, ANSWERED]);
    expect(bulk()).toHaveLength(0);
  });

  it('waits out a short Retry-After on the bulk fetch and retries it within the read', async () => {
    h = await startForgeHarness({ seed: longSeed() });
    h.sim.fail({ status: 429, retryAfter: 1, path: '/rest/api/3/changelog/bulkfetch' });
    const facts = await readIssue(forgeDeps().jira, 'SUP-9', coreCharter(CHARTER));
    expect(facts.statusChanges.map((s) => s.at)).toEqual([WAITING, ANSWERED]);
    const calls = bulk();
    expect(calls.map((r) => r.status)).toEqual([429, 200, 200, 200]);
    // Real clock here: the retry came no sooner than Jira asked (a lower bound, not a speed check).
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
  });
});

describe('the watchdog on an issue with a long changelog', () => {
  it('decides on the whole history: the SLA clock paused while waiting, no breach and no nudge', async () => {
    freezeTime();
    h = await startForgeHarness({ seed: longSeed() });
    await saveCoreCharter(CHARTER);
    const tick = await watchdogTick();
    expect(tick.complete).toBe(true);
    expect(tick.evaluated).toContain('SUP-9');
    expect(stateOf('SUP-9').sla).toEqual([
      expect.objectContaining({ goal: 'resolution', state: 'on-track', elapsedMs: 4 * HOUR }),
    ]);
    expect(appComments('SUP-9')).toHaveLength(0);
    // Only SUP-9 has more than 100 histories: its changelog is the only one fetched, in three pages.
    expect(bulk()).toHaveLength(3);
    expect(
      bulk().every((r) => (r.body as { issueIdsOrKeys: string[] }).issueIdsOrKeys[0] === h.sim.store.get('SUP-9').id),
    ).toBe(true);
  });

  it('honours a long Retry-After on the bulk fetch: stops without deciding on a partial history, finishes later', async () => {
    freezeTime();
    h = await startForgeHarness({ seed: longSeed() });
    await saveCoreCharter(CHARTER);
    h.sim.fail({ status: 429, retryAfter: 120, path: '/rest/api/3/changelog/bulkfetch' });
    const limited = await watchdogTick();
    expect(limited).toMatchObject({ complete: false, stoppedBecause: 'rate-limited' });
    expect(bulk().map((r) => r.status)).toEqual([429]); // not retried inside this invocation
    expect(appComments('SUP-9')).toHaveLength(0);
    expect(h.sim.store.get('SUP-9').properties.has(ISSUE_STATE_PROPERTY)).toBe(false);
    vi.setSystemTime(NOW + 5 * 60_000);
    const after = await watchdogTick();
    expect(after.complete).toBe(true);
    expect(after.evaluated).toContain('SUP-9');
    expect(stateOf('SUP-9').sla).toEqual([expect.objectContaining({ goal: 'resolution', state: 'on-track' })]);
    expect(appComments('SUP-9')).toHaveLength(0);
  });
});
