import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchdogTick, workConsumer } from '../src/index.ts';
import { DECISION_PROPERTY } from '../src/app/execute-decision.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { idempotencyKey } from '@baton/core';
import { supportDeskSeed } from '@baton/jira-sim';
import type { SimIssueSeed } from '@baton/jira-sim';
import { NOW, freezeTime, saveCoreCharter, supCharter, coreCharter, ASSIST_ALL, slaGoal } from './fixtures.ts';
import { startForgeHarness, consumerEvent } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

let h: ForgeHarness;
afterEach(async () => {
  await h.close();
  vi.useRealTimers();
});

/** A tick at `at`: its report, and how many times it read SUP-2 from Jira (0 when it came from the due index). */
async function tickAt(at: number) {
  vi.setSystemTime(at);
  h.sim.requests.length = 0;
  const report = await watchdogTick();
  return {
    report,
    reads: h.sim.requests.filter((r) => r.method === 'GET' && r.path === '/rest/api/3/issue/SUP-2').length,
  };
}

const appComments = (key: string) => h.sim.store.get(key).comments.filter((c) => c.author === 'app-baton');
// SUP-4 has sat in "In Progress" for exactly two business days (Thu 12:00 → Mon 12:00); core's
// watchdog nudges past the norm, so the norm here is one business day.
const NUDGE_CHARTER = supCharter({
  workflow: { norm: '1d', states: {} },
  autonomy: {
    default: 'off',
    kinds: { ...ASSIST_ALL, notify: 'automate', requestInfo: 'automate', escalate: 'automate' },
  },
  caps: { maxNudgesPerCasePerDay: 3, quietHours: null, quietOutsideBusinessHours: false },
});
/** Core's key for the stall of SUP-4 in "In Progress" (entered 96 hours before NOW). */
const SUP4_STALL = idempotencyKey({
  caseId: 'SUP-4',
  pattern: 'watchdog',
  rule: 'watchdog.stall',
  threshold: `stall:In Progress@${NOW - 96 * 3_600_000}`,
});

