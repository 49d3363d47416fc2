import {
  blockedState,
  fail,
  fromZodIssues,
  ok,
  type CaseEvent,
  type CaseRecord,
  type Issue,
  type Result,
  type StateCategoryHints,
  type WaitingReason,
} from '@baton/core';
import { parseTimestamp } from '@baton/core/time';
import { accountOf } from './account-of.ts';
import { bodyToText } from './body-to-text.ts';
import { changeFieldKey } from './change-field-key.ts';
import { HistorySchema, IssueInputSchema, type ChangeItem, type History, type IssueInput } from './schemas.ts';
import { WAITING_PROPERTY, WaitingPropertySchema } from './waiting-property.ts';

export interface MapIssueOptions {
  /** Where the issue came from: a file name or `jira:<site>`. */
  readonly source: string;
  /** The field whose changes are owner changes: `assignee` unless told (e.g. a team custom field). */
  readonly ownerField?: string;
  /**
   * Histories from elsewhere (a bulk changelog response), merged with `changelog.histories` by id.
   * Raw JSON: they are validated here, and a bad one fails the issue with its path.
   */
  readonly extraHistories?: readonly unknown[];
  /**
   * The site's statuses as Jira knows them now (`GET /rest/api/3/status`), by id. A changelog's status
   * item carries the id (`from`, `to`) and the name the status had when the change was made
   * (`fromString`, `toString`: kept so that history still reads after a status is removed,
   * https://developer.atlassian.com/jiradev/jira-platform/jira-architecture/database-schema/database-change-history).
   * With this, a status renamed since is read under its name today (the one a charter names, and JSM's
   * own SLA conditions follow the id) and its Jira category becomes a hint; a status Jira no longer lists
   * (deleted) keeps its recorded name, read by the name alone.
   */
  readonly statuses?: ReadonlyMap<string, KnownStatus>;
}

/** A status as `GET /rest/api/3/status` gives it: its name now and its category's key. */
export interface KnownStatus {
  readonly name: string;
  readonly category: string;
}

export interface MappedIssue {
  readonly record: CaseRecord;
  /**
   * Jira's status category of each status whose category is known, for the default workflow map: the
   * issue's current status, and with `statuses` every status of its history that Jira still lists.
   */
  readonly hints: StateCategoryHints;
  /** Jira's numeric id, which bulk changelogs use instead of the key. */
  readonly issueId?: string;
}

const CATEGORIES = new Set(['new', 'indeterminate', 'done']);

/** `blocked`: the event starts (a reason) or ends (null) a `blockedState` visit (Baton's `baton.waiting` property). */
type Draft = Omit<CaseEvent, 'state' | 'owner'> & { order: number; blocked?: WaitingReason | null };

function ownerValue(item: ChangeItem, side: 'from' | 'to'): string | null {
  // Cloud assignee changes carry the account id in from/to (webhooks also in tmp*AccountId);
  // custom owner fields may only have the display string.
  const id = side === 'from' ? (item.tmpFromAccountId ?? item.from) : (item.tmpToAccountId ?? item.to);
  const text = side === 'from' ? item.fromString : item.toString;
  const v = id ?? text;
  return v === undefined || v === null || v === '' ? null : v;
}

/** A status item's side: the status's name now when Jira still lists its id, else the name recorded then. */
function statusValue(
  item: ChangeItem,
  side: 'from' | 'to',
  statuses: ReadonlyMap<string, KnownStatus> | undefined,
): string | null {
  const id = side === 'from' ? item.from : item.to;
  const known = id === undefined || id === null ? undefined : statuses?.get(id);
  return known?.name ?? textValue(item, side);
}

function textValue(item: ChangeItem, side: 'from' | 'to'): string | null {
  const v = side === 'from' ? (item.fromString ?? item.from) : (item.toString ?? item.to);
  return v === undefined ? null : v;
}

/** Jira issue fields that describe the case as a whole, flattened for grouping and filters. */
function attributesOf(issue: IssueInput): CaseRecord['attributes'] {
  const f = issue.fields;
  const a: CaseRecord['attributes'] = {};
  if (f.project) a.project = f.project.key;
  if (f.issuetype) a.issuetype = f.issuetype.name;
  if (f.priority) a.priority = f.priority.name;
  a.components = (f.components ?? []).map((c) => c.name);
  a.labels = f.labels ?? [];
  if (f.fixVersions && f.fixVersions.length > 0) a.fixVersions = f.fixVersions.map((v) => v.name);
  a.reporter = accountOf(f.reporter);
  const creator = accountOf(f.creator);
  if (creator !== null) a.creator = creator;
  if (f.status?.statusCategory) a.statusCategory = f.status.statusCategory.key;
  a.resolution = f.resolution?.name ?? null;
  if (f.resolutiondate) a.resolutiondate = f.resolutiondate;
  return a;
}

