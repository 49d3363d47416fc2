import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { validate } from '@forge/manifest';
import { kvs } from '@forge/kvs';
import type { ApprovalMessage } from '@baton/core';
import { blocksFor, createAccountLinker, createKeyValueLinkStore } from '@baton/slack';
import { sampleWorkspace, signRequest, startSlackSim, type SlackSim } from '@baton/slack-sim';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { APP_DIR, DASHBOARD_DIR, FUNCTION_DIR_IN_APP, buildDashboard, buildFunctions } from '../scripts/build.ts';
import { slackEditionManifest, writeSlackEdition } from '../scripts/slack-edition.ts';
import { SLACK_EGRESS, SLACK_SECRETS, createKvsKeyValue, slackRequests } from '../src/editions/slack.ts';
import { realFetch } from './forge-egress.ts';
import { asForge, MANIFEST, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

type Manifest = Record<string, unknown> & {
  modules: Record<string, unknown[]> & { function: { key: string; handler: string }[] };
  permissions: Record<string, unknown> & {
    external?: { fetch?: { backend?: { address: string; inScopeEUD: boolean }[] } };
  };
};

const SECRET = 'slack-edition-signing-secret';
const dir = writeSlackEdition(mkdtempSync(join(tmpdir(), 'baton-slack-edition-')));

const approval: ApprovalMessage = {
  kind: 'approval',
  id: 'd-assign',
  at: Date.UTC(2026, 11, 7),
  to: { kind: 'person', accountId: 'acc-lee' },
  case: { caseId: 'SUP-7', title: 'Invoice PDF missing', url: null },
  decisionId: 'd-assign',
  actions: ['assign to acc-ana'],
  text: 'Billing issues go to the billing queue',
  evidence: [],
  confidence: 0.7,
  risk: 'low',
  overrideReasons: [{ code: 'wrong-owner', label: 'Wrong owner' }],
};

beforeAll(async () => {
  // The Custom UI page the manifest names, built into the edition's own folder (no race with other tests' builds).
  await buildDashboard(join(dir, relative(APP_DIR, DASHBOARD_DIR)));
  // With `app.package.bundler: manual@2026` the handlers are looked for in the built bundle: build the edition's.
  await buildFunctions(join(dir, FUNCTION_DIR_IN_APP, 'index.cjs'), dir);
}, 180_000);

async function validateIn(folder: string) {
  const cwd = process.cwd();
  process.chdir(folder);
  try {
    return await validate(false, join(folder, 'manifest.yml'));
  } finally {
    process.chdir(cwd);
  }
}

describe('Slack edition manifest', () => {
  it('the default manifest declares no egress and no web trigger', () => {
    const manifest = parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
    expect(manifest.permissions.external).toBeUndefined();
    expect(manifest.modules.webtrigger).toBeUndefined();
  });

  it("passes @forge/manifest's offline validation, with egress to Slack's API host only and one web trigger", async () => {
    const r = await validateIn(dir);
    expect(r.errors ?? []).toEqual([]);
    expect(r.success).toBe(true);
    const edition = parse(slackEditionManifest()) as Manifest;
    expect(edition.permissions.external?.fetch?.backend).toEqual(
      SLACK_EGRESS.map((address) => ({ address, inScopeEUD: true })),
    );
    expect(edition.modules.webtrigger).toEqual([
      { key: 'slack-requests', function: 'slack-requests-handler', response: { type: 'dynamic' } },
    ]);
    expect(edition.modules.function.at(-1)).toEqual({
      key: 'slack-requests-handler',
      handler: 'index.slackRequests',
    });
    // Everything else is the default manifest's.
    const base = parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
    const { webtrigger: _w, function: fns, ...modules } = edition.modules;
    const { external: _e, ...permissions } = edition.permissions;
    expect({ ...edition, modules: { ...modules, function: fns.slice(0, -1) }, permissions }).toEqual(base);
  });

  it('is refused by the same validation with a plain-http Slack host (the check can fail)', async () => {
    writeFileSync(join(dir, 'manifest.yml'), slackEditionManifest().replace('https://slack.com', 'http://slack.com'));
    try {
      expect((await validateIn(dir)).success).toBe(false);
    } finally {
      writeFileSync(join(dir, 'manifest.yml'), slackEditionManifest());
    }
  });
});

describe("Slack edition web trigger (Slack's Request URL)", () => {
  let h: ForgeHarness;
  let sim: SlackSim;
  useForgeHarness(
    async (started) => {
      h = started;
      sim = await startSlackSim({ workspace: sampleWorkspace(), signingSecret: SECRET });
      await kvs.setSecret(SLACK_SECRETS.signingSecret, SECRET);
      await createKeyValueLinkStore(createKvsKeyValue()).link('U0LEE0001', 'acc-lee');
    },
    { manifest: join(dir, 'manifest.yml') },
  );
  afterEach(() => sim.close());

  async function approvalClick() {
    const m = approval;
    const open = await realFetch(`${sim.apiUrl}conversations.open`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test-bot', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'users=U0LEE0001',
    });
    const channel = ((await open.json()) as { channel: { id: string } }).channel.id;
    const posted = await realFetch(`${sim.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test-bot', 'content-type': 'application/json' },
      body: JSON.stringify({ channel, text: m.text, blocks: blocksFor(m) }),
    });
    const { ts } = (await posted.json()) as { ts: string };
    return sim.interact({ user: 'U0LEE0001', channel, ts, actionId: 'baton.approve' });
  }

  it('acknowledges a signed Approve and queues the answer, with the Slack user and the Jira account, once', async () => {
    const click = await approvalClick();
    expect((await slackRequests(asForge(click))).statusCode).toBe(200);
    expect(h.queued.map((e) => e.body)).toEqual([{ kind: 'chat-answer', answer: expect.anything() }]);
    const kept = (h.queued[0]?.body as { answer: unknown }).answer;
    expect(kept).toMatchObject({
      kind: 'approve',
      messageId: 'd-assign',
      by: { surface: 'slack', userId: 'U0LEE0001', accountId: 'acc-lee' },
    });
    const replay = await slackRequests(asForge(click));
    expect([replay.statusCode, replay.headers['x-slack-no-retry']]).toEqual([401, ['1']]);
    expect(h.queued).toHaveLength(1);
  });

  it('refuses a forged signature and a stale timestamp, storing nothing', async () => {
    const click = await approvalClick();
    const before = h.kvs.calls.filter((c) => c.path.endsWith('/set')).length;
    const forged = signRequest(click.body, {
      signingSecret: 'guess',
      timestamp: Math.floor(Date.now() / 1000),
      contentType: 'application/x-www-form-urlencoded',
    });
    const stale = signRequest(click.body, {
      signingSecret: SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 600,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect((await slackRequests(asForge(forged))).statusCode).toBe(401);
    expect((await slackRequests(asForge(stale))).statusCode).toBe(401);
    expect(h.kvs.calls.filter((c) => c.path.endsWith('/set')).length).toBe(before);
    expect(h.queued).toEqual([]);
  });

  it('links a person who DMs the bot their one-time code', async () => {
    const store = createKvsKeyValue();
    const links = createKeyValueLinkStore(store);
    const { code } = await createAccountLinker({
      links,
      store,
      now: Date.now,
      sleep: async () => {},
      randomBytes: (n) => new Uint8Array(n).fill(9),
    }).issueCode('acc-rita');
    const dm = sim.event(
      { type: 'message', channel_type: 'im', channel: 'D0IM00001', user: 'U0RITA001', text: code, ts: '1.000100' },
      'Ev0EDITION',
    );
    expect((await slackRequests(asForge(dm))).statusCode).toBe(200);
    expect(await links.accountOf('U0RITA001')).toBe('acc-rita');
  });

  it('answers 503 without retries until a signing secret is stored', async () => {
    await kvs.deleteSecret(SLACK_SECRETS.signingSecret);
    const r = await slackRequests(asForge(await approvalClick()));
    expect([r.statusCode, r.headers['x-slack-no-retry']]).toEqual([503, ['1']]);
  });
});
