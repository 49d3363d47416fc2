import { afterEach, describe, expect, it } from 'vitest';
import { parseJiraTime, startJiraSim, supportDeskSeed } from '@baton/jira-sim';
import type { JiraSim } from '@baton/jira-sim';
import {
  JiraAuthError,
  JiraBadRequestError,
  JiraNotFoundError,
  JiraResponseShapeError,
  JiraServerError,
  RateLimitedError,
  createJiraClient,
  fetchFromBaseUrl,
} from '../src/index.ts';
import type { JiraClient } from '../src/index.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0);
let sim: JiraSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(): Promise<{ jira: JiraClient; sleeps: number[]; sim: JiraSim }> {
  sim = await startJiraSim({ seed: supportDeskSeed(NOW), clock: () => NOW });
  const sleeps: number[] = [];
  const jira = createJiraClient({
    fetch: fetchFromBaseUrl(sim.url),
    now: () => NOW,
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  });
  return { jira, sleeps, sim };
}

describe('createJiraClient against the sim', () => {
  it('creates an issue (POST /issue): the next key, searchable; a bad field is named, nothing created', async () => {
    const { jira, sim } = await setup();
    const doc = {
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'From Gmail' }] }],
    };
    const made = await jira.createIssue({
      project: 'SUP',
      issuetype: 'Task',
      summary: 'Invoice wrong',
      description: doc,
    });
    expect(made.key).toMatch(/^SUP-\d+$/);
    const issue = await jira.getIssue(made.key, { fields: ['summary', 'description', 'status'] });
    expect(issue.fields?.['summary']).toBe('Invoice wrong');
    const count = sim.store.issues.size;
    const bad = await jira.createIssue({ project: 'NOPE', issuetype: 'Saga', summary: ' ' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(JiraBadRequestError);
    expect((bad as JiraBadRequestError).errors).toEqual({
      project: 'Specify a valid project ID or key',
      issuetype: 'Specify a valid issue type',
      summary: 'You must specify a summary of the issue.',
    });
    expect(sim.store.issues.size).toBe(count);
  });

  it('writes a remote link by global id (twice is one link), finds its issue by JQL, and removes it', async () => {
    const { jira, sim } = await setup();
    const link = { globalId: 'baton:gmail:t1', url: 'https://mail.google.com/mail/u/0/#inbox/t1', title: 'Re: VAT' };
    const first = await jira.putRemoteLink('SUP-2', link);
    expect(await jira.putRemoteLink('SUP-2', { ...link, title: 'Re: VAT (2)' })).toEqual(first);
    const found = await jira.searchJql({
      jql: 'issue in issuesWithRemoteLinksByGlobalId("baton:gmail:t1")',
      fields: [],
    });
    expect(found.issues.map((i) => i.key)).toEqual(['SUP-2']);
    expect(sim.requestsTo('/rest/api/3/issue/SUP-2/remotelink', 'POST').map((r) => r.body)).toContainEqual({
      globalId: 'baton:gmail:t1',
      object: { url: link.url, title: 'Re: VAT (2)' },
    });
    await jira.deleteRemoteLink('SUP-2', 'baton:gmail:t1');
    await expect(jira.deleteRemoteLink('SUP-2', 'baton:gmail:t1')).rejects.toBeInstanceOf(JiraNotFoundError);
  });

  it('pages through search/jql until the last page', async () => {
    const { jira, sim } = await setup();
    const keys: string[] = [];
    for await (const i of jira.searchAll({ jql: 'project = SUP ORDER BY key ASC', fields: ['status'], maxResults: 2 }))
      keys.push(i.key ?? '');
    expect(keys).toEqual(['SUP-1', 'SUP-2', 'SUP-3', 'SUP-4', 'SUP-5']);
    expect(sim.requestsTo('/rest/api/3/search/jql')).toHaveLength(3);
  });

  it('reads an issue with its changelog and bulk changelogs by issue id', async () => {
    const { jira } = await setup();
    const issue = await jira.getIssue('SUP-4', { expand: 'changelog', fields: ['status', 'assignee'] });
    expect(issue.changelog?.histories).toHaveLength(3);
    const logs = await jira.bulkChangelogs(['SUP-2', 'SUP-4'], ['assignee']);
    expect([...logs.values()].map((h) => h.length).sort()).toEqual([1, 2]);
  });

  it('bulk changelogs with a page size: asks for it and follows nextPageToken to the last page, oldest first', async () => {
    const { jira, sim } = await setup();
    const id = sim.store.get('SUP-4').id;
    const logs = await jira.bulkChangelogs([id], undefined, { maxResults: 1 });
    expect(logs.get(id)?.map((h) => parseJiraTime(h.created))).toEqual(
      sim.store.get('SUP-4').histories.map((h) => h.created),
    );
    const calls = sim.requestsTo('/rest/api/3/changelog/bulkfetch');
    expect(calls).toHaveLength(3);
    expect(calls.map((c) => (c.body as { maxResults?: number }).maxResults)).toEqual([1, 1, 1]);
  });

  it('writes: assign, comment with properties, transition, issue property', async () => {
    const { jira, sim } = await setup();
    await jira.assignIssue('SUP-1', 'u-ada');
    const c = await jira.addComment(
      'SUP-1',
      { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hi' }] }] },
      { 'baton.decision': 'k1' },
    );
    expect(c.id).toEqual(expect.any(String));
    const comments = await jira.listComments('SUP-1', { withProperties: true });
    expect(comments.at(-1)?.properties).toEqual([{ key: 'baton.decision', value: 'k1' }]);
    const t = await jira.getTransitions('SUP-1');
    await jira.transitionIssue('SUP-1', t.find((x) => x.to.name === 'In Progress')?.id ?? '');
    expect(await jira.getIssueProperty('SUP-1', 'baton.state')).toBeUndefined();
    await jira.setIssueProperty('SUP-1', 'baton.state', { v: 1 });
    expect(await jira.getIssueProperty('SUP-1', 'baton.state')).toEqual({ v: 1 });
    expect(sim.store.get('SUP-1')).toMatchObject({ assignee: 'u-ada', statusId: '3' });
    // Every write carried the XSRF header a browser session needs.
    expect(
      sim.requests.filter((r) => r.method !== 'GET').every((r) => r.headers['x-atlassian-token'] === 'no-check'),
    ).toBe(true);
  });

  it('edits fields: the due date lands; off the edit screen is a JiraBadRequestError naming the field; 429 is retried', async () => {
    const { jira, sleeps, sim } = await setup();
    sim.fail({ status: 429, retryAfter: 1, method: 'PUT', path: '/rest/api/3/issue/SUP-1' });
    await jira.editIssue('SUP-1', { duedate: '2026-12-01' });
    expect(sim.store.get('SUP-1').duedate).toBe('2026-12-01');
    expect(sleeps).toEqual([1000]);
    expect(sim.requestsTo('/rest/api/3/issue/SUP-1', 'PUT').at(-1)?.body).toEqual({
      fields: { duedate: '2026-12-01' },
    });
    sim.store.get('SUP-2').editableFields = ['summary'];
    const bad = await jira.editIssue('SUP-2', { duedate: '2026-12-01' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(JiraBadRequestError);
    expect((bad as JiraBadRequestError).errors).toEqual({
      duedate: "Field 'duedate' cannot be set. It is not on the appropriate screen, or unknown.",
    });
    await expect(jira.editIssue('SUP-404', { duedate: '2026-12-01' })).rejects.toBeInstanceOf(JiraNotFoundError);
  });

  it('adds a label and a component with update verbs (nothing replaced) and sets a priority; reads the site priorities and the default one', async () => {
    const { jira, sim } = await setup();
    await jira.editIssue(
      'SUP-1',
      { priority: { name: 'Highest' } },
      { labels: [{ add: 'billing' }], components: [{ add: { name: 'Billing' } }] },
    );
    expect(sim.requestsTo('/rest/api/3/issue/SUP-1', 'PUT').at(-1)?.body).toEqual({
      fields: { priority: { name: 'Highest' } },
      update: { labels: [{ add: 'billing' }], components: [{ add: { name: 'Billing' } }] },
    });
    expect(sim.store.get('SUP-1')).toMatchObject({
      priority: 'Highest',
      labels: ['login', 'billing'],
      components: ['Billing'],
    });
    expect((await jira.priorities()).map((p) => p.name)).toEqual(['Highest', 'High', 'Medium', 'Low', 'Lowest']);
    expect(await jira.priorities({ onlyDefault: true })).toEqual([
      expect.objectContaining({ id: '3', name: 'Medium', isDefault: true }),
    ]);
  });

  it('reads users, myself and statuses', async () => {
    const { jira } = await setup();
    expect((await jira.assignableUsers({ project: 'SUP' })).map((u) => u.accountId)).toContain('u-grace');
    expect((await jira.myself()).accountId).toBe('app-baton');
    expect((await jira.projectStatuses('SUP')).map((s) => s.name)).toEqual([
      'To Do',
      'In Progress',
      'Waiting for customer',
      'Done',
    ]);
    expect((await jira.statuses()).length).toBe(4);
  });

  it('maps failures to one error family, keeping Jira messages', async () => {
    const { jira } = await setup();
    await expect(jira.getIssue('SUP-404')).rejects.toBeInstanceOf(JiraNotFoundError);
    const bad = await jira.assignIssue('SUP-1', 'u-cust').catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(JiraBadRequestError);
    expect((bad as JiraBadRequestError).errors).toEqual({ assignee: "User 'u-cust' cannot be assigned issues." });
    await expect(jira.addComment('SUP-1', 'plain')).rejects.toBeInstanceOf(JiraBadRequestError);
  });

  it('honours Retry-After on 429 and backs off on 5xx', async () => {
    const { jira, sleeps, sim } = await setup();
    sim.fail({ status: 429, retryAfter: 2 });
    sim.fail({ status: 502 });
    expect((await jira.myself()).accountId).toBe('app-baton');
    // second attempt: full jitter over 2 × baseDelayMs, random() = 0.5
    expect(sleeps).toEqual([2000, 500]);
  });

  it('reads the wait of a 429 from Beta-Retry-After, and from X-RateLimit-Reset when no Retry-After is sent', async () => {
    const { jira, sleeps, sim } = await setup();
    // The points-based quota names its wait in Beta-Retry-After; before, the client backed off ~250 ms instead.
    sim.fail({ status: 429, headers: { 'beta-retry-after': '3' } });
    expect((await jira.myself()).accountId).toBe('app-baton');
    expect(sleeps).toEqual([3000]);
    // Only the reset time (request time + the wait, in minutes: https://developer.atlassian.com/cloud/jira/platform/rate-limiting/);
    // 60 s is past the default maxRetryAfterMs (10 s): thrown with the wait, for the caller to resume later.
    sim.fail({
      status: 429,
      headers: { 'x-ratelimit-reset': `${new Date(NOW + 60_000).toISOString().slice(0, 16)}Z` },
    });
    const reset = await jira.myself().catch((x: unknown) => x);
    expect((reset as RateLimitedError).retryAfter).toBe(60);
    // Both: the longer wait satisfies both limits.
    sim.fail({ status: 429, retryAfter: 1, headers: { 'beta-retry-after': '4' } });
    expect((await jira.myself()).accountId).toBe('app-baton');
    expect(sleeps).toEqual([3000, 4000]);
  });

  it('gives up after maxRetries and on a Retry-After longer than the invocation can wait', async () => {
    const { jira, sim } = await setup();
    sim.fail({ status: 500, times: 10 });
    await expect(jira.myself()).rejects.toBeInstanceOf(JiraServerError);
    sim.clearFaults();
    sim.fail({ status: 429, retryAfter: 60 });
    const e = await jira.myself().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimitedError);
    expect((e as RateLimitedError).retryAfter).toBe(60);
  });

  it('never blindly retries a comment after a 5xx (it may have been created)', async () => {
    const { jira, sim } = await setup();
    sim.fail({ status: 503, path: '/rest/api/3/issue/SUP-1/comment' });
    await expect(jira.addComment('SUP-1', { type: 'doc', version: 1, content: [] })).rejects.toBeInstanceOf(
      JiraServerError,
    );
    expect(sim.requestsTo('/rest/api/3/issue/SUP-1/comment')).toHaveLength(1);
  });

  it('surfaces a failed XSRF/auth check as JiraAuthError with the cause kept on network errors', async () => {
    sim = await startJiraSim({ seed: supportDeskSeed(NOW), auth: { sessions: { s: 'u-ada' } } });
    const jira = createJiraClient({ fetch: fetchFromBaseUrl(sim.url), retry: { maxRetries: 0 } });
    await expect(jira.myself()).rejects.toBeInstanceOf(JiraAuthError);
    const down = createJiraClient({ fetch: fetchFromBaseUrl('http://127.0.0.1:1'), retry: { maxRetries: 0 } });
    const e = await down.myself().catch((x: unknown) => x);
    expect((e as Error).name).toBe('JiraNetworkError');
    expect((e as Error).cause).toBeDefined();
  });
});

