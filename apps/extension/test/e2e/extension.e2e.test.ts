import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { adfProblem, adfToText } from '@baton/jira-sim';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, CHROME_DIR } from '../global-setup.ts';
import { prepareTestBuild, startHarness, STEP_WAIT_MS } from './harness.ts';
import type { Harness } from './harness.ts';
import { overlayProbe } from './overlay-probe.ts';
import type { OverlayProbe } from './overlay-probe.ts';

// The built extension in real headless Chromium, against fixture pages under their real paths and a
// local Jira Cloud stand-in. Screenshots go to .output/e2e-screenshots for a person to look at.

const SHOTS = join(APP_DIR, '.output', 'e2e-screenshots');
const THREAD_WITH_KEY = '#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB';
const THREAD_NO_KEY = '#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzC';
const OPPORTUNITY = '/lightning/r/Opportunity/006Dn00000XyZaBIAV/view';
const UNRECOGNISED = '/lightning/r/Account/001Dn00000ZzZzZIAX/view';

let h: Harness;
let extDir: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  extDir = prepareTestBuild(CHROME_DIR);
  h = await startHarness(extDir);
  const options = await h.configureJira();
  await options.screenshot({ path: join(SHOTS, 'options.png'), fullPage: true });
  await options.close();
});

afterAll(async () => {
  await h?.close();
  if (extDir) rmSync(extDir, { recursive: true, force: true });
});

/** Clicks Baton's launcher as the rep does; returns the test's view into the closed overlay. */
async function openOverlay(page: Page): Promise<OverlayProbe> {
  const o = await overlayProbe(page);
  await o.click('[data-role="launcher"]');
  return o;
}

