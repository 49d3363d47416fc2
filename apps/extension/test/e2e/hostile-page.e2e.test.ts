import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_DIR } from '../global-setup.ts';
import { prepareTestBuild, startHarness, STEP_WAIT_MS } from './harness.ts';
import type { Harness } from './harness.ts';
import { SUP2_OVERLAY_ONLY, expectNothingReached } from './hostile-report.ts';
import { overlayProbe } from './overlay-probe.ts';

// The page Baton draws into is not Baton's: Gmail's or Salesforce's own JavaScript (or anything they
// load) shares the DOM with the overlay. Played here by pages/hostile-page.js, which runs before the
// content script, overrides attachShadow, fetch, XMLHttpRequest and MutationObserver, listens to every
// event, then reads the DOM and fires synthetic input wherever Baton draws. It must get nothing of the
// packet, and its input must not post a comment, insert a draft or close the panel.

const THREAD_WITH_KEY = '#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB';

let h: Harness;
let extDir: string;

beforeAll(async () => {
  extDir = prepareTestBuild(CHROME_DIR);
  h = await startHarness(extDir);
  await (await h.configureJira()).close();
});

afterAll(async () => {
  await h?.close();
  if (extDir) rmSync(extDir, { recursive: true, force: true });
});

describe('a hostile page (Chromium)', () => {
  it('gets nothing of the packet out of the overlay, and its synthetic input posts and inserts nothing', async () => {
    const page = await h.newPage();
    await page.goto(h.pages.gmailUrl(THREAD_WITH_KEY, { hostile: true }));
    await page.waitForSelector('h2.hP');
    const o = await overlayProbe(page);
    // The rep opens Baton and starts "Log to Jira": the confirm button is there for the page to try.
    await o.click('[data-role="launcher"]');
    await o.waitFor('[data-role="packet"][data-key="SUP-2"]');
    const shown = (await o.text('.baton')) ?? '';
    const secrets = SUP2_OVERLAY_ONLY.filter((s) => shown.includes(s));
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    await o.click('[data-action="log-start"]');
    await o.waitFor('[data-role="log-preview"]');
    const requestsBefore = h.sim.requests.length;

    const report = expectNothingReached(await page.evaluate('window.__attack()'), secrets);

    // The page's own fetch saw only the page's own requests; Baton never goes through the page.
    expect(report.requests.every((u) => u.startsWith('/__fixtures/gmail/'))).toBe(true);
    // Nothing was sent to Jira, nothing inserted, the panel is still open on the preview (and the one
    // comment counted after the rep's own click below shows no late post from the page's clicks either).
    expect(h.sim.requests.slice(requestsBefore)).toEqual([]);
    expect(h.sim.requestsTo('/rest/api/3/issue/SUP-2/comment', 'POST')).toEqual([]);
    expect(await page.locator('[g_editable="true"]').count()).toBe(0);
    expect(await o.count('[data-role="log-preview"]')).toBe(1);
    expect(await o.count('.notice')).toBe(0);

    // The rep's own click still works under all of it.
    await o.click('[data-action="log-confirm"]');
    await o.waitFor('.notice', { hasText: 'Logged to SUP-2' });
    expect(h.sim.requestsTo('/rest/api/3/issue/SUP-2/comment', 'POST')).toHaveLength(1);
    await page.close();
  });

  it('Insert never clicks the page’s Reply: it asks the rep, and writes into the reply the rep opens', async () => {
    const page = await h.newPage();
    await page.goto(h.pages.gmailUrl(THREAD_WITH_KEY, { hostile: true }));
    await page.waitForSelector('h2.hP');
    const o = await overlayProbe(page);
    await o.click('[data-role="launcher"]');
    await o.waitFor('[data-role="draft-text"]', { hasText: 'Update on your request SUP-2.' });
    await o.click('[data-action="insert"]');
    await o.waitFor('.notice', { hasText: 'Click Reply under the last message' });
    expect(await page.locator('[g_editable="true"]').count()).toBe(0);
    expect(JSON.parse(await page.evaluate<string>('window.__untrusted()'))).toEqual([]);

    // The rep clicks Reply; the draft goes into the reply as it opens.
    await page.locator('span.ams.bkH').click();
    const reply = page.locator('#app [g_editable="true"]');
    await expect.poll(() => reply.innerText(), { timeout: STEP_WAIT_MS }).toContain('Update on your request SUP-2.');
    await o.waitFor('.notice', { hasText: 'Draft inserted into your reply' });
    expect(JSON.parse(await page.evaluate<string>('window.__untrusted()'))).toEqual([]);
    await page.close();
  });
});
