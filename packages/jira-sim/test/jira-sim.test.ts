import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startJiraSim, supportDeskSeed } from '../src/index.ts';
import type { JiraSim, JiraSimOptions } from '../src/index.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0);
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')) as Record<string, unknown>;

let sim: JiraSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(extra: Partial<JiraSimOptions> = {}): Promise<JiraSim> {
  let now = NOW;
  sim = await startJiraSim({ seed: supportDeskSeed(NOW), clock: () => now++, ...extra });
  return sim;
}

async function call(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${(sim as JiraSim).url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json: json as Record<string, unknown> & unknown[] };
}

const search = (body: Record<string, unknown>) => call('/rest/api/3/search/jql', { method: 'POST', body });

describe('search/jql', () => {
  it('pages with nextPageToken and never reports a total', async () => {
    await start();
    const first = await search({ jql: 'project = SUP ORDER BY key ASC', maxResults: 2, fields: ['summary', 'status'] });
    expect(first.status).toBe(200);
    expect(first.json).not.toHaveProperty('total');
    expect(first.json.isLast).toBe(false);
    const keys = (first.json.issues as { key: string }[]).map((i) => i.key);
    expect(keys).toEqual(['SUP-1', 'SUP-2']);
    const all = [...keys];
    let token = first.json.nextPageToken as string | undefined;
    while (token) {
      const page = await search({
        jql: 'project = SUP ORDER BY key ASC',
        maxResults: 2,
        fields: ['summary'],
        nextPageToken: token,
      });
      all.push(...(page.json.issues as { key: string }[]).map((i) => i.key));
      token = page.json.nextPageToken as string | undefined;
    }
    expect(all).toEqual(['SUP-1', 'SUP-2', 'SUP-3', 'SUP-4', 'SUP-5']);
  });

  it('pages by key with `key > "SUP-2"` (same project, by number) and caps a page at 5,000 keys or 100 with fields', async () => {
    await start();
    const keys = async (jql: string, extra: Record<string, unknown> = {}) =>
      ((await search({ jql, fields: ['key'], ...extra })).json.issues as { key: string }[]).map((i) => i.key);
    expect(await keys('project = SUP AND key > "SUP-2" ORDER BY key ASC')).toEqual(['SUP-3', 'SUP-4', 'SUP-5']);
    expect(await keys('project = SUP AND issuekey <= "SUP-2" ORDER BY key ASC')).toEqual(['SUP-1', 'SUP-2']);
    // An issue key of another project matches nothing here.
    expect(await keys('project = SUP AND key > "OPS-1"')).toEqual([]);
    const bad = await search({ jql: 'project = SUP AND key > "not a key"' });
    expect(bad.status).toBe(400);
    // maxResults above Jira's caps is cut to them, not refused.
    const big = await search({ jql: 'project = SUP ORDER BY key ASC', fields: ['key'], maxResults: 9_999 });
    expect(big.status).toBe(200);
    const withFields = await search({ jql: 'project = SUP', fields: ['summary'], maxResults: 500, properties: [] });
    expect((withFields.json.issues as unknown[]).length).toBe(5);
  });

  it('counts a bounded query with approximate-count and refuses an unbounded one', async () => {
    await start();
    const count = (jql: string) => call('/rest/api/3/search/approximate-count', { method: 'POST', body: { jql } });
    expect((await count('project = SUP AND statusCategory != Done')).json).toEqual({ count: 4 });
    expect((await count('project = SUP AND assignee = u-linus')).json).toEqual({ count: 1 });
    const unbounded = await count('ORDER BY key');
    expect(unbounded.status).toBe(400);
  });

  it('returns only ids unless fields are asked for, as the enhanced search does', async () => {
    await start();
    const r = await search({ jql: 'key = SUP-2' });
    expect(r.json.issues).toEqual([expect.objectContaining({ id: expect.any(String), key: 'SUP-2' })]);
    expect((r.json.issues as object[])[0]).not.toHaveProperty('fields');
  });

  it('filters by status, assignee, statusCategory, updated and key in', async () => {
    await start();
    const keys = async (jql: string) =>
      ((await search({ jql, fields: ['status'] })).json.issues as { key: string }[]).map((i) => i.key).sort();
    expect(await keys('project = SUP AND status = "In Progress"')).toEqual(['SUP-2', 'SUP-4']);
    expect(await keys('project = SUP AND assignee is EMPTY')).toEqual(['SUP-1']);
    expect(await keys('project = SUP AND statusCategory != Done AND assignee in (u-grace, u-linus)')).toEqual([
      'SUP-3',
      'SUP-4',
    ]);
    expect(await keys('project = SUP AND updated >= "2026-11-23 05:00"')).toEqual(['SUP-1', 'SUP-2']);
    expect(await keys('key in (SUP-1, SUP-5) OR labels = sso')).toEqual(['SUP-1', 'SUP-4', 'SUP-5']);
    expect(await keys('project = SUP AND updated >= -7h')).toEqual(['SUP-1', 'SUP-2']);
  });

  it('answers bad JQL with Jira-shaped 400s', async () => {
    await start();
    const unbounded = await search({ jql: 'ORDER BY updated DESC' });
    expect(unbounded.status).toBe(400);
    expect(unbounded.json).toEqual({ errorMessages: [expect.stringContaining('Unbounded JQL')], errors: {} });
    const badField = await search({ jql: 'projcet = SUP' });
    expect(badField.status).toBe(400);
    expect(badField.json.errorMessages).toEqual([expect.stringContaining("Field 'projcet' does not exist")]);
    const badToken = await search({ jql: 'project = SUP', nextPageToken: 'nope' });
    expect(badToken.status).toBe(400);
  });

  it('sees writes only after the configured delay (eventual consistency)', async () => {
    let now = NOW;
    sim = await startJiraSim({
      seed: supportDeskSeed(NOW),
      clock: () => now,
      consistency: { indexDelayMs: 5_000, indexAfterSearches: 1 },
    });
    expect(
      (await call('/rest/api/3/issue/SUP-1/assignee', { method: 'PUT', body: { accountId: 'u-ada' } })).status,
    ).toBe(204);
    // The issue itself is consistent at once...
    const direct = await call('/rest/api/3/issue/SUP-1?fields=assignee');
    expect((direct.json.fields as { assignee: { accountId: string } }).assignee.accountId).toBe('u-ada');
    // ...search is not, until the delay has passed.
    const stale = await search({ jql: 'assignee = u-ada AND project = SUP', fields: ['assignee'] });
    expect((stale.json.issues as { key: string }[]).map((i) => i.key)).not.toContain('SUP-1');
    now += 5_000;
    const fresh = await search({ jql: 'assignee = u-ada AND project = SUP', fields: ['assignee'] });
    expect((fresh.json.issues as { key: string }[]).map((i) => i.key)).toContain('SUP-1');
  });
});

