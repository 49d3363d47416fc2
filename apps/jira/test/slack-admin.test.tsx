import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kvs } from '@forge/kvs';
import { createKeyValueLinkStore } from '@baton/slack';
import { sampleWorkspace, startSlackSim } from '@baton/slack-sim';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { slackEditionManifest } from '../scripts/slack-edition.ts';
import { CHAT_SETTINGS_KEY, SLACK_SECRETS, createKvsKeyValue } from '../src/editions/slack.ts';
import { saveCoreCharter, supCharter } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';
import { installUiKitHost, type ForgeDoc } from './ui-kit.ts';
import { uiResolver } from '../src/index.ts';
import { invokeResolver } from './fixtures.ts';
import type { ForgeHarness } from './forge-harness.ts';

// Issue #20: the admin connects Slack on the admin page (UI Kit): credentials written once and never
// shown, which messages go to Slack, the report channel and hour, the approver, and who is linked.
vi.mock('../src/chat-edition.ts', () => import('../src/editions/slack.ts'));

const manifestDir = mkdtempSync(join(tmpdir(), 'baton-slack-admin-'));
writeFileSync(join(manifestDir, 'manifest.yml'), slackEditionManifest());
const TOKEN = 'xoxb-2048-admin-page-never-shown';
const SIGNING = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

let h: ForgeHarness;
useForgeHarness(
  async (started) => {
    h = started;
    await saveCoreCharter(supCharter());
    await createKeyValueLinkStore(createKvsKeyValue()).link('U0LEE0001', 'u-grace');
  },
  { manifest: join(manifestDir, 'manifest.yml') },
);
const logged: string[] = [];
beforeEach(() => {
  logged.length = 0;
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
});
afterEach(() => vi.restoreAllMocks());

/** Every string a UI Kit tree holds that the browser could show or read (in its props, at any depth). */
function treeValues(d: ForgeDoc | undefined): string {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
    else if (typeof v === 'object' && v !== null && !seen.has(v)) {
      seen.add(v);
      for (const x of Object.values(v)) walk(x);
    }
  };
  walk(d);
  return out.join('\n');
}

async function slackTab() {
  const ui = installUiKitHost({ accountId: 'u-grace', extension: { type: 'jira:adminPage' } });
  const { CharterAdmin } = await import('../src/frontend/admin/charter-admin.tsx');
  await ui.render(<CharterAdmin scope="global" />);
  await ui.settle(() => ui.shown().includes('Linked people: 1'), 'the Slack tab');
  return ui;
}

describe('Slack on the admin page', () => {
  it('stores the credentials write-only: the page, the answers and the logs never carry them', async () => {
    const ui = await slackTab();
    expect(ui.shown()).toContain('Not connected yet: the bot token and the signing secret missing.');
    ui.type('chat.botToken', TOKEN);
    ui.type('chat.signingSecret', SIGNING);
    await ui.click('Save Slack credentials');
    await ui.settle(() => ui.shown().includes('Connected: the bot token and the signing secret are stored.'), 'save');
    expect(await kvs.getSecret(SLACK_SECRETS.botToken)).toBe(TOKEN);
    expect(await kvs.getSecret(SLACK_SECRETS.signingSecret)).toBe(SIGNING);
    // The fields are emptied; nothing the page holds or was answered contains a credential.
    expect(ui.field('chat.botToken').props.value).toBe('');
    const page = treeValues(ui.doc());
    const answer = JSON.stringify(await invokeResolver(uiResolver as never, 'getChatSettings', {}, 'u-grace'));
    const stored = JSON.stringify([...h.kvs.kv.values()]);
    expect(answer).toContain('"botToken":{"set":true}');
    for (const secret of [TOKEN, SIGNING])
      for (const [where, text] of [
        ['the page', page],
        ['the resolver answer', answer],
        ['KVS values', stored],
        ['the logs', logged.join('\n')],
      ])
        expect(text, `${where} carry a credential`).not.toContain(secret);
    // A token that is not a bot token is refused by field, and nothing is stored over the good one.
    ui.type('chat.botToken', 'xoxp-user-token-0000');
    await ui.click('Save Slack credentials');
    await ui.settle(() => ui.shown().includes('botToken'), 'the refusal');
    expect(ui.shown()).toContain('a Slack bot token starts with xoxb-');
    expect(await kvs.getSecret(SLACK_SECRETS.botToken)).toBe(TOKEN);
  });

  it('saves which messages go to Slack, the channel, the hour and the approver; a bad channel is refused by field', async () => {
    const ui = await slackTab();
    expect(ui.shown()).toContain('U0LEE0001');
    ui.chooseMany('chat.deliver', ['nudge', 'report']);
    ui.type('chat.channel', '#support-ops');
    await ui.click('Save Slack settings');
    await ui.settle(() => ui.shown().includes('a Slack channel id such as C024BE91L'), 'the refusal');
    expect(await kvs.get(CHAT_SETTINGS_KEY)).toBeUndefined();
    ui.type('chat.channel', 'C0OPS0001');
    ui.type('chat.reportHourUtc', '9');
    ui.pickUser('chat.approver', 'u-grace');
    await ui.click('Save Slack settings');
    await ui.settle(() => ui.shown().includes('Saved the Slack settings.'), 'the save');
    expect(await kvs.get(CHAT_SETTINGS_KEY)).toEqual({
      deliver: { nudge: true, question: false, approval: false, report: true, update: false },
      channel: 'C0OPS0001',
      approver: 'u-grace',
      reportHourUtc: 9,
    });
  });

  it('links a person to the Slack user with their Jira email, and says why when there is none', async () => {
    const workspace = sampleWorkspace();
    const sim = await startSlackSim({
      workspace: {
        ...workspace,
        users: [
          ...workspace.users,
          {
            id: 'U0LINUS01',
            name: 'linus',
            realName: 'Linus Pauling',
            email: 'linus@example.com',
            deleted: false,
            isBot: false,
            tz: 'UTC',
          },
        ],
      },
      signingSecret: 'unused-here',
    });
    try {
      h.egress.routes.push({ from: 'https://slack.com/api/', to: sim.apiUrl });
      await kvs.setSecret(SLACK_SECRETS.botToken, 'xoxb-test-bot'); // the token the sim's workspace accepts
      const ui = await slackTab();
      ui.pickUser('chat.linkPerson', 'u-linus');
      await ui.click('Link by email');
      await ui.settle(() => ui.shown().includes('Linked people: 2'), 'the link');
      expect(ui.shown()).toContain('U0LINUS01');
      expect(await createKeyValueLinkStore(createKvsKeyValue()).accountOf('U0LINUS01')).toBe('u-linus');
      // Nobody in the workspace has Ada's email: not linked, and the page says what to do instead.
      ui.pickUser('chat.linkPerson', 'u-ada');
      await ui.click('Link by email');
      await ui.settle(() => ui.shown().includes('Not linked:'), 'the refusal');
      expect(ui.shown()).toMatch(/they can send the bot a one-time code/);
    } finally {
      await sim.close();
    }
  });
});