describe('myPermissions', () => {
  it('reports what the caller may do, and 404s an unknown project', async () => {
    sim = await startJiraSim({ seed: supportDeskSeed(NOW), auth: { tokens: { grace: 'u-grace', carla: 'u-cust' } } });
    const as = (token: string) =>
      createJiraClient({ fetch: fetchFromBaseUrl(sim!.url, fetch, { headers: { authorization: `Bearer ${token}` } }) });
    expect(await as('grace').myPermissions('global', ['ADMINISTER'])).toEqual({ ADMINISTER: true });
    expect(await as('carla').myPermissions({ issueKey: 'SUP-1' }, ['BROWSE_PROJECTS'])).toEqual({
      BROWSE_PROJECTS: false,
    });
    await expect(as('grace').myPermissions({ projectKey: 'NOPE' }, ['BROWSE_PROJECTS'])).rejects.toBeInstanceOf(
      JiraNotFoundError,
    );
  });
});

describe('permissionsOn (POST /permissions/check)', () => {
  it("answers another account's permissions on an issue to the app, and refuses a person without Administer Jira", async () => {
    const seed = supportDeskSeed(NOW);
    sim = await startJiraSim({ seed, auth: { tokens: { app: seed.me, linus: 'u-linus', carla: 'u-cust' } } });
    const as = (token: string) =>
      createJiraClient({ fetch: fetchFromBaseUrl(sim!.url, fetch, { headers: { authorization: `Bearer ${token}` } }) });
    const id = sim.store.get('SUP-1').id;
    expect(await as('app').permissionsOn('u-grace', id, ['ASSIGN_ISSUES', 'ADMINISTER_PROJECTS'])).toEqual({
      ASSIGN_ISSUES: true,
      ADMINISTER_PROJECTS: true,
    });
    // A customer holds no project permission, so the app hears "none" for them.
    expect(await as('app').permissionsOn('u-cust', id, ['ASSIGN_ISSUES'])).toEqual({ ASSIGN_ISSUES: false });
    // An unknown issue id is ignored by Jira: nothing is granted on it.
    expect(await as('app').permissionsOn('u-grace', '999999', ['ASSIGN_ISSUES'])).toEqual({ ASSIGN_ISSUES: false });
    await expect(as('carla').permissionsOn('u-grace', id, ['ASSIGN_ISSUES'])).rejects.toMatchObject({ status: 403 });
  });
});

