import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kvs } from '@forge/kvs';
import type { Decision } from '@baton/core';
import { createJiraClient } from '@baton/jira';
import { sampleWorkspace, startSlackSim, type SlackSim } from '@baton/slack-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { slackEditionManifest } from '../scripts/slack-edition.ts';
import { executeDecision } from '../src/app/execute-decision.ts';
import { CHAT_SETTINGS_KEY, SLACK_SECRETS, chat } from '../src/editions/slack.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { appJiraFetch } from '../src/platform/forge-jira.ts';
import { NOW, actDecision } from './fixtures.ts';
import { useForgeHarness, type ForgeHarness } from './forge-harness.ts';

// Issue #20: the team gets the concierge's internal updates in the channel the admin named, once per
// meaningful change (the update decision's key), beside the Jira comment that stays the record. The
// decisions are built here as the concierge proposes them (core's `proposeUpdates`: an internal comment).
const manifestDir = mkdtempSync(join(tmpdir(), 'baton-slack-updates-'));
writeFileSync(join(manifestDir, 'manifest.yml'), slackEditionManifest());
const CHANNEL = 'C0OPS0001';

let h: ForgeHarness;
let sim: SlackSim;
useForgeHarness(
  async (started) => {
    h = started;
    sim = await startSlackSim({ workspace: sampleWorkspace(), signingSecret: 'unused-here' });
    h.egress.routes.push({ from: 'https://slack.com/api/', to: sim.apiUrl });
    await kvs.setSecret(SLACK_SECRETS.botToken, 'xoxb-test-bot');
  },
  { manifest: join(manifestDir, 'manifest.yml') },
);
afterEach(() => sim.close());

const update = (id: string, body: string, audience: 'internal' | 'customer' = 'internal'): Decision =>
  actDecision({
    id,
    caseId: 'SUP-4',
    pattern: 'concierge',
    rule: `concierge.${audience}`,
    actions: [{ kind: 'comment', audience, body }],
  });
const deps = () => ({
  jira: createJiraClient({ fetch: appJiraFetch() }),
  storage: createBatonStorage(),
  now: () => NOW,
  chat,
});
const appComments = () => h.sim.store.get('SUP-4').comments.filter((c) => c.author === 'app-baton');
const settings = (deliver: { update?: boolean }, channel: string | null = CHANNEL) =>
  kvs.set(CHAT_SETTINGS_KEY, { deliver, channel });

describe("the concierge's internal updates in the team's channel", () => {
  it('posts each meaningful change once beside its Jira comment, however often the decision is executed', async () => {
    await settings({ update: true });
    const first = update('upd-1', 'SUP-4 moved to In Progress; owner u-linus.');
    expect(await executeDecision(deps(), first)).toBe('executed');
    expect(await executeDecision(deps(), first)).toBe('duplicate');
    expect(await executeDecision(deps(), update('upd-2', 'SUP-4 is blocked on the vendor.'))).toBe('executed');
    expect(appComments()).toHaveLength(2);
    expect(sim.store.messagesIn(CHANNEL).map((m) => m.text)).toEqual([
      'SUP-4: SUP-4 moved to In Progress; owner u-linus.',
      'SUP-4: SUP-4 is blocked on the vendor.',
    ]);
  });

  it('posts nothing unless updates are chosen and a channel named, and never a customer update', async () => {
    await settings({ update: false });
    await executeDecision(deps(), update('upd-3', 'internal, updates off'));
    await settings({ update: true }, null);
    await executeDecision(deps(), update('upd-4', 'internal, no channel'));
    await settings({ update: true });
    await executeDecision(deps(), update('upd-5', 'Your issue is being worked on.', 'customer'));
    expect(appComments()).toHaveLength(3);
    expect(sim.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('keeps the Jira comment when Slack refuses the channel (the bot is not in it)', async () => {
    await settings({ update: true }, 'C0RANDOM1');
    expect(await executeDecision(deps(), update('upd-6', 'internal'))).toBe('executed');
    expect(appComments()).toHaveLength(1);
    expect(sim.callsTo('chat.postMessage').map((c) => c.result)).toEqual([{ ok: false, error: 'not_in_channel' }]);
  });
});
