import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimInteractionError, sampleWorkspace, startSlackSim, type SlackSim } from '../src/index.ts';

let now = Date.UTC(2026, 11, 7, 9, 0, 0);
let sim: SlackSim;

beforeEach(async () => {
  now = Date.UTC(2026, 11, 7, 9, 0, 0);
  sim = await startSlackSim({ workspace: sampleWorkspace(), signingSecret: 'sim-secret', clock: () => now });
});
afterEach(() => sim.close());

/** A Web API call the way @slack/web-api makes it: form body, bearer token. */
async function call(method: string, params: Record<string, string>, token = 'xoxb-test-bot') {
  return callAt(method, params, token);
}

/** The same, a second later on the sim's clock: clear of chat.postMessage's one-per-second-per-channel. */
async function later(method: string, params: Record<string, string>, token = 'xoxb-test-bot') {
  now += 1000;
  return callAt(method, params, token);
}

async function callAt(method: string, params: Record<string, string>, token: string) {
  const r = await fetch(`${sim.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` },
    body: new URLSearchParams(params).toString(),
  });
  return {
    status: r.status,
    retryAfter: r.headers.get('retry-after'),
    body: (await r.json()) as Record<string, unknown>,
  };
}

/** Checks Slack's v0 signature as an app does. */
const verify = (headers: Record<string, string>, body: string) =>
  headers['x-slack-signature'] ===
  `v0=${createHmac('sha256', 'sim-secret').update(`v0:${headers['x-slack-request-timestamp']}:${body}`).digest('hex')}`;

const button = (text: string, action_id: string, value: string) => ({
  type: 'button',
  text: { type: 'plain_text', text },
  action_id,
  value,
});

