import { fail, fromZodIssues, ok, type CaseEvent, type CaseRecord, type Result } from '@baton/core';
import { parseTimestamp } from '@baton/core/time';
import * as z from 'zod';
import { accountOf } from './account-of.ts';
import { bodyToText } from './body-to-text.ts';
import { changeFieldKey } from './change-field-key.ts';
import { mapIssue } from './map-issue.ts';
import { ChangeItemSchema, IssueCommentSchema, JiraAccountSchema } from './schemas.ts';

const WebhookSchema = z.looseObject({
  webhookEvent: z.string(),
  timestamp: z.union([z.number(), z.string()]).optional(),
  user: JiraAccountSchema.nullable().optional(),
  issue: z
    .looseObject({ id: z.union([z.string(), z.number()]).optional(), key: z.string().optional(), fields: z.unknown() })
    .optional(),
  changelog: z
    .looseObject({ id: z.union([z.string(), z.number()]).optional(), items: z.array(ChangeItemSchema) })
    .optional(),
  comment: IssueCommentSchema.extend({
    self: z.string().optional(),
    updateAuthor: JiraAccountSchema.nullable().optional(),
    updated: z.string().optional(),
  }).optional(),
});

const LooseFieldsSchema = z.looseObject({
  updated: z.string().nullable().optional(),
  status: z.looseObject({ name: z.string() }).nullable().optional(),
  assignee: JiraAccountSchema.nullable().optional(),
});

/** The events one webhook delivery adds to a case. */
export interface WebhookEvents {
  /** `jira:issue_updated`, `comment_created`, ... */
  readonly webhookEvent: string;
  /** The issue key, or its id when the payload has no issue (Server `comment_created`). */
  readonly caseId: string;
  readonly events: readonly CaseEvent[];
  /** The issue as the payload shows it (current fields, no history), when the payload has one. */
  readonly issue?: CaseRecord;
}

export interface MapWebhookOptions {
  readonly source?: string;
  readonly ownerField?: string;
}

// Comment self links name the issue: .../rest/api/2/issue/26313/comment/31039
const COMMENT_SELF = /\/issue\/([^/]+)\/comment\//;

/**
 * Maps a Jira webhook payload (issue created/updated with a changelog, comment created/updated) to
 * the events it adds to one case. The event time is the payload's epoch `timestamp`, else the
 * issue's `updated`. Changes key on `fieldId` (the epic payload names the status "Статус").
 * Deliveries that add nothing (comment deleted, links, projects) map to no events.
 */
