import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adfToText, startJiraSim, supportDeskSeed } from '@baton/jira-sim';
import type { JiraSim } from '@baton/jira-sim';
import { startOpenAIServer } from '@baton/llm-openai/test-server';
import type { OpenAITestServer, RecordedRequest, Reply } from '@baton/llm-openai/test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, FIREFOX_DIR } from '../global-setup.ts';
import { launchFirefox } from './firefox-bidi.ts';
import type { Firefox } from './firefox-bidi.ts';
import { startFixtureServer } from './fixture-server.ts';
import type { FixtureServer } from './fixture-server.ts';
import { SESSION, STEP_WAIT_MS, SUP2_STATE, prepareTestBuild } from './harness.ts';
import { SUP2_OVERLAY_ONLY, expectNothingReached } from './hostile-report.ts';

// The Firefox MV3 build in Debian's Firefox ESR, driven through Firefox's built-in WebDriver BiDi (no
// driver or browser download): the rep sets the Jira site and their own model key on the options
// page, opens Baton on a Gmail thread, sees the packet and a model-worded draft, and logs the email
// to Jira; then a Salesforce record. Firefox's background is an event page with `window` and
// `document`, where the `openai` client runs only because the background allows it explicitly.

const SHOTS = join(APP_DIR, '.output', 'e2e-screenshots');
const UUID = '5b1c7a3e-0d4f-4c55-9a7e-6f2b8e9d1c40';
const EXT = `moz-extension://${UUID}`;
const THREAD_WITH_KEY = '#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB';
const OPPORTUNITY = '/lightning/r/Opportunity/006Dn00000XyZaBIAV/view';
const KEY = 'sk-firefox-own-key-0123456789abcdefgh';
const WORDED_BODY = 'Good news: your October invoice is being reissued with the corrected VAT rate.';
const EMAIL_ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;

const byId = (id: string): string => `document.getElementById(${JSON.stringify(id)})`;
const fill = (id: string, value: string): string =>
  `(() => { const el = ${byId(id)}; el.value = ${JSON.stringify(value)}; el.dispatchEvent(new Event('input', { bubbles: true })); return true; })()`;

/**
 * The test copy of the Firefox build: the Chromium test copy's manifest changes, plus options.html
 * as a web-accessible resource for the fixture hosts. BiDi refuses to navigate a tab to a
 * moz-extension: URL, but a page may open a web-accessible one, which is how the test reaches the
 * options page. The JavaScript is the production build's.
 */
function prepareFirefoxBuild(): string {
  const dir = prepareTestBuild(FIREFOX_DIR);
  const path = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  m.web_accessible_resources = [{ resources: ['options.html'], matches: ['http://*.localhost/*'] }];
  writeFileSync(path, JSON.stringify(m, null, 2));
  return dir;
}

/** The local "model": a fixed draft, and a summary that names the case it was asked about. */
function answer(r: RecordedRequest): Reply {
  if ((r.body.response_format as { json_schema: { name: string } }).json_schema.name === 'draft_update') {
    return { kind: 'json', value: { subject: 'Your corrected invoice', body: WORDED_BODY } };
  }
  const key = /\bcase ([A-Z]+-\d+)/.exec(r.system + r.user)?.[1] ?? 'unknown';
  return {
    kind: 'json',
    value: { summary: `Case ${key}, summarised by the local test model.`, evidenceIds: ['summary'] },
  };
}

let ff: Firefox;
let sim: JiraSim;
let pages: FixtureServer;
let llm: OpenAITestServer;
let extDir: string;

async function goto(url: string): Promise<void> {
  await ff.send('browsingContext.navigate', { context: ff.context, url, wait: 'complete' });
}

