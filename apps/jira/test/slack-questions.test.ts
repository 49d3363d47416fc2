import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kvs } from '@forge/kvs';
import { WAITING_PROPERTY, WaitingPropertySchema } from '@baton/jira';
import { createKeyValueLinkStore } from '@baton/slack';
import { sampleWorkspace, startSlackSim, type SlackSim } from '@baton/slack-sim';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { slackEditionManifest } from '../scripts/slack-edition.ts';
import { CHAT_SETTINGS_KEY, SLACK_SECRETS, createKvsKeyValue, slackRequests } from '../src/editions/slack.ts';
import { workConsumer } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { freezeTime, saveCharterYaml } from './fixtures.ts';
import { asForge, type ForgeHarness, startForgeHarness } from './forge-harness.ts';
import { at, fileIssue, said, tickAt as watchdogAt } from './live-loop.ts';

// Issue #20: the missing-information loop asks a linked reporter in Slack instead of an @mention comment;
// the answer they type lands on the issue as a comment naming them (the app's, with the attribution line:
// a chat click has no Jira user session), is read as their words, and readiness is checked again at once,
// so the loop stops when the answer carries what was missing. The Slack edition swaps src/chat-edition.ts
// for editions/slack.ts; the test does the same over the Forge harness, jira-sim and slack-sim.
vi.mock('../src/chat-edition.ts', () => import('../src/editions/slack.ts'));

const manifestDir = mkdtempSync(join(tmpdir(), 'baton-slack-questions-'));
writeFileSync(join(manifestDir, 'manifest.yml'), slackEditionManifest());
const SECRET = 'slack-questions-signing-secret';
const REPORTER_IN_SLACK = 'U0RITA001';

// "To Do" is ready with a link to the failing report: something a typed answer can carry.
const CHARTER = `
version: 2
scope: { projects: [SUP] }
workflow:
  states:
    To Do:
      phase: queue
      ready: [{ kind: link, label: a link to the failing report }]
missingInfo: { remindAfter: 1d, escalateAfter: 2d, escalateTo: u-grace }
autonomy: { default: off, kinds: { requestInfo: automate, escalate: automate } }
risk: { autoCustomerFacing: true }
caps: { maxNudgesPerCasePerDay: 3 }
`;

let h: ForgeHarness;
let sim: SlackSim;
beforeEach(async () => {
  freezeTime();
  h = await startForgeHarness({ manifest: join(manifestDir, 'manifest.yml') });
  sim = await startSlackSim({ workspace: sampleWorkspace(), signingSecret: SECRET, clock: () => Date.now() });
  h.egress.routes.push({ from: 'https://slack.com/api/', to: sim.apiUrl });
  await kvs.setSecret(SLACK_SECRETS.botToken, 'xoxb-test-bot');
  await kvs.setSecret(SLACK_SECRETS.signingSecret, SECRET);
  await kvs.set(CHAT_SETTINGS_KEY, { deliver: { question: true } });
  await saveCharterYaml(CHARTER, 0);
});
afterEach(async () => {
  await sim.close();
  await h.close();
  vi.useRealTimers();
});

const dmsTo = (user: string) => {
  const im = sim.store.imWith(user);
  return im === undefined ? [] : sim.store.messagesIn(im);
};

/** The watchdog's tick at `t`, then the work it queued (a question in Slack goes out from the queue). */
async function tickAt(t: number): Promise<void> {
  await watchdogAt(t);
  await h.drainQueue(workConsumer);
}

/** The loop's request, asked in Slack: the DM's channel and ts. */
async function asked(): Promise<{ key: string; channel: string; ts: string }> {
  await createKeyValueLinkStore(createKvsKeyValue()).link(REPORTER_IN_SLACK, 'u-cust');
  const key = await fileIssue(h);
  await tickAt(at(0, 16, 5));
  const [dm] = dmsTo(REPORTER_IN_SLACK);
  if (dm === undefined) throw new Error('no question in Slack');
  return { key, channel: sim.store.imWith(REPORTER_IN_SLACK) as string, ts: dm.ts };
}

const reply = (channel: string, ts: string, text: string, user = REPORTER_IN_SLACK) =>
  sim.interact({ user, channel, ts, actionId: 'baton.reply', inputs: { 'baton.replyText': text } });

