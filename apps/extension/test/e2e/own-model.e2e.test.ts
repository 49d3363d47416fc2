import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startOpenAIServer } from '@baton/llm-openai/test-server';
import type { OpenAITestServer, RecordedRequest, Reply } from '@baton/llm-openai/test-server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, CHROME_DIR } from '../global-setup.ts';
import { SUP2_STATE, prepareTestBuild, startHarness, STEP_WAIT_MS } from './harness.ts';
import type { Harness } from './harness.ts';
import { overlayProbe } from './overlay-probe.ts';
import type { OverlayProbe } from './overlay-probe.ts';

// The rep's own model key, end to end in headless Chromium: set on the options page, used by the
// background through the real `openai` client against a local server that speaks the OpenAI
// chat-completions wire format (@baton/llm-openai's test server), and never seen by a page.

const SHOTS = join(APP_DIR, '.output', 'e2e-screenshots');
const THREAD_WITH_KEY = '#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB';
const THREAD_NO_KEY = '#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzC';
const KEY = 'sk-e2e-own-key-ZZ1234567890abcdefghij';
const EMAIL_ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const WORDED_BODY = 'Good news: we are reissuing your October invoice with the corrected VAT rate.';

let h: Harness;
let extDir: string;
let llm: OpenAITestServer;
/** What the "model" does: answer, or fail with a 500. */
let failing = false;
const seen: string[] = [];
const logs: string[] = [];

function answer(r: RecordedRequest): Reply {
  if (failing) return { kind: 'error', status: 500, message: 'the model server is down' };
  return (r.body.response_format as { json_schema: { name: string } }).json_schema.name === 'draft_update'
    ? { kind: 'json', value: { subject: 'Your corrected invoice', body: WORDED_BODY } }
    : {
        kind: 'json',
        value: { summary: 'The October invoice is being reissued at the reduced VAT rate.', evidenceIds: ['summary'] },
      };
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  llm = await startOpenAIServer(answer);
  extDir = prepareTestBuild(CHROME_DIR);
  h = await startHarness(extDir);
  // An open question that names the customer's address: it must reach the model as a placeholder.
  h.sim.store.setProperty('SUP-2', 'baton.state', {
    ...SUP2_STATE,
    packet: {
      ...SUP2_STATE.packet,
      openQuestions: [
        'Does the reduced rate apply to the add-on licences too? Confirm with carla@customer.example (Ada Lovelace)',
      ],
    },
  });
  h.context.on('request', (r) => void seen.push(r.url()));
  h.context.on('console', (m) => void logs.push(m.text()));
  h.worker.on('console', (m) => void logs.push(m.text()));

  const options = await h.configureJira();
  await options.locator('#model-own').check();
  await options.fill('#model-base-url', llm.baseURL);
  await options.fill('#model-name', 'gpt-local');
  await options.fill('#model-key', KEY);
  await options.click('#model-save');
  await options.waitForSelector('#model-status[data-kind="ok"]', { timeout: STEP_WAIT_MS });
  // The stored key is not written back into the page.
  expect(await options.inputValue('#model-key')).toBe('');
  await options.click('#model-test');
  await options.locator('#model-status', { hasText: 'Your model answered' }).waitFor({ timeout: STEP_WAIT_MS });
  expect(await options.content()).not.toContain(KEY);
  await options.screenshot({ path: join(SHOTS, 'options-own-model.png'), fullPage: true });
  await options.close();
});

afterAll(async () => {
  await h?.close();
  await llm?.close();
  if (extDir) rmSync(extDir, { recursive: true, force: true });
});

/** Opens a thread and clicks Baton's launcher; `o` looks into the closed overlay. */
async function openThread(hash: string): Promise<{ page: Page; o: OverlayProbe }> {
  const page = await h.newPage();
  await page.goto(h.pages.gmailUrl(hash));
  await page.waitForSelector('h2.hP');
  const o = await overlayProbe(page);
  await o.click('[data-role="launcher"]');
  return { page, o };
}

