import { blockedReasonOf, createWorkflowResolver, formatIssue } from '@baton/core';
import { parseTimestamp } from '@baton/core/time';
import { WAITING_PROPERTY, bodyToText, mapIssue } from '@baton/jira';
import type { JiraClient, JiraIssue, MappedIssue } from '@baton/jira';
import * as z from 'zod';
import type { Charter } from '@baton/core';
import type { IssueFacts } from './issue-facts.ts';
import { readyFieldsOf } from '../contracts/ready-requirements.ts';
import { slaFieldsOf } from './sla.ts';
import { liveStatuses } from './status-directory.ts';
import type { StatusDirectory } from './status-directory.ts';
import { AGENT_ACTOR } from './watchdog-rules.ts';

export const ISSUE_FIELDS = [
  'summary',
  'description',
  'status',
  'assignee',
  'reporter',
  'creator',
  'priority',
  'issuetype',
  'components',
  'resolution',
  'created',
  'updated',
  'project',
  'labels',
  // Read so that the router sees a due date a person set at creation (no changelog entry says so).
  'duedate',
  'comment',
] as const;

/** Who is an app: `mapIssue` keeps account ids only, and the rules must not count the app's own activity. */
const Author = z
  .looseObject({ accountId: z.string().optional(), accountType: z.string().optional() })
  .nullable()
  .optional();
const Authors = z.looseObject({
  fields: z
    .looseObject({ comment: z.looseObject({ comments: z.array(z.looseObject({ author: Author })) }).optional() })
    .optional(),
  changelog: z.looseObject({ histories: z.array(z.looseObject({ author: Author })) }).optional(),
});

function appAccounts(raw: unknown): Set<string> {
  const p = Authors.safeParse(raw);
  if (!p.success) return new Set();
  const all = [...(p.data.changelog?.histories ?? []), ...(p.data.fields?.comment?.comments ?? [])];
  return new Set(
    all.flatMap((x) => (x.author?.accountType === 'app' && x.author.accountId ? [x.author.accountId] : [])),
  );
}

const CATEGORY = (k: unknown): IssueFacts['statusCategory'] => (k === 'new' || k === 'done' ? k : 'indeterminate');
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A field's value as core's readiness check reads attributes: text, names, or null when empty. */
function attributeOf(v: unknown): string | string[] | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v))
    return v.map((x) => attributeOf(x)).flatMap((x) => (x === null || Array.isArray(x) ? [] : [String(x)]));
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.type === 'doc') return bodyToText(v) || null; // ADF text fields (environment, paragraph custom fields)
    for (const k of ['name', 'value', 'displayName', 'accountId', 'key', 'id'] as const)
      if (typeof o[k] === 'string') return o[k];
    return JSON.stringify(v);
  }
  return null;
}

/**
 * Page size for `changelog/bulkfetch`: Jira's default page is large, and a smaller one keeps each
 * response (and a retried 429) small inside a 25-second invocation.
 */
export const CHANGELOG_PAGE_SIZE = 100;

const EmbeddedChangelog = z.looseObject({
  changelog: z.looseObject({ total: z.number().int().optional(), histories: z.array(z.unknown()) }).optional(),
});
const HistoryOrder = z.looseObject({ id: z.union([z.string(), z.number()]).optional(), created: z.string() });

/** Numeric Jira history ids order histories that share a timestamp; anything unparseable sorts by position. */
function orderOf(h: unknown, i: number): { at: number; id: number; i: number } {
  const p = HistoryOrder.safeParse(h);
  const at = p.success ? (parseTimestamp(p.data.created)?.at ?? Number.NaN) : Number.NaN;
  const id = p.success && p.data.id !== undefined ? Number(p.data.id) : Number.NaN;
  return {
    at: Number.isNaN(at) ? Number.POSITIVE_INFINITY : at,
    id: Number.isNaN(id) ? Number.POSITIVE_INFINITY : id,
    i,
  };
}

/**
 * `expand=changelog` embeds at most 100 histories (the most recent) and says in `total` how many
 * there are. When some are missing, fetches the whole changelog with `changelog/bulkfetch` (all
 * pages) and returns the issue with every history, deduplicated by id, oldest first. Otherwise the
 * issue as it came, with no further call.
 */
async function withWholeChangelog(jira: JiraClient, raw: JiraIssue): Promise<JiraIssue> {
  const p = EmbeddedChangelog.safeParse(raw);
  if (!p.success || p.data.changelog === undefined) return raw;
  const { total, histories } = p.data.changelog;
  if (total === undefined || total <= histories.length) return raw;
  // By id: the key changes when the issue moves between projects, the id does not.
  const fetched = await jira.bulkChangelogs([raw.id], undefined, { maxResults: CHANGELOG_PAGE_SIZE });
  const rest: unknown[] = fetched.get(raw.id) ?? [];
  const seen = new Set<string>();
  const merged: unknown[] = [];
  for (const h of [...rest, ...histories]) {
    const hid = HistoryOrder.safeParse(h);
    const dedupe = hid.success && hid.data.id !== undefined ? String(hid.data.id) : undefined;
    if (dedupe !== undefined) {
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
    }
    merged.push(h);
  }
  const sorted = merged
    .map((h, i) => ({ h, o: orderOf(h, i) }))
    .sort((a, b) => a.o.at - b.o.at || a.o.id - b.o.id || a.o.i - b.o.i)
    .map((x) => x.h);
  const changelog = {
    ...(raw.changelog ?? {}),
    startAt: 0,
    maxResults: sorted.length,
    total: Math.max(total, sorted.length),
    histories: sorted,
  };
  return { ...raw, changelog };
}

