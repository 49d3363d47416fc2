import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, CHROME_DIR } from '../global-setup.ts';
import { prepareTestBuild, startHarness, STEP_WAIT_MS } from './harness.ts';
import type { Harness } from './harness.ts';
import { overlayProbe } from './overlay-probe.ts';

// The record and the reply the rep is looking at, not whatever else the page keeps: Lightning keeps
// earlier record pages in the DOM (hidden) after a client-side navigation, and Gmail's compose dock
// holds new messages to other people next to the thread's own reply.

const SHOTS = join(APP_DIR, '.output', 'e2e-screenshots');
const THREAD_WITH_KEY = '#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB';
const ACME = '/lightning/r/Account/001Dn00000AbCdEIAX/view';
const GLOBEX = '/lightning/r/Opportunity/006Dn00000GlBxAIAV/view';

let h: Harness;
let extDir: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  extDir = prepareTestBuild(CHROME_DIR);
  h = await startHarness(extDir);
  await (await h.configureJira()).close();
});

afterAll(async () => {
  await h?.close();
  if (extDir) rmSync(extDir, { recursive: true, force: true });
});

/**
 * Lightning's client-side navigation, played by the page: the next record page becomes the active
 * `.oneContent`; the one before stays in the DOM, hidden and no longer active; the URL is pushed.
 */
async function navigateLightning(page: Page, path: string, fixture: string): Promise<void> {
  await page.evaluate(
    async ({ path, fixture }) => {
      const html = await (await fetch(`/__fixtures/${fixture}`)).text();
      const next = new DOMParser().parseFromString(html, 'text/html').querySelector('.oneContent.active')!;
      const earlier = document.querySelector('.oneContent.active') as HTMLElement;
      earlier.classList.remove('active');
      earlier.style.display = 'none';
      earlier.parentElement!.append(document.adoptNode(next));
      history.pushState({}, '', path);
    },
    { path, fixture },
  );
}

describe('the record on screen (Salesforce Lightning)', () => {
  it('after Account "Acme", Opportunity "Globex" shows Globex’s case, not Acme’s kept in the DOM', async () => {
    const page = await h.newPage();
    await page.goto(h.pages.lightningUrl(ACME));
    const o = await overlayProbe(page);
    await o.click('[data-role="launcher"]');
    await o.waitFor('[data-role="packet"][data-key="SUP-4"]');
    expect(await o.text('[data-role="page-title"]')).toBe('Acme Corporation');

    await navigateLightning(page, GLOBEX, 'salesforce/lightning-opportunity-globex-de.html');
    await o.waitFor('[data-role="page-title"]', { hasText: 'Globex' });
    await o.waitFor('[data-role="packet"][data-key="SUP-3"]');
    expect(await o.text('[data-role="page-title"]')).toBe('Globex – Datenexport-Erweiterung');
    expect(await page.locator('text=Acme Corporation').count()).toBeGreaterThan(0);

    // Logged under Globex's id, with Globex's fields only.
    const before = h.sim.requestsTo('/rest/api/3/issue/SUP-3/comment', 'POST').length;
    await o.click('[data-action="log-start"]');
    await o.waitFor('[data-role="log-preview"]');
    const preview = (await o.text('[data-role="log-preview"]')) ?? '';
    expect(preview).toContain('006Dn00000GlBxAIAV');
    expect(preview).toContain('Nächster Schritt: CSV-Export für große Berichte klären');
    expect(preview).not.toContain('Acme');
    await page.screenshot({ path: join(SHOTS, 'salesforce-globex-after-acme.png') });
    await o.click('[data-action="log-confirm"]');
    await o.waitFor('.notice', { hasText: 'Logged to SUP-3' });
    expect(h.sim.requestsTo('/rest/api/3/issue/SUP-3/comment', 'POST')).toHaveLength(before + 1);
    expect(h.sim.requestsTo('/rest/api/3/issue/SUP-4/comment', 'POST')).toHaveLength(0);
    await page.close();
  });
});

describe('the reply of the thread shown (Gmail)', () => {
  it('with a new message to someone else open, Insert writes into the thread’s reply (the rep opens it) only', async () => {
    const page = await h.newPage();
    await page.goto(h.pages.gmailUrl(THREAD_WITH_KEY));
    await page.waitForSelector('h2.hP');
    // The rep starts a new message to someone else; it stays open in the dock.
    await page.locator('#compose').click();
    const other = page.locator('[data-new-message]');
    await other.click();
    await page.keyboard.type('Hi Bob, lunch on Friday?');

    const o = await overlayProbe(page);
    await o.click('[data-role="launcher"]');
    await o.waitFor('[data-role="draft-text"]', { hasText: 'Update on your request SUP-2.' });
    await o.click('[data-action="insert"]');
    await o.waitFor('.notice', { hasText: 'Click Reply under the last message' });
    await page.locator('#app span.ams.bkH').click();
    await o.waitFor('.notice', { hasText: 'Draft inserted into your reply' });

    const reply = page.locator('#app [g_editable="true"]');
    await expect.poll(() => reply.innerText(), { timeout: STEP_WAIT_MS }).toContain('Update on your request SUP-2.');
    expect(await other.innerText()).toBe('Hi Bob, lunch on Friday?');
    await page.screenshot({ path: join(SHOTS, 'gmail-insert-with-new-message-open.png') });
    await page.close();
  });
});
