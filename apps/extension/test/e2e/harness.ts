import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startJiraSim, supportDeskSeed } from '@baton/jira-sim';
import type { JiraSim } from '@baton/jira-sim';
import { writeIssueState } from '@baton/jira/issue-state';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { startFixtureServer } from './fixture-server.ts';
import type { FixtureServer } from './fixture-server.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SESSION = 's-rita-0001';
/**
 * How long one step may wait for the page (a selector, a notice, a polled text). Not a speed claim: a
 * step takes well under a second alone, but the whole suite runs beside these tests on two cores, and
 * under that load a 15 s wait once timed out. Speed is measured by `pnpm --filter @baton/extension bench`.
 */
export const STEP_WAIT_MS = 45_000;

/**
 * The test copy of the production build differs only in its manifest: the content scripts also match
 * the fixture hosts (`*.localhost`), and the Jira sim's origin is a granted host permission (a runtime
 * permission prompt cannot be clicked in headless Chromium). The JavaScript is byte-for-byte the
 * production build's. Why not map the real hosts with `--host-resolver-rules`: mail.google.com is on
 * Chromium's HSTS preload list, so plain HTTP to it is upgraded to HTTPS and would need a trusted
 * certificate for Google's name; `*.localhost` needs nothing and keeps the real paths.
 */
export function prepareTestBuild(productionDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-ext-'));
  cpSync(productionDir, dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    content_scripts: { matches: string[]; js: string[] }[];
    host_permissions?: string[];
  };
  for (const cs of m.content_scripts) {
    if (cs.js.includes('content-scripts/gmail.js')) cs.matches.push('http://mail.google.com.localhost/*');
    if (cs.js.includes('content-scripts/salesforce.js')) cs.matches.push('http://*.lightning.force.com.localhost/*');
  }
  m.host_permissions = ['http://127.0.0.1/*'];
  writeFileSync(manifestPath, JSON.stringify(m, null, 2));
  return dir;
}

export interface Harness {
  readonly context: BrowserContext;
  readonly sim: JiraSim;
  readonly pages: FixtureServer;
  readonly extensionId: string;
  readonly worker: Worker;
  newPage(): Promise<Page>;
  /** Sets the Jira site the way a rep does: on the options page. */
  configureJira(): Promise<Page>;
  close(): Promise<void>;
}

/** The packet and SLA the Jira app would have stored on SUP-2. */
/** `baton.state` of SUP-2 as the Jira app writes it (the shared writer). */
export const SUP2_STATE = writeIssueState({
  schema: 1,
  issueKey: 'SUP-2',
  updatedAt: Date.UTC(2026, 10, 23, 11, 30),
  phase: 'active',
  sla: [
    {
      goal: 'Resolve within 2 business days',
      state: 'at-risk',
      targetMs: 16 * 3_600_000,
      elapsedMs: 13 * 3_600_000,
      dueAt: Date.UTC(2026, 10, 24, 17, 0),
    },
  ],
  suggestions: [],
  ready: [],
  recent: [],
  packet: {
    summary: 'Customer needs a corrected October invoice: the PDF used 19% VAT instead of 7%.',
    decisions: ['Reissue the invoice rather than issue a credit note (Ada Lovelace)'],
    openQuestions: ['Does the reduced rate apply to the add-on licences too? (Ada Lovelace)'],
    links: [{ title: 'VAT rates table', url: 'https://wiki.example/finance/vat' }],
    nextOwner: 'Ada Lovelace',
    definitionOfReady: [
      { item: 'Invoice number', present: true },
      { item: 'Correct VAT rate confirmed by finance', present: false },
    ],
    risks: [],
  },
});

/**
 * A browser profile with the extension, a fixture server and a Jira stand-in. `sim`: share another
 * harness's Jira (a second rep's browser on the same site); it is then left running on close.
 */
export async function startHarness(
  extensionDir: string,
  options: { headless?: boolean; sim?: JiraSim } = {},
): Promise<Harness> {
  const shared = options.sim;
  const sim =
    shared ??
    (await startJiraSim({
      seed: supportDeskSeed(),
      auth: { sessions: { [SESSION]: 'u-ada' } },
      corsOrigins: [/^chrome-extension:\/\//],
    }));
  if (shared === undefined) sim.store.setProperty('SUP-2', 'baton.state', SUP2_STATE);
  const pages = await startFixtureServer();
  const userDataDir = mkdtempSync(join(tmpdir(), 'baton-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: options.headless ?? true,
    viewport: { width: 1280, height: 860 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
      '--no-sandbox',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  // The rep is logged in to Jira in this browser: the session cookie the extension's requests carry.
  await context.addCookies([
    { name: 'tenant.session.token', value: SESSION, url: sim.url, httpOnly: true, sameSite: 'Lax' },
  ]);

  return {
    context,
    sim,
    pages,
    extensionId,
    worker,
    newPage: () => context.newPage(),
    async configureJira() {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/options.html`);
      await page.fill('#jira-site', sim.url);
      // Under load a first connect can end in an error (the service worker still starting): the status
      // says so, and one more click is what a rep would do. A second error fails with its words.
      for (let attempt = 1; ; attempt++) {
        await page.click('#connect');
        const settled = await page.waitForSelector('#jira-status:is([data-kind="ok"], [data-kind="error"])', {
          timeout: STEP_WAIT_MS,
        });
        if ((await settled.getAttribute('data-kind')) === 'ok') return page;
        if (attempt === 2) throw new Error(`options page: Jira not connected: ${await settled.textContent()}`);
      }
    },
    async close() {
      await context.close();
      if (shared === undefined) await sim.close();
      await pages.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