export function mapWebhook(raw: unknown, options: MapWebhookOptions = {}): Result<WebhookEvents> {
  const parsed = WebhookSchema.safeParse(raw);
  if (!parsed.success) return fail(...fromZodIssues(parsed.error.issues));
  const p = parsed.data;
  const ownerField = options.ownerField ?? 'assignee';
  const source = options.source ?? 'jira:webhook';

  let issue: CaseRecord | undefined;
  if (p.issue !== undefined && p.issue.key !== undefined && p.issue.fields !== undefined) {
    const mapped = mapIssue({ ...p.issue, changelog: undefined }, { source, ownerField });
    if (mapped.ok) issue = mapped.value.record;
    // Comment deliveries carry a trimmed issue (no `created`): it still names the case and its state.
    else if (p.webhookEvent === 'jira:issue_created')
      return fail(...mapped.issues.map((i) => ({ ...i, path: ['issue', ...i.path] })));
  }
  const loose = LooseFieldsSchema.safeParse(p.issue?.fields);
  const fieldsNow = loose.success ? loose.data : undefined;
  const commentIssue = p.comment?.self === undefined ? undefined : COMMENT_SELF.exec(p.comment.self)?.[1];
  const caseId = p.issue?.key ?? (p.issue?.id === undefined ? undefined : String(p.issue.id)) ?? commentIssue;
  if (caseId === undefined) {
    if (p.comment === undefined && p.changelog === undefined)
      return ok({ webhookEvent: p.webhookEvent, caseId: '', events: [] });
    return fail({
      code: 'jira.webhook.no-issue',
      path: ['issue'],
      message: 'the payload names no issue (no issue.key and no comment link)',
    });
  }

  // When: Jira Cloud sends epoch ms; some relays log a local time string instead, so fall back to
  // the issue's `updated` field, which carries its offset.
  const updated = fieldsNow?.updated ? parseTimestamp(fieldsNow.updated) : undefined;
  const offsetMinutes = updated?.offsetMinutes ?? 0;
  const at: number | undefined =
    typeof p.timestamp === 'number'
      ? p.timestamp
      : /^\d{12,}$/.test(String(p.timestamp))
        ? Number(p.timestamp)
        : updated?.at;

  const actor = accountOf(p.user);
  const events: CaseEvent[] = [];
  let state = issue?.state ?? fieldsNow?.status?.name ?? null;
  let owner = issue?.owner ?? (ownerField === 'assignee' ? accountOf(fieldsNow?.assignee) : null);

  if (p.webhookEvent === 'jira:issue_created' && issue !== undefined) {
    // The created issue's changelog lists its initial values, not changes: the created event is enough.
    const first = issue.events[0];
    if (first !== undefined) events.push({ ...first, actor: actor ?? first.actor ?? null });
    return ok({ webhookEvent: p.webhookEvent, caseId, events, issue });
  }

  if (p.changelog !== undefined) {
    if (at === undefined)
      return fail({
        code: 'jira.webhook.no-time',
        path: ['timestamp'],
        message: 'no epoch timestamp and no issue.fields.updated',
      });
    // The payload's issue shows the state after the change: rewind to before it, then replay.
    const items = p.changelog.items.map((item) => ({ item, key: changeFieldKey(item) }));
    for (const { item, key } of items) {
      if (key === 'status') state = item.fromString ?? item.from ?? null;
      else if (key === ownerField) owner = item.tmpFromAccountId ?? item.from ?? item.fromString ?? null;
    }
    for (const { item, key } of items) {
      const base = { caseId, at, offsetMinutes, field: key, actor };
      if (key === 'status') {
        state = item.toString ?? item.to ?? null;
        events.push({ ...base, kind: 'status', from: item.fromString ?? item.from ?? null, to: state, state, owner });
      } else if (key === ownerField) {
        const from = item.tmpFromAccountId ?? item.from ?? item.fromString ?? null;
        owner = item.tmpToAccountId ?? item.to ?? item.toString ?? null;
        events.push({ ...base, kind: 'owner', from, to: owner, state, owner });
      } else {
        events.push({
          ...base,
          kind: 'field',
          from: item.fromString ?? item.from ?? null,
          to: item.toString ?? item.to ?? null,
          state,
          owner,
        });
      }
    }
  }

  if (p.comment !== undefined && p.webhookEvent !== 'comment_deleted') {
    // An edited comment is not a new message: it is recorded as a change of the comment, so that
    // comment counts (status chasing) do not double.
    const edited = p.webhookEvent === 'comment_updated';
    const when = edited ? (p.comment.updated ?? p.comment.created) : p.comment.created;
    const ts = parseTimestamp(when);
    if (ts === undefined) {
      return fail({
        code: 'jira.bad-timestamp',
        path: ['comment', edited ? 'updated' : 'created'],
        message: `'${when}' is not a Jira timestamp`,
      });
    }
    const text = bodyToText(p.comment.body);
    const by = (edited ? accountOf(p.comment.updateAuthor) : null) ?? accountOf(p.comment.author) ?? actor;
    const base = { caseId, at: ts.at, offsetMinutes: ts.offsetMinutes, actor: by, text, state, owner };
    events.push(
      edited
        ? { ...base, kind: 'field', field: 'comment', to: p.comment.id === undefined ? null : String(p.comment.id) }
        : { ...base, kind: 'comment' },
    );
  }
  return ok(
    issue === undefined
      ? { webhookEvent: p.webhookEvent, caseId, events }
      : { webhookEvent: p.webhookEvent, caseId, events, issue },
  );
}