describe('Gmail', () => {
  let page: Page;
  let o: OverlayProbe;
  beforeAll(async () => {
    page = await h.newPage();
    await page.goto(h.pages.gmailUrl(THREAD_WITH_KEY));
    await page.waitForSelector('h2.hP');
  });

  it('shows the linked case, the packet and SLA the Jira app stored, and a customer draft', async () => {
    o = await openOverlay(page);
    await o.waitFor('[data-role="packet"][data-key="SUP-2"]');
    expect(await o.text('[data-role="packet"]')).toContain('Reissue the invoice rather than issue a credit note');
    expect(await o.attr('[data-role="sla"]', 'data-state')).toBe('at-risk');
    const draft = await o.text('[data-role="draft-text"]');
    expect(draft).toContain('Update on your request SUP-2.');
    expect(draft).not.toContain('Ada');
    await page.screenshot({ path: join(SHOTS, 'gmail-overlay.png') });
    // The sim saw the rep's session and the search came with the XSRF header.
    expect(h.sim.requestsTo('/rest/api/3/issue/SUP-2', 'GET').every((r) => r.actor === 'u-ada')).toBe(true);
  });

  it('keeps page styles out of the overlay and its styles out of the page', async () => {
    const style = await o.call<{ color: string; background: string; font: string; visible: boolean }>(
      '[data-role="launcher"]',
      `(el) => { const s = getComputedStyle(el); return { color: s.color, background: s.backgroundColor, font: s.fontFamily, visible: el.checkVisibility() }; }`,
    );
    expect(style).toEqual({
      visible: true,
      color: 'rgb(255, 255, 255)',
      background: 'rgb(12, 102, 228)',
      font: expect.not.stringContaining('Courier'),
    });
    const pre = await o.call<string>('[data-role="draft-text"]', '(el) => getComputedStyle(el).backgroundColor');
    expect(pre).toBe('rgb(247, 248, 249)');
    const probe = await page.locator('#probe').evaluate((el) => {
      const s = getComputedStyle(el);
      return { size: s.fontSize, spacing: s.letterSpacing, color: s.color };
    });
    expect(probe).toEqual({ size: '21px', spacing: '3px', color: 'rgb(187, 0, 0)' });
  });

  it('renders email text as text', async () => {
    await o.click('[data-action="log-start"]');
    await o.waitFor('[data-role="log-preview"]');
    expect(await o.text('[data-role="log-preview"]')).toContain('<img src=x onerror="alert(1)">');
    expect(await o.count('img, b, script')).toBe(0);
    await o.click('[data-action="log-cancel"]');
  });

  it('inserts the draft into the reply box the rep opens, and sends nothing', async () => {
    const before = h.sim.requests.length;
    await o.click('[data-action="insert"]');
    await o.waitFor('.notice', { hasText: 'Click Reply under the last message' });
    await page.locator('span.ams.bkH').click();
    const box = page.locator('div[g_editable="true"][role="textbox"]');
    await box.waitFor({ timeout: STEP_WAIT_MS });
    await expect.poll(() => box.innerText(), { timeout: STEP_WAIT_MS }).toContain('Update on your request SUP-2.');
    expect(await box.locator('img, b, script').count()).toBe(0);
    expect(h.sim.requests.length).toBe(before);
    await page.screenshot({ path: join(SHOTS, 'gmail-inserted.png') });
  });

  it('drafts again for the audience the rep picks, and inserts the draft as the rep edited it', async () => {
    await o.click('[data-action="audience"][value="executive"]');
    await o.waitFor('[data-role="draft"][data-audience="executive"]');
    expect(await o.attr('[data-action="audience"][value="executive"]', 'aria-pressed')).toBe('true');
    const executive = (await o.text('[data-role="draft-text"]')) ?? '';
    expect(executive).toContain('SUP-2');
    expect(executive).toContain('owns the next step');
    await o.click('[data-action="audience"][value="customer"]');
    await o.waitFor('[data-role="draft"][data-audience="customer"]');
    await o.fill('[data-role="draft-text"]', 'Hallo Carla, die korrigierte Rechnung kommt morgen.');
    await o.click('[data-action="insert"]');
    const box = page.locator('div[g_editable="true"][role="textbox"]');
    await expect
      .poll(() => box.innerText(), { timeout: STEP_WAIT_MS })
      .toContain('Hallo Carla, die korrigierte Rechnung kommt morgen.');
  });

  it('logs the email to Jira as an ADF comment after the rep confirms', async () => {
    await o.click('[data-action="log-start"]');
    await page.screenshot({ path: join(SHOTS, 'gmail-log-preview.png') });
    await o.click('[data-action="log-confirm"]');
    await o.waitFor('.notice', { hasText: 'Logged to SUP-2' });
    const posts = h.sim.requestsTo('/rest/api/3/issue/SUP-2/comment', 'POST');
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post.status).toBe(201);
    expect(post.actor).toBe('u-ada');
    expect(post.headers['x-atlassian-token']).toBe('no-check');
    const body = (post.body as { body: unknown }).body;
    expect(adfProblem(body)).toBeUndefined();
    const text = adfToText(body);
    expect(text).toContain('Subject: Re: Invoice PDF shows the wrong VAT rate [SUP-2]');
    expect(text).toContain('From: Carla Customer <carla@customer.example>');
    expect(text).toContain('Date: Mon, Nov 23, 2026, 9:41 AM');
    expect(text).toContain(`Link: ${h.pages.gmailUrl(THREAD_WITH_KEY)}`);
    expect(text).toContain('Any news? Month end is Friday.');
    // Only the latest message by default, and internal: the Service Management customer does not see it.
    expect(text).not.toContain('the invoice PDF for October still shows 19% VAT');
    expect((post.body as { properties?: unknown }).properties).toEqual([
      { key: 'sd.public.comment', value: { internal: true } },
    ]);
    const stored = h.sim.store.get('SUP-2').comments.at(-1)!;
    expect(stored.author).toBe('u-ada');
    expect(stored.properties.get('sd.public.comment')).toEqual({ internal: true });
    await o.waitFor('.notice', { hasText: 'as an internal note' });
    await page.screenshot({ path: join(SHOTS, 'gmail-logged.png') });
  });

  it('logs the messages the rep picks, as a public comment when the rep chooses it', async () => {
    await o.click('[data-action="log-start"]');
    await o.click('[data-role="log-message"][data-index="0"]');
    await o.click('[data-role="log-visibility"][value="public"]');
    await o.waitFor('[data-role="log-preview"]', { hasText: '2 emails logged from Gmail by Baton' });
    await page.screenshot({ path: join(SHOTS, 'gmail-log-choices.png') });
    await o.click('[data-action="log-confirm"]');
    await o.waitFor('.notice', { hasText: 'as a public comment' });
    const post = h.sim.requestsTo('/rest/api/3/issue/SUP-2/comment', 'POST').at(-1)!;
    expect(post.status).toBe(201);
    const text = adfToText((post.body as { body: unknown }).body);
    expect(text).toContain('the invoice PDF for October still shows 19% VAT');
    expect(text).toContain('Any news? Month end is Friday.');
    expect((post.body as { properties?: unknown }).properties).toBeUndefined();
  });

  it('follows Gmail’s hash navigation to the next thread and finds its case by searching the subject', async () => {
    await page.evaluate((hash) => {
      location.hash = hash;
    }, THREAD_NO_KEY);
    await page.waitForFunction((hash) => document.body.dataset.routed === hash, THREAD_NO_KEY);
    await o.waitFor('[data-role="packet"][data-key="SUP-3"]');
    expect(await o.text('[data-role="page-title"]')).toBe('Re: Export to CSV times out for large reports');
    // No packet stored for SUP-3: derived from the issue, and labelled as such.
    expect(await o.text('[data-role="packet"]')).toContain(
      'The Jira app has not stored a handoff packet on this issue yet',
    );
    const search = h.sim.requestsTo('/rest/api/3/search/jql', 'POST').at(-1)!;
    expect(search.headers['x-atlassian-token']).toBe('no-check');
    expect(search.body).toMatchObject({
      jql: 'text ~ "Export to CSV times out for large reports" ORDER BY updated DESC',
    });
    await page.screenshot({ path: join(SHOTS, 'gmail-navigated.png') });
  });
});

