import { rmSync } from 'node:fs';
import { adfToText } from '@baton/jira-sim';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_DIR } from '../global-setup.ts';
import { SESSION, prepareTestBuild, startHarness } from './harness.ts';
import type { Harness } from './harness.ts';
import { overlayProbe } from './overlay-probe.ts';
import type { OverlayProbe } from './overlay-probe.ts';

// Search, create, transition and assign from the overlay, against the Jira stand-in with the rep's own
// session: Jira's shapes, its 400s naming the field, and its 429 with Retry-After.

const THREAD_WITH_KEY = '#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB';
const GLOBAL_ID = 'baton:gmail:18c4a2b7d9e1f305';

let h: Harness;
let extDir: string;
let page: Page;
let o: OverlayProbe;

beforeAll(async () => {
  extDir = prepareTestBuild(CHROME_DIR);
  h = await startHarness(extDir);
  await (await h.configureJira()).close();
  page = await h.newPage();
  await page.goto(h.pages.gmailUrl(THREAD_WITH_KEY));
  await page.waitForSelector('h2.hP');
  o = await overlayProbe(page);
  await o.click('[data-role="launcher"]');
  await o.waitFor('[data-role="packet"][data-key="SUP-2"]');
});

afterAll(async () => {
  await h?.close();
  if (extDir) rmSync(extDir, { recursive: true, force: true });
});

const statusOf = (key: string): string => {
  const issue = h.sim.store.get(key);
  return h.sim.store.statuses.get(issue.statusId)!.name;
};

describe('acting on Jira from the overlay', () => {
  it('searches Jira by words and by JQL; a bad query shows what Jira said', async () => {
    await o.click('[data-role="change-case"] > summary');
    await o.fill('input[name="jira-query"]', 'large reports');
    await o.click('form[data-role="search"] button');
    await o.waitFor('button.candidate[data-key="SUP-3"]');
    await o.fill('input[name="jira-query"]', 'project = SUP AND summary ~ "billing page"');
    await o.click('form[data-role="search"] button');
    await o.waitFor('button.candidate[data-key="SUP-5"]');
    expect(await o.text('.notice')).toBe('Jira found 1 issue: pick one.');
    await o.fill('input[name="jira-query"]', 'status = ');
    await o.click('form[data-role="search"] button');
    await o.waitFor('[role="alert"][data-code="jira-error"]');
    expect(h.sim.requestsTo('/rest/api/3/search/jql', 'POST').every((r) => r.actor === 'u-ada')).toBe(true);
  });

  it('moves the issue through a transition Jira offers and assigns it, waiting out a 429', async () => {
    await o.click('[data-action="acts-start"]');
    await o.waitFor('[data-action="transition"][value="31"]', { hasText: 'Wait for customer' });
    // Jira asks the rep's browser to slow down once: the client waits (Retry-After: 1) and tries again.
    h.sim.fail({ status: 429, retryAfter: 1, method: 'POST', path: '/rest/api/3/issue/SUP-2/transitions' });
    await o.click('[data-action="transition"][value="31"]');
    await o.waitFor('.notice', { hasText: 'Status changed: SUP-2.' });
    expect(statusOf('SUP-2')).toBe('Waiting for customer');
    await o.waitFor('[data-role="case-head"]', { hasText: 'Waiting for customer' });

    await o.click('[data-action="acts-start"]');
    await o.waitFor('select[name="assignee"] option[value="u-grace"]');
    await o.call('select[name="assignee"]', "(el) => { el.value = 'u-grace'; return true; }");
    await o.click('[data-action="assign"]');
    await o.waitFor('.notice', { hasText: 'Assigned: SUP-2.' });
    expect(h.sim.store.get('SUP-2').assignee).toBe('u-grace');
    await o.waitFor('[data-role="case-head"]', { hasText: 'Grace Hopper' });
    const writes = [
      ...h.sim.requestsTo('/rest/api/3/issue/SUP-2/transitions', 'POST'),
      ...h.sim.requestsTo('/rest/api/3/issue/SUP-2/assignee', 'PUT'),
    ];
    expect(writes.map((r) => [r.status, r.actor])).toEqual([
      [429, 'u-ada'],
      [204, 'u-ada'],
      [204, 'u-ada'],
    ]);
  });

  it('when Jira keeps refusing (429 twice), says so and changes nothing', async () => {
    await o.click('[data-action="acts-start"]');
    await o.waitFor('[data-action="transition"][value="21"]');
    h.sim.fail({ status: 429, retryAfter: 1, times: 2, method: 'POST', path: '/rest/api/3/issue/SUP-2/transitions' });
    await o.click('[data-action="transition"][value="21"]');
    await o.waitFor('[role="alert"][data-code="rate-limited"]', { hasText: 'Jira asks to slow down' });
    expect(statusOf('SUP-2')).toBe('Waiting for customer');
  });

  it('creates an issue from the email: prefilled, a bad project named by Jira, then created, logged and linked', async () => {
    const before = h.sim.store.issues.size;
    // Still unfolded from the search above (the panel keeps what the rep unfolded).
    expect(await o.attr('[data-role="change-case"]', 'open')).toBe('');
    await o.click('[data-action="create-start"]');
    await o.waitFor('form[data-role="create"]');
    expect(await o.call('input[name="create-project"]', '(el) => el.value')).toBe('SUP');
    expect(await o.call('input[name="create-summary"]', '(el) => el.value')).toBe(
      'Re: Invoice PDF shows the wrong VAT rate [SUP-2]',
    );
    await o.fill('input[name="create-project"]', 'NOPE');
    await o.click('[data-action="create-confirm"]');
    await o.waitFor('[role="alert"]', { hasText: 'Specify a valid project ID or key' });
    expect(h.sim.store.issues.size).toBe(before);

    await o.fill('input[name="create-project"]', 'SUP');
    await o.fill('input[name="create-summary"]', 'Credit note for the October invoice');
    await o.click('[data-action="create-confirm"]');
    await o.waitFor('.notice', { hasText: 'Created SUP-' });
    const key = /Created (SUP-\d+)/.exec((await o.text('.notice')) ?? '')![1]!;
    await o.waitFor(`[data-role="packet"][data-key="${key}"]`);
    const created = h.sim.store.get(key);
    expect(created).toMatchObject({ summary: 'Credit note for the October invoice', reporter: 'u-ada' });
    const [first] = created.comments;
    expect(adfToText(first!.body)).toContain('Any news? Month end is Friday.');
    expect(first!.properties.get('sd.public.comment')).toEqual({ internal: true });
    const link = await fetch(
      `${h.sim.url}/rest/api/3/issue/${key}/remotelink?globalId=${encodeURIComponent(GLOBAL_ID)}`,
      {
        headers: { cookie: `tenant.session.token=${SESSION}` },
      },
    );
    expect(link.status).toBe(200);
  });
});
