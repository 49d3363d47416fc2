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
});
