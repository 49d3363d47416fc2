import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signRequest } from '@baton/slack-sim';
import { createAccountLinker, createSlackInbound, createSlackWebClient } from '../src/index.ts';
import { SECRET, approvalFor, nudgeFor, questionFor, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  await h.links.link('U0ANA0001', 'acc-ana');
  await h.links.link('U0LEE0001', 'acc-lee');
});
afterEach(() => h.close());

/** Waits until the app has handled `n` requests (its work runs after the reply). */
async function handled(n: number) {
  for (let i = 0; i < 100 && h.outcomes.length < n; i++) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 5));
}

async function posted(user: string) {
  const im = h.sim.store.imWith(user);
  const m = im === undefined ? undefined : h.sim.store.messagesIn(im)[0];
  if (m === undefined) throw new Error(`no DM to ${user}`);
  return m;
}

describe('Slack inbound: answers from Slack', () => {
  it('executes an Approve once although Slack retries the request and the person clicks again', async () => {
    await h.deliver(approvalFor('acc-lee'));
    const m = await posted('U0LEE0001');
    const click = h.sim.interact({ user: 'U0LEE0001', channel: m.channel, ts: m.ts, actionId: 'baton.approve' });
    expect((await h.sim.send(h.appUrl, click)).status).toBe(200);
    const retry = {
      ...click,
      headers: { ...click.headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    };
    expect((await h.sim.send(h.appUrl, retry)).status).toBe(200);
    h.clock.now += 2000;
    const again = h.sim.interact({ user: 'U0LEE0001', channel: m.channel, ts: m.ts, actionId: 'baton.approve' });
    expect((await h.sim.send(h.appUrl, again)).status).toBe(200);
    await handled(3);
    expect(h.outcomes.map((o) => o.kind)).toEqual(['answer', 'repeat', 'repeat']);
    expect(h.effects.filter((e) => e.kind === 'execute')).toEqual([{ kind: 'execute', decisionId: 'd-assign' }]);
    expect(h.effects.find((e) => e.kind === 'audit')).toMatchObject({
      record: { outcome: 'accepted', by: 'acc-lee', via: { surface: 'slack', userId: 'U0LEE0001' } },
    });
  });

  it('records an Override with the picked reason and the person’s words', async () => {
    await h.deliver(approvalFor('acc-lee'));
    const m = await posted('U0LEE0001');
    const click = h.sim.interact({
      user: 'U0LEE0001',
      channel: m.channel,
      ts: m.ts,
      actionId: 'baton.override',
      inputs: { 'baton.overrideReason': 'wrong-owner', 'baton.overrideText': 'Lee is on leave until Monday' },
    });
    await h.sim.send(h.appUrl, click);
    await handled(1);
    expect(h.effects).toEqual([
      {
        kind: 'audit',
        record: {
          type: 'outcome',
          decisionId: 'd-assign',
          pattern: 'router',
          outcome: 'overridden',
          by: 'acc-lee',
          reason: 'wrong-owner',
          note: 'Lee is on leave until Monday',
          via: { surface: 'slack', userId: 'U0LEE0001' },
        },
      },
    ]);
  });

  it('turns "Blocked by…" into a Jira comment and a waiting reason', async () => {
    await h.deliver(nudgeFor('acc-ana'));
    const m = await posted('U0ANA0001');
    const click = h.sim.interact({
      user: 'U0ANA0001',
      channel: m.channel,
      ts: m.ts,
      actionId: 'baton.blocked',
      inputs: { 'baton.waitingReason': 'vendor', 'baton.detail': 'Stripe ticket 4411' },
    });
    await h.sim.send(h.appUrl, click);
    await handled(1);
    expect(h.effects.slice(0, 2)).toEqual([
      {
        kind: 'comment',
        author: 'acc-ana',
        body: 'Blocked by: Stripe ticket 4411 (waiting on vendor)',
        attribution: 'Answered on slack by U0ANA0001',
        audience: 'internal',
      },
      { kind: 'waiting', reason: 'vendor' },
    ]);
  });

  it('refuses "Blocked by…" without a reason, naming the missing field, and does nothing', async () => {
    await h.deliver(nudgeFor('acc-ana'));
    const m = await posted('U0ANA0001');
    await h.sim.send(
      h.appUrl,
      h.sim.interact({ user: 'U0ANA0001', channel: m.channel, ts: m.ts, actionId: 'baton.blocked' }),
    );
    await handled(1);
    expect(h.outcomes[0]).toMatchObject({ kind: 'refused', issue: { code: 'slack.answer', path: ['waitingReason'] } });
    expect(h.effects).toEqual([]);
  });

  it('posts a typed answer to a question as the reporter’s comment and re-checks readiness', async () => {
    await h.links.link('U0RITA001', 'acc-rita');
    h.permitted.add('acc-rita');
    await h.deliver(questionFor('acc-rita'));
    const m = await posted('U0RITA001');
    const click = h.sim.interact({
      user: 'U0RITA001',
      channel: m.channel,
      ts: m.ts,
      actionId: 'baton.reply',
      inputs: { 'baton.replyText': 'INV-2291' },
    });
    await h.sim.send(h.appUrl, click);
    await handled(1);
    expect(h.effects.map((e) => e.kind)).toEqual(['comment', 'touch', 'recheckReadiness']);
    expect(h.effects[0]).toMatchObject({ author: 'acc-rita', body: 'INV-2291', audience: 'customer' });
  });

  it('asks an unlinked person to link, refuses one without the Jira permission, and executes nothing', async () => {
    await h.deliver(approvalFor('acc-lee'));
    const m = await posted('U0LEE0001');
    await h.kv.delete('link:slack:U0LEE0001');
    await h.sim.send(
      h.appUrl,
      h.sim.interact({ user: 'U0LEE0001', channel: m.channel, ts: m.ts, actionId: 'baton.approve' }),
    );
    await handled(1);
    await h.links.link('U0LEE0001', 'acc-lee');
    h.permitted.delete('acc-lee');
    h.clock.now += 1000;
    await h.sim.send(
      h.appUrl,
      h.sim.interact({ user: 'U0LEE0001', channel: m.channel, ts: m.ts, actionId: 'baton.approve' }),
    );
    await handled(2);
    expect(h.refusals).toEqual(['chat.unlinked', 'chat.forbidden']);
    expect(h.effects).toEqual([]);
  });
});

describe('Slack inbound: requests that must change nothing', () => {
  async function approvalClick() {
    await h.deliver(approvalFor('acc-lee'));
    const m = await posted('U0LEE0001');
    return h.sim.interact({ user: 'U0LEE0001', channel: m.channel, ts: m.ts, actionId: 'baton.approve' });
  }

  it('refuses a forged signature', async () => {
    const click = await approvalClick();
    const before = h.kv.size();
    const forged = signRequest(click.body, {
      signingSecret: 'not-the-secret',
      timestamp: Math.floor(h.clock.now / 1000),
      contentType: 'application/x-www-form-urlencoded',
    });
    const tampered = { ...click, body: click.body.replace('baton.approve', 'baton.override') };
    const answers = [await h.sim.send(h.appUrl, forged), await h.sim.send(h.appUrl, tampered)];
    await handled(2);
    expect(answers.map((a) => [a.status, a.headers.get('x-slack-no-retry')])).toEqual([
      [401, '1'],
      [401, '1'],
    ]);
    expect(h.outcomes.map((o) => o.kind === 'refused' && o.issue.code)).toEqual([
      'slack.signature.mismatch',
      'slack.signature.mismatch',
    ]);
    expect([h.effects, h.kv.size()]).toEqual([[], before]);
  });

  it('refuses a stale timestamp, even correctly signed', async () => {
    const click = await approvalClick();
    const before = h.kv.size();
    const stale = signRequest(click.body, {
      signingSecret: SECRET,
      timestamp: Math.floor(h.clock.now / 1000) - 301,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect((await h.sim.send(h.appUrl, stale)).status).toBe(401);
    await handled(1);
    expect(h.outcomes[0]).toMatchObject({ kind: 'refused', issue: { code: 'slack.signature.stale' } });
    expect([h.effects, h.kv.size()]).toEqual([[], before]);
  });

  it('refuses a replayed body: the first request counts, its copy changes nothing', async () => {
    const click = await approvalClick();
    await h.sim.send(h.appUrl, click);
    await handled(1);
    const before = { effects: h.effects.length, kv: h.kv.size() };
    expect((await h.sim.send(h.appUrl, click)).status).toBe(401);
    await handled(2);
    expect(h.outcomes[1]).toMatchObject({ kind: 'refused', issue: { code: 'slack.replayed' } });
    expect({ effects: h.effects.length, kv: h.kv.size() }).toEqual(before);
    expect(h.effects.filter((e) => e.kind === 'execute')).toHaveLength(1);
  });

  it('refuses a request with no signature at all', async () => {
    const res = await fetch(h.appUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type":"url_verification","challenge":"x"}',
    });
    expect(res.status).toBe(401);
  });
});

describe('Slack inbound: Events API and linking', () => {
  it('echoes the URL verification challenge', async () => {
    const body = JSON.stringify({ token: 't', challenge: 'c-123', type: 'url_verification' });
    const res = await h.sim.send(
      h.appUrl,
      signRequest(body, {
        signingSecret: SECRET,
        timestamp: Math.floor(h.clock.now / 1000),
        contentType: 'application/json',
      }),
    );
    expect([res.status, res.body]).toEqual([200, 'c-123']);
  });

  it('links a person who DMs their one-time code, once, and answers Slack’s retry without a second attempt', async () => {
    const web = createSlackWebClient('xoxb-test-bot', { slackApiUrl: h.sim.apiUrl });
    let seed = 7;
    const linker = createAccountLinker({
      web,
      links: h.links,
      store: h.kv,
      now: () => h.clock.now,
      sleep: async () => {},
      randomBytes: (n) => Uint8Array.from({ length: n }, () => (seed = (seed * 73 + 11) % 256)),
    });
    const { code } = await linker.issueCode('acc-rita');
    const dm = {
      type: 'message',
      channel_type: 'im',
      channel: 'D0IM00009',
      user: 'U0RITA001',
      text: `here: ${code.toLowerCase()}`,
      ts: '1765098000.000100',
    };
    await h.sim.send(h.appUrl, h.sim.event(dm, 'Ev0LINK01'));
    h.clock.now += 60_000;
    await h.sim.send(h.appUrl, h.sim.event(dm, 'Ev0LINK01', { retryNum: 1, retryReason: 'http_timeout' }));
    await handled(2);
    expect(h.outcomes.map((o) => o.kind)).toEqual(['said', 'repeat']);
    const said = h.outcomes[0];
    if (said?.kind !== 'said') throw new Error('expected a DM');
    expect(said.by).toEqual({ surface: 'slack', userId: 'U0RITA001', workspace: 'T0BATON01', accountId: null });
    expect(await linker.redeem(said.by.userId, said.text)).toEqual({ ok: true, value: { accountId: 'acc-rita' } });
    expect(await h.links.accountOf('U0RITA001')).toBe('acc-rita');
    const reuse = await linker.redeem('U0ANA0001', said.text);
    expect(reuse.ok ? 'linked' : reuse.issues[0]?.code).toBe('link.codeUnknown');
  });
});

describe('Slack inbound: what it stores', () => {
  it('uses only keys Forge KVS accepts (/^(?!\\s+$)[a-zA-Z0-9:._\\s\\-#]+$/, at most 500 characters)', async () => {
    const keys: string[] = [];
    const spy = {
      ...h.kv,
      setIfAbsent: (k: string, v: string, ttl?: number) => (keys.push(k), h.kv.setIfAbsent(k, v, ttl)),
      set: (k: string, v: string, ttl?: number) => (keys.push(k), h.kv.set(k, v, ttl)),
    };
    const inbound = createSlackInbound({ signingSecret: SECRET, store: spy, links: h.links, now: () => h.clock.now });
    await h.deliver(approvalFor('acc-lee'));
    const m = await posted('U0LEE0001');
    await inbound.receive(
      h.sim.interact({ user: 'U0LEE0001', channel: m.channel, ts: m.ts, actionId: 'baton.approve' }),
    );
    await inbound.receive(
      h.sim.event(
        { type: 'message', channel_type: 'im', channel: 'D1', user: 'U0ANA0001', text: 'hi', ts: '1.1' },
        'Ev0KEYS01',
      ),
    );
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const k of keys) expect(k).toMatch(/^(?!\s+$)[a-zA-Z0-9:._\s\-#]{1,500}$/);
  });
});