describe('createJiraClient on a response that is not what Jira sends', () => {
  const answering = (body: string) =>
    createJiraClient({ fetch: async () => ({ status: 200, headers: { get: () => null }, text: async () => body }) });

  it('names the field that does not fit, and how many more do not', async () => {
    const e = await answering(JSON.stringify({ key: 'SUP-1', fields: {} }))
      .getIssue('SUP-1')
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(JiraResponseShapeError);
    expect((e as Error).message).toMatch(
      /^GET \/rest\/api\/3\/issue\/SUP-1.*: unexpected response shape: at id: .*expected string/,
    );
    const page = await answering(JSON.stringify({ issues: [{ id: '1' }, { key: 'X' }, { key: 'Y' }] }))
      .searchJql({ jql: 'project = SUP' })
      .catch((x: unknown) => x);
    expect((page as Error).message).toMatch(/unexpected response shape: at issues\.1\.id: .* \(and 1 more\)$/);
  });

  it('says when the body is not JSON', async () => {
    const e = await answering('<html>maintenance</html>')
      .getIssue('SUP-1')
      .catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/response is not JSON$/);
  });
});

describe('users by account id (GET /user/bulk)', () => {
  it("reads every person past Jira's default page of 10, leaves unknown ids out, and refuses a call with no id", async () => {
    const seed = supportDeskSeed(NOW);
    const many = Array.from({ length: 12 }, (_, i) => ({ accountId: `u-${i}`, displayName: `Person ${i}` }));
    sim = await startJiraSim({ seed: { ...seed, users: [...seed.users, ...many] }, clock: () => NOW });
    const jira = createJiraClient({ fetch: fetchFromBaseUrl(sim.url) });
    const got = await jira.users([...many.map((u) => u.accountId), 'u-ada', 'u-nobody', 'u-0']);
    expect(got.map((u) => u.displayName)).toEqual([...many.map((u) => u.displayName), 'Ada Lovelace']);
    // The sim's own page: without maxResults, Jira answers 10 and says it is not the last page.
    const raw = await fetch(`${sim.url}/rest/api/3/user/bulk?${many.map((u) => `accountId=${u.accountId}`).join('&')}`);
    expect(await raw.json()).toMatchObject({ maxResults: 10, isLast: false, total: 12 });
    const none = await fetch(`${sim.url}/rest/api/3/user/bulk`);
    expect(none.status).toBe(400);
  });
});

