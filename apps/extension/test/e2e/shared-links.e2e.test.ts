import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_DIR } from '../global-setup.ts';
import { SESSION, prepareTestBuild, startHarness } from './harness.ts';
import type { Harness } from './harness.ts';
import { overlayProbe } from './overlay-probe.ts';

// A link between a thread and an issue is Jira's, not one browser's: rep A links the Gmail thread to
// SUP-5 in one browser profile; Jira holds it as a remote link (visible through its REST API); rep B,
// in a second profile with nothing stored, opens the same thread and Baton shows SUP-5.

const THREAD_WITH_KEY = '#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB';
const GLOBAL_ID = 'baton:gmail:18c4a2b7d9e1f305';

let a: Harness;
let b: Harness;
const dirs: string[] = [];

beforeAll(async () => {
  dirs.push(prepareTestBuild(CHROME_DIR), prepareTestBuild(CHROME_DIR));
  a = await startHarness(dirs[0]!);
  b = await startHarness(dirs[1]!, { sim: a.sim });
  await (await a.configureJira()).close();
  await (await b.configureJira()).close();
});

afterAll(async () => {
  await b?.close();
  await a?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('shared links (Jira remote links)', () => {
  it('a link made in one browser is a remote link in Jira and is found by a second browser profile', async () => {
    const pageA = await a.newPage();
    await pageA.goto(a.pages.gmailUrl(THREAD_WITH_KEY));
    const oa = await overlayProbe(pageA);
    await oa.click('[data-role="launcher"]');
    // The subject names SUP-2; the rep links the thread to SUP-5 instead.
    await oa.waitFor('[data-role="packet"][data-key="SUP-2"]');
    await oa.click('[data-role="change-case"] > summary');
    await oa.fill('input[name="issue-key"]', 'SUP-5');
    await oa.click('form[data-role="manual-link"] button');
    await oa.waitFor('.notice', { hasText: 'Linked to SUP-5 for everyone' });
    await oa.waitFor('[data-role="packet"][data-key="SUP-5"]');

    // Jira's REST API shows the link on SUP-5, under the thread's global id.
    const res = await fetch(
      `${a.sim.url}/rest/api/3/issue/SUP-5/remotelink?globalId=${encodeURIComponent(GLOBAL_ID)}`,
      {
        headers: { cookie: `tenant.session.token=${SESSION}` },
      },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      globalId: GLOBAL_ID,
      object: { title: 'Re: Invoice PDF shows the wrong VAT rate [SUP-2]', url: a.pages.gmailUrl(THREAD_WITH_KEY) },
      application: { name: 'Baton' },
    });
    const post = a.sim.requestsTo('/rest/api/3/issue/SUP-5/remotelink', 'POST').at(-1)!;
    expect(post).toMatchObject({ actor: 'u-ada', status: 201 });
    expect(post.headers['x-atlassian-token']).toBe('no-check');

    // Rep B: another profile, nothing stored on its device.
    const pageB = await b.newPage();
    await pageB.goto(b.pages.gmailUrl(THREAD_WITH_KEY));
    const ob = await overlayProbe(pageB);
    await ob.click('[data-role="launcher"]');
    await ob.waitFor('[data-role="packet"][data-key="SUP-5"]');
    expect(await ob.count('[data-role="packet"][data-key="SUP-2"]')).toBe(0);
    const stored = await b.worker.evaluate(async () =>
      JSON.stringify(
        await (
          globalThis as unknown as { chrome: { storage: { local: { get(k: null): Promise<unknown> } } } }
        ).chrome.storage.local.get(null),
      ),
    );
    expect(stored).not.toContain('SUP-5');
    await pageA.close();
    await pageB.close();
  });
});
