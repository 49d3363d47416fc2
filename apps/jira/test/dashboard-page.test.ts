import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildDashboard } from '../scripts/build.ts';
import { uiResolver, workConsumer } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { busyDeskSeed } from './dashboard-seed.ts';
import { NOW, freezeTime, invokeResolver, saveCoreCharter, supCharter, slaGoal } from './fixtures.ts';
import { startForgeHarness, consumerEvent } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// The Custom UI dashboard page as Forge serves it: Vite's production build of the page, opened in
// real headless Chromium under a Custom-UI-like CSP (no inline script or style), with Forge's bridge
// (`window.__bridge.callBridge`, which the host injects and `@forge/bridge` calls) answered by a
// local server from the app's real resolvers over the jira-sim. The queue is delivered by the test.
const LEAD = 'u-ada'; // may browse SUP, administers nothing
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";
const SCREENSHOTS = join(import.meta.dirname, 'out');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

let h: ForgeHarness;
let dir: string;
let server: Server;
let base: string;
let browser: Browser;

const deliver = (body: unknown) => workConsumer(consumerEvent(body));
const inWindow = (days: number) =>
  [...h.sim.store.issues.values()].filter((i) => i.key.startsWith('SUP-') && i.updated >= NOW - days * 86_400_000)
    .length;

/** The module context the host gives the page: a project page of SUP, unless a test says otherwise. */
let extension: Record<string, unknown> = {
  type: 'jira:projectPage',
  project: { id: '10100', key: 'SUP', type: 'service_desk' },
};

async function bridge(cmd: string, data: unknown): Promise<unknown> {
  if (cmd === 'getContext') return { accountId: LEAD, extension };
  if (cmd === 'invoke') {
    const { functionKey, payload } = data as { functionKey: string; payload: unknown };
    return invokeResolver(uiResolver as never, functionKey, payload, LEAD);
  }
  throw new Error(`bridge: ${cmd} is not offered`);
}

beforeAll(async () => {
  freezeTime();
  h = await startForgeHarness({ seed: busyDeskSeed(250) });
  await saveCoreCharter(
    supCharter({ slaGoals: [slaGoal('resolve', '3d', { when: { priority: ['High'] } }), slaGoal('default', '5d')] }),
  );
  dir = mkdtempSync(join(tmpdir(), 'baton-dashboard-'));
  await buildDashboard(dir);
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname.startsWith('/__bridge/')) {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bridge(url.pathname.slice('/__bridge/'.length), body === '' ? undefined : JSON.parse(body)).then(
          (answer) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer ?? null)),
          (e: unknown) => res.writeHead(500).end(String(e)),
        );
      });
      return;
    }
    const file = normalize(join(dir, url.pathname === '/' ? 'index.html' : url.pathname));
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    let content: Buffer;
    try {
      content = readFileSync(file);
    } catch {
      return void res.writeHead(404).end();
    }
    res
      .writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
      })
      .end(content);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
  vi.useRealTimers();
});

async function open(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(base)) problems.push(`external request: ${r.url()}`);
  });
  // What Forge's host provides inside the iframe: `callBridge`, which @forge/bridge takes when it loads.
  await page.addInitScript(() => {
    const w = window as unknown as { __bridge: unknown; __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
    w.__bridge = {
      callBridge: async (cmd: string, data?: unknown) => {
        const r = await fetch(`/__bridge/${cmd}`, { method: 'POST', body: JSON.stringify(data ?? null) });
        if (!r.ok) throw new Error(await r.text());
        return r.json();
      },
    };
  });
  await page.goto(`${base}/`, { waitUntil: 'load' });
  return { page, problems };
}

const kpi = (page: Page, id: string) => page.locator(`[data-kpi="${id}"] .card-value`).textContent();
const bars = (page: Page, chart: string) =>
  page.locator(`figure[data-chart="${chart}"] svg.chart rect[rx="2"] > title`).count();

