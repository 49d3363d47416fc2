import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KpisSchema, type Kpis } from '@baton/core/analysis';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/run.ts';

// End to end on the bundled real log: `baton demo` → five files → the report in real Chromium.
// BPIC 2013 incidents: 7,554 cases, 65,533 events (published counts).

const OUT = mkdtempSync(join(tmpdir(), 'baton-demo-'));
const SCREENSHOTS = join(import.meta.dirname, 'out');
let stdout = '';
let code = -1;
let kpis: Kpis;

beforeAll(async () => {
  const out: string[] = [];
  code = await runCli(['demo', '--out', OUT, '--cohort', '2012-01-01'], {
    stdout: (t) => out.push(t),
    stderr: (t) => out.push(t),
    interactive: false,
    cwd: OUT,
  });
  stdout = out.join('');
  kpis = KpisSchema.parse(JSON.parse(readFileSync(join(OUT, 'kpis.json'), 'utf8')));
}, 180_000); // the whole log on a shared 2-core machine: allow for load

describe('baton demo on BPIC 2013 incidents', () => {
  it('succeeds and says where the report is', () => {
    expect(code).toBe(0);
    expect(stdout).toContain(`Open the report: ${join(OUT, 'report.html')}`);
    expect(stdout).toMatch(/Analysed 7,554 cases \(65,533 events\)/);
    expect(stdout).toContain('skipped        0 records');
  });

  it('counts the published cases and events, nothing skipped', () => {
    expect(kpis).toMatchObject({ cases: 7554, events: 65533, skipped: 0 });
    expect(kpis.period.from?.startsWith('2010-')).toBe(true);
    expect(kpis.period.to?.startsWith('2012-')).toBe(true);
  });

  it('has sane figures: cycle times, handoffs between support teams, states', () => {
    const c = kpis.cycleTimeDays;
    expect(c.count).toBeGreaterThan(7000);
    expect(c.p50).toBeGreaterThan(1);
    expect(c.p50).toBeLessThan(60);
    expect(c.p90!).toBeGreaterThan(c.p50!);
    expect(kpis.cycleTimeBusinessDays.p50!).toBeLessThan(c.p50!); // business days: nights and weekends excluded
    expect(kpis.cycleTimeHistogram.wall.reduce((a, b) => a + b, 0)).toBe(c.count);
    expect(kpis.handoffs).toBeGreaterThan(kpis.cases / 2);
    expect(kpis.pingPongCases).toBeGreaterThan(0);
    expect(kpis.pingPongCases).toBeLessThan(kpis.cases);
    expect(kpis.pingPongBounces).toBeGreaterThanOrEqual(kpis.pingPongCases);
    expect(kpis.handoffsHistogram.reduce((a, b) => a + b, 0)).toBe(kpis.cases);
    expect(kpis.states['Queued/Awaiting Assignment']).toMatchObject({ phase: 'queue' });
    expect(kpis.states['Accepted/Wait - User']).toMatchObject({ phase: 'waiting', waitingReason: 'customer' });
    expect(kpis.chokePoints.length).toBeGreaterThan(0);
    expect(kpis.comments).toBe(0); // an event log has no conversation
    expect(kpis.cohorts?.before.cases).toBeGreaterThan(0);
    expect(kpis.cohorts!.before.cases + kpis.cohorts!.after.cases).toBe(kpis.cases);
  });

  it('writes cases.csv, states.csv and events.csv with the source offsets', () => {
    const cases = readFileSync(join(OUT, 'cases.csv'), 'utf8').trim().split('\n');
    expect(cases).toHaveLength(7554 + 1);
    expect(cases[0]).toMatch(
      /^case,source,first_event,last_event,events,cycle_days,cycle_business_days,handoffs,ping_pong_bounces/,
    );
    const states = readFileSync(join(OUT, 'states.csv'), 'utf8').trim().split('\n');
    expect(states.length - 1).toBe(Object.keys(kpis.states).length);
    const events = readFileSync(join(OUT, 'events.csv'), 'utf8').trim().split('\n');
    expect(events[0]).toBe('case,at,kind,field,from,to,actor');
    expect(events[1]).toBe('1-364285768,2010-03-31T16:59:42.000+02:00,created,,,Accepted/In Progress,Frederic');
    expect(events[2]).toBe('1-364285768,2010-03-31T16:59:42.000+02:00,owner,org:group,,V30,Frederic');
    expect(events.some((l) => /,2011-01-31T11:12:22\.000\+01:00,created,/.test(l))).toBe(true);
    // One `created` row per case; one `status` row per later entry into a state (the visits).
    const visits = Object.values(kpis.states).reduce((sum, st) => sum + st.visits, 0);
    expect(events.filter((l) => /^[^,]+,[^,]+,created,/.test(l))).toHaveLength(7554);
    expect(events.filter((l) => /^[^,]+,[^,]+,status,/.test(l))).toHaveLength(visits - 7554);
  });

  describe('report.html in headless Chromium', () => {
    let browser: Awaited<ReturnType<typeof chromium.launch>>;
    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
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
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it('renders without console errors or network, with charts drawn, and is screenshot', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      const external: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => {
        if (!/^(file|data|about):/.test(r.url())) external.push(r.url());
      });
      await page.goto(pathToFileURL(join(OUT, 'report.html')).href, { waitUntil: 'load' });
      expect(await page.title()).toContain('BPI Challenge 2013');
      const sizes = await page.$$eval('svg.chart', (els) =>
        els.map((e) => e.getBoundingClientRect()).map((r) => [r.width, r.height]),
      );
      expect(sizes.length).toBeGreaterThanOrEqual(6);
      for (const [w, h] of sizes) {
        expect(w).toBeGreaterThan(100);
        expect(h).toBeGreaterThan(50);
      }
      expect(await page.locator('svg.chart rect').count()).toBeGreaterThan(30);
      expect(await page.locator('text=Choke points').count()).toBe(1);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'report.png'), fullPage: true });
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
      await page.close();
    });
  });
});
