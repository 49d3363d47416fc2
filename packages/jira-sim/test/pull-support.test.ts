import { afterEach, describe, expect, it } from 'vitest';
import { adfFromText, startJiraSim, supportDeskSeed } from '../src/index.ts';
import type { JiraSim } from '../src/index.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0);
let sim: JiraSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const basic = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;

describe('what a script pulling history needs from the sim', () => {
  it("lets in Jira Cloud's basic auth (email:API token) and refuses a wrong token with 401", async () => {
    sim = await startJiraSim({
      seed: supportDeskSeed(NOW),
      clock: () => NOW,
      auth: { basic: { 'a@x.com:tok': 'agent-1' } },
    });
    const ok = await fetch(`${sim.url}/rest/api/3/myself`, { headers: { authorization: basic('a@x.com:tok') } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { accountId: string }).accountId).toBe('agent-1');
    const bad = await fetch(`${sim.url}/rest/api/3/myself`, { headers: { authorization: basic('a@x.com:nope') } });
    expect(bad.status).toBe(401);
  });

  it('embeds at most limits.embeddedComments comments in an issue, with the total of all', async () => {
    sim = await startJiraSim({ seed: supportDeskSeed(NOW), clock: () => NOW, limits: { embeddedComments: 1 } });
    for (const text of ['first', 'second', 'third']) sim.store.addComment('SUP-1', adfFromText(text), sim.store.me);
    const withComments = sim.store.get('SUP-1');
    expect(withComments.comments.length).toBeGreaterThan(1);
    const res = await fetch(`${sim.url}/rest/api/3/issue/${withComments.key}?fields=comment`);
    const body = (await res.json()) as { fields: { comment: { comments: unknown[]; total: number } } };
    expect(body.fields.comment.comments).toHaveLength(1);
    expect(body.fields.comment.total).toBe(withComments.comments.length);
  });

  it("plays Jira Cloud's burst rate limit per endpoint and method, with its headers", async () => {
    let now = Date.UTC(2026, 10, 23, 12, 0, 0, 500);
    sim = await startJiraSim({
      seed: supportDeskSeed(NOW),
      clock: () => now,
      rateLimit: { limit: 5, windowMs: 10_000 },
    });
    const myself = () => fetch(`${sim!.url}/rest/api/3/myself`);
    const seen: [number, string | null, string | null][] = [];
    for (let i = 0; i < 6; i++) {
      const r = await myself();
      seen.push([r.status, r.headers.get('x-ratelimit-remaining'), r.headers.get('x-ratelimit-nearlimit')]);
    }
    // Less than 20 % of 5 left (0) is near the limit; the sixth is over it.
    expect(seen).toEqual([
      [200, '4', null],
      [200, '3', null],
      [200, '2', null],
      [200, '1', null],
      [200, '0', 'true'],
      [429, '0', 'true'],
    ]);
    const over = await myself();
    expect(over.headers.get('x-ratelimit-limit')).toBe('5');
    expect(over.headers.get('retry-after')).toBe('10');
    expect(over.headers.get('x-ratelimit-reset')).toBe('2026-11-23T12:00Z');
    expect(over.headers.get('ratelimit-reason')).toBe('jira-burst-based');
    // Another endpoint (issue keys are one endpoint) has its own budget; the next window a new one.
    const a = await fetch(`${sim.url}/rest/api/3/issue/SUP-1`);
    const b = await fetch(`${sim.url}/rest/api/3/issue/SUP-2`);
    expect([a.status, a.headers.get('x-ratelimit-remaining'), b.headers.get('x-ratelimit-remaining')]).toEqual([
      200,
      '4',
      '3',
    ]);
    now += 10_000;
    expect((await myself()).status).toBe(200);
  });

  it('names the wait of a 429 in Beta-Retry-After when asked to, as the points-based quota does', async () => {
    sim = await startJiraSim({
      seed: supportDeskSeed(NOW),
      clock: () => NOW,
      rateLimit: { limit: 1, windowMs: 60_000, retryHeader: 'beta-retry-after' },
    });
    await fetch(`${sim.url}/rest/api/3/myself`);
    const over = await fetch(`${sim.url}/rest/api/3/myself`);
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBeNull();
    expect(over.headers.get('beta-retry-after')).toBe('60');
  });
});
