import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapWebhook, type WebhookEvents } from '../src/index.ts';

const HOOKS = join(import.meta.dirname, 'fixtures', 'jira-to-matrix', 'webhooks');
const load = (path: string): unknown => JSON.parse(readFileSync(join(HOOKS, path), 'utf8'));

function events(path: string): WebhookEvents {
  const r = mapWebhook(load(path));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe('mapWebhook', () => {
  it('issue created: one created event with the state and owner at creation', () => {
    const r = events('issue/created.json');
    expect(r.webhookEvent).toBe('jira:issue_created');
    expect(r.caseId).toBe('BBCOM-1398');
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({ kind: 'created', state: 'Open', actor: 'jira_test', offsetMinutes: 180 });
    expect(r.issue?.id).toBe('BBCOM-1398');
  });

  it('status changed: keyed on fieldId, timed by the issue update when the timestamp is not epoch', () => {
    const r = events('issue/updated/status-changed.json');
    expect(r.events).toEqual([
      expect.objectContaining({
        caseId: 'INDEV-6',
        kind: 'status',
        field: 'status',
        from: 'To Do',
        to: 'In Progress',
        state: 'In Progress',
        actor: '5bcede20b3e37a158c364fef',
        offsetMinutes: 180,
      }),
    ]);
  });

  it('assigned: an owner event to the new account id', () => {
    const r = events('issue/updated/issue-assigned.json');
    expect(r.events).toEqual([
      expect.objectContaining({
        kind: 'owner',
        field: 'assignee',
        from: null,
        to: '5b912e21fa38ae2c896099ae',
        owner: '5b912e21fa38ae2c896099ae',
      }),
    ]);
  });

  it('a change of several fields: status, description and the key of an issue moved between projects', () => {
    const r = events('issue/updated/generic.json');
    expect(r.events.map((e) => [e.kind, e.field, e.from, e.to])).toEqual([
      ['status', 'status', 'In progress', 'Paused'],
      ['field', 'description', 'gfasg<dfa', 'new description'],
      ['field', 'key', 'RN-83', 'BBCOM-1233'],
    ]);
    // state before the change is rewound from the payload, after it replayed
    expect(r.events.map((e) => e.state)).toEqual(['Paused', 'Paused', 'Paused']);
  });

  it('comments: a comment event with its text; an edit is a change of the comment, not a new one; a deletion adds nothing', () => {
    const commented = events('issue/updated/commented.json');
    expect(commented.events).toEqual([expect.objectContaining({ kind: 'comment', text: '111', state: 'Reopened' })]);
    const created = events('comment/created.json');
    // Server comment deliveries carry no issue: the case is named by the comment's link (issue id)
    expect(created.caseId).toBe('26313');
    expect(created.events[0]).toMatchObject({ kind: 'comment', text: '12345', at: 1512034084304 });
    const updated = events('comment/updated.json');
    expect(updated.events).toEqual([
      expect.objectContaining({ kind: 'field', field: 'comment', to: '10757', caseId: 'INDEV-28' }),
    ]);
    expect(events('comment/deleted.json').events).toEqual([]);
  });

  it('link deliveries add nothing to a case', () => {
    expect(events('issuelink/created.json').events).toEqual([]);
  });

  it('fails with the path when the payload is not a webhook', () => {
    const r = mapWebhook({ issue: { key: 'A-1' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.path).toEqual(['webhookEvent']);
    const created = load('issue/created.json') as { issue: { fields: Record<string, unknown> } };
    delete created.issue.fields.created;
    const bad = mapWebhook(created);
    expect(!bad.ok && bad.issues[0]?.path).toEqual(['issue', 'fields', 'created']);
  });
});
