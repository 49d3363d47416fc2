import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kvs } from '@forge/kvs';
import { createKeyValueLinkStore } from '@baton/slack';
import { sampleWorkspace, startSlackSim, type SlackSim } from '@baton/slack-sim';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { slackEditionManifest } from '../scripts/slack-edition.ts';
import { SLACK_SECRETS, createKvsKeyValue, slackRequests } from '../src/editions/slack.ts';
import { uiResolver, workConsumer } from '../src/index.ts';
import { invokeResolver } from './fixtures.ts';
import { realFetch } from './forge-egress.ts';
import { asForge, type ForgeHarness, useForgeHarness } from './forge-harness.ts';
import { installUiKitHost } from './ui-kit.ts';

// Issue #20: where Jira does not share a person's email, they link their Slack account themselves: the issue
// panel shows them a one-time code, they send it to the bot in a DM, and the bot answers (after Slack's
// three seconds, from the queue) whether it worked. The Slack edition swaps src/chat-edition.ts for
// editions/slack.ts; the test does the same over the Forge harness, jira-sim and slack-sim.
vi.mock('../src/chat-edition.ts', () => import('../src/editions/slack.ts'));

const SECRET = 'slack-linking-signing-secret';
const manifestDir = mkdtempSync(join(tmpdir(), 'baton-slack-linking-'));
writeFileSync(join(manifestDir, 'manifest.yml'), slackEditionManifest());

let h: ForgeHarness;
let sim: SlackSim;
useForgeHarness(
  async (started) => {
    h = started;
    sim = await startSlackSim({ workspace: sampleWorkspace(), signingSecret: SECRET });
    h.egress.routes.push({ from: 'https://slack.com/api/', to: sim.apiUrl });
    await kvs.setSecret(SLACK_SECRETS.signingSecret, SECRET);
  },
  { manifest: join(manifestDir, 'manifest.yml') },
);
afterEach(() => sim.close());

const links = () => createKeyValueLinkStore(createKvsKeyValue());
const dmFrom = (user: string, text: string, eventId: string) =>
  sim.event({ type: 'message', channel_type: 'im', channel: 'D0IM00009', user, text, ts: '1.000100' }, eventId);
const botSaid = (user: string) => {
  const im = sim.store.imWith(user);
  return im === undefined ? [] : sim.store.messagesIn(im).map((m) => m.text);
};

async function panel(accountId: string) {
  const ui = installUiKitHost({ accountId, extension: { type: 'jira:issuePanel', issue: { key: 'SUP-1' } } });
  const { ChatLinkSection } = await import('../src/frontend/chat-link-section.tsx');
  await ui.render(<ChatLinkSection issueKey="SUP-1" />);
  return ui;
}

