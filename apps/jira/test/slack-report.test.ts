import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kvs } from '@forge/kvs';
import { sampleWorkspace, startSlackSim, type SlackSim } from '@baton/slack-sim';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { slackEditionManifest } from '../scripts/slack-edition.ts';
import { CHAT_SETTINGS_KEY, SLACK_SECRETS } from '../src/editions/slack.ts';
import { watchdogTick, workConsumer } from '../src/index.ts';
import { NOW, freezeTime, saveCoreCharter, supCharter } from './fixtures.ts';
import { startForgeHarness, type ForgeHarness } from './forge-harness.ts';

// Issue #20: the daily operational report reaches the channel the admin chose, once per day, through
// the watchdog tick and the queue; Slack's 429s delay it and lose nothing. The Slack edition swaps
// src/chat-edition.ts for editions/slack.ts; the test does the same over the Forge harness and the sims.
vi.mock('../src/chat-edition.ts', () => import('../src/editions/slack.ts'));

const manifestDir = mkdtempSync(join(tmpdir(), 'baton-slack-report-'));
writeFileSync(join(manifestDir, 'manifest.yml'), slackEditionManifest());
const CHANNEL = 'C0OPS0001';

let h: ForgeHarness;
let sim: SlackSim;
beforeEach(async () => {
  freezeTime(); // Monday 12:00 UTC
  h = await startForgeHarness({ manifest: join(manifestDir, 'manifest.yml') });
  sim = await startSlackSim({ workspace: sampleWorkspace(), signingSecret: 'unused-here', clock: () => Date.now() });
  h.egress.routes.push({ from: 'https://slack.com/api/', to: sim.apiUrl });
  await kvs.setSecret(SLACK_SECRETS.botToken, 'xoxb-test-bot');
  await saveCoreCharter(supCharter());
});
afterEach(async () => {
  await sim.close();
  await h.close();
  vi.useRealTimers();
});

const settings = (reportHourUtc: number) =>
  kvs.set(CHAT_SETTINGS_KEY, { deliver: { report: true }, channel: CHANNEL, reportHourUtc });

describe('daily report in Slack', () => {
  it('posts the report to its channel once per day, across ticks and a redelivered queue item', async () => {
    await settings(9);
    await watchdogTick();
    expect(h.queued.map((e) => e.body)).toEqual([{ kind: 'chat-report', channel: CHANNEL, day: '2026-11-23' }]);
    h.queued.push({ ...(h.queued[0] as (typeof h.queued)[number]), eventId: 'redelivered' });
    await h.drainQueue(workConsumer);
    const [post] = sim.store.messagesIn(CHANNEL);
    expect(post?.text).toMatch(/SUP-\d/);
    // Later ticks the same day queue nothing; the next day posts again.
    vi.setSystemTime(NOW + 5 * 60_000);
    await watchdogTick();
    vi.setSystemTime(NOW + 60 * 60_000);
    await watchdogTick();
    await h.drainQueue(workConsumer);
    expect(sim.store.messagesIn(CHANNEL)).toHaveLength(1);
    vi.setSystemTime(NOW + 24 * 60 * 60_000);
    await watchdogTick();
    await h.drainQueue(workConsumer);
    expect(sim.store.messagesIn(CHANNEL)).toHaveLength(2);
    expect(sim.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('waits for the admin’s hour (UTC)', async () => {
    await settings(13);
    await watchdogTick();
    expect(h.queued).toEqual([]);
    vi.setSystemTime(NOW + 60 * 60_000);
    await watchdogTick();
    expect(h.queued).toHaveLength(1);
  });

  it('hands a 429 storm back to the queue with its wait, then posts once', async () => {
    await settings(9);
    // Two answers of 429 with Retry-After 30 s: beyond the adapter's 10 s patience, so the queue waits.
    sim.rateLimit({ method: 'chat.postMessage', times: 2, retryAfter: 30 });
    await watchdogTick();
    const outcomes = await h.drainQueue(workConsumer);
    expect(outcomes.map((o) => o.outcome.kind)).toEqual(['retry', 'retry', 'returned']);
    expect(outcomes[0]?.outcome).toMatchObject({ retryAfter: 30 });
    expect(sim.store.messagesIn(CHANNEL)).toHaveLength(1);
  });
});
