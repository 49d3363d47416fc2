import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adfToText, parseJiraTime, seedFromRecorded, startJiraSim } from '../src/index.ts';
import type { JiraSim, RecordedSeedInput } from '../src/index.ts';

// The sim seeded from recorded Jira REST responses (see fixtures/SOURCE.md) serves them back through
// its endpoints: custom fields verbatim under `fields=` selection, names and schemas from a recorded
// editmeta, comments and changelog histories with their recorded ids and times, in v3 shape.

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')) as Record<string, unknown>;
const ISSUE = fixture('jira-to-matrix-issue.json');
const RECORDED_FIELDS = ISSUE.fields as Record<string, unknown>;
const APP = { accountId: 'app-baton', displayName: 'Baton' };

let sim: JiraSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(input: Partial<RecordedSeedInput> = {}): Promise<JiraSim> {
  sim = await startJiraSim({
    seed: seedFromRecorded({ me: APP, issues: [ISSUE], ...input }),
    clock: () => Date.UTC(2018, 11, 24, 12),
  });
  return sim;
}

async function get(path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${(sim as JiraSim).url}${path}`);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('seedFromRecorded: a recorded issue served by the sim', () => {
  it('serves custom fields selected by id with their recorded values, names and schemas from the recorded editmeta', async () => {
    await start({ fields: fixture('jira-to-matrix-editmeta.json') });
    const r = await get(
      '/rest/api/3/issue/BBCOM-1398?fields=summary,customfield_10019,customfield_10030&expand=names,schema',
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: '11442', key: 'BBCOM-1398' });
    expect(r.json.fields).toEqual({
      summary: RECORDED_FIELDS.summary,
      customfield_10019: '0|i006km:',
      customfield_10030: null,
    });
    // The editmeta knows summary and the rank field, not customfield_10030: names only for what it knows.
    expect(r.json.names).toEqual({ summary: 'Описание', customfield_10019: 'Rank' });
    expect((r.json.schema as Record<string, unknown>).customfield_10019).toEqual({
      type: 'any',
      custom: 'com.pyxis.greenhopper.jira:gh-lexo-rank',
      customId: 10019,
    });
    const plain = await get('/rest/api/3/issue/BBCOM-1398?fields=customfield_10019');
    expect(plain.json).not.toHaveProperty('names');
    expect(plain.json).not.toHaveProperty('schema');
  });

  it('*all and *navigable carry every recorded custom field unchanged; -customfield_N leaves one out', async () => {
    await start();
    const recordedCustom = Object.entries(RECORDED_FIELDS).filter(([k]) => k.startsWith('customfield_'));
    expect(recordedCustom.length).toBe(29);
    const all = (await get('/rest/api/3/issue/BBCOM-1398')).json.fields as Record<string, unknown>;
    for (const [id, value] of recordedCustom) expect(all[id], id).toEqual(value);
    const nav = (await get('/rest/api/3/issue/BBCOM-1398?fields=*navigable,-customfield_10019')).json.fields as Record<
      string,
      unknown
    >;
    expect(nav).not.toHaveProperty('customfield_10019');
    expect(nav.customfield_10015).toEqual(RECORDED_FIELDS.customfield_10015);
    // The recorded system fields the sim models come back in v3 shape.
    expect(all).toMatchObject({
      status: { id: '10257', name: 'К выполнению', statusCategory: { key: 'new' } },
      priority: { name: 'Highest' },
      assignee: {
        accountId: '5b912f5c8a96e82b9549361c',
        displayName: (RECORDED_FIELDS.assignee as { displayName: string }).displayName,
      },
      project: { id: '10105', key: 'BBCOM', name: 'Internal Development' },
      duedate: null,
    });
    expect(parseJiraTime(all.created as string)).toBe(parseJiraTime(RECORDED_FIELDS.created as string));
  });

  it('serves the recorded comments with their ids, authors and times, the v2 text bodies as ADF', async () => {
    await start();
    const recorded = (
      RECORDED_FIELDS.comment as { comments: { id: string; body: string; created: string; updated: string }[] }
    ).comments;
    const r = await get('/rest/api/3/issue/BBCOM-1398/comment');
    const comments = r.json.comments as {
      id: string;
      body: unknown;
      created: string;
      updated: string;
      author: { accountId: string };
    }[];
    expect(comments.map((c) => c.id)).toEqual(recorded.map((c) => c.id));
    expect(comments.map((c) => adfToText(c.body))).toEqual(recorded.map((c) => c.body));
    expect(comments.map((c) => parseJiraTime(c.updated))).toEqual(recorded.map((c) => parseJiraTime(c.updated)));
    expect(comments.every((c) => c.author.accountId === '5b912f5c8a96e82b9549361c')).toBe(true);
  });

  it('serves a recorded changelog (expand=changelog and changelog/bulkfetch) with its ids and the custom fieldtype', async () => {
    // go-jira's recorded expand=changelog response (one Rank change by a Server user known by name),
    // attached to the recorded issue: the sim has to keep both as recorded.
    const changelog = fixture('go-jira-issue-changelog.json').changelog;
    await start({ issues: [{ ...ISSUE, changelog }] });
    const r = await get('/rest/api/3/issue/BBCOM-1398?fields=customfield_10019&expand=changelog');
    expect(r.json.changelog).toMatchObject({
      total: 1,
      histories: [
        {
          id: '10002',
          author: { accountId: 'fred', displayName: 'Fred' },
          items: [{ field: 'Rank', fieldtype: 'custom', toString: 'Ranked higher' }],
        },
      ],
    });
    const bulk = await fetch(`${sim!.url}/rest/api/3/changelog/bulkfetch`, {
      method: 'POST',
      body: JSON.stringify({ issueIdsOrKeys: ['11442'] }),
    });
    const body = (await bulk.json()) as { issueChangeLogs: { issueId: string; changeHistories: { id: string }[] }[] };
    expect(body.issueChangeLogs).toEqual([
      { issueId: '11442', changeHistories: [expect.objectContaining({ id: '10002' })] },
    ]);
  });

  it('search/jql pages over recorded issues with nextPageToken and selects their custom fields', async () => {
    const second = {
      ...ISSUE,
      id: '11443',
      key: 'BBCOM-1399',
      fields: { ...RECORDED_FIELDS, customfield_10019: '0|i006kn:', comment: { comments: [] } },
    };
    await start({ issues: [ISSUE, second] });
    const search = async (body: Record<string, unknown>) =>
      (await (
        await fetch(`${sim!.url}/rest/api/3/search/jql`, { method: 'POST', body: JSON.stringify(body) })
      ).json()) as {
        issues: { key: string; fields: Record<string, unknown> }[];
        nextPageToken?: string;
      };
    const first = await search({
      jql: 'project = BBCOM ORDER BY key ASC',
      maxResults: 1,
      fields: ['customfield_10019'],
    });
    expect(first.issues).toEqual([
      expect.objectContaining({ key: 'BBCOM-1398', fields: { customfield_10019: '0|i006km:' } }),
    ]);
    const next = await search({
      jql: 'project = BBCOM ORDER BY key ASC',
      maxResults: 1,
      fields: ['customfield_10019'],
      nextPageToken: first.nextPageToken,
    });
    expect(next.issues).toEqual([
      expect.objectContaining({ key: 'BBCOM-1399', fields: { customfield_10019: '0|i006kn:' } }),
    ]);
    expect(next.nextPageToken).toBeUndefined();
  });

  it('names what a recording lacks: a status without its category, a payload without fields, a field list of another shape', () => {
    const cli = fixture('jira-cli-issue.json'); // status { name: 'To Do' } only
    expect(() => seedFromRecorded({ me: APP, issues: [cli] })).toThrow(
      /issues\[0\]\.fields\.status\.statusCategory is missing for 'To Do'; pass statusCategories/,
    );
    const seed = seedFromRecorded({ me: APP, issues: [cli], statusCategories: { 'To Do': 'new' } });
    expect(seed.projects.map((p) => p.key)).toEqual(['TEST']);
    expect(() => seedFromRecorded({ me: APP, issues: [{ key: 'X-1' }] })).toThrow(/issues\[0\]\.fields: /);
    expect(() => seedFromRecorded({ me: APP, issues: [], fields: { nope: true } })).toThrow(/fields\.fields: /);
  });
});