describe('with the rep’s own model on', () => {
  it('the draft and summary are worded by the model, and marked so', async () => {
    const { page, o } = await openThread(THREAD_WITH_KEY);
    // The rules' draft first, marked as waiting for the model; then the model's wording.
    await o.waitFor('[data-role="packet"][data-key="SUP-2"]');
    const note = '[data-role="draft-wording"]:not([data-by="pending"])';
    await o.waitFor(note);
    expect(await o.attr(note, 'data-by')).toBe('model');
    expect(await o.text(note)).toContain('Worded by your model (gpt-local');
    const draft = await o.text('[data-role="draft-text"]');
    expect(draft).toContain(WORDED_BODY);
    // The rep's greeting and sign-off frame the model's words.
    expect(draft).toMatch(/^Hello,\n\n/);
    expect(draft).toMatch(/\n\nKind regards,$/);
    expect(await o.attr('[data-role="summary-wording"]', 'data-by')).toBe('model');
    expect(await o.text('[data-role="packet"]')).toContain(
      'The October invoice is being reissued at the reduced VAT rate.',
    );
    await o.call('[data-role="draft"]', '(el) => el.scrollIntoView()');
    await page.screenshot({ path: join(SHOTS, 'gmail-own-model.png') });
    expect(await page.content()).not.toContain(KEY);
    expect(await o.text('.baton')).not.toContain(KEY);
    await page.close();
  });

  it('the provider received redacted text only, and the key only in its Authorization header', () => {
    expect(llm.requests.length).toBeGreaterThanOrEqual(2);
    for (const r of llm.requests) {
      expect(r.path).toBe('/v1/chat/completions');
      expect(r.headers.authorization).toBe(`Bearer ${KEY}`);
      const sent = JSON.stringify(r.body);
      expect(sent).not.toMatch(EMAIL_ADDRESS);
      expect(sent).not.toContain(KEY);
    }
    expect(llm.requests.some((r) => r.user.includes('[[EMAIL_1]]'))).toBe(true);
  });

  it('the answers a content script receives carry no key', async () => {
    // The same messages the overlay sends, sent from an extension page: the raw envelopes, as a content script gets them.
    const page = await h.newPage();
    await page.goto(`chrome-extension://${h.extensionId}/sidepanel.html`);
    const raw = await page.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } })
        .chrome;
      const view = await c.runtime.sendMessage({ type: 'case.view', key: 'SUP-2', audience: 'customer' });
      const word = await c.runtime.sendMessage({ type: 'case.word', key: 'SUP-2', audience: 'customer' });
      return [JSON.stringify(view), JSON.stringify(word)];
    });
    expect(raw[0]).toContain('"by":"pending"');
    expect(raw[1]).toContain('"by":"model"');
    for (const envelope of raw) {
      expect(envelope).not.toContain(KEY);
      expect(envelope).not.toContain('sk-e2e');
    }
    await page.close();
  });

  it('with the model server answering 500, the rules’ draft shows and says so', async () => {
    failing = true;
    const before = llm.requests.length;
    // Another thread (SUP-3, found by its subject): its text is new to the model cache.
    const { page, o } = await openThread(THREAD_NO_KEY);
    const note = '[data-role="draft-wording"]:not([data-by="pending"])';
    await o.waitFor(note);
    expect(await o.attr(note, 'data-by')).toBe('rules');
    expect(await o.text(note)).toBe('Worded by the rules: your model server failed.');
    const draft = await o.text('[data-role="draft-text"]');
    expect(draft).not.toContain(WORDED_BODY);
    expect(draft).toContain('SUP-3');
    expect(llm.requests.length).toBeGreaterThan(before);
    await o.call('[data-role="draft"]', '(el) => el.scrollIntoView()');
    await page.screenshot({ path: join(SHOTS, 'gmail-own-model-fallback.png') });
    await page.close();
    failing = false;
  });

  it('the options page shows what the key was used for today, with no text from the cases', async () => {
    const options = await h.newPage();
    await options.goto(`chrome-extension://${h.extensionId}/options.html`);
    // The page reads the records once when it opens. Under the whole suite's load the failed call's record was
    // once not yet listed when this ran (it passed alone and on the next run), so look again (reload) until it is.
    let calls: string[] = [];
    await expect
      .poll(
        async () => {
          calls = await options.locator('#model-calls li').allTextContents();
          if (!calls.some((c) => c.includes('failed (llm.server_error)'))) await options.reload();
          return calls;
        },
        { timeout: STEP_WAIT_MS },
      )
      .toContainEqual(expect.stringContaining('failed (llm.server_error)'));
    expect(calls.some((c) => c.includes('draft-update') && c.includes(' ok '))).toBe(true);
    const use = await options.locator('#model-use').textContent();
    expect(use).toMatch(/^Today: [1-9][\d,]* of 200,000 tokens\.$/);
    expect(await options.content()).not.toContain(KEY);
    await options.screenshot({ path: join(SHOTS, 'options-model-use.png'), fullPage: true });
    await options.close();
  });

  it('requests went only to the fixture pages, the extension, the Jira host and the provider; no log shows the key', () => {
    const allowed = new Set([new URL(h.sim.url).host, new URL(llm.baseURL).host]);
    const fixtures = String(h.pages.port);
    const elsewhere = seen.filter((u) => {
      const url = new URL(u);
      return !(
        url.protocol === 'chrome-extension:' ||
        url.protocol === 'data:' ||
        allowed.has(url.host) ||
        (url.hostname.endsWith('.localhost') && url.port === fixtures)
      );
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(elsewhere).toEqual([]);
    // The background's own calls reached the two servers it may talk to.
    expect(h.sim.requestsTo('/rest/api/3/issue/SUP-2', 'GET').length).toBeGreaterThan(0);
    expect(llm.requests.length).toBeGreaterThan(0);
    expect(logs.filter((l) => l.includes(KEY) || l.includes('sk-e2e'))).toEqual([]);
  });

  it('“Remove my key” deletes the key from this device and switches the model off', async () => {
    const options = await h.newPage();
    await options.goto(`chrome-extension://${h.extensionId}/options.html`);
    await options.click('#model-forget');
    await options.waitForSelector('#model-status[data-kind="ok"]');
    expect(await options.locator('#model-status').textContent()).toBe('Your key was removed from this device.');
    const stored = await options.evaluate(async () => {
      const c = (
        globalThis as unknown as {
          chrome: { storage: { local: { get(k: null): Promise<unknown> }; sync: { get(k: null): Promise<unknown> } } };
        }
      ).chrome;
      return JSON.stringify([await c.storage.local.get(null), await c.storage.sync.get(null)]);
    });
    expect(stored).not.toContain(KEY);
    expect((JSON.parse(stored) as [{ model: unknown }])[0].model).toEqual({ provider: 'none', ownModel: null });
    await options.close();
    // With the model off again, a case is drawn by the rules and no model is asked.
    const before = llm.requests.length;
    const { page, o } = await openThread(THREAD_WITH_KEY);
    await o.waitFor('[data-role="packet"][data-key="SUP-2"]');
    expect(await o.count('[data-role="draft-wording"]')).toBe(0);
    expect(llm.requests.length).toBe(before);
    await page.close();
  });
});
