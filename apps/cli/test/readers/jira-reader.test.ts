import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readJira } from '../../src/readers/jira-reader.ts';
import { defineReadOptions } from '../../src/readers/read-options.ts';
import { readInputs } from '../../src/readers/read-inputs.ts';
import type { ReadItem } from '../../src/readers/types.ts';
import { FIXTURES, collect, tempFile } from './collect.ts';

const EXPORT = join(FIXTURES, 'jira-export', 'appcelerator-300.jsonl.gz');
const SEARCH = join(FIXTURES, 'jira', 'jira-cli-search.json');
const SERVER_ISSUE = join(FIXTURES, 'jira', 'jira-to-matrix-issue.json');
const options = defineReadOptions();

async function hintsOf(items: AsyncIterable<ReadItem>): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  for await (const item of items) if (item.type === 'hints') for (const [k, v] of item.hints) all.set(k, v);
  return all;
}

describe('readJira', () => {
  it('reads the Appcelerator export sample (JSONL, gzip): 300 issues, created + 925 comments', async () => {
    const r = await collect(readJira(EXPORT, options));
    expect(r.skips).toEqual([]);
    expect(r.cases).toHaveLength(300);
    expect(r.events).toBe(300 + 925);
    const first = r.cases[0];
    expect(first?.events[0]?.kind).toBe('created');
    expect(first?.attributes.project).toBe('TIMOB');
    const comments = r.cases.flatMap((c) => c.events.filter((e) => e.kind === 'comment'));
    expect(comments.every((e) => typeof e.text === 'string')).toBe(true);
    expect(r.progress.at(-1)?.bytesRead).toBe(r.progress.at(-1)?.bytesTotal);
  });

  it('reads a search response and reports status categories as hints', async () => {
    const r = await collect(readJira(SEARCH, options));
    expect(r.cases.map((c) => [c.id, c.state])).toEqual([
      ['TEST-1', 'To Do'],
      ['TEST-2', 'In Progress'],
      ['TEST-3', 'Done'],
    ]);
    expect(await hintsOf(readJira(SERVER_ISSUE, options))).toEqual(new Map([['К выполнению', 'new']]));
  });

  it('reads a JSON array of issues and a single issue', async () => {
    const issues = JSON.parse(readFileSync(SEARCH, 'utf8')).issues as unknown[];
    const array = await collect(readJira(tempFile('issues.json', JSON.stringify(issues)), options));
    expect(array.cases.map((c) => c.id)).toEqual(['TEST-1', 'TEST-2', 'TEST-3']);
    const single = await collect(readJira(SERVER_ISSUE, options));
    expect(single.cases.map((c) => c.id)).toEqual(['BBCOM-1398']);
  });

  it('skips a malformed line and an invalid issue by line, and the other issues are unchanged', async () => {
    const lines = gunzipSync(readFileSync(EXPORT)).toString('utf8').trimEnd().split('\n').slice(0, 20);
    const good = await collect(readJira(tempFile('good.jsonl', lines.join('\n')), options));
    const broken = [...lines];
    broken[4] = broken[4]!.slice(0, 200);
    const issue = JSON.parse(broken[9]!) as { key: string; fields: Record<string, unknown> };
    issue.fields.created = '12/Mar/15 4:05 PM';
    broken[9] = JSON.stringify(issue);
    const bad = await collect(readJira(tempFile('bad.jsonl', broken.join('\n')), options));
    expect(bad.skips.map((s) => [s.code, s.location.line])).toEqual([
      ['json.malformed', 5],
      ['jira.bad-timestamp', 10],
    ]);
    expect(bad.skips[1]?.location).toMatchObject({ record: issue.key, field: 'fields.created' });
    expect(bad.skips[1]?.message).toContain("'12/Mar/15 4:05 PM' is not a Jira timestamp");
    const strip = (cs: typeof good.cases) => cs.map((c) => ({ ...c, source: '' }));
    const skippedKeys = [JSON.parse(lines[4]!).key, issue.key];
    expect(strip(bad.cases)).toEqual(strip(good.cases.filter((c) => !skippedKeys.includes(c.id))));
  });

  it('names the line of malformed JSON in a document', async () => {
    const r = await collect(readJira(tempFile('bad.json', '{\n  "issues": [\n    {"key": "A-1",\n  ]\n}'), options));
    expect(r.cases).toEqual([]);
    expect(r.skips[0]?.code).toBe('json.malformed');
    expect(r.skips[0]?.location.line).toBe(4);
  });

  it('reports a truncated gzip export and keeps the complete lines before the cut', async () => {
    const gz = readFileSync(EXPORT);
    const cut = tempFile('cut.jsonl.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const r = await collect(readJira(cut, options));
    expect(r.skips.at(-1)?.code).toBe('file.truncated');
    expect(r.cases.length).toBeGreaterThan(50);
    expect(r.cases.length).toBeLessThan(300);
  });
});

describe('readInputs with a bulk changelog', () => {
  it('joins bulk changelog histories to issues by id, whatever the order of the inputs', async () => {
    // Histories for the real Server issue 11442, with the shape of POST /rest/api/3/changelog/bulkfetch.
    const bulk = {
      issueChangeLogs: [
        {
          issueId: '11442',
          changeHistories: [
            {
              id: '90001',
              author: { accountId: '5b912f5c8a96e82b9549361c' },
              created: '2018-12-06T09:00:00.000+0300',
              items: [
                {
                  field: 'status',
                  fieldId: 'status',
                  from: '10257',
                  fromString: 'Backlog',
                  to: '10257',
                  toString: 'К выполнению',
                },
              ],
            },
          ],
        },
      ],
      nextPageToken: null,
    };
    const changelog = tempFile('changelog.json.gz', gzipSync(JSON.stringify(bulk)));
    const r = await collect(readInputs([SERVER_ISSUE, changelog], options));
    expect(r.skips).toEqual([]);
    expect(r.cases).toHaveLength(1);
    const events = r.cases[0]!.events;
    expect(events[0]).toMatchObject({ kind: 'created', state: 'Backlog' });
    expect(events[1]).toMatchObject({ kind: 'status', from: 'Backlog', to: 'К выполнению', state: 'К выполнению' });
  });
});
