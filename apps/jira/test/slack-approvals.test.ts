import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kvs } from '@forge/kvs';
import { verifyAudit } from '@baton/core';
import { IssueStateSchema, ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { createKeyValueLinkStore } from '@baton/slack';
import { sampleWorkspace, startSlackSim, type SlackSim } from '@baton/slack-sim';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { slackEditionManifest } from '../scripts/slack-edition.ts';
import { CHAT_SETTINGS_KEY, SLACK_SECRETS, createKvsKeyValue, slackRequests } from '../src/editions/slack.ts';
import { onIssueEvent, workConsumer } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { assigneeOf, kindsOf, saveCoreCharter, supCharter } from './fixtures.ts';
import { asForge, type ForgeHarness, issueEvent, useForgeHarness } from './forge-harness.ts';

// Issue #20: suggestions reach their approver in Slack, and an answer given there runs the issue panel's
// Accept path. The Slack edition swaps src/chat-edition.ts for editions/slack.ts (scripts/slack-edition.ts);
// the test does the same, and runs the real handlers over the Forge harness, jira-sim and slack-sim, with
// the edition's manifest (egress to https://slack.com only, routed to the sim).
vi.mock('../src/chat-edition.ts', () => import('../src/editions/slack.ts'));

const SECRET = 'slack-approvals-signing-secret';
const manifestDir = mkdtempSync(join(tmpdir(), 'baton-slack-approvals-'));
writeFileSync(join(manifestDir, 'manifest.yml'), slackEditionManifest());

let h: ForgeHarness;
let sim: SlackSim;
useForgeHarness(
  async (started) => {
    h = started;
    sim = await startSlackSim({ workspace: sampleWorkspace(), signingSecret: SECRET });
    h.egress.routes.push({ from: 'https://slack.com/api/', to: sim.apiUrl });
    await kvs.setSecret(SLACK_SECRETS.botToken, 'xoxb-test-bot');
    await kvs.setSecret(SLACK_SECRETS.signingSecret, SECRET);
  },
  { manifest: join(manifestDir, 'manifest.yml') },
);
afterEach(() => sim.close());

const stateOf = (key: string) => IssueStateSchema.parse(h.sim.store.get(key).properties.get(ISSUE_STATE_PROPERTY));

/** Approvals in Slack to `approver`, linked to Slack user `slackUser`; SUP-1 created, so the router suggests an owner. */
async function suggestToSlack(approver: string, slackUser: string) {
  await kvs.set(CHAT_SETTINGS_KEY, { deliver: { approval: true }, approver });
  await createKeyValueLinkStore(createKvsKeyValue()).link(slackUser, approver);
  await saveCoreCharter(supCharter());
  await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
  const s = stateOf('SUP-1').suggestions.find((x) => kindsOf(x).includes('assign'));
  if (s === undefined) throw new Error('no owner suggestion');
  const channel = sim.store.imWith(slackUser);
  const [dm] = channel === undefined ? [] : sim.store.messagesIn(channel);
  if (channel === undefined || dm === undefined) throw new Error(`no DM to ${slackUser}`);
  return { s, channel, dm };
}

const rows = async () => (await createBatonStorage().queryAudit({ issueKey: 'SUP-1' })).entries;

describe('Slack approvals run the Accept path', () => {
  it('sends the suggestion to the linked approver once, with Approve and Override', async () => {
    const { s, dm } = await suggestToSlack('u-grace', 'U0LEE0001');
    expect(dm.text).toContain('SUP-1');
    // People by their Jira names in what the approver reads; account ids stay in the audit.
    expect(JSON.stringify([dm.text, dm.blocks])).not.toMatch(/\bu-[a-z]+\b/);
    expect(JSON.stringify(dm.blocks)).toContain('baton.approve');
    expect(JSON.stringify(dm.blocks)).toContain(`"value":"${s.key}"`);
    // A second evaluation of the unchanged issue finds the suggestion pending and says nothing new.
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-1'));
    expect(sim.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('Approve assigns the issue once, under Slack retries and queue redelivery, audited with both people', async () => {
    const { s, channel, dm } = await suggestToSlack('u-grace', 'U0LEE0001');
    const click = sim.interact({ user: 'U0LEE0001', channel, ts: dm.ts, actionId: 'baton.approve' });
    expect((await slackRequests(asForge(click))).statusCode).toBe(200);
    // Slack retries the same request; the web trigger acknowledges it and queues nothing more.
    const retry = { ...click, headers: { ...click.headers, 'x-slack-retry-num': '1' } };
    expect((await slackRequests(asForge(retry))).statusCode).toBe(200);
    expect(h.queued.map((e) => e.body.kind)).toEqual(['chat-answer']);
    // The queue delivers the answer twice (at-least-once).
    h.queued.push({ ...(h.queued[0] as (typeof h.queued)[number]), eventId: 'redelivered' });
    const outcomes = await h.drainQueue(workConsumer);
    expect(outcomes.map((o) => o.outcome.kind)).toEqual(['returned', 'returned']);

    expect(h.sim.store.get('SUP-1').assignee).toBe(assigneeOf(s));
    expect(h.sim.store.changes.filter((c) => c.kind === 'assigned' && c.issueKey === 'SUP-1')).toHaveLength(1);
    const audit = await rows();
    const accepted = audit.filter((e) => e.outcome === 'accepted');
    expect(accepted).toEqual([
      expect.objectContaining({ actor: 'u-grace', via: { surface: 'slack', userId: 'U0LEE0001' } }),
    ]);
    expect(audit.filter((e) => e.outcome === 'executed')).toHaveLength(1);
    const chain = await createBatonStorage().readChain('SUP-1');
    expect(verifyAudit(chain).ok).toBe(true);
    // Both people are named by pseudonym in the chain (ADR 0021); read with names:
    expect(JSON.stringify(chain)).not.toMatch(/u-grace|U0LEE0001/);
    expect((await createBatonStorage().namePeople(chain)).map((e) => e.record)).toContainEqual(
      expect.objectContaining({
        type: 'outcome',
        outcome: 'accepted',
        by: 'u-grace',
        via: { surface: 'slack', userId: 'U0LEE0001' },
      }),
    );
    // The buttons give way to what was decided; the panel no longer offers the suggestion.
    expect(sim.store.messagesIn(channel)[0]?.text).toMatch(/^Approved by Grace Hopper: /);
    expect(sim.store.messagesIn(channel)[0]?.text).not.toMatch(/\bu-[a-z]+\b/);
    expect(stateOf('SUP-1').suggestions.map((x) => x.key)).not.toContain(s.key);
  });

  it('Override records the reason and its words, and changes nothing in Jira', async () => {
    const { s, channel, dm } = await suggestToSlack('u-grace', 'U0LEE0001');
    const before = h.sim.store.get('SUP-1').assignee;
    const click = sim.interact({
      user: 'U0LEE0001',
      channel,
      ts: dm.ts,
      actionId: 'baton.override',
      inputs: { 'baton.overrideReason': 'wrong-owner', 'baton.overrideText': 'Ana is on leave' },
    });
    expect((await slackRequests(asForge(click))).statusCode).toBe(200);
    await h.drainQueue(workConsumer);
    expect(h.sim.store.get('SUP-1').assignee).toBe(before);
    expect((await rows()).filter((e) => e.outcome === 'overridden')).toEqual([
      expect.objectContaining({
        actor: 'u-grace',
        overrideReason: { code: 'wrong-owner', text: 'Ana is on leave' },
        via: { surface: 'slack', userId: 'U0LEE0001' },
      }),
    ]);
    expect(stateOf('SUP-1').suggestions.map((x) => x.key)).not.toContain(s.key);
    const chain = await createBatonStorage().readChain('SUP-1');
    expect(verifyAudit(chain).ok).toBe(true);
    // By pseudonym in the chain (ADR 0021); read with names:
    expect((await createBatonStorage().namePeople(chain)).map((e) => e.record)).toContainEqual(
      expect.objectContaining({
        type: 'outcome',
        outcome: 'overridden',
        by: 'u-grace',
        // The reason is the code and the person's words are its note (ADR 0019); the panel's Override is the same path.
        reason: 'wrong-owner',
        note: 'Ana is on leave',
        via: { surface: 'slack', userId: 'U0LEE0001' },
      }),
    );
  });

  it('asks a person not linked to Jira to link first, and leaves the suggestion to a click that counts', async () => {
    const { s, channel, dm } = await suggestToSlack('u-grace', 'U0LEE0001');
    // Ana sees the message (the sim lets only channel members click) but has no Jira account linked.
    sim.store.channels.get(channel)?.members.push('U0ANA0001');
    const click = sim.interact({ user: 'U0ANA0001', channel, ts: dm.ts, actionId: 'baton.approve' });
    expect((await slackRequests(asForge(click))).statusCode).toBe(200);
    await h.drainQueue(workConsumer);
    expect(h.sim.store.changes.filter((c) => c.kind === 'assigned' && c.issueKey === 'SUP-1')).toHaveLength(0);
    expect(sim.store.ephemerals).toEqual([
      expect.objectContaining({
        user: 'U0ANA0001',
        text: expect.stringMatching(/Link your Slack account to Jira first/),
      }),
    ]);
    expect((await rows()).filter((e) => e.outcome === 'refused')).toEqual([
      expect.objectContaining({ actor: 'slack:U0ANA0001', via: { surface: 'slack', userId: 'U0ANA0001' } }),
    ]);
    // The approver's own click still counts.
    vi.setSystemTime(Date.now() + 1000);
    await slackRequests(asForge(sim.interact({ user: 'U0LEE0001', channel, ts: dm.ts, actionId: 'baton.approve' })));
    await h.drainQueue(workConsumer);
    expect(h.sim.store.get('SUP-1').assignee).toBe(assigneeOf(s));
  });

  it('refuses an approver whose Jira account may not assign the issue: an ephemeral reason, audited, nothing done', async () => {
    // A service-desk customer linked in Slack and named approver: Jira grants them nothing on SUP-1.
    const { s, channel, dm } = await suggestToSlack('u-cust', 'U0RITA001');
    const before = h.sim.store.get('SUP-1').assignee;
    const click = sim.interact({ user: 'U0RITA001', channel, ts: dm.ts, actionId: 'baton.approve' });
    expect((await slackRequests(asForge(click))).statusCode).toBe(200);
    await h.drainQueue(workConsumer);

    expect(h.sim.store.get('SUP-1').assignee).toBe(before);
    expect(sim.store.ephemerals).toEqual([
      expect.objectContaining({
        user: 'U0RITA001',
        channel,
        text: expect.stringMatching(/may not make this change/),
      }),
    ]);
    const audit = await rows();
    expect(audit.map((e) => e.outcome)).not.toContain('accepted');
    expect(audit.filter((e) => e.outcome === 'refused')).toEqual([
      expect.objectContaining({ actor: 'u-cust', via: { surface: 'slack', userId: 'U0RITA001' } }),
    ]);
    // The suggestion is still pending, and the message still open for an answer that counts.
    expect(stateOf('SUP-1').suggestions.map((x) => x.key)).toContain(s.key);
    expect(JSON.stringify(sim.store.messagesIn(channel)[0]?.blocks)).toContain('baton.approve');
    // The permission was asked of Jira as the app, about the linked account.
    expect(h.sim.requests.some((r) => r.path === '/rest/api/3/permissions/check')).toBe(true);
  });
});