describe('watchdogTick', () => {
  beforeEach(async () => {
    freezeTime();
    h = await startForgeHarness();
  });

  it('nudges a stalled issue once, with context and the decision key, across ticks', async () => {
    await saveCoreCharter(NUDGE_CHARTER);
    const first = await watchdogTick();
    expect(first.complete).toBe(true);
    const nudges = appComments('SUP-4');
    expect(nudges).toHaveLength(1);
    expect(h.sim.store.commentText(nudges[0]!)).toMatch(/idle in In Progress for 2d \(norm 1d\)/);
    // People by display name: the reporter the stall waits on (u-ada) is named, never shown as an account id.
    expect(h.sim.store.commentText(nudges[0]!)).toContain('waiting: Ada Lovelace;');
    expect(h.sim.store.commentText(nudges[0]!)).not.toMatch(/\bu-(ada|grace|linus)\b/);
    expect(nudges[0]?.properties.get(DECISION_PROPERTY)).toBe(SUP4_STALL);
    // Five minutes later: the same stall, no second nudge.
    vi.setSystemTime(NOW + 5 * 60_000);
    await watchdogTick();
    vi.setSystemTime(NOW + 10 * 60_000);
    await watchdogTick();
    expect(appComments('SUP-4')).toHaveLength(1);
    expect(appComments('SUP-1')).toHaveLength(0);
    // The active issue with recent activity and the one waiting for the customer are left alone.
    expect(appComments('SUP-2')).toHaveLength(0);
    expect(appComments('SUP-3')).toHaveLength(0);
  });

  it('is incremental: a later tick searches from its cursor and re-reads only what changed or falls due', async () => {
    await saveCoreCharter(NUDGE_CHARTER);
    await watchdogTick();
    const jql = (h.sim.requestsTo('/rest/api/3/search/jql')[0]?.body as { jql: string }).jql;
    expect(jql).toBe('project = "SUP" AND statusCategory != Done ORDER BY key ASC'); // the baseline sweep
    h.sim.requests.length = 0;
    vi.setSystemTime(NOW + 5 * 60_000);
    h.sim.store.edit('SUP-2', { priority: 'High' }, 'u-ada');
    const second = await watchdogTick();
    expect((h.sim.requestsTo('/rest/api/3/search/jql')[0]?.body as { jql: string }).jql).toMatch(
      /updated >= "2026-11-23 11:57"/,
    );
    // SUP-2 changed; SUP-4 carries the app's own nudge (updated): each is looked at once more.
    expect(second.evaluated).toEqual(['SUP-2', 'SUP-4']);
    expect(h.sim.requestsTo('/rest/api/3/issue/SUP-3').length).toBe(0);
  });

  it("writes its cursor as wall time in the app user's time zone, so a site west of UTC misses nothing", async () => {
    // Jira reads JQL date literals in the searching user's zone; the app's user follows the site's (New York).
    await h.close();
    const seed = supportDeskSeed();
    h = await startForgeHarness({
      seed: {
        ...seed,
        users: seed.users.map((u) => (u.accountId === 'app-baton' ? { ...u, timeZone: 'America/New_York' } : u)),
      },
    });
    await saveCoreCharter(NUDGE_CHARTER);
    await watchdogTick();
    h.sim.requests.length = 0;
    vi.setSystemTime(NOW + 5 * 60_000);
    h.sim.store.edit('SUP-2', { priority: 'High' }, 'u-ada');
    const second = await watchdogTick();
    // 11:57 UTC is 06:57 in New York (EST); written as UTC wall time it would mean 16:57 UTC and find nothing.
    expect((h.sim.requestsTo('/rest/api/3/search/jql')[0]?.body as { jql: string }).jql).toMatch(
      /updated >= "2026-11-23 06:57"/,
    );
    expect(second.evaluated).toContain('SUP-2');
  });

  it('evaluates an unchanged issue that falls due from its stored WatchCase, without reading it from Jira', async () => {
    await saveCoreCharter(NUDGE_CHARTER);
    await watchdogTick();
    expect(appComments('SUP-2')).toHaveLength(0); // in progress since Mon 06:00: three business hours idle
    // Tuesday 10:00: nine business hours idle (Mon 09–17, Tue 09–10), past the one-day norm; nothing changed in Jira.
    vi.setSystemTime(NOW + 22 * 3_600_000);
    h.sim.requests.length = 0;
    const due = await watchdogTick();
    expect(due.evaluated).toContain('SUP-2');
    const reads = h.sim.requests.filter((r) => r.method === 'GET' && r.path === '/rest/api/3/issue/SUP-2');
    expect(reads).toHaveLength(0);
    expect(appComments('SUP-2')).toHaveLength(1);
    expect(h.sim.store.commentText(appComments('SUP-2')[0]!)).toMatch(/idle in In Progress/);
    // From the stored WatchCase too, the reporter (u-cust) by name.
    expect(h.sim.store.commentText(appComments('SUP-2')[0]!)).toContain('waiting: Carla Customer;');
    // The nudge changed SUP-2, so the next tick reads it from Jira: the same stall, no second nudge.
    vi.setSystemTime(NOW + 22 * 3_600_000 + 5 * 60_000);
    const next = await watchdogTick();
    expect(next.evaluated).toContain('SUP-2');
    expect(appComments('SUP-2')).toHaveLength(1);
  });

  it("brings an unchanged issue back from the due-time index when a ladder's idle step comes due, and takes it once", async () => {
    // The stall norm (5d) is far off, there is no SLA goal: only the ladder's 2d idle step is due soon.
    await saveCoreCharter({
      ...NUDGE_CHARTER,
      workflow: { norm: '5d', states: {} },
      escalation: {
        ladders: [{ id: 'stalled', steps: [{ idle: '2d', do: 'nudge-owner', message: '{case} idle {idle}' }] }],
      },
    });
    await watchdogTick();
    expect(appComments('SUP-2')).toHaveLength(0); // three business hours idle (since Mon 06:00)
    // Wednesday 10:00: seventeen business hours idle (Mon 9–17, Tue 9–17, Wed 9–10), past the 2d step; nothing changed in Jira.
    vi.setSystemTime(NOW + 46 * 3_600_000);
    h.sim.requests.length = 0;
    const due = await watchdogTick();
    expect(due.evaluated).toContain('SUP-2');
    expect(h.sim.requests.filter((r) => r.method === 'GET' && r.path === '/rest/api/3/issue/SUP-2')).toHaveLength(0);
    expect(appComments('SUP-2')).toHaveLength(1);
    expect(h.sim.store.commentText(appComments('SUP-2')[0]!)).toMatch(
      /SUP-2 idle 2d1h[\s\S]*escalation ladder stalled step 1/,
    );
    // Later ticks (the nudge changed SUP-2, so it is read from Jira again): the step is not taken twice.
    vi.setSystemTime(NOW + 46 * 3_600_000 + 5 * 60_000);
    await watchdogTick();
    vi.setSystemTime(NOW + 70 * 3_600_000);
    await watchdogTick();
    expect(appComments('SUP-2')).toHaveLength(1);
  });

  it('brings an unchanged issue back for a stall whose norm runs out at the close of business, on the next business morning', async () => {
    // SUP-2 has been idle since Mon 06:00, before opening: one business day (the norm) is used up at Mon
    // 17:00 exactly, and core nudges only beyond the norm, i.e. from the first business moment after it.
    await saveCoreCharter(NUDGE_CHARTER);
    await watchdogTick();
    expect(appComments('SUP-2')).toHaveLength(0);
    await tickAt(Date.UTC(2026, 10, 23, 17, 5));
    expect(appComments('SUP-2')).toHaveLength(0); // idle exactly 1d: at the norm, not beyond it
    const morning = await tickAt(Date.UTC(2026, 10, 24, 9, 5));
    expect(morning.report.evaluated).toContain('SUP-2');
    expect(morning.reads).toBe(0);
    expect(appComments('SUP-2').map((c) => h.sim.store.commentText(c))).toEqual([
      expect.stringMatching(/idle in In Progress for 1d5m \(norm 1d\)/),
    ]);
  });

  it('brings an issue whose nudge quiet hours deferred back when they end, without reading it', async () => {
    // SUP-4's stall is due at Mon 12:00, inside quiet hours 11:00–13:00: deferred, nothing claimed.
    await saveCoreCharter({
      ...NUDGE_CHARTER,
      caps: { maxNudgesPerCasePerDay: 3, quietHours: { from: '11:00', to: '13:00' }, quietOutsideBusinessHours: false },
    });
    await watchdogTick();
    expect(appComments('SUP-4')).toHaveLength(0);
    vi.setSystemTime(Date.UTC(2026, 10, 23, 12, 55));
    expect((await watchdogTick()).evaluated).not.toContain('SUP-4');
    vi.setSystemTime(Date.UTC(2026, 10, 23, 13, 5));
    h.sim.requests.length = 0;
    const after = await watchdogTick();
    expect(after.evaluated).toContain('SUP-4');
    expect(h.sim.requests.filter((r) => r.method === 'GET' && r.path === '/rest/api/3/issue/SUP-4')).toHaveLength(0);
    expect(appComments('SUP-4').map((c) => c.properties.get(DECISION_PROPERTY))).toEqual([SUP4_STALL]);
  });

  it("brings an unchanged issue back when a ladder's SLA-share step and then the SLA warning come due, each once, without reading it", async () => {
    // SUP-2 (Medium, created Sun 06:00): a 2d goal is 16 business hours from Mon 09:00. Half of it
    // (the ladder's step) is Mon 17:00; the warning (atRiskAt 0.75, 12 h) is Tue 13:00; the breach
    // Tue 17:00. The stall norm (5d) and every other issue's goal are out of the way.
    await saveCoreCharter({
      ...NUDGE_CHARTER,
      workflow: { norm: '5d', states: {} },
      slaGoals: [slaGoal('response', '2d', { when: { priority: ['Medium'] } })],
      escalation: {
        ladders: [
          {
            id: 'half',
            goal: 'response',
            steps: [{ slaConsumed: 0.5, do: 'nudge-owner', message: '{case} has used half of its SLA' }],
          },
        ],
      },
    });
    const MON_17 = Date.UTC(2026, 10, 23, 17, 0);
    const TUE_13 = Date.UTC(2026, 10, 24, 13, 0);
    await watchdogTick();
    expect(appComments('SUP-2')).toHaveLength(0); // 3 of 16 business hours used
    // Five minutes before half: nothing due, nothing said.
    expect((await tickAt(MON_17 - 5 * 60_000)).report.evaluated).not.toContain('SUP-2');
    expect(appComments('SUP-2')).toHaveLength(0);

    // The tick after Mon 17:00: the step is due from the index; SUP-2 is evaluated from its stored WatchCase.
    const half = await tickAt(MON_17 + 5 * 60_000);
    expect(half.report.evaluated).toContain('SUP-2');
    expect(half.reads).toBe(0);
    expect(appComments('SUP-2').map((c) => h.sim.store.commentText(c))).toEqual([
      expect.stringMatching(/SUP-2 has used half of its SLA[\s\S]*escalation ladder half step 1/),
    ]);
    // The nudge changed SUP-2, so the next tick reads it from Jira: the step is not taken again, nor the next morning.
    await tickAt(MON_17 + 10 * 60_000);
    expect((await tickAt(TUE_13 - 5 * 60_000)).report.evaluated).not.toContain('SUP-2');
    expect(appComments('SUP-2')).toHaveLength(1);

    // The tick after Tue 13:00: the SLA warning, again from the index without a read.
    const warn = await tickAt(TUE_13 + 5 * 60_000);
    expect(warn.report.evaluated).toContain('SUP-2');
    expect(warn.reads).toBe(0);
    expect(appComments('SUP-2')).toHaveLength(2);
    expect(h.sim.store.commentText(appComments('SUP-2')[1]!)).toMatch(/SUP-2: SLA response at 76 % of its target/); // 12h05m of 16h;
    await tickAt(TUE_13 + 10 * 60_000);
    await tickAt(TUE_13 + 3 * 3_600_000);
    expect(appComments('SUP-2')).toHaveLength(2);
  });

  it('stops before the time limit, checkpoints, and the next tick resumes without repeating a nudge', async () => {
    await saveCoreCharter(NUDGE_CHARTER);
    h.remainingMs = 4_000; // less than the safety margin: not even one issue
    const cut = await watchdogTick();
    expect(cut).toMatchObject({ complete: false, stoppedBecause: 'time', evaluated: [] });
    h.remainingMs = 25_000;
    const resumed = await watchdogTick();
    expect(resumed).toMatchObject({ resumed: true, complete: true });
    expect(resumed.evaluated).toContain('SUP-4');
    const cursor = await createBatonStorage().getCursor();
    expect(cursor).toEqual({ since: NOW, checkpoint: null });
    expect(appComments('SUP-4')).toHaveLength(1);
  });

  it('honours a 429 mid-tick: stops, keeps its checkpoint, and finishes later', async () => {
    await saveCoreCharter(NUDGE_CHARTER);
    h.sim.fail({ status: 429, retryAfter: 120, path: '/rest/api/3/issue/SUP-4' });
    const limited = await watchdogTick();
    expect(limited).toMatchObject({ complete: false, stoppedBecause: 'rate-limited' });
    const after = await watchdogTick();
    expect(after.complete).toBe(true);
    expect(appComments('SUP-4')).toHaveLength(1);
  });

  it('finds a nudge that an interrupted attempt already posted instead of posting it twice', async () => {
    await saveCoreCharter(NUDGE_CHARTER);
    // An earlier attempt claimed the key and posted, then died before marking it done.
    const storage = createBatonStorage();
    const key = SUP4_STALL;
    // It posted on Friday 10:00: core's watchdog counts the app's own comment as activity, so the
    // stall must still be past its norm now (Fri 10–17 + Mon 9–12 = 10 business hours) to be proposed again.
    vi.setSystemTime(NOW - 74 * 3_600_000);
    await storage.claimEffect(key, NOW - 74 * 3_600_000);
    h.sim.store.addComment('SUP-4', { type: 'doc', version: 1, content: [] }, 'app-baton', {
      [DECISION_PROPERTY]: key,
    });
    vi.setSystemTime(NOW);
    const tick = await watchdogTick();
    expect(tick.evaluated).toContain('SUP-4');
    expect(appComments('SUP-4')).toHaveLength(1);
    expect(await storage.getEffect(key)).toMatchObject({ state: 'done' });
  });
});