describe('notify (POST /issue/{key}/notify) against the sim', () => {
  it('emails exactly the listed people who may browse the issue, once, with no other recipient', async () => {
    const { jira, sim } = await setup();
    await jira.notify('SUP-2', {
      subject: 'Daily report',
      textBody: 'SUP-2 is at risk',
      users: ['u-ada', 'u-grace', 'u-cust'],
      restrictToPermissions: ['BROWSE_PROJECTS'],
    });
    // The customer cannot browse the project: restricted out. The assignee (u-ada) is not added twice.
    expect(sim.store.notifications).toEqual([
      expect.objectContaining({
        issueKey: 'SUP-2',
        subject: 'Daily report',
        textBody: 'SUP-2 is at risk',
        to: ['u-ada', 'u-grace'],
      }),
    ]);
    const body = sim.requests.find((r) => r.path.endsWith('/notify'))?.body as { to: Record<string, unknown> };
    expect(body.to).toMatchObject({ reporter: false, assignee: false, watchers: false, voters: false });
  });

  it('refuses what Jira refuses: the caller itself, an unknown account, an unknown issue (nothing queued)', async () => {
    const { jira, sim } = await setup();
    const send = (key: string, users: string[]) =>
      jira.notify(key, { subject: 's', textBody: 't', users }).catch((e: unknown) => e);
    expect(await send('SUP-2', ['app-baton'])).toBeInstanceOf(JiraBadRequestError);
    expect(await send('SUP-2', ['u-nobody'])).toBeInstanceOf(JiraBadRequestError);
    expect(await send('SUP-999', ['u-ada'])).toBeInstanceOf(JiraNotFoundError);
    expect(sim.store.notifications).toEqual([]);
  });
});