describe('missing-information questions in Slack', () => {
  it('asks a linked reporter in a DM instead of an @mention comment, once across ticks', async () => {
    const { key } = await asked();
    await tickAt(at(0, 16, 30));
    const dms = dmsTo(REPORTER_IN_SLACK);
    expect(dms).toHaveLength(1);
    expect(dms[0]?.text).toContain(key);
    expect(JSON.stringify(dms[0]?.blocks)).toContain('a link to the failing report');
    expect(JSON.stringify(dms[0]?.blocks)).toContain('baton.replyText');
    expect(said(h, key)).toEqual([]);
  });

  it('posts the typed answer on the issue once, naming the reporter; readiness is met at once and the loop stops', async () => {
    const { key, channel, ts } = await asked();
    vi.setSystemTime(at(0, 16, 20));
    const click = reply(channel, ts, 'The failing report: https://reports.example.com/r/42');
    expect((await slackRequests(asForge(click))).statusCode).toBe(200);
    // Slack retries the same request; the queue delivers the answer twice.
    const retry = { ...click, headers: { ...click.headers, 'x-slack-retry-num': '1' } };
    expect((await slackRequests(asForge(retry))).statusCode).toBe(200);
    expect(h.queued.map((e) => e.body.kind)).toEqual(['chat-answer']);
    h.queued.push({ ...(h.queued[0] as (typeof h.queued)[number]), eventId: 'redelivered' });
    await h.drainQueue(workConsumer);

    expect(said(h, key)).toEqual([
      expect.stringMatching(
        /^The failing report: https:\/\/reports\.example\.com\/r\/42\s+Answered on slack by U0RITA001 \(Jira account u-cust\)$/,
      ),
    ]);
    const property = WaitingPropertySchema.parse(h.sim.store.get(key).properties.get(WAITING_PROPERTY));
    expect(property.said).toEqual([
      expect.objectContaining({ kind: 'reply', by: 'u-cust', via: { surface: 'slack', userId: REPORTER_IN_SLACK } }),
    ]);
    expect(sim.store.messagesIn(channel)[0]?.text).toBe(`Thanks: your answer is on ${key} in Jira.`);
    const { entries } = await createBatonStorage().queryAudit({ issueKey: key });
    expect(entries.filter((e) => e.outcome === 'answered').map((e) => [e.actor, e.via])).toEqual([
      ['u-cust', { surface: 'slack', userId: REPORTER_IN_SLACK }],
    ]);
    // The answer was read as the reporter's words: the loop is closed, so no reminder, no escalation.
    await tickAt(at(1, 12, 5));
    await tickAt(at(2, 12, 5));
    expect(dmsTo(REPORTER_IN_SLACK)).toHaveLength(1);
    expect(said(h, key)).toHaveLength(1);
  });

  it('an answer without what is missing is posted, and the loop goes on: the reminder comes in Slack', async () => {
    const { key, channel, ts } = await asked();
    vi.setSystemTime(at(0, 16, 20));
    await slackRequests(asForge(reply(channel, ts, 'I will look for it tomorrow')));
    await h.drainQueue(workConsumer);
    expect(said(h, key)).toHaveLength(1);
    await tickAt(at(2, 10, 0));
    const dms = dmsTo(REPORTER_IN_SLACK);
    expect(dms).toHaveLength(2);
    expect(dms[1]?.text).toContain(key);
  });

  it('refuses an answer from someone the question was not for: nothing in Jira, told why', async () => {
    const { key, channel, ts } = await asked();
    await createKeyValueLinkStore(createKvsKeyValue()).link('U0LEE0001', 'u-grace');
    sim.store.channels.get(channel)?.members.push('U0LEE0001');
    vi.setSystemTime(at(0, 16, 20));
    await slackRequests(asForge(reply(channel, ts, 'https://example.com/not-mine', 'U0LEE0001')));
    await h.drainQueue(workConsumer);
    expect(said(h, key)).toEqual([]);
    expect(h.sim.store.get(key).properties.has(WAITING_PROPERTY)).toBe(false);
    expect(sim.store.ephemerals.map((e) => e.text)).toEqual([expect.stringMatching(/sent to someone else/)]);
  });

  it('keeps the question an @mention comment for a reporter not linked in Slack', async () => {
    const key = await fileIssue(h);
    await tickAt(at(0, 16, 5));
    expect(said(h, key)).toEqual([
      expect.stringContaining(`To move ${key} forward we need a link to the failing report`),
    ]);
    expect(sim.callsTo('chat.postMessage')).toHaveLength(0);
  });
});
