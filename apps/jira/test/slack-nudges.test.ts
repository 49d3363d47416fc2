import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kvs } from '@forge/kvs';
import { idempotencyKey } from '@baton/core';
import { WAITING_PROPERTY, WaitingPropertySchema } from '@baton/jira';
import { createKeyValueLinkStore } from '@baton/slack';
import { sampleWorkspace, startSlackSim, type SlackSim } from '@baton/slack-sim';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { slackEditionManifest } from '../scripts/slack-edition.ts';
import { CHAT_SETTINGS_KEY, SLACK_SECRETS, createKvsKeyValue, slackRequests } from '../src/editions/slack.ts';
import { watchdogTick, workConsumer } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { WatchRecordSchema, watchRecordKey } from '../src/app/watch-record.ts';
import { NOW, freezeTime, saveCoreCharter, supCharter, ASSIST_ALL } from './fixtures.ts';
import { asForge, consumerEvent, type ForgeHarness, startForgeHarness } from './forge-harness.ts';

// Issue #20: the watchdog's nudge reaches a linked owner as one Slack DM instead of a Jira comment, and
// stays a Jira comment for an owner who is not linked. The Slack edition swaps src/chat-edition.ts for
// editions/slack.ts; the test does the same over the Forge harness, jira-sim and slack-sim.
vi.mock('../src/chat-edition.ts', () => import('../src/editions/slack.ts'));

const manifestDir = mkdtempSync(join(tmpdir(), 'baton-slack-nudges-'));
writeFileSync(join(manifestDir, 'manifest.yml'), slackEditionManifest());