describe('issues', () => {
  it('answers GET issue?expand=changelog in the recorded shape, most recent history first', async () => {
    await start();
    const r = await call('/rest/api/3/issue/SUP-4?expand=changelog');
    const recorded = fixture('go-jira-issue-changelog.json');
    for (const key of Object.keys(recorded)) expect(r.json).toHaveProperty(key);
    const histories = (r.json.changelog as { histories: { created: string; items: object[]; author: object }[] })
      .histories;
    const recordedHistory = (recorded.changelog as { histories: Record<string, unknown>[] }).histories[0] as Record<
      string,
      unknown
    >;
    for (const key of Object.keys(recordedHistory)) expect(histories[0]).toHaveProperty(key);
    expect(histories.map((h) => h.created)).toEqual([...histories.map((h) => h.created)].sort().reverse());
    expect(histories[0]?.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const fields = r.json.fields as Record<string, unknown>;
    for (const key of Object.keys(fixture('jira-cli-issue.json').fields as object)) {
      if (key !== 'issuelinks' && key !== 'watches') expect(fields).toHaveProperty(key);
    }
  });

  it('404s an unknown issue with Jira wording', async () => {
    await start();
    const r = await call('/rest/api/3/issue/SUP-999');
    expect(r.status).toBe(404);
    expect(r.json).toEqual({
      errorMessages: ['Issue does not exist or you do not have permission to see it.'],
      errors: {},
    });
  });

  it('bulk-fetches changelogs with a field filter and pagination', async () => {
    await start();
    const body = { issueIdsOrKeys: ['SUP-2', 'SUP-3', 'SUP-4'], fieldIds: ['status'], maxResults: 2 };
    const first = await call('/rest/api/3/changelog/bulkfetch', { method: 'POST', body });
    expect(first.status).toBe(200);
    expect(first.json.nextPageToken).toEqual(expect.any(String));
    const second = await call('/rest/api/3/changelog/bulkfetch', {
      method: 'POST',
      body: { ...body, nextPageToken: first.json.nextPageToken },
    });
    const items = [
      ...(first.json.issueChangeLogs as { changeHistories: { items: { field: string }[] }[] }[]),
      ...(second.json.issueChangeLogs as { changeHistories: { items: { field: string }[] }[] }[]),
    ]
      .flatMap((l) => l.changeHistories)
      .flatMap((h) => h.items);
    expect(items.map((i) => i.field)).toEqual(['status', 'status', 'status', 'status']);
    expect(second.json).not.toHaveProperty('nextPageToken');
  });
});

describe('writes', () => {
  it('assigns and records the change; refuses a user who cannot be assigned', async () => {
    await start();
    expect(
      (await call('/rest/api/3/issue/SUP-1/assignee', { method: 'PUT', body: { accountId: 'u-grace' } })).status,
    ).toBe(204);
    expect(sim?.store.get('SUP-1').assignee).toBe('u-grace');
    expect(sim?.store.changes.at(-1)).toMatchObject({ kind: 'assigned', issueKey: 'SUP-1', actor: 'app-baton' });
    const bad = await call('/rest/api/3/issue/SUP-1/assignee', { method: 'PUT', body: { accountId: 'u-cust' } });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ errorMessages: [], errors: { assignee: "User 'u-cust' cannot be assigned issues." } });
  });

  it('edits the due date with 204 and records it; 400 when the field is not on the edit screen, 404 for an unknown issue, faults honoured', async () => {
    await start();
    const ok = await call('/rest/api/3/issue/SUP-1', { method: 'PUT', body: { fields: { duedate: '2026-11-27' } } });
    expect(ok.status).toBe(204);
    expect(ok.json).toBeUndefined();
    expect(sim?.store.get('SUP-1').duedate).toBe('2026-11-27');
    expect(sim?.store.changes.at(-1)).toMatchObject({ kind: 'updated', issueKey: 'SUP-1', actor: 'app-baton' });
    expect(sim?.store.changes.at(-1)?.history?.items).toEqual([
      expect.objectContaining({ field: 'duedate', toString: '2026-11-27' }),
    ]);
    const badDate = await call('/rest/api/3/issue/SUP-1', {
      method: 'PUT',
      body: { fields: { duedate: '27/11/2026' } },
    });
    expect(badDate.status).toBe(400);
    expect(badDate.json).toEqual({ errorMessages: [], errors: { duedate: 'Error parsing date string: 27/11/2026' } });

    sim?.store.get('SUP-2').editableFields.splice(0); // a project whose edit screen lacks Due date
    const before = sim?.store.changes.length;
    const offScreen = await call('/rest/api/3/issue/SUP-2', {
      method: 'PUT',
      body: { fields: { duedate: '2026-11-27' } },
    });
    expect(offScreen.status).toBe(400);
    expect(offScreen.json).toEqual({
      errorMessages: [],
      errors: { duedate: "Field 'duedate' cannot be set. It is not on the appropriate screen, or unknown." },
    });
    expect(sim?.store.get('SUP-2').duedate).toBeNull();
    expect(sim?.store.changes.length).toBe(before);

    const missing = await call('/rest/api/3/issue/SUP-999', {
      method: 'PUT',
      body: { fields: { duedate: '2026-11-27' } },
    });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      errorMessages: ['Issue does not exist or you do not have permission to see it.'],
      errors: {},
    });

    sim?.fail({ status: 429, retryAfter: 2, method: 'PUT', path: '/rest/api/3/issue/SUP-1' });
    sim?.fail({ status: 503, method: 'PUT', path: '/rest/api/3/issue/SUP-1' });
    expect(
      (await call('/rest/api/3/issue/SUP-1', { method: 'PUT', body: { fields: { duedate: '2026-11-30' } } })).status,
    ).toBe(429);
    expect(
      (await call('/rest/api/3/issue/SUP-1', { method: 'PUT', body: { fields: { duedate: '2026-11-30' } } })).status,
    ).toBe(503);
    expect(sim?.store.get('SUP-1').duedate).toBe('2026-11-27');
    expect(
      (await call('/rest/api/3/issue/SUP-1', { method: 'PUT', body: { fields: { duedate: '2026-11-30' } } })).status,
    ).toBe(204);
    expect(sim?.store.get('SUP-1').duedate).toBe('2026-11-30');
  });

  it('edits priority (by id or name), labels and components with fields and update verbs; refuses bad values naming the field, changing nothing', async () => {
    await start();
    const put = (key: string, body: unknown) => call(`/rest/api/3/issue/${key}`, { method: 'PUT', body });
    expect((await put('SUP-1', { fields: { priority: { name: 'highest' } } })).status).toBe(204);
    expect(sim?.store.get('SUP-1').priority).toBe('Highest');
    expect(sim?.store.changes.at(-1)?.history?.items).toEqual([
      expect.objectContaining({ field: 'priority', from: '2', fromString: 'High', to: '1', toString: 'Highest' }),
    ]);
    expect((await put('SUP-1', { fields: { priority: { id: '4' } } })).status).toBe(204);
    expect((await call('/rest/api/3/issue/SUP-1?fields=priority')).json.fields).toMatchObject({
      priority: { id: '4', name: 'Low' },
    });

    expect(
      (await put('SUP-1', { update: { labels: [{ add: 'billing' }], components: [{ add: { name: 'Billing' } }] } }))
        .status,
    ).toBe(204);
    expect(sim?.store.get('SUP-1')).toMatchObject({ labels: ['login', 'billing'], components: ['Billing'] });
    expect(sim?.store.changes.at(-1)?.history?.items).toEqual([
      expect.objectContaining({ field: 'labels', fromString: 'login', toString: 'login billing' }),
      expect.objectContaining({
        field: 'Component',
        fieldId: 'components',
        from: null,
        to: '10000',
        toString: 'Billing',
      }),
    ]);
    expect((await call('/rest/api/3/issue/SUP-1?fields=components')).json.fields).toEqual({
      components: [expect.objectContaining({ id: '10000', name: 'Billing' })],
    });
    expect((await put('SUP-1', { update: { labels: [{ remove: 'login' }] } })).status).toBe(204);
    expect(sim?.store.get('SUP-1').labels).toEqual(['billing']);

    const before = sim?.store.changes.length;
    const bad = await put('SUP-1', {
      fields: { priority: { name: 'Urgent' } },
      update: { components: [{ add: { name: 'Payroll' } }], labels: [{ add: 'two words' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      errorMessages: [],
      errors: {
        priority: 'The priority selected is invalid.',
        components: "Component name 'Payroll' is not valid",
        labels: 'The label must not contain spaces.',
      },
    });
    sim?.store.get('SUP-2').editableFields.splice(0);
    const offScreen = await put('SUP-2', { fields: { priority: { name: 'High' } } });
    expect(offScreen.json).toEqual({
      errorMessages: [],
      errors: { priority: "Field 'priority' cannot be set. It is not on the appropriate screen, or unknown." },
    });
    expect(sim?.store.changes.length).toBe(before);
    expect(sim?.store.get('SUP-1')).toMatchObject({ priority: 'Low', labels: ['billing'], components: ['Billing'] });
  });

  it("answers editmeta with the fields on the issue's edit screen only, in Jira Cloud's shape, and PUT agrees with it", async () => {
    await start();
    const recorded = fixture('jira-to-matrix-editmeta.json') as { fields: Record<string, Record<string, unknown>> };
    const meta = await call('/rest/api/3/issue/SUP-1/editmeta');
    expect(meta.status).toBe(200);
    const fields = (meta.json as unknown as { fields: Record<string, Record<string, unknown>> }).fields;
    expect(Object.keys(fields).sort()).toEqual([
      'assignee',
      'components',
      'description',
      'duedate',
      'labels',
      'priority',
      'summary',
    ]);
    // Same keys per field as the recorded Jira answer, and the same verbs and schema for the fields both have.
    for (const id of ['duedate', 'labels', 'priority', 'summary']) {
      const want = recorded.fields[id] as Record<string, unknown>;
      expect(Object.keys(fields[id] as object).sort(), id).toEqual(
        Object.keys(want)
          .filter((k) => k !== 'allowedValues' || id === 'priority')
          .sort(),
      );
      expect(fields[id]?.operations, id).toEqual(want.operations);
      expect(fields[id]?.schema, id).toEqual(want.schema);
      expect(fields[id]?.required, id).toBe(want.required);
    }
    expect(fields.duedate).toMatchObject({ key: 'duedate', name: 'Due date' });
    expect((fields.components?.allowedValues as { name: string }[]).map((c) => c.name)).toEqual([
      'Billing',
      'Login',
      'Reports',
    ]);

    sim?.store.get('SUP-2').editableFields.splice(0, Infinity, 'summary', 'labels');
    const narrow = (await call('/rest/api/3/issue/SUP-2/editmeta')).json as unknown as {
      fields: Record<string, unknown>;
    };
    expect(Object.keys(narrow.fields).sort()).toEqual(['labels', 'summary']);
    const offScreen = await call('/rest/api/3/issue/SUP-2', {
      method: 'PUT',
      body: { fields: { duedate: '2026-11-27' } },
    });
    expect(offScreen.status).toBe(400);
    expect((await call('/rest/api/3/issue/SUP-999/editmeta')).status).toBe(404);
  });

  it('lists the site priorities as a page, highest first, the default marked; onlyDefault narrows to it', async () => {
    await start();
    const all = await call('/rest/api/3/priority/search');
    expect(all.status).toBe(200);
    expect(all.json).toMatchObject({ startAt: 0, total: 5, isLast: true });
    expect((all.json as unknown as { values: { name: string }[] }).values.map((p) => p.name)).toEqual([
      'Highest',
      'High',
      'Medium',
      'Low',
      'Lowest',
    ]);
    const def = await call('/rest/api/3/priority/search?onlyDefault=true');
    expect(def.json.values).toEqual([
      expect.objectContaining({
        id: '3',
        name: 'Medium',
        isDefault: true,
        self: expect.stringContaining('/rest/api/3/priority/3'),
      }),
    ]);
    const page = await call('/rest/api/3/priority/search?startAt=4&maxResults=2');
    expect(page.json).toMatchObject({
      startAt: 4,
      total: 5,
      isLast: true,
      values: [expect.objectContaining({ name: 'Lowest' })],
    });
  });

  it("lists every field (system, then the site's custom ones) in FieldDetails shape, and a project's components", async () => {
    await start({
      seed: {
        ...supportDeskSeed(NOW),
        fields: [
          {
            id: 'customfield_10010',
            name: 'Customer tier',
            custom: true,
            schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select' },
          },
        ],
      },
    });
    const fields = await call('/rest/api/3/field');
    expect(fields.status).toBe(200);
    const list = fields.json as unknown as Record<string, unknown>[];
    expect(list.find((f) => f.id === 'duedate')).toEqual({
      id: 'duedate',
      key: 'duedate',
      name: 'Due date',
      custom: false,
      orderable: true,
      navigable: true,
      searchable: true,
      clauseNames: ['due', 'duedate'],
      schema: { type: 'date', system: 'duedate' },
    });
    expect(list.find((f) => f.id === 'customfield_10010')).toMatchObject({
      key: 'customfield_10010',
      name: 'Customer tier',
      untranslatedName: 'Customer tier',
      custom: true,
      clauseNames: ['cf[10010]', 'Customer tier'],
      schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: 10010 },
    });
    expect(list.filter((f) => f.custom === false).map((f) => f.id)).toEqual(
      expect.arrayContaining(['assignee', 'reporter', 'priority', 'components', 'labels', 'fixVersions', 'versions']),
    );
    const components = await call('/rest/api/3/project/SUP/components');
    expect(components.status).toBe(200);
    expect(components.json).toEqual([
      expect.objectContaining({
        id: '10000',
        name: 'Billing',
        project: 'SUP',
        self: expect.stringContaining('/rest/api/3/component/10000'),
      }),
      expect.objectContaining({ id: '10001', name: 'Login' }),
      expect.objectContaining({ id: '10002', name: 'Reports' }),
    ]);
    expect((await call('/rest/api/3/project/NOPE/components')).status).toBe(404);
  });

  it('adds an ADF comment with properties and rejects a plain-string body', async () => {
    await start();
    const body = {
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Nudge' }] }],
    };
    const ok = await call('/rest/api/3/issue/SUP-3/comment', {
      method: 'POST',
      body: { body, properties: [{ key: 'baton', value: { decision: 'd-1' } }] },
    });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ id: expect.any(String), body, author: { accountId: 'app-baton' } });
    const listed = await call('/rest/api/3/issue/SUP-3/comment?expand=properties');
    expect((listed.json.comments as { properties?: unknown }[]).at(-1)?.properties).toEqual([
      { key: 'baton', value: { decision: 'd-1' } },
    ]);
    const bad = await call('/rest/api/3/issue/SUP-3/comment', { method: 'POST', body: { body: 'plain text' } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toHaveProperty('comment');
  });

  it('marks a comment internal (jsdPublic false) only when sd.public.comment says internal: true', async () => {
    await start();
    const body = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] };
    const internal = await call('/rest/api/3/issue/SUP-3/comment', {
      method: 'POST',
      body: { body, properties: [{ key: 'sd.public.comment', value: { internal: true } }] },
    });
    expect(internal.json).toMatchObject({ jsdPublic: false });
    const pub = await call('/rest/api/3/issue/SUP-3/comment', { method: 'POST', body: { body } });
    expect(pub.json).toMatchObject({ jsdPublic: true });
    const listed = await call('/rest/api/3/issue/SUP-3/comment');
    expect((listed.json.comments as { jsdPublic: boolean }[]).slice(-2).map((c) => c.jsdPublic)).toEqual([false, true]);
  });

  it('lists transitions in the recorded shape and applies one; rejects an invalid id', async () => {
    await start();
    const list = await call('/rest/api/3/issue/SUP-1/transitions');
    const recorded = (fixture('go-jira-issue-transitions.json').transitions as Record<string, unknown>[])[0] as Record<
      string,
      unknown
    >;
    const first = (list.json.transitions as Record<string, unknown>[])[0] as Record<string, unknown>;
    for (const key of Object.keys(recorded)) expect(first).toHaveProperty(key);
    for (const key of Object.keys(recorded.to as object)) expect(first.to).toHaveProperty(key);
    expect(
      (await call('/rest/api/3/issue/SUP-1/transitions', { method: 'POST', body: { transition: { id: '21' } } }))
        .status,
    ).toBe(204);
    expect(sim?.store.get('SUP-1').statusId).toBe('3');
    const bad = await call('/rest/api/3/issue/SUP-1/transitions', {
      method: 'POST',
      body: { transition: { id: '21' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errorMessages).toEqual(["Transition id '21' is not valid for this issue."]);
  });

  it('stores issue properties up to 32,768 characters', async () => {
    await start();
    expect((await call('/rest/api/3/issue/SUP-2/properties/baton.state')).status).toBe(404);
    expect(
      (await call('/rest/api/3/issue/SUP-2/properties/baton.state', { method: 'PUT', body: { v: 1 } })).status,
    ).toBe(201);
    expect(
      (await call('/rest/api/3/issue/SUP-2/properties/baton.state', { method: 'PUT', body: { v: 2 } })).status,
    ).toBe(200);
    expect((await call('/rest/api/3/issue/SUP-2/properties/baton.state')).json).toEqual({
      key: 'baton.state',
      value: { v: 2 },
    });
    const big = await call('/rest/api/3/issue/SUP-2/properties/baton.state', {
      method: 'PUT',
      body: { s: 'x'.repeat(32_768) },
    });
    expect(big.status).toBe(400);
    expect(big.json.errorMessages).toEqual([expect.stringContaining('32768')]);
  });
});

describe('users and metadata', () => {
  it('lists assignable active users, myself and statuses', async () => {
    await start();
    const users = await call('/rest/api/3/user/assignable/search?project=SUP&query=gr');
    expect((users.json as unknown as { accountId: string }[]).map((u) => u.accountId)).toEqual(['u-grace']);
    const all = await call('/rest/api/3/user/assignable/search?issueKey=SUP-1');
    expect((all.json as unknown as { accountId: string }[]).map((u) => u.accountId)).not.toContain('u-gone');
    expect((await call('/rest/api/3/myself')).json).toMatchObject({ accountId: 'app-baton', accountType: 'app' });
    const statuses = await call('/rest/api/3/status');
    expect(
      (statuses.json as unknown as { name: string; statusCategory: { key: string } }[]).map((s) => [
        s.name,
        s.statusCategory.key,
      ]),
    ).toContainEqual(['Waiting for customer', 'indeterminate']);
    expect((await call('/rest/api/3/nope')).status).toBe(404);
    expect((await call('/rest/api/3/user/assignable/search')).status).toBe(400);
  });

  it('renames a status as an admin does: same id and category, the issue shows the new name, the changelog the old', async () => {
    const s = await start();
    s.store.transition('SUP-1', '31', 'u-ada'); // To Do → Waiting for customer (10001)
    s.store.renameStatus('10001', 'Customer action');
    const statuses = (await call('/rest/api/3/status')).json as unknown as { id: string; name: string }[];
    expect(statuses.find((x) => x.id === '10001')?.name).toBe('Customer action');
    const issue = (await call('/rest/api/3/issue/SUP-1?expand=changelog')).json as unknown as {
      fields: { status: { id: string; name: string; statusCategory: { key: string } } };
      changelog: { histories: { items: { field: string; to: string; toString: string }[] }[] };
    };
    expect(issue.fields.status).toMatchObject({
      id: '10001',
      name: 'Customer action',
      statusCategory: { key: 'indeterminate' },
    });
    expect(issue.changelog.histories[0]?.items[0]).toMatchObject({ to: '10001', toString: 'Waiting for customer' });
    expect(() => s.store.renameStatus('10001', 'done')).toThrow(/already exists/);
    expect(() => s.store.renameStatus('99999', 'Parked')).toThrow(/does not exist/);
  });
});

describe('faults, auth, CORS and the request log', () => {
  it('answers 429 with Retry-After and 5xx when told to, then recovers', async () => {
    await start();
    sim?.fail({ status: 429, retryAfter: 3, path: '/rest/api/3/search' });
    sim?.fail({ status: 503, method: 'GET' });
    const limited = await search({ jql: 'project = SUP' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await call('/rest/api/3/myself')).status).toBe(503);
    expect((await call('/rest/api/3/myself')).status).toBe(200);
    expect((await search({ jql: 'project = SUP' })).status).toBe(200);
    expect(sim?.requestsTo('/rest/api/3/search/jql', 'POST').map((r) => r.status)).toEqual([429, 200]);
  });

  it('authenticates a cookie session and enforces the XSRF header on writes', async () => {
    await start({ auth: { sessions: { s3cret: 'u-ada' } } });
    expect((await call('/rest/api/3/myself')).status).toBe(401);
    const cookie = { cookie: 'tenant.session.token=s3cret' };
    expect((await call('/rest/api/3/myself', { headers: cookie })).json).toMatchObject({ accountId: 'u-ada' });
    const noXsrf = await call('/rest/api/3/issue/SUP-1/comment', {
      method: 'POST',
      headers: cookie,
      body: { body: { type: 'doc', version: 1, content: [] } },
    });
    expect(noXsrf.status).toBe(403);
    expect(noXsrf.json).toBe('XSRF check failed');
    const withXsrf = await call('/rest/api/3/issue/SUP-1/comment', {
      method: 'POST',
      headers: { ...cookie, 'x-atlassian-token': 'no-check' },
      body: { body: { type: 'doc', version: 1, content: [] } },
    });
    expect(withXsrf.status).toBe(201);
    expect(sim?.store.get('SUP-1').comments.at(-1)?.author).toBe('u-ada');
  });

  it('answers CORS preflights for allowed extension origins only', async () => {
    await start({ corsOrigins: [/^chrome-extension:\/\//] });
    const ok = await fetch(`${sim?.url}/rest/api/3/search/jql`, {
      method: 'OPTIONS',
      headers: { origin: 'chrome-extension://abc' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('chrome-extension://abc');
    expect(ok.headers.get('access-control-allow-headers')).toContain('X-Atlassian-Token');
    const denied = await fetch(`${sim?.url}/rest/api/3/search/jql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('remote issue links (the extension’s shared links)', () => {
  const link = (globalId: string, title = 'Gmail thread') => ({
    globalId,
    application: { type: 'baton.extension', name: 'Baton' },
    relationship: 'mentioned in',
    object: { url: 'https://mail.google.com/mail/u/0/#inbox/FMfcgz', title },
  });

  it('creates, updates by global id, lists, finds by JQL and deletes', async () => {
    await start();
    const created = await call('/rest/api/3/issue/SUP-2/remotelink', { method: 'POST', body: link('baton:gmail:t1') });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: expect.any(Number), self: expect.stringContaining('/remotelink/') });
    const updated = await call('/rest/api/3/issue/SUP-2/remotelink', {
      method: 'POST',
      body: link('baton:gmail:t1', 'Re: VAT'),
    });
    expect(updated.status).toBe(200);
    expect(updated.json.id).toBe(created.json.id);
    const listed = await call('/rest/api/3/issue/SUP-2/remotelink');
    expect(listed.json).toHaveLength(1);
    expect(listed.json[0]).toMatchObject({ globalId: 'baton:gmail:t1', object: { title: 'Re: VAT' } });
    const found = await search({
      jql: 'issue in issuesWithRemoteLinksByGlobalId("baton:gmail:t1")',
      fields: ['summary'],
    });
    expect((found.json.issues as { key: string }[]).map((i) => i.key)).toEqual(['SUP-2']);
    const del = await call(`/rest/api/3/issue/SUP-2/remotelink?globalId=${encodeURIComponent('baton:gmail:t1')}`, {
      method: 'DELETE',
    });
    expect(del.status).toBe(204);
    const gone = await search({ jql: 'issue in issuesWithRemoteLinksByGlobalId("baton:gmail:t1")' });
    expect(gone.json.issues).toEqual([]);
  });

  it('refuses a link without url or title, a global id over 255 characters, and a function without ids', async () => {
    await start();
    const noTitle = await call('/rest/api/3/issue/SUP-2/remotelink', {
      method: 'POST',
      body: { object: { url: 'https://x.example' } },
    });
    expect(noTitle.status).toBe(400);
    const long = await call('/rest/api/3/issue/SUP-2/remotelink', { method: 'POST', body: link('g'.repeat(256)) });
    expect(long.status).toBe(400);
    const empty = await search({ jql: 'issue in issuesWithRemoteLinksByGlobalId()' });
    expect(empty.status).toBe(400);
    expect((await call('/rest/api/3/issue/SUP-2/remotelink?globalId=none')).status).toBe(404);
  });
});