describe('linking a Slack account with a one-time code from the issue panel', () => {
  it('shows the code in the panel; the DM that carries it links the person, who is told so once', async () => {
    await kvs.setSecret(SLACK_SECRETS.botToken, 'xoxb-test-bot');
    const ui = await panel('u-ada');
    await ui.settle(() => ui.shown().includes('Get a link code'), 'the link section');
    await ui.click('Get a link code');
    await ui.settle(() => /Send [0-9A-Z]{4}-[0-9A-Z]{4} to Baton/.test(ui.shown()), 'the code');
    const code = /Send ([0-9A-Z]{4}-[0-9A-Z]{4})/.exec(ui.shown())?.[1] as string;
    // The code was issued for the signed-in person, whatever the payload says.
    expect(ui.calls.find((c) => c.name === 'issueChatLinkCode')?.payload).toEqual({ issueKey: 'SUP-1' });

    const dm = dmFrom('U0RITA001', `here it is: ${code.toLowerCase()}`, 'Ev0LINK001');
    expect((await slackRequests(asForge(dm))).statusCode).toBe(200);
    expect(await links().accountOf('U0RITA001')).toBe('u-ada');
    // The answer waits for the queue (the web trigger has acknowledged Slack already); a redelivery says nothing more.
    expect(botSaid('U0RITA001')).toEqual([]);
    h.queued.push({ ...(h.queued.at(-1) as (typeof h.queued)[number]), eventId: 'redelivered' });
    await h.drainQueue(workConsumer);
    expect(botSaid('U0RITA001')).toEqual([expect.stringMatching(/^Linked: Baton's nudges/)]);
    // The panel now says the person is linked, and offers no code.
    const again = await panel('u-ada');
    await again.settle(() => again.shown().includes('Your Slack account is linked'), 'the linked state');
    expect(again.shown()).not.toContain('Get a link code');
  });

  it('a code works once: sent again, or by someone else, it links nobody and says what to do', async () => {
    await kvs.setSecret(SLACK_SECRETS.botToken, 'xoxb-test-bot');
    const issued = await invokeResolver(uiResolver as never, 'issueChatLinkCode', { issueKey: 'SUP-1' }, 'u-ada');
    const code = (issued as { data: { code: string } }).data.code;
    await slackRequests(asForge(dmFrom('U0RITA001', code, 'Ev0LINK002')));
    await slackRequests(asForge(dmFrom('U0ANA0001', code, 'Ev0LINK003')));
    await slackRequests(asForge(dmFrom('U0ANA0001', 'hello?', 'Ev0LINK004')));
    await h.drainQueue(workConsumer);
    expect(await links().accountOf('U0ANA0001')).toBeUndefined();
    expect(botSaid('U0ANA0001')).toEqual([
      expect.stringMatching(/^That code is unknown, used or expired/),
      expect.stringMatching(/choose "Get a link code" in the Baton panel/),
    ]);
    // A linked person writing again is not redeeming anything.
    await slackRequests(asForge(dmFrom('U0RITA001', code, 'Ev0LINK005')));
    await h.drainQueue(workConsumer);
    expect(botSaid('U0RITA001').at(-1)).toBe('Your Slack account is already linked to your Jira account.');
  });

  it("a 429 storm on the bot's answer hands it back to the queue with its wait; it is said once", async () => {
    await kvs.setSecret(SLACK_SECRETS.botToken, 'xoxb-test-bot');
    sim.rateLimit({ method: 'chat.postMessage', times: 2, retryAfter: 30 });
    await slackRequests(asForge(dmFrom('U0ANA0001', 'hello?', 'Ev0LINK006')));
    const outcomes = await h.drainQueue(workConsumer);
    expect(outcomes.map((o) => o.outcome.kind)).toEqual(['retry', 'retry', 'returned']);
    expect(outcomes[0]?.outcome).toMatchObject({ retryAfter: 30 });
    expect(botSaid('U0ANA0001')).toEqual([expect.stringMatching(/^Hi! To link your Slack account/)]);
  });

  /**
   * The web trigger's URL as Forge serves it (Slack's Request URL): an HTTP request handed to `slackRequests`.
   * `holdFirst` keeps the first answer back until a second request arrived (an app slower than Slack waits).
   */
  async function requestUrl(holdFirst = false) {
    let release = (): void => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let n = 0;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const mine = ++n;
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, [String(v)]]));
        void slackRequests({ method: 'POST', headers, body: Buffer.concat(chunks).toString('utf8') }).then(
          async (r) => {
            if (holdFirst && mine === 1) await held;
            if (mine > 1) release();
            res.writeHead(r.statusCode, Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, v[0]!])));
            res.end(r.body);
          },
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  it("is acknowledged within Slack's three seconds at the first attempt: the Web API waits for the queue", async () => {
    await kvs.setSecret(SLACK_SECRETS.botToken, 'xoxb-test-bot');
    const issued = await invokeResolver(uiResolver as never, 'issueChatLinkCode', { issueKey: 'SUP-1' }, 'u-ada');
    const code = (issued as { data: { code: string } }).data.code;
    const app = await requestUrl();
    try {
      const dm = { type: 'message', channel_type: 'im', channel: 'D0IM00009', user: 'U0RITA001', text: code };
      const d = await sim.deliverEvent(app.url, { ...dm, ts: '1.000100' }, 'Ev0LINK007', { fetch: realFetch });
      expect(d.attempts.map((a) => [a.retryNum, a.status, a.failure])).toEqual([[0, 200, null]]);
      // Nothing was said to Slack before the acknowledgement.
      expect(sim.callsTo('chat.postMessage')).toHaveLength(0);
    } finally {
      await app.close();
    }
    expect(await links().accountOf('U0RITA001')).toBe('u-ada');
  });

  it("an app slower than Slack's three seconds gets Slack's retry at once; it links and answers once", async () => {
    await kvs.setSecret(SLACK_SECRETS.botToken, 'xoxb-test-bot');
    const issued = await invokeResolver(uiResolver as never, 'issueChatLinkCode', { issueKey: 'SUP-1' }, 'u-ada');
    const code = (issued as { data: { code: string } }).data.code;
    const app = await requestUrl(true);
    try {
      const dm = { type: 'message', channel_type: 'im', channel: 'D0IM00009', user: 'U0RITA001', text: code };
      // Slack's deadline shortened for the test: the held first answer misses it however fast the machine is.
      const d = await sim.deliverEvent(app.url, { ...dm, ts: '1.000100' }, 'Ev0LINK008', {
        ackMs: 100,
        fetch: realFetch,
      });
      expect(d.attempts.map((a) => [a.retryNum, a.failure])).toEqual([
        [0, 'http_timeout'],
        [1, null],
      ]);
    } finally {
      await app.close();
    }
    expect(h.queued.map((e) => e.body.kind)).toEqual(['chat-say']);
    await h.drainQueue(workConsumer);
    expect(await links().accountOf('U0RITA001')).toBe('u-ada');
    expect(botSaid('U0RITA001')).toEqual([expect.stringMatching(/^Linked: /)]);
  });

  it('shows nothing and issues no code before an admin stored the bot token', async () => {
    const answer = await invokeResolver(uiResolver as never, 'issueChatLinkCode', { issueKey: 'SUP-1' }, 'u-ada');
    expect(answer).toEqual({ ok: true, data: { surface: null, linked: false, code: null, expiresAt: null } });
    const ui = await panel('u-ada');
    await ui.settle(() => ui.calls.some((c) => c.name === 'getChatLink'), 'the link lookup');
    expect(ui.shown()).not.toContain('Baton in Slack');
  });
});
