import { createAnalysis, DEFAULT_COSTS } from '@baton/core/analysis';
import { compileCharter } from '@baton/core';
import type { CaseRecord } from '@baton/core';
import type { Costs, Kpis } from '@baton/core/analysis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { uiResolver, workConsumer } from '../src/index.ts';
import { DASHBOARD_PAGE_SIZE, goLiveAt } from '../src/app/dashboard.ts';
import { charterFor } from '../src/app/charter-for.ts';
import { readIssue } from '../src/app/read-issue.ts';
import { DashboardProgressSchema, DashboardSchema } from '../src/contracts/dashboard.ts';
import type { Dashboard, DashboardProgress } from '../src/contracts/dashboard.ts';
import { forgeDeps } from '../src/handlers/forge-deps.ts';
import { busyDeskSeed } from './dashboard-seed.ts';
import { NOW, freezeTime, invokeResolver, saveCoreCharter, supCharter, slaGoal, WEEKDAYS_9_TO_5 } from './fixtures.ts';
import { startForgeHarness, consumerEvent } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// The dashboard on the queue over a project larger than any one page or invocation: 250 generated
// issues plus the support desk's, read through the real handlers over the jira-sim, and compared with
// core's analysis of the same issues computed directly.
const LEAD = 'u-ada'; // browses SUP, administers nothing: a team lead
const call = (name: string, payload: unknown, who = LEAD) => invokeResolver(uiResolver as never, name, payload, who);
const data = <T>(r: { ok: boolean; data?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.data as T;
};
const deliver = (body: unknown) => workConsumer(consumerEvent(body)) as Promise<unknown>;

let h: ForgeHarness;
afterEach(async () => {
  await h.close();
  vi.useRealTimers();
});

/** The busy desk, its charter two goals; `timeZone`: its business hours' zone (09:00–17:00 weekdays, UTC unless said). */
async function start(extra = 250, timeZone?: string): Promise<void> {
  freezeTime();
  h = await startForgeHarness({ seed: busyDeskSeed(extra) });
  await saveCoreCharter(
    supCharter({
      ...(timeZone === undefined ? {} : { calendars: { default: { timeZone, week: WEEKDAYS_9_TO_5 } } }),
      slaGoals: [slaGoal('resolve', '3d', { when: { priority: ['High'] } }), slaGoal('default', '5d')],
    }),
  );
}

/** Delivers queued work until none is left (each delivery may push the next step); returns how many. */
async function drain(): Promise<number> {
  let n = 0;
  while (h.queued.length > 0) {
    const e = h.queued.shift()!;
    await deliver(e.body);
    n++;
  }
  return n;
}

/** The SUP issues updated in the window, by creation, as the sim holds them. */
const inWindow = (days: number) =>
  [...h.sim.store.issues.values()]
    .filter((i) => i.key.startsWith('SUP-') && i.updated >= NOW - days * 86_400_000)
    .sort((a, b) => a.created - b.created);

/** Core's analysis of the same issues, computed directly: each read with its whole changelog, fed in creation order. */
async function direct(days: number, cohort?: number, costs?: Costs): Promise<Kpis> {
  const charter = await charterFor(forgeDeps().storage, 'SUP');
  const analysis = createAnalysis({
    ...(cohort === undefined ? {} : { cohort }),
    ...(costs === undefined ? {} : { costs }),
    calendar: compileCharter(charter).calendar,
    workflow: { states: charter.workflow.states },
    slaTargetMs: (r: CaseRecord) => {
      const goal = charter.slaGoals.find((g) => {
        const p = g.when['priority'];
        return p === undefined || [p].flat().includes(String(r.attributes.priority));
      });
      return goal && compileCharter(charter).goals.find((g) => g.id === goal.id)?.targetMs;
    },
  });
  for (const issue of inWindow(days)) {
    const facts = await readIssue(forgeDeps().jira, issue.key, charter);
    analysis.addHints(facts.hints);
    analysis.add(facts.record);
  }
  return analysis.result();
}

const view = async () =>
  data<{ dashboard: Dashboard | null; progress: DashboardProgress | null }>(
    await call('getDashboard', { projectKey: 'SUP' }),
  );

describe('dashboard refresh on the queue', () => {
  it('pages through every issue of the window in steps, checkpointed in KVS, and equals core’s analysis computed directly', async () => {
    await start();
    const expected = inWindow(30);
    expect(expected.length).toBeGreaterThan(100);
    expect(expected.length).toBeLessThan(h.sim.store.issues.size); // the window leaves some out

    expect(await view()).toEqual({ dashboard: null, progress: null });
    const started = DashboardProgressSchema.parse(
      data<{ progress: unknown }>(await call('startDashboard', { projectKey: 'SUP', days: 30 })).progress,
    );
    expect(started).toMatchObject({ status: 'queued', issuesRead: 0, days: 30 });
    expect(h.queued.map(({ queue, body }) => ({ queue, body }))).toEqual([
      { queue: 'baton-work', body: { kind: 'dashboard', runId: started.runId, projectKey: 'SUP', page: 0 } },
    ]);

    // One step: the harness leaves 25 s, less than a step's reserve, so it stops after a page and queues the next.
    await deliver(h.queued.shift()!.body);
    const after1 = data<{ progress: DashboardProgress }>(
      await call('getDashboardProgress', { projectKey: 'SUP' }),
    ).progress;
    expect(after1).toMatchObject({
      runId: started.runId,
      status: 'running',
      issuesRead: DASHBOARD_PAGE_SIZE,
      pagesDone: 1,
    });
    expect(h.queued.map((e) => e.body)).toEqual([
      { kind: 'dashboard', runId: started.runId, projectKey: 'SUP', page: 1 },
    ]);

    const steps = await drain();
    expect(steps).toBe(Math.ceil(expected.length / DASHBOARD_PAGE_SIZE) - 1);
    const { dashboard, progress } = await view();
    expect(progress).toMatchObject({ status: 'done', issuesRead: expected.length });
    expect(dashboard).toMatchObject({
      projectKey: 'SUP',
      days: 30,
      runId: started.runId,
      issues: expected.length,
      generatedAt: NOW,
    });
    expect(dashboard!.kpis.cases).toBe(expected.length);
    expect(dashboard!.kpis).toEqual(await direct(30));
    // Figures a lead reads: waits, ping-pong, chases and SLA outcomes are all there.
    expect(dashboard!.kpis.chokePoints.map((c) => c.state)).toContain('Waiting for customer');
    expect(dashboard!.kpis.pingPongCases).toBeGreaterThan(0);
    expect(dashboard!.kpis.statusChases).toBeGreaterThan(0);
    expect(dashboard!.kpis.sla.breached + dashboard!.kpis.sla.met).toBeGreaterThan(0);

    // Paged with nextPageToken: one search per page, each after the first continuing the last.
    const searches = h.sim
      .requestsTo('/rest/api/3/search/jql', 'POST')
      .map((r) => r.body as { nextPageToken?: string; maxResults: number });
    expect(searches).toHaveLength(Math.ceil(expected.length / DASHBOARD_PAGE_SIZE));
    expect(searches[0]?.nextPageToken).toBeUndefined();
    expect(searches.slice(1).every((s) => typeof s.nextPageToken === 'string')).toBe(true);
    // The pages' records are removed once the result is stored.
    expect([...h.kvs.kv.keys()].filter((k) => k.includes(`${started.runId}:page:`))).toEqual([]);
  });

  it('runs in one invocation when the consumer has time, and a narrower window reads fewer issues', async () => {
    await start();
    h.remainingMs = 900_000;
    data(await call('startDashboard', { projectKey: 'SUP', days: 7 }));
    expect(await drain()).toBe(1);
    const { dashboard } = await view();
    expect(dashboard?.issues).toBe(inWindow(7).length);
    expect(inWindow(7).length).toBeLessThan(inWindow(30).length);
    expect(dashboard!.kpis).toEqual(await direct(7));
  });

  it('waits out a long Retry-After: the queue redelivers the same step, the page says why it waits, nothing is counted twice', async () => {
    await start();
    data(await call('startDashboard', { projectKey: 'SUP', days: 30 }));
    await deliver(h.queued.shift()!.body);
    // Longer than the client waits inside an invocation: the step gives up and asks the queue to redeliver.
    h.sim.fail({ status: 429, retryAfter: 120, path: '/rest/api/3/issue/', times: 1 });
    const item = h.queued.shift()!.body;
    const answer = await deliver(item);
    expect(answer).toMatchObject({ retryOptions: { retryAfter: 120, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED' } });
    const waiting = (await view()).progress;
    expect(waiting).toMatchObject({ status: 'running', issuesRead: DASHBOARD_PAGE_SIZE, pagesDone: 1 });
    expect(waiting?.note).toMatch(/slow down: resuming in 120 s/);
    await deliver(item); // the redelivery
    await drain();
    const { dashboard } = await view();
    expect(dashboard?.issues).toBe(inWindow(30).length);
    expect(dashboard!.kpis).toEqual(await direct(30));
  });

  it('a duplicate delivery of a finished step does nothing; Refresh while one runs joins it; the last result shows at once meanwhile', async () => {
    await start(120);
    h.remainingMs = 900_000;
    data(await call('startDashboard', { projectKey: 'SUP', days: 30 }));
    const first = h.queued[0]!.body;
    await drain();
    const searches = h.sim.requestsTo('/rest/api/3/search/jql').length;
    await deliver(first); // at-least-once: the platform delivers it again
    expect(h.sim.requestsTo('/rest/api/3/search/jql')).toHaveLength(searches);
    const done = await view();
    expect(done.progress?.status).toBe('done');

    const again = data<{ progress: DashboardProgress }>(
      await call('startDashboard', { projectKey: 'SUP', days: 30 }),
    ).progress;
    const joined = data<{ progress: DashboardProgress }>(
      await call('startDashboard', { projectKey: 'SUP', days: 30 }, 'u-grace'),
    ).progress;
    expect(joined.runId).toBe(again.runId);
    expect(h.queued).toHaveLength(1);
    const meanwhile = await view();
    expect(meanwhile.dashboard).toEqual(done.dashboard);
    expect(meanwhile.progress).toMatchObject({ runId: again.runId, status: 'queued' });
    // A stale item of the earlier refresh does nothing to the new one.
    await deliver(first);
    expect((await view()).progress).toMatchObject({ runId: again.runId, status: 'queued', issuesRead: 0 });
  });

  it('skips an issue the search still lists but Jira no longer has (deleted since it was indexed)', async () => {
    await start(120);
    const gone = inWindow(30)[10]!.key;
    h.sim.store.issues.delete(gone); // the search index still holds it, as Jira's may for a while
    h.remainingMs = 900_000;
    data(await call('startDashboard', { projectKey: 'SUP', days: 30 }));
    await drain();
    expect(h.sim.requestsTo(`/rest/api/3/issue/${gone}`).map((r) => r.status)).toEqual([404]);
    const { dashboard, progress } = await view();
    expect(progress).toMatchObject({ status: 'done', issuesRead: inWindow(30).length });
    expect(dashboard!.kpis).toEqual(await direct(30));
  });

  it('splits the issues at a go-live date: cohorts with bootstrap intervals and a rank test, as core computes them', async () => {
    await start();
    h.remainingMs = 900_000;
    // A go-live in the middle of the window's creation dates, so both cohorts have issues.
    const created = inWindow(30).map((i) => i.created);
    const goLive = new Date(created[Math.floor(created.length / 2)]!).toISOString().slice(0, 10);
    const started = data<{ progress: DashboardProgress }>(
      await call('startDashboard', { projectKey: 'SUP', days: 30, goLive }),
    ).progress;
    expect(started.goLive).toBe(goLive);
    await drain();
    const { dashboard } = await view();
    expect(dashboard?.goLive).toBe(goLive);
    const cohorts = dashboard!.kpis.cohorts!;
    // Before, the dashboard had no go-live date: kpis.cohorts was always null.
    expect(cohorts.before.cases + cohorts.after.cases).toBe(dashboard!.kpis.cases);
    const calendar = compileCharter(await charterFor(forgeDeps().storage, 'SUP')).calendar;
    expect(cohorts.before.cases).toBe(created.filter((c) => c < goLiveAt(goLive, calendar)).length);
    expect(cohorts.comparison?.median.ci95).not.toBeNull();
    expect(cohorts.comparison?.rankTest.pValue).not.toBeNull();
    expect(dashboard!.kpis).toEqual(await direct(30, goLiveAt(goLive, calendar)));
    // A refresh with another go-live starts a new analysis rather than joining this one's.
    expect(
      data<{ progress: DashboardProgress }>(await call('startDashboard', { projectKey: 'SUP', days: 30 })).progress
        .goLive,
    ).toBeUndefined();
    for (const bad of ['2026-02-30', '03/01/2026', ''])
      expect(await call('startDashboard', { projectKey: 'SUP', days: 30, goLive: bad })).toMatchObject({
        ok: false,
        error: { code: 'invalid-payload' },
      });
  });

  it("starts the go-live date at midnight in the charter's time zone, not UTC's", async () => {
    // UTC+14: the team's day starts 14 hours before UTC's, so issues created in those hours are after.
    await start(250, 'Etc/GMT-14'); // UTC+14 (POSIX signs are inverted)
    h.remainingMs = 900_000;
    const created = inWindow(30).map((i) => i.created);
    const goLive = new Date(created[Math.floor(created.length / 2)]!).toISOString().slice(0, 10);
    const midnight = Date.parse(`${goLive}T00:00:00+14:00`);
    const utcMidnight = Date.parse(`${goLive}T00:00:00Z`);
    // The test can tell the two apart: some issues were created between the two midnights.
    expect(created.filter((c) => c >= midnight && c < utcMidnight).length).toBeGreaterThan(0);
    data(await call('startDashboard', { projectKey: 'SUP', days: 30, goLive }));
    await drain();
    const { dashboard } = await view();
    const zone = compileCharter(await charterFor(forgeDeps().storage, 'SUP')).calendar.timeZone;
    expect(dashboard!.kpis.calendar.timeZone).toBe(zone);
    // Before, the split was at 00:00 UTC: the issues of the team's first hours of the day counted as before.
    expect(dashboard!.kpis.cohorts!.before.cases).toBe(created.filter((c) => c < midnight).length);
    expect(dashboard!.kpis).toEqual(await direct(30, midnight));
  });

  it('measures the savings after the go-live date, priced with second-order money when the prices are given', async () => {
    await start();
    h.remainingMs = 900_000;
    const created = inWindow(30).map((i) => i.created);
    const goLive = new Date(created[Math.floor(created.length / 2)]!).toISOString().slice(0, 10);
    const costs = { currency: 'GBP', loadedCostPerHour: 50, penaltyPerSlaBreach: 200, costPerReopen: 80 };
    data(await call('startDashboard', { projectKey: 'SUP', days: 30, goLive, costs }));
    await drain();
    const { dashboard } = await view();
    const savings = dashboard!.kpis.cohorts!.savings!;
    // Before, the dashboard had only the cohorts' cycle times: nothing measured what the change was worth.
    expect(savings).toMatchObject({
      currency: 'GBP',
      casesBefore: dashboard!.kpis.cohorts!.before.cases,
      casesAfter: dashboard!.kpis.cohorts!.after.cases,
      secondOrder: { slaPenalties: { penaltyPerBreach: 200 }, reopens: { costPerReopen: 80 } },
    });
    expect(savings.money).toBeCloseTo((savings.minutesSaved! / 60) * 50, 6);
    expect(savings.totalMoney).toBeCloseTo(
      savings.money! + (savings.secondOrder.slaPenalties?.money ?? 0) + (savings.secondOrder.reopens?.money ?? 0),
      6,
    );
    const calendar = compileCharter(await charterFor(forgeDeps().storage, 'SUP')).calendar;
    expect(dashboard!.kpis).toEqual(await direct(30, goLiveAt(goLive, calendar), { ...DEFAULT_COSTS, ...costs }));
    expect(
      await call('startDashboard', { projectKey: 'SUP', days: 30, goLive, costs: { penaltyPerSlaBreach: -5 } }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
  });

  it('prices the overhead with the costs the refresh is given, and shows them with the money', async () => {
    await start(10);
    h.remainingMs = 900_000;
    const costs = { currency: 'USD', loadedCostPerHour: 90, minutesPerHandoff: 20 };
    const started = data<{ progress: DashboardProgress }>(
      await call('startDashboard', { projectKey: 'SUP', days: 30, costs }),
    ).progress;
    // The fields left out take core's defaults.
    expect(started.costs).toEqual({ ...DEFAULT_COSTS, ...costs });
    await drain();
    const { dashboard } = await view();
    // Before, every dashboard was priced at core's defaults (EUR 60 an hour, 15 min a handoff).
    expect(dashboard!.kpis.money).toMatchObject({ ...costs, minutesPerStatusCheck: 5 });
    expect(dashboard!.kpis.money.total).toBeCloseTo((dashboard!.kpis.overhead.totalMinutes / 60) * 90, 6);
    expect(dashboard!.kpis).toEqual(await direct(30, undefined, { ...DEFAULT_COSTS, ...costs }));
    for (const bad of [{ currency: 'usd' }, { loadedCostPerHour: -1 }, { minutesPerHandof: 20 }])
      expect(await call('startDashboard', { projectKey: 'SUP', days: 30, costs: bad })).toMatchObject({
        ok: false,
        error: { code: 'invalid-payload' },
      });
  });

  it('stores a result that parses with the contract and refuses bad input and customers', async () => {
    await start(10);
    h.remainingMs = 900_000;
    data(await call('startDashboard', { projectKey: 'SUP', days: 30 }));
    await drain();
    expect(DashboardSchema.safeParse((await view()).dashboard).success).toBe(true);
    expect(await call('startDashboard', { projectKey: 'SUP', days: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload' },
    });
    expect(await call('getDashboard', { projectKey: 'SUP' }, 'u-cust')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});

describe('a refresh whose queue item was lost', () => {
  it('shows as failed once it has not moved for 30 minutes, and Refresh starts a new one', async () => {
    await start(10);
    const lost = data<{ progress: DashboardProgress }>(
      await call('startDashboard', { projectKey: 'SUP', days: 30 }),
    ).progress;
    h.queued.length = 0; // the platform gave up on it
    vi.setSystemTime(NOW + 29 * 60_000);
    expect((await view()).progress).toMatchObject({ runId: lost.runId, status: 'queued' });
    expect(
      data<{ progress: DashboardProgress }>(await call('startDashboard', { projectKey: 'SUP', days: 30 })).progress
        .runId,
    ).toBe(lost.runId);
    vi.setSystemTime(NOW + 30 * 60_000);
    const shown = data<{ progress: DashboardProgress }>(
      await call('getDashboardProgress', { projectKey: 'SUP' }),
    ).progress;
    expect(shown).toMatchObject({ runId: lost.runId, status: 'failed' });
    expect(shown.error).toMatch(/stopped without finishing .* press Refresh/);
    const again = data<{ progress: DashboardProgress }>(
      await call('startDashboard', { projectKey: 'SUP', days: 30 }),
    ).progress;
    expect(again.runId).not.toBe(lost.runId);
    h.remainingMs = 900_000;
    await drain();
    expect((await view()).progress).toMatchObject({ runId: again.runId, status: 'done' });
  });
});

describe('dashboard refresh under concurrent duplicate deliveries', () => {
  it('a copy of the last step that lags behind the one that finished ends with the stored result, never a failure', async () => {
    await start(80);
    expect(inWindow(30).length).toBeGreaterThan(DASHBOARD_PAGE_SIZE);
    expect(inWindow(30).length).toBeLessThanOrEqual(2 * DASHBOARD_PAGE_SIZE);
    data(await call('startDashboard', { projectKey: 'SUP', days: 30 }));
    await deliver(h.queued.shift()!.body); // page 0; the next step is the last
    const last = h.queued.shift()!.body;
    // At-least-once: the platform runs the last step twice at once; copy B's search is answered only after copy A finished (and cleaned up).
    const g = globalThis as unknown as {
      __forge_fetch__: (t: Record<string, unknown>, p: string, i?: RequestInit) => Promise<Response>;
    };
    const real = g.__forge_fetch__;
    let searches = 0;
    let first: Promise<unknown> = Promise.resolve();
    g.__forge_fetch__ = async (t, p, i) => {
      if (t.remote === 'jira' && p.startsWith('/rest/api/3/search/jql') && ++searches === 2)
        await first.catch(() => undefined);
      return real(t, p, i);
    };
    try {
      first = deliver(last);
      await Promise.all([first, deliver(last)]);
    } finally {
      g.__forge_fetch__ = real;
    }
    expect(searches).toBe(2);
    const { dashboard, progress } = await view();
    expect(progress).toMatchObject({ status: 'done', issuesRead: inWindow(30).length });
    expect(dashboard?.issues).toBe(inWindow(30).length);
    expect(dashboard!.kpis).toEqual(await direct(30));
  });
});