/**
 * A comment a customer cannot read: role- or group-restricted (`visibility`), or internal in Jira Service
 * Management (`jsdPublic: false`, which Jira derives from the property `sd.public.comment`
 * `{ internal: true }`). Its text is withheld before mapping, so nothing built from the issue (the
 * packet on the issue property, the customer draft) can quote it; the comment still counts as activity.
 */
const RestrictedComment = z.looseObject({
  jsdPublic: z.boolean().optional(),
  visibility: z.looseObject({ type: z.string() }).nullable().optional(),
});
export const isRestrictedComment = (c: unknown): boolean => {
  const p = RestrictedComment.safeParse(c);
  return p.success && (p.data.jsdPublic === false || (p.data.visibility !== undefined && p.data.visibility !== null));
};
const WITHHELD = { type: 'doc', version: 1, content: [] };

function withoutRestrictedText(raw: JiraIssue): JiraIssue {
  const fields = (raw.fields ?? {}) as Record<string, unknown>;
  const comment = fields.comment as { comments?: unknown[] } | undefined;
  if (!Array.isArray(comment?.comments) || !comment.comments.some(isRestrictedComment)) return raw;
  const comments = comment.comments.map((c) => (isRestrictedComment(c) ? { ...(c as object), body: WITHHELD } : c));
  return { ...raw, fields: { ...fields, comment: { ...comment, comments } } };
}

/**
 * Whether the history names a status the charter's workflow map does not and whose Jira category the
 * issue itself does not give (its current status): renamed or deleted since, or never mapped.
 */
function hasUnplacedStatus(mapped: MappedIssue, charter: Charter): boolean {
  const mappedNames = new Set(Object.keys(charter.workflow.states).map((s) => s.toLowerCase()));
  return mapped.record.events.some(
    (e) =>
      e.state !== null &&
      e.state !== undefined &&
      !mapped.hints.has(e.state) &&
      !mappedNames.has(e.state.toLowerCase()) &&
      blockedReasonOf(e.state) === undefined,
  );
}

/**
 * Reads one issue with its whole changelog, maps it to core's case with `@baton/jira`'s `mapIssue`,
 * and derives the facts the rules read. The app always re-reads Jira instead of trusting an event
 * payload: events arrive late, twice, or out of order. A past status the charter's map does not name
 * is read by its id against Jira's statuses now (`statuses`, asked only then): a renamed one under its
 * name today with its category, a deleted one by its recorded name only.
 */
export async function readIssue(
  jira: JiraClient,
  key: string,
  charter: Charter,
  statuses: StatusDirectory = liveStatuses(jira),
): Promise<IssueFacts> {
  // The fields the charter's definitions of ready and SLA conditions name are read too, and kept as attributes.
  const ready = [...new Set([...readyFieldsOf(charter), ...slaFieldsOf(charter)])].filter(
    (f) => !(ISSUE_FIELDS as readonly string[]).includes(f),
  );
  const raw = withoutRestrictedText(
    await withWholeChangelog(
      jira,
      // With what owners told Baton in chat ("Blocked by…", "On it"): the mapper reads it as their events.
      await jira.getIssue(key, {
        fields: [...ISSUE_FIELDS, ...ready],
        expand: 'changelog',
        properties: [WAITING_PROPERTY],
      }),
    ),
  );
  let mapped = mapIssue(raw, { source: 'jira:forge' });
  if (!mapped.ok) throw new Error(`issue ${key} could not be read: ${mapped.issues.map(formatIssue).join('; ')}`);
  if (hasUnplacedStatus(mapped.value, charter)) {
    const known = await statuses();
    if (known.size > 0) {
      const again = mapIssue(raw, { source: 'jira:forge', statuses: known });
      if (again.ok) mapped = again;
    }
  }
  const { hints } = mapped.value;
  const apps = appAccounts(raw);
  // The app's own comments and changes are the agent's, never a person's activity.
  const rawFields = (raw.fields ?? {}) as Record<string, unknown>;
  const extra = Object.fromEntries(ready.map((f) => [f, attributeOf(rawFields[f])]));
  const record = {
    ...mapped.value.record,
    attributes: { ...extra, ...mapped.value.record.attributes },
    events: mapped.value.record.events.map((e) => (e.actor && apps.has(e.actor) ? { ...e, actor: AGENT_ACTOR } : e)),
  };
  const resolve = createWorkflowResolver({ states: charter.workflow.states }, hints);
  const created = record.events[0]!.at;
  const status = record.state ?? '';
  const statusChanges = record.events
    .filter((e) => e.kind === 'status')
    .map((e) => ({ at: e.at, to: e.to ?? '', phase: resolve(e.to ?? '').phase }));
  const assigneeChanges = record.events.filter((e) => e.kind === 'owner').map((e) => ({ at: e.at, to: e.to ?? null }));
  const byPeople = record.events.filter((e, i) => i === 0 || e.actor !== AGENT_ACTOR);
  const humanActivity = [...new Set(byPeople.map((e) => e.at))].sort((a, b) => a - b);
  const updated = parseTimestamp(String((raw.fields as Record<string, unknown> | undefined)?.updated ?? ''))?.at;
  return {
    key: record.id,
    projectKey: text(record.attributes.project) ?? key.split('-')[0]!,
    summary: record.title ?? '',
    status,
    statusCategory: CATEGORY(record.attributes.statusCategory),
    phase: resolve(status).phase,
    assignee: record.owner ?? null,
    reporter: text(record.attributes.reporter),
    priority: text(record.attributes.priority),
    created,
    updated: updated ?? record.events.at(-1)?.at ?? created,
    statusChanges,
    lastHumanActivityAt: Math.max(...humanActivity),
    humanActivity,
    assigneeChanges,
    labels: Array.isArray(record.attributes.labels) ? record.attributes.labels : [],
    record,
    hints,
  };
}