// SUP-4 (owner u-linus) has sat in "In Progress" for two business days; the norm is one.
const NUDGE_CHARTER = supCharter({
  workflow: { norm: '1d', states: {} },
  autonomy: {
    default: 'off',
    kinds: { ...ASSIST_ALL, notify: 'automate', requestInfo: 'automate', escalate: 'automate' },
  },
  caps: { maxNudgesPerCasePerDay: 3, quietHours: null, quietOutsideBusinessHours: false },
});
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
  await saveCoreCharter(NUDGE_CHARTER);
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

  const linkedNudge = async () => {
    await createKeyValueLinkStore(createKvsKeyValue()).link('U0ANA0001', 'u-linus');
    await watchdogTick();
    const channel = sim.store.imWith('U0ANA0001') as string;
    const [dm] = sim.store.messagesIn(channel);
    return { channel, ts: dm?.ts as string };
  };
  const blockedClick = (channel: string, ts: string, sign?: Parameters<SlackSim['interact']>[1]) =>
    sim.interact(
      {
        user: 'U0ANA0001',
        channel,
        ts,
        actionId: 'baton.blocked',
        inputs: { 'baton.waitingReason': 'vendor', 'baton.detail': 'Waiting for the PDF vendor fix' },
      },
      sign,
    );
  const waiting = () => WaitingPropertySchema.parse(h.sim.store.get('SUP-4').properties.get(WAITING_PROPERTY));
  const answered = async () =>
    (await createBatonStorage().queryAudit({ issueKey: 'SUP-4' })).entries.filter((e) => e.outcome === 'answered');

  it('"Blocked by…" lands in Jira as one comment and one waiting reason, under Slack retries and redelivery', async () => {
    const { channel, ts } = await linkedNudge();
    vi.setSystemTime(NOW + 60_000); // a later click (Slack's action_ts is the click's time)
    const click = blockedClick(channel, ts);
    expect((await slackRequests(asForge(click))).statusCode).toBe(200);
    // Slack retries the same request: acknowledged, nothing queued again.
    const retry = { ...click, headers: { ...click.headers, 'x-slack-retry-num': '1' } };
    expect((await slackRequests(asForge(retry))).statusCode).toBe(200);
    expect(h.queued.map((e) => e.body.kind)).toEqual(['chat-answer']);
    // The queue delivers the answer twice (at-least-once).
    h.queued.push({ ...(h.queued[0] as (typeof h.queued)[number]), eventId: 'redelivered' });
    await h.drainQueue(workConsumer);

    const comments = appComments('SUP-4');
    expect(comments).toHaveLength(1);
    const text = h.sim.store.commentText(comments[0]!);
    expect(text).toContain('Blocked by: Waiting for the PDF vendor fix (waiting on vendor)');
    expect(text).toContain('Answered on slack by U0ANA0001 (Jira account u-linus)');
    expect(waiting().said).toEqual([
      expect.objectContaining({
        kind: 'blocked',
        reason: 'vendor',
        detail: 'Waiting for the PDF vendor fix',
        by: 'u-linus',
        via: { surface: 'slack', userId: 'U0ANA0001' },
        at: NOW + 60_000,
      }),
    ]);
    expect(await answered()).toEqual([
      expect.objectContaining({
        actor: 'u-linus',
        via: { surface: 'slack', userId: 'U0ANA0001' },
        reason: expect.stringMatching(/^Blocked by: Waiting for the PDF vendor fix/),
      }),
    ]);
    expect(sim.store.messagesIn(channel)[0]?.text).toMatch(/noted on SUP-4 in Jira/);
    // The issue was looked at again on the queue: the watchdog keeps the case as waiting on the vendor.
    const record = WatchRecordSchema.parse(await createBatonStorage().getJson(watchRecordKey('SUP-4')));
    expect(record.state).toBe('Blocked: waiting on vendor');
  });

  it('"Blocked by…" settles its message after a 429 storm: back to the queue, the same words, Jira changed once', async () => {
    const { channel, ts } = await linkedNudge();
    vi.setSystemTime(NOW + 60_000);
    // Two answers of 429 with Retry-After 30 s to the settle: beyond the adapter's 10 s patience.
    sim.rateLimit({ method: 'chat.update', times: 2, retryAfter: 30 });
    expect((await slackRequests(asForge(blockedClick(channel, ts)))).statusCode).toBe(200);
    const outcomes = await h.drainQueue(workConsumer);
    expect(outcomes.filter((o) => o.outcome.kind === 'retry')[0]?.outcome).toMatchObject({ retryAfter: 30 });
    expect(sim.store.messagesIn(channel)[0]?.text).toMatch(
      /^Blocked by: Waiting for the PDF vendor fix \(waiting on vendor\): noted on SUP-4 in Jira\.$/,
    );
    expect(appComments('SUP-4')).toHaveLength(1);
    expect(waiting().said).toHaveLength(1);
    expect(await answered()).toHaveLength(1);
  });

  it('a blocked issue is not nudged again within its norm; the next nudge says what it waits on', async () => {
    const { channel, ts } = await linkedNudge();
    vi.setSystemTime(NOW + 60_000);
    await slackRequests(asForge(blockedClick(channel, ts)));
    await h.drainQueue(workConsumer);
    // Half a business day later: idle in the blocked state, within its norm (1d): nothing.
    vi.setSystemTime(NOW + 60_000 + 4 * 3_600_000);
    await watchdogTick();
    await h.drainQueue(workConsumer);
    expect(dmsTo('U0ANA0001')).toHaveLength(1);
    // Two days on, still blocked and idle: one reminder, naming the waiting reason.
    vi.setSystemTime(NOW + 2 * 86_400_000);
    await watchdogTick();
    await h.drainQueue(workConsumer);
    const dms = dmsTo('U0ANA0001');
    expect(dms).toHaveLength(2);
    expect(JSON.stringify(dms[1]?.blocks)).toMatch(/idle in Blocked: waiting on vendor .*Blocking: waiting on vendor/);
    // "On it" on the reminder ends the block: the case is back in its workflow state.
    vi.setSystemTime(NOW + 2 * 86_400_000 + 60_000);
    await slackRequests(
      asForge(sim.interact({ user: 'U0ANA0001', channel, ts: dms[1]?.ts as string, actionId: 'baton.onIt' })),
    );
    await h.drainQueue(workConsumer);
    expect(waiting().said.map((x) => x.kind)).toEqual(['blocked', 'onIt']);
    const record = WatchRecordSchema.parse(await createBatonStorage().getJson(watchRecordKey('SUP-4')));
    expect(record.state).toBe('In Progress');
  });

  it('a forged or stale "Blocked by…" changes nothing in Jira', async () => {
    const { channel, ts } = await linkedNudge();
    vi.setSystemTime(NOW + 60_000);
    const forged = blockedClick(channel, ts, { signingSecret: 'not-the-secret' });
    const stale = blockedClick(channel, ts, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect((await slackRequests(asForge(forged))).statusCode).toBe(401);
    expect((await slackRequests(asForge(stale))).statusCode).toBe(401);
    expect(h.queued).toHaveLength(0);
    await h.drainQueue(workConsumer);
    expect(appComments('SUP-4')).toHaveLength(0);
    expect(h.sim.store.get('SUP-4').properties.has(WAITING_PROPERTY)).toBe(false);
    expect(await answered()).toEqual([]);
  });

  it('"On it" is the owner\'s touch, once under redelivery: no Jira comment, and the nudges wait', async () => {
    const { channel, ts } = await linkedNudge();
    vi.setSystemTime(NOW + 60_000);
    const onIt = sim.interact({ user: 'U0ANA0001', channel, ts, actionId: 'baton.onIt' });
    expect((await slackRequests(asForge(onIt))).statusCode).toBe(200);
    h.queued.push({ ...(h.queued.at(-1) as (typeof h.queued)[number]), eventId: 'redelivered' });
    await h.drainQueue(workConsumer);
    expect(appComments('SUP-4')).toHaveLength(0);
    expect(waiting().said).toEqual([
      expect.objectContaining({ kind: 'onIt', by: 'u-linus', via: { surface: 'slack', userId: 'U0ANA0001' } }),
    ]);
    expect((await answered()).map((e) => [e.actor, e.reason])).toEqual([['u-linus', expect.stringMatching(/^On it/)]]);
    expect(sim.store.messagesIn(channel)[0]?.text).toMatch(/^On it: SUP-4 is yours/);
    // The touch is the owner's activity: the watchdog's record counts it, so the recent-touch rule holds nudges.
    const record = WatchRecordSchema.parse(await createBatonStorage().getJson(watchRecordKey('SUP-4')));
    expect(record.lastHumanActivityAt).toBe(NOW + 60_000);
  });

  it('"Reassign" hands the issue to the router\'s next choice once, under retries and redelivery, when the charter automates it', async () => {
    await saveCoreCharter({
      ...NUDGE_CHARTER,
      autonomy: {
        default: 'off',
        kinds: { ...ASSIST_ALL, assign: 'automate', notify: 'automate', requestInfo: 'automate', escalate: 'automate' },
      },
      confidence: { act: 0.6, suggest: 0 },
    });
    const { channel, ts } = await linkedNudge();
    vi.setSystemTime(NOW + 60_000);
    const click = sim.interact({ user: 'U0ANA0001', channel, ts, actionId: 'baton.reassign' });
    expect((await slackRequests(asForge(click))).statusCode).toBe(200);
    const retry = { ...click, headers: { ...click.headers, 'x-slack-retry-num': '1' } };
    expect((await slackRequests(asForge(retry))).statusCode).toBe(200);
    h.queued.push({ ...(h.queued.at(-1) as (typeof h.queued)[number]), eventId: 'redelivered' });
    await h.drainQueue(workConsumer);

    const assignee = h.sim.store.get('SUP-4').assignee;
    expect(assignee).not.toBe('u-linus');
    expect(assignee).not.toBeNull();
    expect(h.sim.store.changes.filter((c) => c.kind === 'assigned' && c.issueKey === 'SUP-4')).toHaveLength(1);
    expect((await answered()).map((e) => [e.actor, e.via, e.reason])).toEqual([
      ['u-linus', { surface: 'slack', userId: 'U0ANA0001' }, expect.stringContaining(`: ${assignee} (executed)`)],
    ]);
    expect(sim.store.messagesIn(channel)[0]?.text).toBe(`Reassign: SUP-4 is now assigned to ${assignee}.`);
  });

  it('"Reassign" under an assisting charter is a suggestion for the approver; the owner keeps the issue meanwhile', async () => {
    const { channel, ts } = await linkedNudge();
    vi.setSystemTime(NOW + 60_000);
    await slackRequests(asForge(sim.interact({ user: 'U0ANA0001', channel, ts, actionId: 'baton.reassign' })));
    await h.drainQueue(workConsumer);
    expect(h.sim.store.get('SUP-4').assignee).toBe('u-linus');
    const suggestions = await createBatonStorage().listSuggestions('SUP-4');
    const handOn = suggestions.filter((x) => x.decision.actions.some((a) => a.kind === 'assign' && a.to !== 'u-linus'));
    expect(handOn).toHaveLength(1);
    expect(handOn[0]?.decision.reason).toMatch(/^u-linus handed it on/);
    expect(sim.store.messagesIn(channel)[0]?.text).toMatch(
      /^Reassign: SUP-4 goes to u-\w+ once an approver accepts it\.$/,
    );
  });

  it('refuses "Blocked by…" from someone the nudge was not for, audited, nothing in Jira', async () => {
    const { channel, ts } = await linkedNudge();
    // Grace is linked too and can see the DM channel only in this test's sim; the click is hers.
    await createKeyValueLinkStore(createKvsKeyValue()).link('U0LEE0001', 'u-grace');
    sim.store.channels.get(channel)?.members.push('U0LEE0001');
    vi.setSystemTime(NOW + 60_000);
    const click = sim.interact({
      user: 'U0LEE0001',
      channel,
      ts,
      actionId: 'baton.blocked',
      inputs: { 'baton.waitingReason': 'vendor', 'baton.detail': 'not mine' },
    });
    expect((await slackRequests(asForge(click))).statusCode).toBe(200);
    await h.drainQueue(workConsumer);
    expect(appComments('SUP-4')).toHaveLength(0);
    expect(h.sim.store.get('SUP-4').properties.has(WAITING_PROPERTY)).toBe(false);
    expect(sim.store.ephemerals.map((e) => e.text)).toEqual([expect.stringMatching(/sent to someone else/)]);
    const refused = (await createBatonStorage().queryAudit({ issueKey: 'SUP-4' })).entries.filter(
      (e) => e.outcome === 'refused',
    );
    expect(refused).toEqual([
      expect.objectContaining({ actor: 'u-grace', via: { surface: 'slack', userId: 'U0LEE0001' } }),
    ]);
  });
});