/** Waits for an element in the (closed) overlay; on a time-out the error quotes what the overlay shows instead. */
async function waitInOverlay(
  selector: string,
  what: string,
  timeoutMs = STEP_WAIT_MS,
  test = '() => true',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await ff.inOverlay<boolean>(selector, test)) === true) return;
    } catch {
      // The page is navigating: try again.
    }
    if (Date.now() > until) {
      const shown = await text('.baton').catch(() => null);
      throw new Error(`Firefox: gave up waiting for ${what}; the overlay shows: ${shown ?? '(no overlay)'}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Clicks and waits for what the click opens. The overlay redraws whole when a late answer lands (the
 * model's wording): a click that reached the node just replaced did nothing, so it is made again while
 * the button is still there and its result is not.
 */
async function clickThen(selector: string, expected: string, what: string): Promise<void> {
  const until = Date.now() + STEP_WAIT_MS;
  for (;;) {
    await ff.clickInOverlay(selector);
    try {
      await waitInOverlay(expected, what, 5_000);
      return;
    } catch (e) {
      const stillThere = await ff.inOverlay<boolean>(selector, '() => true').catch(() => false);
      if (Date.now() > until || stillThere !== true) throw e;
    }
  }
}

const text = (selector: string): Promise<string | null> => ff.inOverlay<string>(selector, '(el) => el.textContent');
const attr = (selector: string, name: string): Promise<string | null> =>
  ff.inOverlay<string | null>(selector, `(el) => el.getAttribute(${JSON.stringify(name)})`);

async function shot(name: string): Promise<void> {
  writeFileSync(join(SHOTS, name), await ff.screenshot());
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  sim = await startJiraSim({
    seed: supportDeskSeed(),
    auth: { sessions: { [SESSION]: 'u-ada' } },
    corsOrigins: [/^moz-extension:\/\//],
  });
  sim.store.setProperty('SUP-2', 'baton.state', {
    ...SUP2_STATE,
    packet: {
      ...SUP2_STATE.packet,
      openQuestions: [
        'Does the reduced rate apply to the add-on licences too? Confirm with carla@customer.example (Ada Lovelace)',
      ],
    },
  });
  pages = await startFixtureServer();
  llm = await startOpenAIServer(answer);
  extDir = prepareFirefoxBuild();
  ff = await launchFirefox({
    'extensions.webextensions.uuids': JSON.stringify({ 'baton@baton.invalid': UUID }),
    // A permission prompt cannot be clicked headless: optional permissions asked in a user gesture are
    // granted as if the rep clicked Allow (the counterpart of the Chromium copy's granted host).
    'extensions.webextOptionalPermissionPrompts': false,
  });
  await ff.send('browsingContext.setViewport', { context: ff.context, viewport: { width: 1280, height: 860 } });
  const installed = await ff.send<{ extension: string }>('webExtension.install', {
    extensionData: { type: 'path', path: extDir },
  });
  expect(installed.extension).toBe('baton@baton.invalid');
  // The rep is logged in to Jira in this browser.
  const jira = new URL(sim.url);
  await ff.send('storage.setCookie', {
    cookie: {
      name: 'tenant.session.token',
      value: { type: 'string', value: SESSION },
      domain: jira.hostname,
      path: '/',
      httpOnly: true,
      secure: false,
      sameSite: 'lax',
    },
  });
});

afterAll(async () => {
  await ff?.close();
  await sim?.close();
  await pages?.close();
  await llm?.close();
  if (extDir) rmSync(extDir, { recursive: true, force: true });
});

describe('Firefox ESR', () => {
  it('the options page sets the Jira site and the rep’s own model, asking for each host in a user gesture', async () => {
    await goto(pages.gmailUrl(''));
    await ff.json(`(location.href = ${JSON.stringify(`${EXT}/options.html`)}, true)`);
    await ff.waitFor(`location.protocol === 'moz-extension:' && ${byId('jira-site')}`, 'the options page');
    await ff.json(fill('jira-site', sim.url));
    await ff.click(byId('connect'));
    await ff.waitFor(`${byId('jira-status')}?.dataset.kind === 'ok'`, 'the Jira connection check');
    expect(await ff.json<string>(`${byId('jira-status')}.textContent`)).toBe(
      `Connected to ${sim.url} as Ada Lovelace.`,
    );

    await ff.click(byId('model-own'));
    await ff.json(fill('model-base-url', llm.baseURL));
    await ff.json(fill('model-name', 'gpt-local'));
    await ff.json(fill('model-key', KEY));
    await ff.click(byId('model-save'));
    await ff.waitFor(`${byId('model-status')}?.dataset.kind === 'ok'`, 'the model settings to save');
    expect(await ff.json<string>(`${byId('model-key')}.value`)).toBe('');
    await shot('firefox-options.png');
  });

  it('shows the packet and a draft worded by the rep’s model on a Gmail thread; the provider got redacted text', async () => {
    await goto(pages.gmailUrl(THREAD_WITH_KEY));
    await waitInOverlay('[data-role="launcher"]', 'the Baton launcher');
    await ff.clickInOverlay('[data-role="launcher"]');
    await waitInOverlay('[data-role="packet"][data-key="SUP-2"]', 'the SUP-2 packet', 30_000);
    await waitInOverlay('[data-role="draft-wording"]:not([data-by="pending"])', 'the model’s wording');
    expect(await text('[data-role="packet"]')).toContain('Reissue the invoice rather than issue a credit note');
    expect(await attr('[data-role="draft-wording"]', 'data-by')).toBe('model');
    expect(await text('[data-role="draft-text"]')).toContain(WORDED_BODY);
    expect(await text('[data-role="packet"]')).toContain('Case SUP-2, summarised by the local test model.');
    expect(await ff.json<string>(`document.documentElement.outerHTML`)).not.toContain(KEY);
    expect(await text('.baton')).not.toContain(KEY);
    await ff.inOverlay('[data-role="draft"]', '(el) => el.scrollIntoView()');
    await shot('firefox-gmail-overlay.png');

    expect(llm.requests.length).toBeGreaterThanOrEqual(2);
    for (const r of llm.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(JSON.stringify(r.body)).not.toMatch(EMAIL_ADDRESS);
    }
    expect(sim.requestsTo('/rest/api/3/issue/SUP-2', 'GET').every((r) => r.actor === 'u-ada')).toBe(true);
  });

  it('logs the email to Jira as an ADF comment after the rep confirms', async () => {
    await clickThen('[data-action="log-start"]', '[data-action="log-confirm"]', 'the log preview');
    await ff.clickInOverlay('[data-action="log-confirm"]');
    await waitInOverlay(
      '.notice',
      'the logged notice',
      STEP_WAIT_MS,
      `(el) => el.textContent.includes('Logged to SUP-2')`,
    );
    const post = sim.requestsTo('/rest/api/3/issue/SUP-2/comment', 'POST')[0]!;
    expect(post).toMatchObject({ status: 201, actor: 'u-ada' });
    expect(post.headers['x-atlassian-token']).toBe('no-check');
    expect(adfToText((post.body as { body: unknown }).body)).toContain('From: Carla Customer <carla@customer.example>');
  });

  it('a hostile page gets nothing of the packet out of the overlay, and its synthetic input posts nothing', async () => {
    await goto(pages.gmailUrl(THREAD_WITH_KEY, { hostile: true }));
    await waitInOverlay('[data-role="launcher"]', 'the Baton launcher');
    await ff.clickInOverlay('[data-role="launcher"]');
    await waitInOverlay('[data-role="packet"][data-key="SUP-2"]', 'the SUP-2 packet', 30_000);
    const shown = (await text('.baton')) ?? '';
    const secrets = SUP2_OVERLAY_ONLY.filter((s) => shown.includes(s));
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    await clickThen('[data-action="log-start"]', '[data-role="log-preview"]', 'the log preview');
    const comments = sim.requestsTo('/rest/api/3/issue/SUP-2/comment', 'POST').length;
    const requestsBefore = sim.requests.length;

    const report = expectNothingReached(await ff.json<string>('window.__attack()'), secrets);

    expect(report.requests.every((u) => u.startsWith('/__fixtures/gmail/'))).toBe(true);
    expect(sim.requests.slice(requestsBefore)).toEqual([]);
    expect(await ff.json<number>(`document.querySelectorAll('[g_editable="true"]').length`)).toBe(0);
    expect(await text('[data-role="log-preview"]')).not.toBeNull();
    expect(await text('.notice')).toBeNull();
    // The rep's own click still works; one comment more, not two.
    await ff.clickInOverlay('[data-action="log-confirm"]');
    await waitInOverlay(
      '.notice',
      'the logged notice',
      STEP_WAIT_MS,
      `(el) => el.textContent.includes('Logged to SUP-2')`,
    );
    expect(sim.requestsTo('/rest/api/3/issue/SUP-2/comment', 'POST')).toHaveLength(comments + 1);
  });

  it('reads a Lightning record whose fields sit in shadow roots and drafts for the account team', async () => {
    await goto(pages.lightningUrl(OPPORTUNITY));
    await waitInOverlay('[data-role="launcher"]', 'the Baton launcher');
    await ff.clickInOverlay('[data-role="launcher"]');
    await waitInOverlay('[data-role="packet"][data-key="SUP-4"]', 'the SUP-4 packet', 30_000);
    await waitInOverlay('[data-role="draft-wording"]:not([data-by="pending"])', 'the model’s wording');
    expect(await attr('[data-role="draft"]', 'data-audience')).toBe('internal');
    await shot('firefox-salesforce-overlay.png');
  });
});