describe('slack-sim Web API', () => {
  it('posts to a channel the bot is in and answers in Slack’s shape', async () => {
    const r = await call('chat.postMessage', { channel: 'C0OPS0001', text: 'Daily report' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      ok: true,
      channel: 'C0OPS0001',
      message: { type: 'message', text: 'Daily report', bot_id: 'B0BATON01' },
    });
    expect(r.body.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(sim.store.messagesIn('C0OPS0001')).toHaveLength(1);
  });

  it('answers each documented error with ok:false and HTTP 200, and stores nothing', async () => {
    const long = 'x'.repeat(40_001);
    const results = [
      await later('chat.postMessage', { channel: 'C0NOPE001', text: 'hi' }),
      await later('chat.postMessage', { channel: 'C0RANDOM1', text: 'hi' }),
      await later('chat.postMessage', { channel: 'C0OLD0001', text: 'hi' }),
      await later('chat.postMessage', { channel: 'C0OPS0001' }),
      await later('chat.postMessage', { channel: 'C0OPS0001', text: long }),
      await later('chat.postMessage', { channel: 'C0OPS0001', text: 'hi' }, 'xoxb-forged'),
      await later('users.lookupByEmail', { email: 'ana@example.com' }, 'xoxb-no-email'),
      await later('users.lookupByEmail', { email: 'nobody@example.com' }),
      await later('users.info', { user: 'U0NOBODY1' }),
      await later('conversations.open', { users: 'U0BOT0001' }),
      await later('conversations.open', { users: 'U0GONE001' }),
      await later('chat.update', { channel: 'C0OPS0001', ts: '1.000001', text: 'x' }),
    ];
    expect(results.map((r) => [r.status, r.body.error])).toEqual([
      [200, 'channel_not_found'],
      [200, 'not_in_channel'],
      [200, 'is_archived'],
      [200, 'no_text'],
      [200, 'msg_too_long'],
      [200, 'invalid_auth'],
      [200, 'missing_scope'],
      [200, 'users_not_found'],
      [200, 'user_not_found'],
      [200, 'cannot_dm_bot'],
      [200, 'user_disabled'],
      [200, 'message_not_found'],
    ]);
    expect(results[6]?.body).toMatchObject({ needed: 'users:read.email' });
    expect(sim.store.messages.size).toBe(0);
    const anonymous = await fetch(`${sim.apiUrl}auth.test`, { method: 'POST' });
    expect(await anonymous.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('refuses blocks over Block Kit’s limits with invalid_blocks and a JSON pointer', async () => {
    const blocks = [{ type: 'actions', elements: [button('x'.repeat(76), 'a', 'v')] }];
    const r = await call('chat.postMessage', { channel: 'C0OPS0001', text: 'hi', blocks: JSON.stringify(blocks) });
    expect(r.body.error).toBe('invalid_blocks');
    expect(String((r.body.errors as string[])[0])).toContain('[json-pointer:/blocks/0/elements/0/text/text]');
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(
      (await later('chat.postMessage', { channel: 'C0OPS0001', text: 'hi', blocks: JSON.stringify(tooMany) })).body
        .error,
    ).toBe('invalid_blocks');
    expect((await later('chat.postMessage', { channel: 'C0OPS0001', text: 'hi', blocks: '[{' })).body.error).toBe(
      'invalid_blocks_format',
    );
  });

  it('opens one DM per person and finds people by email; email only with its scope', async () => {
    const first = await call('conversations.open', { users: 'U0ANA0001' });
    const again = await call('conversations.open', { users: 'U0ANA0001' });
    expect(first.body).toEqual({ ok: true, channel: { id: 'D0IM00001' } });
    expect(again.body).toEqual({ ok: true, no_op: true, already_open: true, channel: { id: 'D0IM00001' } });
    const found = await call('users.lookupByEmail', { email: 'ANA@example.com' });
    expect(found.body).toMatchObject({ ok: true, user: { id: 'U0ANA0001', profile: { email: 'ana@example.com' } } });
    const info = await call('users.info', { user: 'U0ANA0001' }, 'xoxb-no-email');
    expect((info.body.user as { profile: object }).profile).not.toHaveProperty('email');
  });

  it('updates only a message the bot posted, keeping its ts', async () => {
    const posted = await call('chat.postMessage', { channel: 'C0OPS0001', text: 'before' });
    const updated = await call('chat.update', { channel: 'C0OPS0001', ts: String(posted.body.ts), text: 'after' });
    expect(updated.body).toMatchObject({ ok: true, ts: posted.body.ts, text: 'after' });
    expect(sim.store.messagesIn('C0OPS0001').map((m) => m.text)).toEqual(['after']);
  });

  it('posts an ephemeral line only to a member of the channel, outside its history', async () => {
    const im = await call('conversations.open', { users: 'U0ANA0001' });
    const channel = (im.body.channel as { id: string }).id;
    const shown = await call('chat.postEphemeral', { channel, user: 'U0ANA0001', text: 'Only you see this' });
    expect(shown.body).toEqual({ ok: true, message_ts: expect.stringMatching(/^\d{10}\.\d{6}$/) });
    const stranger = await call('chat.postEphemeral', { channel, user: 'U0LEE0001', text: 'x' });
    const nowhere = await call('chat.postEphemeral', { channel: 'C0NOPE000', user: 'U0ANA0001', text: 'x' });
    expect([stranger.body.error, nowhere.body.error]).toEqual(['user_not_in_channel', 'channel_not_found']);
    expect(sim.store.ephemerals.map((e) => [e.user, e.text])).toEqual([['U0ANA0001', 'Only you see this']]);
    expect(sim.store.messagesIn(channel)).toEqual([]);
  });

  it('rate-limits each method by its tier with Retry-After until the window passes', async () => {
    for (let i = 0; i < 50; i++)
      expect((await call('users.lookupByEmail', { email: 'ana@example.com' })).status).toBe(200);
    const limited = await call('users.lookupByEmail', { email: 'ana@example.com' });
    expect([limited.status, limited.body, limited.retryAfter]).toEqual([
      429,
      { ok: false, error: 'ratelimited' },
      '60',
    ]);
    expect((await call('users.info', { user: 'U0ANA0001' })).status).toBe(200); // another method, another budget
    now += 60_000;
    expect((await call('users.lookupByEmail', { email: 'ana@example.com' })).status).toBe(200);
  });

  it('allows one chat.postMessage per second per channel', async () => {
    expect((await call('chat.postMessage', { channel: 'C0OPS0001', text: '1' })).status).toBe(200);
    const second = await call('chat.postMessage', { channel: 'C0OPS0001', text: '2' });
    expect([second.status, second.retryAfter]).toEqual([429, '1']);
    expect((await call('conversations.open', { users: 'U0LEE0001' })).status).toBe(200);
    expect((await call('chat.postMessage', { channel: 'D0IM00001', text: 'dm' })).status).toBe(200);
    now += 1000;
    expect((await call('chat.postMessage', { channel: 'C0OPS0001', text: '2' })).status).toBe(200);
  });

  it('answers a forced 429 storm and then serves the call', async () => {
    sim.rateLimit({ method: 'chat.postMessage', times: 2, retryAfter: 7 });
    const a = await call('chat.postMessage', { channel: 'C0OPS0001', text: 'x' });
    const b = await call('chat.postMessage', { channel: 'C0OPS0001', text: 'x' });
    const c = await call('chat.postMessage', { channel: 'C0OPS0001', text: 'x' });
    expect([a.status, a.retryAfter, b.status, c.status]).toEqual([429, '7', 429, 200]);
  });
});

describe('slack-sim requests to the app', () => {
  it('builds a signed, form-encoded block_actions payload from the posted message', async () => {
    const blocks = [
      {
        type: 'input',
        block_id: 'why',
        label: { type: 'plain_text', text: 'Why' },
        element: { type: 'plain_text_input', action_id: 'detail' },
      },
      { type: 'actions', block_id: 'act', elements: [button('On it', 'baton.onIt', 'd-1')] },
    ];
    const posted = await call('chat.postMessage', {
      channel: 'C0OPS0001',
      text: 'nudge',
      blocks: JSON.stringify(blocks),
    });
    const req = sim.interact({
      user: 'U0ANA0001',
      channel: 'C0OPS0001',
      ts: String(posted.body.ts),
      actionId: 'baton.onIt',
      inputs: { detail: 'today' },
    });
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers['x-slack-request-timestamp']).toBe(String(Math.floor(now / 1000)));
    expect(verify(req.headers, req.body)).toBe(true);
    const payload = JSON.parse(new URLSearchParams(req.body).get('payload') ?? '') as Record<string, unknown>;
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ANA0001', team_id: 'T0BATON01' },
      container: { type: 'message', message_ts: posted.body.ts, channel_id: 'C0OPS0001' },
      actions: [{ type: 'button', action_id: 'baton.onIt', block_id: 'act', value: 'd-1' }],
      state: { values: { why: { detail: { type: 'plain_text_input', value: 'today' } } } },
    });
  });

  it('lets nobody use a button that was not posted, or a message in a channel they are not in', async () => {
    const blocks = [{ type: 'actions', elements: [button('On it', 'baton.onIt', 'd-1')] }];
    const posted = await call('chat.postMessage', {
      channel: 'C0OPS0001',
      text: 'nudge',
      blocks: JSON.stringify(blocks),
    });
    const ts = String(posted.body.ts);
    expect(() => sim.interact({ user: 'U0ANA0001', channel: 'C0OPS0001', ts, actionId: 'baton.approve' })).toThrow(
      SimInteractionError,
    );
    expect(() => sim.interact({ user: 'U0RITA001', channel: 'C0OPS0001', ts, actionId: 'baton.onIt' })).toThrow(
      /cannot see/,
    );
  });

  it('builds Events API deliveries as JSON, with the retry headers on a retry', () => {
    const req = sim.event(
      {
        type: 'message',
        channel_type: 'im',
        channel: 'D0IM00001',
        user: 'U0ANA0001',
        text: 'BATON-1234',
        ts: '1.000200',
      },
      'Ev0001',
      { retryNum: 1, retryReason: 'http_timeout' },
    );
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-slack-retry-num']).toBe('1');
    expect(req.headers['x-slack-retry-reason']).toBe('http_timeout');
    expect(verify(req.headers, req.body)).toBe(true);
    expect(JSON.parse(req.body)).toMatchObject({
      type: 'event_callback',
      event_id: 'Ev0001',
      team_id: 'T0BATON01',
      event: { type: 'message', text: 'BATON-1234' },
    });
  });
});

describe('slack-sim delivers to the app as Slack does (3 s, Events API retries)', () => {
  type Seen = { headers: Record<string, string>; body: string };
  /** A local app whose answer to each request is scripted; `hold` keeps an answer until released. */
  async function appServer(
    answer: (seen: Seen, n: number) => Promise<{ status: number; headers?: Record<string, string> }>,
  ) {
    const seen: Seen[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const s = { headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') };
        seen.push(s);
        void answer(s, seen.length).then((a) => {
          res.writeHead(a.status, a.headers ?? {});
          res.end();
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }
  const dm = {
    type: 'message',
    channel_type: 'im',
    channel: 'D0IM00001',
    user: 'U0ANA0001',
    text: 'hi',
    ts: '1.000300',
  };
  const waits: number[] = [];
  const wait = async (ms: number) => {
    waits.push(ms);
    now += ms;
  };
  beforeEach(() => {
    waits.length = 0;
  });

  it('sends an event once when the app acknowledges it, signed', async () => {
    const app = await appServer(async () => ({ status: 200 }));
    try {
      const d = await sim.deliverEvent(app.url, dm, 'Ev0DELIV1', { wait });
      expect(d.acknowledged).toBe(true);
      expect(d.attempts.map((a) => [a.retryNum, a.status, a.failure])).toEqual([[0, 200, null]]);
      expect(verify(app.seen[0]!.headers, app.seen[0]!.body)).toBe(true);
      expect(app.seen[0]!.headers['x-slack-retry-num']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('retries a failed event immediately, after one and five minutes, each signed when sent, then gives up', async () => {
    const app = await appServer(async () => ({ status: 500 }));
    try {
      const d = await sim.deliverEvent(app.url, dm, 'Ev0DELIV2', { wait });
      expect(d.acknowledged).toBe(false);
      expect(d.attempts.map((a) => [a.retryNum, a.failure])).toEqual([
        [0, 'http_error'],
        [1, 'http_error'],
        [2, 'http_error'],
        [3, 'http_error'],
      ]);
      expect(waits).toEqual([0, 60_000, 300_000]);
      expect(app.seen.map((s) => [s.headers['x-slack-retry-num'], s.headers['x-slack-retry-reason']])).toEqual([
        [undefined, undefined],
        ['1', 'http_error'],
        ['2', 'http_error'],
        ['3', 'http_error'],
      ]);
      // The same event each time, signed afresh: the last retry is six minutes younger than the first.
      expect(new Set(app.seen.map((s) => JSON.parse(s.body).event_id))).toEqual(new Set(['Ev0DELIV2']));
      expect(app.seen.every((s) => verify(s.headers, s.body))).toBe(true);
      const stamps = app.seen.map((s) => Number(s.headers['x-slack-request-timestamp']));
      expect(stamps[3]! - stamps[0]!).toBe(360);
    } finally {
      await app.close();
    }
  });

  it('stops retrying when the failing answer says X-Slack-No-Retry: 1', async () => {
    const app = await appServer(async () => ({ status: 503, headers: { 'x-slack-no-retry': '1' } }));
    try {
      const d = await sim.deliverEvent(app.url, dm, 'Ev0DELIV3', { wait });
      expect(d.attempts.map((a) => a.failure)).toEqual(['http_error']);
    } finally {
      await app.close();
    }
  });

  it('does not wait for a slow app: the retry arrives while the first request is still being answered', async () => {
    let release = (): void => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The first answer comes only once the retry has arrived (no clock in the test: the order proves it).
    const app = await appServer(async (_s, n) => {
      if (n === 1) await held;
      else release();
      return { status: 200 };
    });
    try {
      const d = await sim.deliverEvent(app.url, dm, 'Ev0DELIV4', { wait, ackMs: 50 });
      expect(d.attempts.map((a) => [a.retryNum, a.status, a.failure])).toEqual([
        [0, 200, 'http_timeout'],
        [1, 200, null],
      ]);
      expect(app.seen[1]!.headers['x-slack-retry-reason']).toBe('http_timeout');
      expect(d.acknowledged).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('counts an app it cannot reach as connection_failed, and never retries an interaction', async () => {
    const app = await appServer(async () => ({ status: 500 }));
    const url = app.url;
    const posted = await call('chat.postMessage', {
      channel: 'C0OPS0001',
      text: 'Approve?',
      blocks: JSON.stringify([{ type: 'actions', elements: [button('Approve', 'baton.approve', 'd-1')] }]),
    });
    const click = await sim.deliverInteraction(url, {
      user: 'U0ANA0001',
      channel: 'C0OPS0001',
      ts: String(posted.body.ts),
      actionId: 'baton.approve',
    });
    expect(click.attempts.map((a) => a.failure)).toEqual(['http_error']);
    await app.close();
    const gone = await sim.deliverEvent(url, dm, 'Ev0DELIV5', { wait });
    expect(gone.attempts.map((a) => a.failure)).toEqual([
      'connection_failed',
      'connection_failed',
      'connection_failed',
      'connection_failed',
    ]);
  });
});