describe('toolbar button', () => {
  it('toggles the overlay in the active tab through the background', async () => {
    const page = await h.newPage();
    await page.goto(h.pages.lightningUrl('/lightning/r/Account/001Dn00000AbCdEIAX/view'));
    const o = await overlayProbe(page);
    await o.waitFor('[data-role="launcher"]');
    await page.bringToFront();
    // What the background's action.onClicked handler does: message the tab's content script.
    const send = (): Promise<unknown> =>
      h.worker.evaluate(async () => {
        const c = (
          globalThis as unknown as {
            chrome: {
              tabs: {
                query(q: object): Promise<{ id: number }[]>;
                sendMessage(id: number, m: unknown): Promise<unknown>;
              };
            };
          }
        ).chrome;
        const [tab] = await c.tabs.query({ active: true, lastFocusedWindow: true });
        return c.tabs.sendMessage(tab!.id, { type: 'overlay.toggle' });
      });
    expect(await send()).toEqual({ ok: true });
    await o.waitFor('[data-role="packet"][data-key="SUP-4"]');
    await send();
    await expect.poll(() => o.count('.panel')).toBe(0);
    await page.close();
  });
});

describe('side panel', () => {
  /** The id the browser gave the tab showing `page`: the active tab once it is in front (Baton may not read tab URLs). */
  async function tabIdOf(page: Page): Promise<number> {
    await page.bringToFront();
    return h.worker.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number }[]> } } }).chrome;
      const [tab] = await c.tabs.query({ active: true, lastFocusedWindow: true });
      return tab!.id;
    });
  }

  it('shows the packet and the customer draft for the Gmail tab it was opened for', async () => {
    const gmail = await h.newPage();
    await gmail.goto(h.pages.gmailUrl(THREAD_WITH_KEY));
    await gmail.waitForSelector('h2.hP');
    const tabId = await tabIdOf(gmail);
    // What the toolbar opens (side_panel.default_path), given the tab as context.
    const panel = await h.newPage();
    await panel.goto(`chrome-extension://${h.extensionId}/sidepanel.html?tabId=${tabId}`);
    const packet = panel.locator('[data-role="packet"][data-key="SUP-2"]');
    await packet.waitFor({ timeout: 20_000 });
    expect(await packet.textContent()).toContain('Reissue the invoice rather than issue a credit note');
    expect(await panel.locator('[data-role="draft"]').getAttribute('data-audience')).toBe('customer');
    // The page itself shows no overlay: the panel read it through the content script.
    expect(await (await overlayProbe(gmail)).count('.panel')).toBe(0);
    await panel.screenshot({ path: join(SHOTS, 'side-panel-gmail.png') });
    await panel.close();
    await gmail.close();
  });

  it('says what to open for a tab that is not Gmail or Salesforce', async () => {
    const other = await h.newPage();
    await other.goto(`chrome-extension://${h.extensionId}/options.html`);
    const tabId = await tabIdOf(other);
    const panel = await h.newPage();
    await panel.goto(`chrome-extension://${h.extensionId}/sidepanel.html?tabId=${tabId}`);
    await expect
      .poll(() => panel.locator('[data-role="no-page"]').textContent(), { timeout: STEP_WAIT_MS })
      .toContain('Open a Gmail thread or a Salesforce record');
    await panel.close();
    await other.close();
  });
});

