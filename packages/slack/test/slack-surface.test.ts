import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvalFor, nudgeFor, questionFor, reportFor, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  await h.links.link('U0ANA0001', 'acc-ana');
  await h.links.link('U0LEE0001', 'acc-lee');
});
afterEach(() => h.close());

const dmsTo = (user: string) => {
  const im = h.sim.store.imWith(user);
  return im === undefined ? [] : h.sim.store.messagesIn(im);
};

describe('Slack surface: delivering core messages', () => {
  it('sends a stalled issue’s owner one DM with the context and On it / Blocked by… / Reassign', async () => {
    const r = await h.deliver(nudgeFor('acc-ana'));
    expect(r).toMatchObject({ ok: true, value: { surface: 'slack', repeated: false } });
    const [dm] = dmsTo('U0ANA0001');
    expect(dm?.text).toContain('SUP-7');
    const json = JSON.stringify(dm?.blocks);
    for (const s of [
      'baton.onIt',
      'baton.blocked',
      'baton.reassign',
      'Waiting for support',
      'resolution 75%',
      'https://acme.atlassian.net/browse/SUP-7',
    ])
      expect(json).toContain(s);
  });

  it('posts one DM per nudge under redelivery, sequential or concurrent', async () => {
    const m = nudgeFor('acc-ana');
    const first = await h.deliver(m);
    const again = await h.deliver(m);
    const racing = await Promise.all([
      h.deliver(nudgeFor('acc-lee')),
      h.deliver(nudgeFor('acc-lee')),
      h.deliver(nudgeFor('acc-lee')),
    ]);
    expect(first.ok && again.ok && again.value.repeated).toBe(true);
    expect(again.ok && first.ok && again.value.ref).toBe(first.ok ? first.value.ref : '');
    expect(dmsTo('U0ANA0001')).toHaveLength(1);
    expect(dmsTo('U0LEE0001')).toHaveLength(1);
    // The racers that lost were told to come back, not dropped: a redelivery then finds the post.
    const lost = racing.filter((r) => !r.ok);
    expect(lost.every((r) => !r.ok && r.issues[0]?.code === 'chat.retryLater')).toBe(true);
    expect(await h.deliver(nudgeFor('acc-lee'))).toMatchObject({ ok: true, value: { repeated: true } });
  });

  it('asks for a link instead of posting when the owner has no linked Slack user', async () => {
    const r = await h.deliver(nudgeFor('acc-nobody'));
    expect(r.ok ? 'posted' : r.issues[0]?.code).toBe('chat.unlinked');
    expect(h.sim.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('builds approval, question and report messages that pass Slack’s Block Kit checks', async () => {
    const results = [
      await h.deliver(approvalFor('acc-lee')),
      await h.deliver(questionFor('acc-ana')),
      await h.deliver(reportFor('C0OPS0001', '2026-12-07')),
    ];
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(h.sim.callsTo('chat.postMessage').map((c) => c.result.ok)).toEqual([true, true, true]);
    const approval = JSON.stringify(dmsTo('U0LEE0001')[0]?.blocks);
    expect(approval).toContain('baton.approve');
    expect(approval).toContain('"value":"wrong-owner"');
  });

  it('posts the daily report to its channel once per day', async () => {
    await h.deliver(reportFor('C0OPS0001', '2026-12-07'));
    h.clock.now += 3_600_000;
    await h.deliver(reportFor('C0OPS0001', '2026-12-07'));
    h.clock.now += 86_400_000;
    await h.deliver(reportFor('C0OPS0001', '2026-12-08'));
    expect(h.sim.store.messagesIn('C0OPS0001').map((m) => m.text.length > 0)).toEqual([true, true]);
    expect(h.sim.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('reports a channel the bot is not in as unreachable, and posts nothing', async () => {
    const r = await h.deliver(reportFor('C0RANDOM1', '2026-12-07'));
    expect(r.ok ? 'posted' : [r.issues[0]?.code, r.issues[0]?.message]).toEqual([
      'chat.unreachable',
      'Slack said not_in_channel',
    ]);
    expect(await h.kv.get('delivery:report:C0RANDOM1:2026-12-07')).toBeUndefined();
  });

  it('delays through a 429 storm, honouring each Retry-After, and loses nothing', async () => {
    h.sim.rateLimit({ method: 'chat.postMessage', times: 4, retryAfter: 2 });
    h.sim.rateLimit({ method: 'conversations.open', times: 1, retryAfter: 3 });
    const results = [];
    for (const m of [nudgeFor('acc-ana'), nudgeFor('acc-lee'), reportFor('C0OPS0001', '2026-12-07')])
      results.push(await h.deliver(m));
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(h.sleeps).toEqual([3000, 2000, 2000, 2000, 2000]);
    expect(h.sim.callsTo('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(4);
    expect([dmsTo('U0ANA0001').length, dmsTo('U0LEE0001').length, h.sim.store.messagesIn('C0OPS0001').length]).toEqual([
      1, 1, 1,
    ]);
  });

  it('hands a storm longer than its patience back to the queue, then delivers once when retried', async () => {
    h.sim.rateLimit({ method: 'chat.postMessage', times: 20, retryAfter: 10 });
    const m = nudgeFor('acc-ana');
    const first = await h.deliver(m);
    expect(first.ok ? 'posted' : [first.issues[0]?.code, first.issues[0]?.retryAfterMs]).toEqual([
      'chat.retryLater',
      10_000,
    ]);
    expect(dmsTo('U0ANA0001')).toHaveLength(0);
    // The queue retries until the storm passes; each retry waits its share.
    let r = first;
    for (let i = 0; i < 10 && !r.ok; i++) r = await h.deliver(m);
    expect(r.ok).toBe(true);
    expect(dmsTo('U0ANA0001')).toHaveLength(1);
  });

  it('settles a delivered message: the buttons give way to the outcome', async () => {
    const r = await h.deliver(approvalFor('acc-lee'));
    if (!r.ok) throw new Error('delivery failed');
    h.clock.now += 1000;
    expect((await h.surface.settle(r.value, 'Approved by Lee')).ok).toBe(true);
    const [dm] = dmsTo('U0LEE0001');
    expect(dm?.text).toBe('Approved by Lee');
    expect(JSON.stringify(dm?.blocks)).not.toContain('baton.approve');
  });

  it('tells one person a line beside a delivered message, ephemerally; a stranger to the DM is refused', async () => {
    const r = await h.deliver(approvalFor('acc-lee'));
    if (!r.ok) throw new Error('delivery failed');
    expect((await h.surface.tell(r.value, 'U0LEE0001', 'You lack ASSIGN_ISSUES on SUP-7')).ok).toBe(true);
    const stranger = await h.surface.tell(r.value, 'U0ANA0001', 'x');
    expect(stranger.ok ? 'shown' : stranger.issues[0]?.code).toBe('chat.rejected');
    expect(h.sim.store.ephemerals.map((e) => [e.user, e.text])).toEqual([
      ['U0LEE0001', 'You lack ASSIGN_ISSUES on SUP-7'],
    ]);
    expect(dmsTo('U0LEE0001')).toHaveLength(1);
  });

  it('escapes Slack control sequences in ticket text', async () => {
    const m = { ...nudgeFor('acc-ana'), case: { caseId: 'SUP-9', title: 'Ping <!channel> & <@U0LEE0001>', url: null } };
    await h.deliver(m);
    const json = JSON.stringify(dmsTo('U0ANA0001')[0]?.blocks);
    expect(json).toContain('Ping &lt;!channel&gt; &amp; &lt;@U0LEE0001&gt;');
    expect(json).not.toContain('<!channel>');
  });

  it('refuses a malformed message by naming its field', async () => {
    const r = await h.surface.deliver({ ...nudgeFor('acc-ana'), text: '' });
    expect(r.ok ? 'ok' : r.issues[0]?.path).toEqual(['text']);
  });
});
