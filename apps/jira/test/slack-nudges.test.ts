import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kvs } from '@forge/kvs';
import { idempotencyKey } from '@baton/core';
import { createKeyValueLinkStore } from '@baton/slack';
import { sampleWorkspace, startSlackSim, type SignedSlackRequest, type SlackSim } from '@baton/slack-sim';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { slackEditionManifest } from '../scripts/slack-edition.ts';
import type { CharterInput } from '../src/domain/charter-migration/jira-app-v1.ts';
import { CHAT_SETTINGS_KEY, SLACK_SECRETS, createKvsKeyValue, slackRequests } from '../src/editions/slack.ts';
import { watchdogTick, workConsumer } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { NOW, freezeTime, saveCharter } from './fixtures.ts';
import { consumerEvent, startForgeHarness, type ForgeHarness } from './forge-harness.ts';

// Issue #20: the watchdog's nudge reaches a linked owner as one Slack DM instead of a Jira comment, and
// stays a Jira comment for an owner who is not linked. The Slack edition swaps src/chat-edition.ts for
// editions/slack.ts; the test does the same over the Forge harness, jira-sim and slack-sim.
vi.mock('../src/chat-edition.ts', () => import('../src/editions/slack.ts'));

const manifestDir = mkdtempSync(join(tmpdir(), 'baton-slack-nudges-'));
writeFileSync(join(manifestDir, 'manifest.yml'), slackEditionManifest());

// SUP-4 (owner u-linus) has sat in "In Progress" for two business days; the norm is one.
const NUDGE_CHARTER: CharterInput = {
  projects: ['SUP'],
  autonomy: { nudge: 'automate', escalate: 'automate' },
  caps: { nudgesPerIssuePerDay: 3 },
  watchdog: { staleAfter: '1d' },
};
const SUP4_STALL = idempotencyKey({
  caseId: 'SUP-4',
  pattern: 'watchdog',
  rule: 'watchdog.stall',
  threshold: `stall:In Progress@${NOW - 96 * 3_600_000}`,
});

const SECRET = 'slack-nudges-signing-secret';
let h: ForgeHarness;
let sim: SlackSim;
beforeEach(async () => {
  freezeTime();
  h = await startForgeHarness({ manifest: join(manifestDir, 'manifest.yml') });
  sim = await startSlackSim({ workspace: sampleWorkspace(), signingSecret: SECRET, clock: () => Date.now() });
  h.egress.routes.push({ from: 'https://slack.com/api/', to: sim.apiUrl });
  await kvs.setSecret(SLACK_SECRETS.botToken, 'xoxb-test-bot');
  await kvs.setSecret(SLACK_SECRETS.signingSecret, SECRET);
  await kvs.set(CHAT_SETTINGS_KEY, { deliver: { nudge: true } });
  await saveCharter(NUDGE_CHARTER);
});
afterEach(async () => {
  await sim.close();
  await h.close();
  vi.useRealTimers();
});

const appComments = (key: string) => h.sim.store.get(key).comments.filter((c) => c.author === 'app-baton');
const dmsTo = (user: string) => {
  const im = sim.store.imWith(user);
  return im === undefined ? [] : sim.store.messagesIn(im);
};

describe('watchdog nudges in Slack', () => {
  it('sends a linked owner one DM instead of a Jira comment, across ticks and an interrupted attempt', async () => {
    await createKeyValueLinkStore(createKvsKeyValue()).link('U0ANA0001', 'u-linus');
    await watchdogTick();
    const [dm] = dmsTo('U0ANA0001');
    expect(dm?.text).toContain('SUP-4');
    expect(JSON.stringify(dm?.blocks)).toMatch(/idle in In Progress for 2d \(norm 1d\)/);
    expect(JSON.stringify(dm?.blocks)).toContain('baton.onIt');
    expect(appComments('SUP-4')).toHaveLength(0);
    vi.setSystemTime(NOW + 5 * 60_000);
    await watchdogTick();
    // An attempt that died after the DM and before it was marked done, redelivered from the queue: the
    // evaluation finds the decision claimed and no comment in Jira, and the surface finds the DM posted.
    await createBatonStorage().setEffect(SUP4_STALL, { state: 'claimed', at: NOW });
    vi.setSystemTime(NOW + 10 * 60_000);
    await workConsumer(consumerEvent({ kind: 'evaluate', keys: ['SUP-4'], reason: 'watchdog' }, 1));
    expect(dmsTo('U0ANA0001')).toHaveLength(1);
    expect(sim.callsTo('chat.postMessage')).toHaveLength(1);
    expect(appComments('SUP-4')).toHaveLength(0);
    expect((await createBatonStorage().getEffect(SUP4_STALL))?.state).toBe('done');
  });

  it('keeps the nudge a Jira comment for an owner not linked in Slack', async () => {
    await watchdogTick();
    expect(appComments('SUP-4')).toHaveLength(1);
    expect(sim.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('falls back to the Jira comment when Slack refuses the DM, so the nudge is not lost', async () => {
    // Linked to a Slack account that has since been deactivated: conversations.open says user_disabled.
    await createKeyValueLinkStore(createKvsKeyValue()).link('U0GONE001', 'u-linus');
    await watchdogTick();
    expect(appComments('SUP-4')).toHaveLength(1);
    expect(sim.callsTo('chat.postMessage')).toHaveLength(0);
  });

  const asForge = (req: SignedSlackRequest) => ({
    method: 'POST',
    headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, [v]])),
    body: req.body,
  });

  it('"On it" is told it is not taken here; "Blocked by…" lands on the issue as one comment naming both people, under redelivery', async () => {
    await createKeyValueLinkStore(createKvsKeyValue()).link('U0ANA0001', 'u-linus');
    await watchdogTick();
    const channel = sim.store.imWith('U0ANA0001') as string;
    const [dm] = sim.store.messagesIn(channel);
    const onIt = sim.interact({ user: 'U0ANA0001', channel, ts: dm?.ts as string, actionId: 'baton.onIt' });
    expect((await slackRequests(asForge(onIt))).statusCode).toBe(200);
    await h.drainQueue(workConsumer);
    expect(sim.store.ephemerals.map((e) => e.text)).toEqual([
      expect.stringMatching(/does not take "On it" from Slack yet/),
    ]);
    expect(appComments('SUP-4')).toHaveLength(0);
    vi.setSystemTime(NOW + 60_000); // a later click (Slack's action_ts is the click's time)
    const blocked = sim.interact({
      user: 'U0ANA0001',
      channel,
      ts: dm?.ts as string,
      actionId: 'baton.blocked',
      inputs: { 'baton.waitingReason': 'vendor', 'baton.detail': 'Waiting for the PDF vendor fix' },
    });
    expect((await slackRequests(asForge(blocked))).statusCode).toBe(200);
    h.queued.push({ ...(h.queued[0] as (typeof h.queued)[number]), eventId: 'redelivered' });
    await h.drainQueue(workConsumer);
    const comments = appComments('SUP-4');
    expect(comments).toHaveLength(1);
    const text = h.sim.store.commentText(comments[0]!);
    expect(text).toContain('Blocked by: Waiting for the PDF vendor fix (waiting on vendor)');
    expect(text).toContain('Answered on slack by U0ANA0001 (Jira account u-linus)');
    expect(sim.store.messagesIn(channel)[0]?.text).toMatch(/noted on SUP-4 in Jira/);
  });
});
