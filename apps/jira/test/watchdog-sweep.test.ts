import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { supportDeskSeed } from '@baton/jira-sim';
import type { SimIssueSeed } from '@baton/jira-sim';
import { ISSUE_STATE_PROPERTY, IssueStateSchema } from '@baton/jira/issue-state';
import { onIssueEvent, watchdogTick } from '../src/index.ts';
import type { WatchdogReport } from '../src/app/run-watchdog.ts';
import { SWEEP_PAGE } from '../src/app/watchdog-sweep.ts';
import { NOW, assigneeOf, freezeTime, kindsOf, saveCoreCharter, supCharter, leastLoaded } from './fixtures.ts';
import { issueEvent, startForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

/**
 * The first sweep at a small scale (2,400 open issues: three pages of the sweep), against the same
 * limits as the 50,000-issue benchmark (`bench/first-sweep.ts`): paged by key, checkpointed per page in
 * a value that does not grow with the project, cut by the invocation's time and resumed by later ticks.
 */
const GENERATED = 2_400;
const generated = (n: number): SimIssueSeed => ({
  key: `SUP-${1000 + n}`,
  summary: `Generated ${n}`,
  status: n % 3 === 0 ? 'To Do' : 'In Progress',
  assignee: 'u-linus',
  created: new Date(NOW - 200 * 3_600_000).toISOString(),
  updated: new Date(NOW - 60 * 3_600_000).toISOString(),
});

let h: ForgeHarness;
/** Every value the watchdog wrote as its cursor, as stored (JSON). */
let cursorWrites: string[];
beforeEach(async () => {
  freezeTime();
  const seed = supportDeskSeed();
  seed.issues.push(...Array.from({ length: GENERATED }, (_, n) => generated(n)));
  h = await startForgeHarness({ seed });
  cursorWrites = [];
  const handle = h.kvs.handle.bind(h.kvs);
  h.kvs.handle = (path, body) => {
    if (body['key'] === 'watchdog:cursor' && body['value'] !== undefined)
      cursorWrites.push(JSON.stringify(body['value']));
    return handle(path, body);
  };
});
afterEach(async () => {
  await h.close();
  vi.useRealTimers();
});

/** An invocation with time for `steps` steps: each look at the clock uses one, then it has none left. */
function invocationWithSteps(steps: number): void {
  let left = steps;
  Object.defineProperty(h, 'remainingMs', {
    configurable: true,
    get: () => (left-- > 0 ? 55_000 : 0),
  });
}

const openKeys = (): string[] =>
  [...h.sim.store.issues.values()]
    .filter((i) => h.sim.store.statuses.get(i.statusId)?.category !== 'done')
    .map((i) => i.key);

/** Keys the ticks handed on: pushed to the queue or evaluated inline. */
const handedOn = (reports: WatchdogReport[]): string[] => [
  ...h.queued.flatMap((e) => (e.body as { keys: string[] }).keys),
  ...reports.flatMap((r) => r.evaluated),
];

describe('the first sweep, paged and checkpointed across invocations', () => {
  it('pages the open issues by key, stops when its time runs out, and later ticks finish it, each issue handed on once', async () => {
    await saveCoreCharter(supCharter());
    const reports: WatchdogReport[] = [];
    // Each tick has time for one step (a page searched and pushed, an inline issue, a page of the due index).
    for (let tick = 0; tick < 20; tick++) {
      invocationWithSteps(1);
      const r = await watchdogTick();
      reports.push(r);
      if (r.complete) break;
    }
    const first = reports[0] as WatchdogReport;
    expect(first).toMatchObject({ complete: false, stoppedBecause: 'time', resumed: false });
    expect(first.sweep).toMatchObject({ kind: 'open', estimated: openKeys().length });
    expect(reports.length).toBe(Math.ceil(openKeys().length / SWEEP_PAGE) + 1); // a tick per page, then the due index
    expect(reports.at(-1)).toMatchObject({ complete: true, resumed: true });
    // Every open issue handed on exactly once, across the invocations.
    const keys = handedOn(reports);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(openKeys().sort());
    // Pages of the sweep: keyset by key, at most SWEEP_PAGE keys, no page token kept between invocations.
    const searches = h.sim.requestsTo('/rest/api/3/search/jql', 'POST').map((r) => r.body as Record<string, unknown>);
    expect(searches.length).toBe(Math.ceil(openKeys().length / SWEEP_PAGE));
    expect(searches.every((b) => b['maxResults'] === SWEEP_PAGE && b['nextPageToken'] === undefined)).toBe(true);
    expect(searches.slice(1).every((b) => /AND key > "SUP-\d+" ORDER BY key ASC$/.test(String(b['jql'])))).toBe(true);
    // Queue pushes within Forge's limits (the harness refuses more than 50 events or 200 KB a push).
    expect(h.queued.every((e) => (e.body as { keys: string[] }).keys.length <= 50)).toBe(true);
  });

  it('keeps its checkpoint the same few hundred bytes whatever the number of open issues', async () => {
    await saveCoreCharter(supCharter());
    for (let tick = 0; tick < 20; tick++) {
      invocationWithSteps(1);
      if ((await watchdogTick()).complete) break;
    }
    expect(cursorWrites.length).toBeGreaterThan(3);
    // A list of every open key (the checkpoint before) is ~20 KB here and over Forge's 240 KiB at ~20,000 issues.
    expect(Math.max(...cursorWrites.map((v) => v.length))).toBeLessThan(2_000);
  });

  it("a later tick's Jira calls follow what changed, not the open issues", async () => {
    await saveCoreCharter(supCharter());
    h.remainingMs = 55_000;
    expect((await watchdogTick()).complete).toBe(true);
    h.queued.length = 0;
    vi.setSystemTime(NOW + 5 * 60_000);
    h.sim.store.edit('SUP-1500', { priority: 'High' }, 'u-ada');
    h.sim.store.edit('SUP-2700', { priority: 'High' }, 'u-ada');
    h.sim.requests.length = 0;
    const later = await watchdogTick();
    expect(later).toMatchObject({ complete: true, evaluated: ['SUP-1500', 'SUP-2700'], fannedOut: 0 });
    // One search page, the app user's zone for the cursor, and the two issues: no approximate count, no paging of the open ones.
    expect(h.sim.requestsTo('/rest/api/3/search/jql', 'POST')).toHaveLength(1);
    expect(h.sim.requestsTo('/rest/api/3/search/approximate-count', 'POST')).toHaveLength(0);
    const touched = new Set(h.sim.requests.flatMap((r) => /\/issue\/([A-Z]+-\d+)/.exec(r.path)?.slice(1, 2) ?? []));
    expect([...touched].sort()).toEqual(['SUP-1500', 'SUP-2700']);
  });

  it('resumes from a 429 on a sweep page at that page, not from the start', async () => {
    await saveCoreCharter(supCharter());
    h.remainingMs = 55_000;
    h.sim.fail({ status: 429, retryAfter: 60, path: '/rest/api/3/search/jql', times: 1 });
    const limited = await watchdogTick();
    expect(limited).toMatchObject({ complete: false, stoppedBecause: 'rate-limited' });
    // The failed page is asked again, then the rest.
    const after = await watchdogTick();
    expect(after).toMatchObject({ complete: true, resumed: true });
    const keys = handedOn([limited, after]);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(openKeys().sort());
  });
});

describe('routing load', () => {
  it("reads each candidate's open issues with one approximate count, not by paging them", async () => {
    await saveCoreCharter(supCharter({ routing: leastLoaded('u-ada', 'u-grace', 'u-linus') }));
    h.sim.requests.length = 0;
    const r = await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1', { atlassianId: 'u-cust' }));
    expect(r).toMatchObject({ handled: true });
    // u-linus holds the 2,400 generated issues: paged, that was one search per 5,000 of them on every event.
    const counts = h.sim.requestsTo('/rest/api/3/search/approximate-count', 'POST');
    expect(counts.map((c) => (c.body as { jql: string }).jql)).toEqual(
      ['u-ada', 'u-grace', 'u-linus'].map((id) => `project = "SUP" AND assignee = "${id}" AND statusCategory != Done`),
    );
    expect(h.sim.requestsTo('/rest/api/3/search/jql', 'POST')).toHaveLength(0);
    const owner = IssueStateSchema.parse(
      h.sim.store.get('SUP-1').properties.get(ISSUE_STATE_PROPERTY),
    ).suggestions.find((s) => kindsOf(s).includes('assign'));
    expect(assigneeOf(owner)).not.toBe('u-linus'); // the loaded one is not proposed
  });
});