describe('with the model off (the default)', () => {
  it('nothing the browser requests goes anywhere but the fixture pages, the extension itself and the Jira host', async () => {
    const seen: string[] = [];
    const record = (r: { url(): string }): void => void seen.push(r.url());
    h.context.on('request', record);
    try {
      const gmail = await h.newPage();
      await gmail.goto(h.pages.gmailUrl(THREAD_WITH_KEY));
      await (await openOverlay(gmail)).waitFor('[data-role="packet"][data-key="SUP-2"]');
      await gmail.close();
    } finally {
      h.context.off('request', record);
    }
    const jira = new URL(h.sim.url).host;
    const fixtures = new URL(h.pages.gmailUrl('')).port;
    const elsewhere = seen.filter((u) => {
      const url = new URL(u);
      return !(
        url.protocol === 'chrome-extension:' ||
        url.protocol === 'data:' ||
        url.host === jira ||
        (url.hostname.endsWith('.localhost') && url.port === fixtures)
      );
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(elsewhere).toEqual([]);
    // The background's own calls (which page events may not show) went to the Jira host: the sim saw them.
    expect(h.sim.requestsTo('/rest/api/3/issue/SUP-2', 'GET').length).toBeGreaterThan(0);
  });
});

describe('Salesforce Lightning', () => {
  it('reads a record whose fields sit in shadow roots, shows the case for the account team, and logs key facts', async () => {
    const page = await h.newPage();
    await page.goto(h.pages.lightningUrl(OPPORTUNITY));
    const o = await openOverlay(page);
    await o.waitFor('[data-role="packet"][data-key="SUP-4"]');
    expect(await o.attr('[data-role="draft"]', 'data-audience')).toBe('internal');
    expect(await o.text('[data-role="draft-text"]')).toContain('owner Linus Pauling');
    // Insert writes into the Salesforce field the rep was last in (here a comment box the rep clicks).
    await page.evaluate(() => {
      const box = document.createElement('textarea');
      box.id = 'log-a-call';
      document.querySelector('.oneContent.active, body')!.append(box);
    });
    await o.click('[data-action="insert"]');
    await o.waitFor('.notice', { hasText: 'Click into the Salesforce field' });
    await page.locator('#log-a-call').click();
    await o.click('[data-action="insert"]');
    await o.waitFor('.notice', { hasText: 'Draft inserted into your field' });
    expect(await page.locator('#log-a-call').inputValue()).toContain('owner Linus Pauling');
    await page.screenshot({ path: join(SHOTS, 'salesforce-overlay.png') });
    await o.click('[data-action="log-start"]');
    await o.click('[data-action="log-confirm"]');
    await o.waitFor('.notice', { hasText: 'Logged to SUP-4' });
    const post = h.sim.requestsTo('/rest/api/3/issue/SUP-4/comment', 'POST')[0]!;
    const text = adfToText((post.body as { body: unknown }).body);
    expect(text).toContain('Salesforce Opportunity logged by Baton');
    expect(text).toContain('Record: Acme Corporation - 500 seat renewal (006Dn00000XyZaBIAV)');
    expect(text).toContain('Stage: Negotiation/Review');
    expect(text).toContain('Next Step: Unblock SSO before signature; legal review of <b>MSA</b> pending');
    await page.close();
  });

  it('says when it does not recognise a record page and offers the manual link', async () => {
    const page = await h.newPage();
    await page.goto(h.pages.lightningUrl(UNRECOGNISED));
    const o = await openOverlay(page);
    await o.waitFor('[data-view="unrecognised"] [role="alert"]');
    expect(await o.text('[data-view="unrecognised"] [role="alert"]')).toMatch(/does not recognise this Account page/);
    await o.fill('input[name="issue-key"]', 'SUP-1');
    await o.click('form[data-role="manual-link"] button');
    await o.waitFor('[data-role="packet"][data-key="SUP-1"]');
    await page.screenshot({ path: join(SHOTS, 'salesforce-unrecognised.png') });
    await page.close();
  });
});