describe('the dashboard page (Custom UI) in headless Chromium', () => {
  it('shows the last result at once with KPIs and charts, refreshes on the queue with issues read so far, and is screenshot', async () => {
    // A result from an earlier refresh (the last 7 days), as the page finds it when opened.
    h.remainingMs = 900_000;
    expect(
      await invokeResolver(uiResolver as never, 'startDashboard', { projectKey: 'SUP', days: 7 }, LEAD),
    ).toMatchObject({ ok: true });
    await deliver(h.queued.shift()?.body);
    expect(h.queued).toEqual([]);

    const { page, problems } = await open();
    await page.waitForSelector('[data-kpi="issues"]');
    expect(await page.locator('h1').textContent()).toBe('Coordination dashboard — SUP');
    expect(await kpi(page, 'issues')).toBe(String(inWindow(7)));
    expect(await page.locator('#days').inputValue()).toBe('7');
    expect(await page.locator('[data-kpi]').count()).toBe(8);
    // The charts of @baton/report: one bar per open state the KPIs name (at most 14), the three SLA outcomes, the four overhead buckets.
    const stored = (await invokeResolver(uiResolver as never, 'getDashboard', { projectKey: 'SUP' }, LEAD)) as {
      ok: true;
      data: {
        dashboard: { kpis: { states: Record<string, { phase: string }>; cycleTimeHistogram: { edgesDays: number[] } } };
      };
    };
    const openStates = Object.values(stored.data.dashboard.kpis.states).filter((s) => s.phase !== 'done').length;
    expect(openStates).toBeGreaterThan(1);
    expect(await bars(page, 'states')).toBe(Math.min(14, openStates));
    expect(await bars(page, 'sla')).toBe(3);
    expect(await bars(page, 'overhead')).toBe(4);
    // The money is shown with the prices it rests on (before, the figures came without their assumptions).
    expect(await page.locator('figure[data-chart="overhead"] [data-assumptions]').textContent()).toBe(
      'Priced at €60 an hour: 15 min a handoff, 5 min a status check, 30 min an exception, 3 min a message.',
    );
    expect(await page.locator('figure[data-chart="cycle"] svg.chart rect[rx="1.5"]').count()).toBe(
      2 * stored.data.dashboard.kpis.cycleTimeHistogram.edgesDays.length,
    );
    expect(await page.locator('table[data-table="choke-points"] tbody tr').count()).toBeGreaterThan(0);
    for (const box of await page
      .locator('svg.chart')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as { width: number; height: number }))) {
      expect(box.width).toBeGreaterThan(300);
      expect(box.height).toBeGreaterThan(50);
    }

    // Refresh over the last 30 days: one page per queue step (the harness leaves 25 s), progress polled by the page.
    h.remainingMs = 25_000;
    await page.locator('#days').fill('30');
    await page.locator('button[type="submit"]').click();
    await page.waitForSelector('[data-progress="0"]');
    expect(await page.locator('button[type="submit"]').isDisabled()).toBe(true);
    expect(h.queued).toHaveLength(1);
    await deliver(h.queued.shift()?.body);
    await page.waitForSelector('[data-progress="50"]');
    expect(await page.locator('[role="status"]').textContent()).toContain('Refreshing: 50 issues read so far');
    // The last result stays on the page while the refresh runs.
    expect(await kpi(page, 'issues')).toBe(String(inWindow(7)));
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-refreshing.png'), fullPage: true });

    while (h.queued.length > 0) await deliver(h.queued.shift()?.body);
    await page.waitForFunction(
      (n) => document.querySelector('[data-kpi="issues"] .card-value')?.textContent === n,
      String(inWindow(30)),
    );
    expect(inWindow(30)).toBeGreaterThan(100);
    expect(await page.locator('[role="status"]').count()).toBe(0);
    expect(await page.locator('button[type="submit"]').isDisabled()).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });
    // No go-live date: no before/after section.
    expect(await page.locator('table[data-table="cohorts"]').count()).toBe(0);

    // A go-live date: the issues created before and after it, side by side, and the change with its interval.
    h.remainingMs = 900_000;
    const created = [...h.sim.store.issues.values()]
      .filter((i) => i.key.startsWith('SUP-') && i.updated >= NOW - 30 * 86_400_000)
      .map((i) => i.created)
      .sort((a, b) => a - b);
    const goLive = new Date(created[Math.floor(created.length / 2)]!).toISOString().slice(0, 10);
    await page.locator('#golive').fill(goLive);
    // And the project's own prices: the money and its assumptions follow them.
    expect(await page.locator('#cost-currency').inputValue()).toBe('EUR');
    await page.locator('#cost-currency').fill('USD');
    await page.locator('#cost-hour').fill('90');
    await page.locator('#min-handoff').fill('20');
    // Second-order prices are optional: given here, they are counted in the measured return.
    expect(await page.locator('#penalty-breach').inputValue()).toBe('');
    await page.locator('#penalty-breach').fill('250');
    await page.locator('#cost-reopen').fill('120');
    await page.locator('button[type="submit"]').click();
    await page.waitForSelector('[data-progress="0"]');
    while (h.queued.length > 0) await deliver(h.queued.shift()?.body);
    await page.waitForSelector('table[data-table="cohorts"]');
    expect(await page.locator('h2', { hasText: `Before and after ${goLive}` }).count()).toBe(1);
    const rows = await page.locator('table[data-table="cohorts"] tbody tr td:first-child').allTextContents();
    expect(rows).toEqual([`before ${goLive}`, `from ${goLive}`]);
    expect(await page.locator('[data-cohort-change]').textContent()).toMatch(
      /^Cycle time after − before: median [−+]?[\d.]+ [hd] \(95 % interval [−+]?[\d.]+ [hd] to [−+]?[\d.]+ [hd]\); p90 .*; rank test p = [\d.]+/,
    );
    expect(await page.locator('#golive').inputValue()).toBe(goLive);
    expect(await page.locator('figure[data-chart="overhead"] [data-assumptions]').textContent()).toBe(
      'Priced at $90 an hour: 20 min a handoff, 5 min a status check, 30 min an exception, 3 min a message.',
    );
    expect(await kpi(page, 'overhead')).toMatch(/^\$[\d,]+$/);
    // The day is the team's: the page says in which zone the go-live date starts.
    expect(await page.locator('[data-golive-zone]').textContent()).toBe(
      `Split at midnight UTC (the charter's calendar) on ${goLive}.`,
    );
    // The return measured on the issues themselves (before, the dashboard showed no savings at all),
    // in the chosen currency, with the second-order money the prices give.
    const measured = (
      (await invokeResolver(uiResolver as never, 'getDashboard', { projectKey: 'SUP' }, LEAD)) as {
        data: { dashboard: { kpis: { cohorts: { savings: { casesAfter: number; casesBefore: number } } } } };
      }
    ).data.dashboard.kpis.cohorts.savings;
    const savings = page.locator('[data-section="savings"]');
    expect(await savings.locator('[data-savings]').first().textContent()).toMatch(
      new RegExp(
        `^Measured on ${measured.casesAfter} issues after against ${measured.casesBefore} before: coordination (saved|cost) [\\d.]+ min (more )?per issue \\(95 % interval .*\\); over the issues after, -?[\\d,]+ hours and -?\\$[\\d,]+`,
      ),
    );
    expect(await savings.locator('table[data-table="savings"] tbody tr').count()).toBe(5);
    expect(await savings.locator('[data-second-order="sla"]').textContent()).toContain(
      'SLA penalties at $250 a breach',
    );
    expect(await savings.locator('[data-second-order="reopens"]').textContent()).toContain(
      'Rework after reopens at $120 a reopen',
    );
    expect(await page.locator('#penalty-breach').inputValue()).toBe('250');
    expect([await page.locator('#cost-currency').inputValue(), await page.locator('#cost-hour').inputValue()]).toEqual([
      'USD',
      '90',
    ]);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-cohorts.png'), fullPage: true });

    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the team trust per pattern and week, with the drift a person made', async () => {
    // The audit as the app writes it: the router acted twice; a person then gave one issue to someone else.
    const storage = createBatonStorage();
    const row = { pattern: 'router', kind: 'assign', reason: 'least loaded', confidence: 0.8, rule: 'router.owner' };
    for (const n of [1, 2])
      await storage.appendAudit({
        ...row,
        id: `d-${n}#executed`,
        decisionKey: `d-${n}`,
        issueKey: `SUP-${n}`,
        at: NOW - 3_600_000,
        outcome: 'executed',
        actor: 'app',
      });
    await storage.appendAudit({
      ...row,
      id: 'd-1#final',
      decisionKey: 'd-1',
      issueKey: 'SUP-1',
      at: NOW - 1_800_000,
      outcome: 'final',
      actor: 'u-grace',
      final: { actions: ['assign to u-linus'], drifted: true, afterAct: true },
    });
    const { page, problems } = await open();
    await page.waitForSelector('[data-table="trust"]');
    const router = (await page.locator('tr[data-trust="router"]').textContent()) ?? '';
    const cells = await page.locator('tr[data-trust="router"] td').allTextContents();
    // Pattern, decisions, acted, accepted (none answered), overridden, drift.
    expect(cells).toEqual(['router', '2', '2', '—', '0', '100 % (1 of 1)']);
    expect(router).toContain('100 % (1 of 1)');
    expect(await page.locator('[data-trust-weeks] li').count()).toBe(8);
    expect(await page.locator('[data-trust-weeks] li').last().textContent()).toMatch(/router accepted —, drift 100 %/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says so when it is opened outside a project, and asks for nothing', async () => {
    extension = { type: 'jira:adminPage' };
    try {
      const calls = h.sim.requests.length;
      const { page, problems } = await open();
      await page.waitForSelector('[role="alert"]');
      expect(await page.locator('[role="alert"]').textContent()).toBe('Open this page from a Jira project.');
      expect(await page.locator('[data-kpi]').count()).toBe(0);
      expect(h.sim.requests.length).toBe(calls);
      await page.close();
      expect(problems).toEqual([]);
    } finally {
      extension = { type: 'jira:projectPage', project: { id: '10100', key: 'SUP', type: 'service_desk' } };
    }
  });
});