function historyKey(h: History, index: number): string {
  return h.id === undefined ? `#${index}:${h.created}` : String(h.id);
}

/**
 * Maps one Jira REST issue (v2 or v3, Cloud or Server, with or without `expand=changelog`) to a core
 * case: a `created` event, one event per changelog item (`status`, `owner`, `field`) and one per
 * comment, in time order, each carrying the state and owner after it. The state and owner at
 * creation come from the first status/owner change's `from`, or from the current fields when the
 * history never changed them. Failures name the path of the bad value.
 */
export function mapIssue(raw: unknown, options: MapIssueOptions): Result<MappedIssue> {
  const parsed = IssueInputSchema.safeParse(raw);
  if (!parsed.success) return fail(...fromZodIssues(parsed.error.issues));
  const issue = parsed.data;
  const f = issue.fields;
  const ownerField = options.ownerField ?? 'assignee';
  const caseId = issue.key;
  const problems: Issue[] = [];

  const time = (text: string, path: (string | number)[]) => {
    const ts = parseTimestamp(text);
    if (ts === undefined) {
      problems.push({
        code: 'jira.bad-timestamp',
        path,
        message: `'${text}' is not a Jira timestamp (like 2018-12-05T14:32:11.571+0300)`,
      });
    }
    return ts;
  };

  const created = time(f.created, ['fields', 'created']);

  // Histories: the issue's own plus any supplied from a bulk changelog, deduplicated by id.
  const histories: { h: History; path: (string | number)[] }[] = [];
  const seen = new Set<string>();
  (issue.changelog?.histories ?? []).forEach((h, i) => {
    seen.add(historyKey(h, i));
    histories.push({ h, path: ['changelog', 'histories', i] });
  });
  (options.extraHistories ?? []).forEach((rawHistory, i) => {
    const hp = HistorySchema.safeParse(rawHistory);
    if (!hp.success) {
      for (const z of fromZodIssues(hp.error.issues)) problems.push({ ...z, path: ['changeHistories', i, ...z.path] });
      return;
    }
    const key = historyKey(hp.data, -1 - i);
    if (seen.has(key)) return;
    seen.add(key);
    histories.push({ h: hp.data, path: ['changeHistories', i] });
  });

  const drafts: Draft[] = [];
  let order = 0;
  let firstStatusFrom: string | null | undefined;
  let firstOwnerFrom: string | null | undefined;
  const changes: { at: number; order: number; statusFrom?: string | null; ownerFrom?: string | null }[] = [];

  for (const { h, path } of histories) {
    const ts = time(h.created, [...path, 'created']);
    if (ts === undefined) continue;
    const actor = accountOf(h.author);
    for (const item of h.items) {
      const key = changeFieldKey(item);
      const base = { caseId, at: ts.at, offsetMinutes: ts.offsetMinutes, field: key, actor, order: order++ };
      if (key === 'status') {
        const from = statusValue(item, 'from', options.statuses);
        drafts.push({ ...base, kind: 'status', from, to: statusValue(item, 'to', options.statuses) });
        changes.push({ at: ts.at, order: base.order, statusFrom: from });
      } else if (key === ownerField) {
        drafts.push({ ...base, kind: 'owner', from: ownerValue(item, 'from'), to: ownerValue(item, 'to') });
        changes.push({ at: ts.at, order: base.order, ownerFrom: ownerValue(item, 'from') });
      } else {
        drafts.push({ ...base, kind: 'field', from: textValue(item, 'from'), to: textValue(item, 'to') });
      }
    }
  }

  // What people told Baton outside Jira (`baton.waiting`); the property is the app's own, and a bad one fails
  // with its path.
  const waiting = issue.properties?.[WAITING_PROPERTY];
  const wp = waiting === undefined ? undefined : WaitingPropertySchema.safeParse(waiting);
  if (wp !== undefined && !wp.success)
    for (const z of fromZodIssues(wp.error.issues))
      problems.push({ ...z, path: ['properties', WAITING_PROPERTY, ...z.path] });
  const said = wp?.success === true ? wp.data.said : [];
  // A comment the app posted with a person's typed answer is that person's.
  const answeredBy = new Map(said.flatMap((s) => (s.kind === 'reply' ? [[s.commentId, s.by] as const] : [])));

  (f.comment?.comments ?? []).forEach((c, i) => {
    const ts = time(c.created, ['fields', 'comment', 'comments', i, 'created']);
    if (ts === undefined) return;
    drafts.push({
      caseId,
      at: ts.at,
      offsetMinutes: ts.offsetMinutes,
      kind: 'comment',
      actor: (c.id === undefined ? undefined : answeredBy.get(String(c.id))) ?? accountOf(c.author),
      text: bodyToText(c.body),
      order: order++,
    });
  });

  // A block is a visit of its `blockedState` until the status next changes, another block or an "On it" (a
  // reply is its comment, above).
  for (const s of said)
    if (s.kind !== 'reply')
      drafts.push({
        caseId,
        at: s.at,
        offsetMinutes: 0,
        kind: 'field',
        field: WAITING_PROPERTY,
        from: null,
        to: s.kind === 'blocked' ? s.reason : null,
        actor: s.by,
        order: order++,
        blocked: s.kind === 'blocked' ? s.reason : null,
      });

  if (problems.length > 0 || created === undefined) return fail(...problems);

  drafts.sort((a, b) => a.at - b.at || a.order - b.order);
  changes.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const c of changes) {
    if (firstStatusFrom === undefined && c.statusFrom !== undefined) firstStatusFrom = c.statusFrom;
    if (firstOwnerFrom === undefined && c.ownerFrom !== undefined) firstOwnerFrom = c.ownerFrom;
  }

  const currentState = f.status?.name ?? null;
  const ownerNow = ownerField === 'assignee' ? accountOf(f.assignee) : ownerFieldValue(issue, ownerField);
  let state = firstStatusFrom !== undefined ? firstStatusFrom : currentState;
  let owner = firstOwnerFrom !== undefined ? firstOwnerFrom : ownerNow;

  const creator = accountOf(f.creator) ?? accountOf(f.reporter);
  const events: CaseEvent[] = [
    {
      caseId,
      at: created.at,
      offsetMinutes: created.offsetMinutes,
      kind: 'created',
      from: null,
      to: state,
      actor: creator,
      state,
      owner,
    },
  ];
  let blocked: WaitingReason | null = null;
  for (const { order: _order, blocked: blocks, ...d } of drafts) {
    if (d.kind === 'status') {
      state = d.to ?? null;
      blocked = null; // a block is about the state it was said in
    } else if (d.kind === 'owner') owner = d.to ?? null;
    if (blocks !== undefined) blocked = blocks;
    events.push({ ...d, state: blocked === null ? state : blockedState(blocked), owner });
  }

  const record: CaseRecord = {
    id: caseId,
    source: options.source,
    attributes: attributesOf(issue),
    state: currentState,
    owner: ownerNow,
    events,
  };
  const total = issue.changelog?.total;
  if (total !== undefined && total > histories.length) {
    // `expand=changelog` returns at most 100 histories; the rest needs the changelog endpoints.
    record.attributes.changelogTruncated = true;
  }
  if (f.summary) record.title = f.summary;
  if (f.description !== undefined && f.description !== null) {
    const text = bodyToText(f.description);
    if (text !== '') record.description = text;
  }
  if (f.duedate) {
    const due = parseTimestamp(f.duedate);
    if (due === undefined)
      return fail({ code: 'jira.bad-timestamp', path: ['fields', 'duedate'], message: `'${f.duedate}' is not a date` });
    record.due = due.at;
  }

  const hints: StateCategoryHints = new Map();
  // Every status the history names that Jira still lists, under its name now, with its category.
  const named = new Set(events.flatMap((e) => (e.kind === 'status' ? [e.from, e.to] : [e.state])));
  for (const st of options.statuses?.values() ?? [])
    if (named.has(st.name) && CATEGORIES.has(st.category))
      hints.set(st.name, st.category as 'new' | 'indeterminate' | 'done');
  const category = f.status?.statusCategory?.key;
  if (currentState !== null && category !== undefined && CATEGORIES.has(category)) {
    hints.set(currentState, category as 'new' | 'indeterminate' | 'done');
  }
  const mapped: MappedIssue = issue.id === undefined ? { record, hints } : { record, hints, issueId: String(issue.id) };
  return ok(mapped);
}

/** The owner from a custom owner field now: a user, an option `{value}`, a group `{name}` or a string. */
function ownerFieldValue(issue: IssueInput, field: string): string | null {
  const v = (issue.fields as Record<string, unknown>)[field];
  if (typeof v === 'string') return v;
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const account = accountOf(o as never);
  if (account !== null) return account;
  return typeof o.value === 'string' ? o.value : null;
}
