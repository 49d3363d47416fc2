import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkflowResolver, snapshotCase, type WaitingReason } from '@baton/core';
import {
  WAITING_KEPT,
  WaitingPropertySchema,
  classifyJiraDocument,
  mapIssue,
  withSaid,
  type MappedIssue,
} from '../src/index.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const load = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));

function mapped(raw: unknown, extra: Parameters<typeof mapIssue>[1] = { source: 'test' }): MappedIssue {
  const r = mapIssue(raw, extra);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

// A Jira Server issue whose changelog is made of the real change items of two webhook deliveries
// for the same kind of project (status To Do → In Progress; assignee set), at their real times.
function issueWithHistory(): Record<string, unknown> {
  const statusHook = load('jira-to-matrix/webhooks/issue/updated/status-changed.json') as {
    issue: Record<string, unknown>;
    changelog: { id: string; items: unknown[] };
    user: unknown;
  };
  const assignHook = load('jira-to-matrix/webhooks/issue/updated/issue-assigned.json') as {
    changelog: { id: string; items: unknown[] };
    user: unknown;
  };
  return {
    ...statusHook.issue,
    changelog: {
      total: 2,
      histories: [
        // listed newest first, as some exports do: the mapping orders by time
        {
          id: statusHook.changelog.id,
          author: statusHook.user,
          created: '2019-01-30T15:51:34.870+0300',
          items: statusHook.changelog.items,
        },
        {
          id: assignHook.changelog.id,
          author: assignHook.user,
          created: '2019-01-29T10:00:00.000+0300',
          items: assignHook.changelog.items,
        },
      ],
    },
  };
}

describe('mapIssue', () => {
  it('maps a Jira Server v2 issue with comments (jira-to-matrix): key, attributes, wiki text, offsets, hints', () => {
    const { record, hints, issueId } = mapped(load('jira-to-matrix/issue.json'));
    expect(record.id).toBe('BBCOM-1398');
    expect(issueId).toBe('11442');
    expect(record.title).toBe('Prueba de creación de tareas en un proyecto público');
    expect(record.attributes).toMatchObject({
      project: 'BBCOM',
      issuetype: 'Tarea',
      priority: 'Highest',
      components: [],
      labels: [],
      statusCategory: 'new',
      resolution: null,
    });
    expect(record.state).toBe('К выполнению');
    expect(hints).toEqual(new Map([['К выполнению', 'new']]));
    expect(record.events.map((e) => e.kind)).toEqual(['created', 'comment', 'comment', 'comment']);
    expect(record.events[0]).toMatchObject({
      at: Date.parse('2018-12-05T11:32:11.571Z'),
      offsetMinutes: 180,
      state: 'К выполнению',
    });
    // wiki escape "\-" becomes a plain dash
    expect(record.events[1]?.text).toBe('Proyecto privado - no se puede asignar');
    expect(record.events[1]?.actor).toBe('5b912f5c8a96e82b9549361c');
  });

  it('reads a v3 ADF description and a v2 text description to the same text (jira-cli)', () => {
    const v3 = mapped(load('jira-cli/issue.json')).record;
    const v2 = mapped(load('jira-cli/issue-2.json')).record;
    expect(v3.description).toBe('Test description');
    expect(v2.description).toBe('Test description');
    expect(v3.events).toEqual(v2.events);
    // accounts known only by display name (exports) still identify the reporter
    expect(v3.attributes.reporter).toBe('Person A');
  });

  it('replays a changelog: initial state and owner from the first changes, each event carries state and owner after it', () => {
    const { record } = mapped(issueWithHistory());
    expect(record.events.map((e) => [e.kind, e.field, e.from, e.to, e.state, e.owner])).toEqual([
      ['created', undefined, null, 'To Do', 'To Do', null],
      ['owner', 'assignee', null, '5b912e21fa38ae2c896099ae', 'To Do', '5b912e21fa38ae2c896099ae'],
      ['status', 'status', 'To Do', 'In Progress', 'In Progress', '5b912e21fa38ae2c896099ae'],
    ]);
    expect(record.events[2]?.actor).toBe('5bcede20b3e37a158c364fef');
  });

  it("reads a past status by its id: a renamed one under today's name with its category, a deleted one by its recorded name", () => {
    // The recorded change To Do (10257) → In Progress (10258); since then 10257 was renamed "Backlog".
    const today = new Map([
      ['10257', { name: 'Backlog', category: 'new' }],
      ['10258', { name: 'In Progress', category: 'indeterminate' }],
    ]);
    const renamed = mapped(issueWithHistory(), { source: 'test', statuses: today });
    expect(renamed.record.events.map((e) => [e.kind, e.from, e.to, e.state])).toEqual([
      ['created', null, 'Backlog', 'Backlog'],
      ['owner', null, '5b912e21fa38ae2c896099ae', 'Backlog'],
      ['status', 'Backlog', 'In Progress', 'In Progress'],
    ]);
    expect(renamed.hints).toEqual(
      new Map([
        ['Backlog', 'new'],
        ['In Progress', 'indeterminate'],
      ]),
    );
    // 10257 deleted (Jira no longer lists it): the name recorded with the change, and no category for it.
    const deleted = mapped(issueWithHistory(), { source: 'test', statuses: new Map([...today].slice(1)) });
    expect(deleted.record.events[0]?.state).toBe('To Do');
    expect(deleted.hints.has('To Do')).toBe(false);
    // Without the site's statuses, the names recorded then (as before).
    expect(mapped(issueWithHistory()).record.events[0]?.state).toBe('To Do');
  });

  it('keys changes on fieldId: a localised "Статус" is a status change; without fieldId it is not guessed', () => {
    const epic = load('jira-to-matrix/webhooks/epic/created.json') as {
      issue: Record<string, unknown>;
      changelog: { items: { field: string }[] };
    };
    const statusItem = epic.changelog.items.find((i) => i.field === 'Статус');
    expect(statusItem).toMatchObject({ fieldId: 'status' });
    const base = { ...epic.issue };
    const withId = mapped({
      ...base,
      changelog: { histories: [{ id: '1', created: '2019-01-30T19:48:09.000+0300', items: [statusItem] }] },
    });
    expect(withId.record.events[1]).toMatchObject({ kind: 'status', field: 'status', to: 'To Do' });
    const { fieldId: _dropped, ...noId } = statusItem as Record<string, unknown>;
    const withoutId = mapped({
      ...base,
      changelog: { histories: [{ id: '1', created: '2019-01-30T19:48:09.000+0300', items: [noId] }] },
    });
    expect(withoutId.record.events[1]).toMatchObject({ kind: 'field', field: 'Статус' });
    // English names of old Server changelogs are still understood
    const english = mapped({
      ...base,
      changelog: { histories: [{ created: '2019-01-30T19:48:09.000+0300', items: [{ ...noId, field: 'status' }] }] },
    });
    expect(english.record.events[1]).toMatchObject({ kind: 'status', field: 'status' });
  });

  it('joins histories from a bulk changelog response, without double-counting ones the issue already has', () => {
    const issue = issueWithHistory() as { changelog: { histories: unknown[] } };
    const bulk = {
      issueChangeLogs: [
        { issueId: '11442', changeHistories: [issue.changelog.histories[0], issue.changelog.histories[1]] },
      ],
      nextPageToken: null,
    };
    const doc = classifyJiraDocument(bulk);
    expect(doc.ok && doc.value.kind).toBe('changelogs');
    if (!doc.ok || doc.value.kind !== 'changelogs') return;
    const histories = doc.value.changelogs.get('11442') ?? [];
    const joined = mapped({ ...issue, changelog: undefined }, { source: 't', extraHistories: histories });
    const both = mapped(issue, { source: 't', extraHistories: histories });
    const own = mapped(issue);
    expect(joined.record.events).toEqual(own.record.events);
    expect(both.record.events).toEqual(own.record.events);
  });

  it('marks a changelog cut at 100 histories by expand=changelog', () => {
    const issue = issueWithHistory() as { changelog: { total: number } };
    issue.changelog.total = 250;
    expect(mapped(issue).record.attributes.changelogTruncated).toBe(true);
  });

  it('fails with the path of a bad value, never a partial case', () => {
    const noFields = mapIssue(load('go-jira/cloud__TestIssueService_Get_Fields_Changelog.json'), { source: 't' });
    expect(noFields.ok).toBe(false);
    if (!noFields.ok) expect(noFields.issues[0]?.path).toEqual(['fields']);
    const noCreated = mapIssue(load('go-jira/cloud__TestIssueService_Get_Success.json'), { source: 't' });
    expect(!noCreated.ok && noCreated.issues[0]?.path).toEqual(['fields', 'created']);
    const issue = issueWithHistory() as { changelog: { histories: { created: string }[] } };
    issue.changelog.histories[1]!.created = '29/Jan/19 10:00 AM';
    const badTime = mapIssue(issue, { source: 't' });
    expect(badTime.ok).toBe(false);
    if (!badTime.ok) {
      expect(badTime.issues[0]).toMatchObject({
        code: 'jira.bad-timestamp',
        path: ['changelog', 'histories', 1, 'created'],
      });
      expect(badTime.issues[0]?.message).toContain('29/Jan/19 10:00 AM');
    }
  });

  it('orders events by time, created first, whatever the order of histories (property)', () => {
    const base = issueWithHistory() as { changelog: { histories: unknown[] } };
    const times = fc.integer({ min: Date.parse('2019-01-30T00:00:00Z'), max: Date.parse('2020-01-01T00:00:00Z') });
    fc.assert(
      fc.property(fc.array(fc.tuple(times, fc.boolean()), { minLength: 1, maxLength: 8 }), (spec) => {
        const histories = spec.map(([t, status], i) => ({
          id: String(i),
          created: new Date(t).toISOString(),
          items: [
            status
              ? { field: 'status', fieldId: 'status', fromString: `S${i}`, toString: `S${i + 1}` }
              : { field: 'labels', toString: `l${i}` },
          ],
        }));
        const { record } = mapped({ ...base, changelog: { histories } });
        expect(record.events[0]?.kind).toBe('created');
        for (let i = 1; i < record.events.length; i++)
          expect(record.events[i]!.at).toBeGreaterThanOrEqual(record.events[i - 1]!.at);
        for (const e of record.events) if (e.kind === 'status') expect(e.state).toBe(e.to);
        expect(record.events).toHaveLength(spec.length + 1);
      }),
      { numRuns: 50 },
    );
  });
});

describe('classifyJiraDocument', () => {
  it('tells search responses (v2 and v3 search/jql), single issues, arrays and bulk changelogs apart', () => {
    const search = classifyJiraDocument(load('jira-cli/search.json'));
    expect(search.ok && search.value.kind === 'issues' && search.value.issues.length).toBe(3);
    const sprint = classifyJiraDocument(load('go-jira/issues_in_sprint.json'));
    expect(sprint.ok && sprint.value.kind === 'issues' && sprint.value.issues.length).toBe(1);
    const v3 = classifyJiraDocument({
      issues: [load('jira-cli/issue.json')],
      nextPageToken: 'CAEaAggD',
      isLast: false,
    });
    expect(v3.ok && v3.value.nextPageToken).toBe('CAEaAggD');
    const single = classifyJiraDocument(load('jira-cli/issue.json'));
    expect(single.ok && single.value.kind === 'issues' && single.value.issues.length).toBe(1);
    const array = classifyJiraDocument([load('jira-cli/issue.json')]);
    expect(array.ok && array.value.kind).toBe('issues');
    const every = (load('jira-cli/search.json').issues as unknown[]).map((i) => mapped(i).record.id);
    expect(every).toEqual(['TEST-1', 'TEST-2', 'TEST-3']);
  });

  it('rejects other JSON with what it expected', () => {
    const r = classifyJiraDocument({ transitions: [] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toContain('expected a Jira issue');
    const bad = classifyJiraDocument({ issueChangeLogs: [{ changeHistories: [] }] });
    expect(!bad.ok && bad.issues[0]?.path).toEqual(['issueChangeLogs', 0, 'issueId']);
  });
});

describe('mapIssue: what owners told Baton the case waits on (baton.waiting)', () => {
  const T = Date.parse('2026-12-01T09:00:00Z');
  const H = 3_600_000;
  const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
  const status = (id: string, at: number, from: string, to: string) => ({
    id,
    created: iso(at),
    author: { accountId: 'u-ana' },
    items: [{ field: 'status', fieldtype: 'jira', fromString: from, toString: to }],
  });
  const via = { surface: 'slack', userId: 'U0ANA0001' };
  const blocked = (key: string, at: number, reason: WaitingReason) =>
    ({ kind: 'blocked', key, reason, detail: 'the PDF vendor', at, by: 'u-linus', via }) as const;
  const onIt = (key: string, at: number) => ({ kind: 'onIt', key, at, by: 'u-linus', via }) as const;
  const issue = (said: unknown[]) => ({
    id: '10001',
    key: 'SUP-9',
    fields: { created: iso(T), status: { name: 'Review', statusCategory: { key: 'indeterminate' } } },
    changelog: {
      total: 2,
      histories: [status('1', T + H, 'To Do', 'In Progress'), status('2', T + 10 * H, 'In Progress', 'Review')],
    },
    properties: { 'baton.waiting': { version: 1, said } },
  });

  it('makes each block a visit of its blocked state, until "On it" or the status next changes', () => {
    const { record } = mapped(
      issue([blocked('a', T + 2 * H, 'vendor'), onIt('b', T + 4 * H), blocked('c', T + 6 * H, 'customer')]),
    );
    expect(record.events.map((e) => [(e.at - T) / H, e.state])).toEqual([
      [0, 'To Do'],
      [1, 'In Progress'],
      [2, 'Blocked: waiting on vendor'],
      [4, 'In Progress'],
      [6, 'Blocked: waiting on customer'],
      // The issue moved on: the block was about the state it was said in.
      [10, 'Review'],
    ]);
    expect(record.events[2]).toMatchObject({ kind: 'field', field: 'baton.waiting', to: 'vendor', actor: 'u-linus' });
    expect(record.events[3]).toMatchObject({ kind: 'field', field: 'baton.waiting', to: null, actor: 'u-linus' });
    expect(record.state).toBe('Review');
    const resolve = createWorkflowResolver();
    expect(snapshotCase(record, T + 7 * H, resolve)).toMatchObject({
      phase: 'waiting',
      waitingReason: 'customer',
      blocker: 'waiting:customer',
    });
    expect(snapshotCase(record, T + 5 * H, resolve)).toMatchObject({ phase: 'active', waitingReason: null });
  });

  it("reads the app's comment carrying a person's typed answer as theirs, and changes no state", () => {
    const comment = (id: string, at: number, text: string) => ({
      id,
      created: iso(at),
      author: { accountId: 'app-baton', accountType: 'app' },
      body: text,
    });
    const raw = issue([{ kind: 'reply', key: 'r', at: T + 3 * H, by: 'u-cust', via, commentId: '20001' }]);
    const { record } = mapped({
      ...raw,
      fields: {
        ...raw.fields,
        comment: {
          comments: [comment('20000', T + 2 * H, 'Please add a link'), comment('20001', T + 3 * H, 'Here it is')],
        },
      },
    });
    const comments = record.events.filter((e) => e.kind === 'comment');
    expect(comments.map((e) => [e.text, e.actor])).toEqual([
      ['Please add a link', 'app-baton'],
      ['Here it is', 'u-cust'],
    ]);
    expect(record.events.some((e) => e.field === 'baton.waiting')).toBe(false);
    expect(comments[1]?.state).toBe('In Progress');
  });

  it('fails on a bad property, naming where in it', () => {
    const r = mapIssue(issue([{ ...blocked('a', T + 2 * H, 'vendor'), reason: 'the moon' as WaitingReason }]), {
      source: 'test',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.path).toEqual(['properties', 'baton.waiting', 'said', 0, 'reason']);
  });

  it('keeps one entry per key, in time order, and the last WAITING_KEPT', () => {
    let p = withSaid(undefined, blocked('a', 5, 'vendor')).property;
    expect(withSaid(p, blocked('a', 9, 'vendor')).changed).toBe(false);
    p = withSaid(p, onIt('b', 2)).property;
    expect(p.said.map((s) => s.key)).toEqual(['b', 'a']);
    for (let i = 0; i < 30; i++) p = withSaid(p, onIt(`k${i}`, 10 + i)).property;
    expect(p.said).toHaveLength(WAITING_KEPT);
    expect(p.said.at(-1)?.key).toBe('k29');
    expect(WaitingPropertySchema.safeParse(p).success).toBe(true);
  });
});