describe('watchdog fan-out over the queue', () => {
  beforeEach(async () => {
    freezeTime();
    const seed = supportDeskSeed();
    const stale = (n: number): SimIssueSeed => ({
      key: `SUP-${100 + n}`,
      summary: `Stalled ${n}`,
      status: 'In Progress',
      assignee: 'u-linus',
      created: new Date(NOW - 100 * 3_600_000).toISOString(),
      updated: new Date(NOW - 1_000).toISOString(),
    });
    seed.issues.push(...Array.from({ length: 30 }, (_, n) => stale(n)));
    h = await startForgeHarness({ seed });
  });

  it('pushes batches to the consumer; a duplicated delivery posts nothing twice', async () => {
    // All 31 stalls are u-linus's: the per-person cap is raised above them (test/person-cap.test.ts holds it).
    const charter = coreCharter(NUDGE_CHARTER);
    const saved = await createBatonStorage().saveCharter(
      'global',
      {
        charter: { ...charter, caps: { ...charter.caps, maxNudgesPerPersonPerDay: 31 } },
        yaml: '',
        updatedAt: NOW,
        updatedBy: 'test',
      },
      0,
    );
    expect(saved).not.toBe('conflict');
    const tick = await watchdogTick();
    expect(tick.fannedOut).toBe(2);
    expect(h.queued).toHaveLength(2);
    const deliver = (body: unknown) => workConsumer(consumerEvent(body));
    for (const e of h.queued) await deliver(e.body);
    await deliver(h.queued[0]?.body); // at-least-once: the platform delivers one batch again
    const nudged = [...h.sim.store.issues.values()].filter((i) => i.comments.some((c) => c.author === 'app-baton'));
    expect(nudged.length).toBe(31); // 30 stalled + SUP-4
    expect(nudged.every((i) => i.comments.filter((c) => c.author === 'app-baton').length === 1)).toBe(true);
  });
});
