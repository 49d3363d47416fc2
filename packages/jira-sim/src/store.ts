import { adfFromText, adfToText } from './adf.ts';
import { parseJiraTime } from './jira-time.ts';
import type { IndexedPropertyValue, JqlSubject } from './jql.ts';
import type { ParsedSimSeed, SimField, SimPriority, SimProject, SimStatus, SimTransition, SimUser } from './seed.ts';
import { SimSeedSchema, SimIssueSeedSchema } from './seed.ts';
import type { SimIssueSeed, SimSeed } from './seed.ts';

export interface HistoryItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}
export interface HistoryRecord {
  id: string;
  author: string | null;
  created: number;
  items: HistoryItem[];
}
export interface CommentRecord {
  id: string;
  author: string;
  body: unknown;
  created: number;
  updated: number;
  properties: Map<string, unknown>;
  /** Restricted to a group or project role: only its members see the comment. */
  visibility?: { type: 'group' | 'role'; value: string };
}
export interface IssueRecord {
  id: string;
  key: string;
  projectKey: string;
  summary: string;
  description: unknown;
  /** Custom fields by id, each value as Jira serves it. */
  customFields: Record<string, unknown>;
  issuetype: string;
  priority: string;
  statusId: string;
  assignee: string | null;
  reporter: string | null;
  labels: string[];
  components: string[];
  duedate: string | null;
  /** The fields on the issue's edit screen (Jira's editmeta). */
  editableFields: string[];
  created: number;
  updated: number;
  histories: HistoryRecord[];
  comments: CommentRecord[];
  properties: Map<string, unknown>;
}

/** A change the sim made, in the order it happened: what Jira would turn into a product event. */
export interface SimChange {
  kind: 'created' | 'updated' | 'assigned' | 'commented';
  issueKey: string;
  issueId: string;
  actor: string | null;
  at: number;
  history?: HistoryRecord;
  comment?: CommentRecord;
}

export interface ConsistencyOptions {
  /** A write becomes visible to search this many ms (of the sim's clock) after it happened. */
  indexDelayMs?: number;
  /** ...and only from the Nth search request after it (1 = the next search sees it). */
  indexAfterSearches?: number;
}

interface PendingIndex {
  key: string;
  snapshot: IssueRecord;
  visibleAt: number;
  searchesLeft: number;
}

export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
  }
}

/** One email queued by `POST /issue/{key}/notify`. */
export interface SimNotification {
  issueKey: string;
  actor: string;
  at: number;
  subject: string;
  textBody: string | null;
  htmlBody: string | null;
  /** The accounts it reaches. */
  to: string[];
}

/** The fields `editFields` models. */
const EDITABLE = new Set(['summary', 'duedate', 'labels', 'priority', 'components']);
/** The `update` verbs each field takes (Jira's editmeta `operations`). */
export const OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  summary: ['set'],
  duedate: ['set'],
  priority: ['set'],
  labels: ['add', 'set', 'remove'],
  components: ['add', 'set', 'remove'],
  description: ['set'],
  assignee: ['set'],
};
const validLabel = (l: unknown): l is string => typeof l === 'string' && l !== '' && !/\s/.test(l);
/** `{ id }` or `{ name }` (what Jira takes for priority and components), as a lookup key. */
const ref = (v: unknown): { id?: string; name?: string } | null => {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.id === 'string') return { id: o.id };
  if (typeof o.name === 'string') return { name: o.name };
  return null;
};

/** What every active licensed user holds in the sim's projects (customers hold none of it). */
const PEOPLE_PERMISSIONS: ReadonlySet<string> = new Set([
  'BROWSE_PROJECTS',
  'ASSIGN_ISSUES',
  'ADD_COMMENTS',
  'CREATE_ISSUES',
  'EDIT_ISSUES',
]);
const NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

/** Everything the sim knows, with Jira's rules for writes. The HTTP layer only translates. */
/**
 * Page sizes a test may shrink. Jira says its default and maximum page sizes "are not considered part
 * of the API and may change without notice" and that clients must read `total` and page
 * (https://confluence.atlassian.com/jirakb/changing-maxresults-parameter-for-jira-rest-api-779160706.html):
 * a small cap here proves a client does.
 */
export interface SimPageLimits {
  /** Comments embedded in an issue's `comment` field (the rest through `GET /issue/{key}/comment`). Default: all. */
  embeddedComments: number;
}

export class SimStore {
  /** See `SimPageLimits`; set through `startJiraSim({ limits })`. */
  readonly limits: SimPageLimits = { embeddedComments: Number.POSITIVE_INFINITY };
  readonly me: string;
  readonly admins: Set<string>;
  /**
   * The "issue updated" emails Jira sends watchers for each field edit (`PUT /issue/{key}`), unless the
   * edit passed `notifyUsers=false` with Administer Jira or Administer projects (without it the flag is ignored).
   */
  readonly updateEmails: { issueKey: string; actor: string | null }[] = [];
  /** The emails `POST /issue/{key}/notify` queued, each with the accounts that receive it (after `restrict`). */
  readonly notifications: SimNotification[] = [];
  readonly users = new Map<string, SimUser>();
  readonly statuses = new Map<string, SimStatus>();
  readonly projects = new Map<string, SimProject>();
  /** The site's priorities, highest first. */
  readonly priorities: SimPriority[];
  readonly issues = new Map<string, IssueRecord>();
  /** The site's field definitions (recorded), by id. */
  readonly fields = new Map<string, SimField>();
  readonly changes: SimChange[] = [];
  private readonly index = new Map<string, IssueRecord>();
  private pending: PendingIndex[] = [];
  private nextId = 10_000;
  private nextHistoryId = 50_000;
  private nextCommentId = 70_000;
  private readonly usedIds = { issue: new Set<string>(), history: new Set<string>(), comment: new Set<string>() };

  /** Issue-property values searchable with JQL (`startJiraSim`'s `indexedProperties`). */
  readonly indexed: IndexedPropertyValue[] = [];

  constructor(
    seed: SimSeed,
    readonly clock: () => number,
    readonly consistency: ConsistencyOptions = {},
  ) {
    const s: ParsedSimSeed = SimSeedSchema.parse(seed);
    this.me = s.me;
    this.admins = new Set(s.admins);
    for (const u of s.users) this.users.set(u.accountId, u);
    for (const st of s.statuses) this.statuses.set(st.id, st);
    for (const p of s.projects) this.projects.set(p.key, p);
    for (const f of s.fields) this.fields.set(f.id, f);
    this.priorities = s.priorities;
    for (const i of s.issues) this.insert(i);
  }

  /** Adds an issue as it stands (seed or test set-up): visible to search at once, no event. */
  insert(input: SimIssueSeed): IssueRecord {
    const i = SimIssueSeedSchema.parse(input);
    const projectKey = i.key.split('-')[0] as string;
    const project = this.projects.get(projectKey);
    if (!project) throw new Error(`seed: unknown project ${projectKey}`);
    const status = this.statusByName(i.status, project);
    if (!status) throw new Error(`seed: unknown status ${i.status} in ${projectKey}`);
    const created = parseJiraTime(i.created);
    if (this.issues.has(i.key)) throw new Error(`seed: duplicate issue ${i.key}`);
    const record: IssueRecord = {
      id: this.takeId('issue', i.id),
      key: i.key,
      projectKey,
      summary: i.summary,
      description:
        i.description === undefined || i.description === null
          ? null
          : typeof i.description === 'string'
            ? adfFromText(i.description)
            : i.description,
      customFields: structuredClone(i.customFields),
      issuetype: i.issuetype,
      priority: i.priority,
      statusId: status.id,
      assignee: i.assignee,
      reporter: i.reporter,
      labels: i.labels,
      components: i.components,
      duedate: i.duedate,
      editableFields: i.editableFields,
      created,
      updated: i.updated === undefined ? created : parseJiraTime(i.updated),
      histories: i.histories.map((h) => ({
        id: this.takeId('history', h.id),
        author: h.author,
        created: parseJiraTime(h.created),
        items: h.items.map((it) => ({ ...it, fieldId: it.fieldId ?? it.field })),
      })),
      comments: i.comments.map((c) => ({
        id: this.takeId('comment', c.id),
        author: c.author,
        body: typeof c.body === 'string' ? adfFromText(c.body) : c.body,
        created: parseJiraTime(c.created),
        updated: parseJiraTime(c.updated ?? c.created),
        properties: new Map(Object.entries(c.properties ?? {})),
      })),
      properties: new Map(Object.entries(i.properties)),
    };
    this.issues.set(record.key, record);
    this.index.set(record.key, snapshot(record));
    return record;
  }

  /** A recorded id as given (unique per kind), else the next free generated one. */
  private takeId(kind: 'issue' | 'history' | 'comment', recorded: string | undefined): string {
    const used = this.usedIds[kind];
    if (recorded !== undefined) {
      if (used.has(recorded)) throw new Error(`seed: duplicate ${kind} id ${recorded}`);
      used.add(recorded);
      return recorded;
    }
    const next = (): string =>
      String(kind === 'issue' ? this.nextId++ : kind === 'history' ? this.nextHistoryId++ : this.nextCommentId++);
    let id = next();
    while (used.has(id)) id = next();
    used.add(id);
    return id;
  }

  statusByName(nameOrId: string, project?: SimProject): SimStatus | undefined {
    const ids = project?.statuses ?? [...this.statuses.keys()];
    for (const id of ids) {
      const st = this.statuses.get(id);
      if (st && (st.id === nameOrId || st.name.toLowerCase() === nameOrId.toLowerCase())) return st;
    }
    return undefined;
  }

  get(keyOrId: string): IssueRecord {
    const byKey = this.issues.get(keyOrId.toUpperCase());
    if (byKey) return byKey;
    for (const i of this.issues.values()) if (i.id === keyOrId) return i;
    throw new SimError(404, [NOT_FOUND]);
  }

  project(issue: IssueRecord): SimProject {
    return this.projects.get(issue.projectKey) as SimProject;
  }

  transitionsOf(issue: IssueRecord): SimTransition[] {
    const project = this.project(issue);
    const all =
      project.transitions ??
      project.statuses.map((id) => ({
        id: String(Number(id) * 10 + 1),
        name: this.statuses.get(id)?.name ?? id,
        to: id,
      }));
    return all.filter((t) => t.to !== issue.statusId);
  }

  /**
   * An admin renames a status (Jira's status settings, or `PUT /rest/api/3/statuses`): it keeps its id and
   * category, issues in it show the new name, and the changelog keeps the name each change recorded
   * (`fromString`/`toString` are stored with the change, so history reads after a status is removed:
   * https://developer.atlassian.com/jiradev/jira-platform/jira-architecture/database-schema/database-change-history).
   * Jira refuses a name another status has.
   */
  renameStatus(id: string, name: string): void {
    const status = this.statuses.get(id);
    if (!status) throw new SimError(404, [`The status ${id} does not exist.`]);
    for (const other of this.statuses.values())
      if (other.id !== id && other.name.toLowerCase() === name.toLowerCase())
        throw new SimError(400, [`A status with the name '${name}' already exists.`]);
    this.statuses.set(id, { ...status, name });
  }

  // ---- writes (Jira's rules; each records a history and a change and schedules re-indexing) ----

  /**
   * Creates an issue in the project's first status, reported by the caller, the next key of the
   * project (`POST /rest/api/3/issue`): a `created` change, searchable when the index says so.
   */
  create(
    input: { projectKey: string; issuetype: string; summary: string; description: unknown },
    actor: string,
  ): IssueRecord {
    const project = this.projects.get(input.projectKey) as SimProject;
    const highest = Math.max(
      0,
      ...[...this.issues.values()].filter((i) => i.projectKey === project.key).map((i) => Number(i.key.split('-')[1])),
    );
    const now = this.clock();
    const at = new Date(now).toISOString();
    const record = this.insert({
      key: `${project.key}-${highest + 1}`,
      summary: input.summary,
      issuetype: input.issuetype,
      status: this.statuses.get(project.statuses[0] as string)?.name ?? (project.statuses[0] as string),
      reporter: actor,
      created: at,
      ...(input.description === undefined || input.description === null
        ? {}
        : { description: input.description as SimIssueSeed['description'] }),
    });
    this.changes.push({ kind: 'created', issueKey: record.key, issueId: record.id, actor, at: now });
    this.index.delete(record.key);
    this.scheduleIndex(record);
    return record;
  }

  assign(keyOrId: string, accountId: string | null, actor: string | null): void {
    const issue = this.get(keyOrId);
    if (accountId !== null) {
      const user = this.users.get(accountId);
      if (!user || !this.project(issue).assignable.includes(accountId) || !user.active) {
        throw new SimError(400, [], { assignee: `User '${accountId}' cannot be assigned issues.` });
      }
    }
    if (issue.assignee === accountId) return; // Jira does not record a no-op assignment
    const item = this.userItem('assignee', issue.assignee, accountId);
    issue.assignee = accountId;
    this.recordHistory(issue, actor, [item], 'assigned');
  }

  transition(keyOrId: string, transitionId: string, actor: string | null): void {
    const issue = this.get(keyOrId);
    const t = this.transitionsOf(issue).find((x) => x.id === transitionId);
    if (!t) throw new SimError(400, [`Transition id '${transitionId}' is not valid for this issue.`]);
    const from = this.statuses.get(issue.statusId) as SimStatus;
    const to = this.statuses.get(t.to) as SimStatus;
    issue.statusId = to.id;
    const items: HistoryItem[] = [
      {
        field: 'status',
        fieldtype: 'jira',
        fieldId: 'status',
        from: from.id,
        fromString: from.name,
        to: to.id,
        toString: to.name,
      },
    ];
    if (to.category === 'done' && from.category !== 'done') {
      items.push({
        field: 'resolution',
        fieldtype: 'jira',
        fieldId: 'resolution',
        from: null,
        fromString: null,
        to: '10000',
        toString: 'Done',
      });
    }
    this.recordHistory(issue, actor, items, 'updated');
  }

  /** A person's edit made outside the API under test (a test's "someone changed the issue"). */
  edit(
    keyOrId: string,
    patch: Partial<Pick<IssueRecord, 'summary' | 'priority' | 'labels' | 'components' | 'duedate'>> & {
      status?: string;
      assignee?: string | null;
    },
    actor: string | null,
  ): void {
    const issue = this.get(keyOrId);
    if (patch.assignee !== undefined) this.assign(issue.key, patch.assignee, actor);
    if (patch.status !== undefined) {
      const to = this.statusByName(patch.status, this.project(issue));
      if (!to) throw new SimError(400, [], { status: `Status '${patch.status}' is not in this project's workflow.` });
      const t = this.transitionsOf(issue).find((x) => x.to === to.id);
      if (t) this.transition(issue.key, t.id, actor);
    }
    const items: HistoryItem[] = [];
    for (const field of ['summary', 'priority', 'duedate'] as const) {
      const next = patch[field];
      if (next !== undefined && next !== issue[field]) {
        const id = (name: string | null): string | null =>
          field === 'priority' && name !== null ? (this.priority({ name })?.id ?? null) : null;
        items.push({
          field,
          fieldtype: 'jira',
          fieldId: field,
          from: id(issue[field]),
          fromString: issue[field],
          to: id(next),
          toString: next,
        });
        (issue as unknown as Record<string, unknown>)[field] = next;
      }
    }
    if (patch.labels !== undefined && patch.labels.join(' ') !== issue.labels.join(' ')) {
      items.push({
        field: 'labels',
        fieldtype: 'jira',
        fieldId: 'labels',
        from: null,
        fromString: issue.labels.join(' '),
        to: null,
        toString: patch.labels.join(' '),
      });
      issue.labels = [...patch.labels];
    }
    if (patch.components !== undefined) {
      // Jira records one 'Component' item per component added or removed.
      const ids = this.componentIds(issue);
      for (const c of issue.components.filter((x) => !patch.components?.includes(x))) {
        items.push({
          field: 'Component',
          fieldtype: 'jira',
          fieldId: 'components',
          from: ids.get(c) ?? null,
          fromString: c,
          to: null,
          toString: null,
        });
      }
      for (const c of patch.components.filter((x) => !issue.components.includes(x))) {
        items.push({
          field: 'Component',
          fieldtype: 'jira',
          fieldId: 'components',
          from: null,
          fromString: null,
          to: ids.get(c) ?? null,
          toString: c,
        });
      }
      issue.components = [...patch.components];
    }
    if (items.length > 0) this.recordHistory(issue, actor, items, 'updated');
  }

  /** The project's components by name → id (ids from 10000 in the seed's order). */
  componentIds(issue: IssueRecord): Map<string, string> {
    return new Map((this.project(issue).components ?? []).map((name, n) => [name, String(10_000 + n)]));
  }

  /** The priority with this id or name (names compare case-insensitively, as Jira does). */
  priority(r: { id?: string; name?: string }): SimPriority | undefined {
    return this.priorities.find((p) =>
      r.id !== undefined ? p.id === r.id : p.name.toLowerCase() === r.name?.toLowerCase(),
    );
  }

  /**
   * `PUT /issue/{key}` with `fields` (set) and `update` (verbs: `add`, `set`, `remove` per field):
   * Jira's rules for the fields the sim models (summary, duedate, labels, priority, components). A
   * field not on the issue's edit screen, or one the sim does not model, is refused with Jira's 400
   * and nothing changes; so is a bad value: a due date must be `YYYY-MM-DD` (or null), a label has
   * no spaces, a priority is `{ id }` or `{ name }` of a site priority, a component one of the
   * project's. The same field in both `fields` and `update` is Jira's 400 too.
   */
  editFields(
    keyOrId: string,
    fields: Readonly<Record<string, unknown>>,
    actor: string | null,
    update: Readonly<Record<string, readonly Record<string, unknown>[]>> = {},
    /** `overrideScreenSecurity=true` (checked by the route: Administer Jira only): the edit screen is not asked. */
    overrideScreen = false,
  ): void {
    const issue = this.get(keyOrId);
    const errors: Record<string, string> = {};
    const ops: { field: string; verb: string; value: unknown }[] = [];
    for (const [field, value] of Object.entries(fields)) ops.push({ field, verb: 'set', value });
    for (const [field, list] of Object.entries(update)) {
      if (field in fields) {
        errors[field] = `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;
        continue;
      }
      for (const op of list) for (const [verb, value] of Object.entries(op)) ops.push({ field, verb, value });
    }
    const next = {
      summary: issue.summary,
      duedate: issue.duedate,
      labels: [...issue.labels],
      priority: issue.priority,
      components: [...issue.components],
    };
    const touched = new Set<string>();
    const componentIds = this.componentIds(issue);
    const componentName = (v: unknown): string | null => {
      const r = ref(v);
      if (r === null) return null;
      if (r.id !== undefined) return [...componentIds].find(([, id]) => id === r.id)?.[0] ?? null;
      return componentIds.has(r.name as string) ? (r.name as string) : null;
    };
    for (const { field, verb, value } of ops) {
      if (errors[field] !== undefined) continue;
      if ((!overrideScreen && !issue.editableFields.includes(field)) || !EDITABLE.has(field)) {
        errors[field] = `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;
        continue;
      }
      if (!(OPERATIONS[field] ?? []).includes(verb)) {
        errors[field] = `Operation '${verb}' is not supported for field '${field}'.`;
        continue;
      }
      touched.add(field);
      if (field === 'summary') {
        if (typeof value === 'string' && value.trim() !== '') next.summary = value;
        else errors.summary = 'You must specify a summary of the issue.';
      } else if (field === 'duedate') {
        if (
          value === null ||
          (typeof value === 'string' &&
            /^\d{4}-\d{2}-\d{2}$/.test(value) &&
            !Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
        )
          next.duedate = value;
        else errors.duedate = `Error parsing date string: ${String(value)}`;
      } else if (field === 'priority') {
        const r = ref(value);
        const p = r === null ? undefined : this.priority(r);
        if (p === undefined) errors.priority = 'The priority selected is invalid.';
        else next.priority = p.name;
      } else if (field === 'labels') {
        const list = verb === 'set' ? value : [value];
        if (!Array.isArray(list) || !list.every(validLabel)) errors.labels = 'The label must not contain spaces.';
        else if (verb === 'set') next.labels = [...new Set(list)];
        else if (verb === 'add') next.labels = [...new Set([...next.labels, ...list])];
        else next.labels = next.labels.filter((l) => !list.includes(l));
      } else if (field === 'components') {
        const list = verb === 'set' ? value : [value];
        const names = Array.isArray(list) ? list.map(componentName) : [null];
        const bad = Array.isArray(list) ? list.find((_, n) => names[n] === null) : value;
        if (bad !== undefined) {
          const r = ref(bad);
          errors.components =
            r?.id !== undefined
              ? `Component id '${r.id}' is not valid`
              : `Component name '${r?.name ?? String(bad)}' is not valid`;
        } else if (verb === 'set') next.components = [...new Set(names as string[])];
        else if (verb === 'add') next.components = [...new Set([...next.components, ...(names as string[])])];
        else next.components = next.components.filter((c) => !names.includes(c));
      }
    }
    if (Object.keys(errors).length > 0) throw new SimError(400, [], errors);
    const patch: Parameters<SimStore['edit']>[1] = {};
    for (const f of touched) (patch as Record<string, unknown>)[f] = next[f as keyof typeof next];
    this.edit(issue.key, patch, actor);
  }

  addComment(keyOrId: string, body: unknown, actor: string, properties: Record<string, unknown> = {}): CommentRecord {
    const issue = this.get(keyOrId);
    const now = this.clock();
    const comment: CommentRecord = {
      id: this.takeId('comment', undefined),
      author: actor,
      body,
      created: now,
      updated: now,
      properties: new Map(Object.entries(properties)),
    };
    issue.comments.push(comment);
    issue.updated = now;
    this.changes.push({ kind: 'commented', issueKey: issue.key, issueId: issue.id, actor, at: now, comment });
    this.scheduleIndex(issue);
    return comment;
  }

  /**
   * Issue properties do not touch `updated`; a property an app indexes (`indexed`) is re-indexed like
   * any change (so searchable after the index delay), the others are not searchable at all.
   */
  setProperty(keyOrId: string, prop: string, value: unknown): 'created' | 'updated' {
    const issue = this.get(keyOrId);
    const existed = issue.properties.has(prop);
    issue.properties.set(prop, structuredClone(value));
    if (this.indexed.some((v) => v.propertyKey === prop)) this.scheduleIndex(issue);
    return existed ? 'updated' : 'created';
  }

  /** Jira's permission model, reduced to what Baton checks. */
  hasPermission(accountId: string, permission: string): boolean {
    const user = this.users.get(accountId);
    if (!user?.active) return false;
    if (permission === 'ADMINISTER' || permission === 'ADMINISTER_PROJECTS') return this.admins.has(accountId);
    if (PEOPLE_PERMISSIONS.has(permission)) return user.accountType !== 'customer';
    return false;
  }

  commentText(c: CommentRecord): string {
    return adfToText(c.body);
  }

  private userItem(field: string, from: string | null, to: string | null): HistoryItem {
    const name = (id: string | null): string | null => (id === null ? null : (this.users.get(id)?.displayName ?? id));
    return { field, fieldtype: 'jira', fieldId: field, from, fromString: name(from), to, toString: name(to) };
  }

  private recordHistory(issue: IssueRecord, actor: string | null, items: HistoryItem[], kind: SimChange['kind']): void {
    const now = this.clock();
    const history: HistoryRecord = { id: this.takeId('history', undefined), author: actor, created: now, items };
    issue.histories.push(history);
    issue.updated = now;
    this.changes.push({ kind, issueKey: issue.key, issueId: issue.id, actor, at: now, history });
    this.scheduleIndex(issue);
  }

  // ---- the search index: eventually consistent on purpose ----

  private scheduleIndex(issue: IssueRecord): void {
    const delay = this.consistency.indexDelayMs ?? 0;
    const after = this.consistency.indexAfterSearches ?? 0;
    if (delay === 0 && after === 0) {
      this.index.set(issue.key, snapshot(issue));
      return;
    }
    this.pending.push({
      key: issue.key,
      snapshot: snapshot(issue),
      visibleAt: this.clock() + delay,
      searchesLeft: after,
    });
  }

  /** Called once per search request: counts it, then applies the writes whose time has come. */
  searchSnapshot(): IssueRecord[] {
    const now = this.clock();
    const still: PendingIndex[] = [];
    for (const p of this.pending) {
      p.searchesLeft -= 1;
      if (p.searchesLeft <= 0 && p.visibleAt <= now) this.index.set(p.key, p.snapshot);
      else still.push(p);
    }
    this.pending = still;
    return [...this.index.values()];
  }

  /** Makes every pending write searchable now (a test's "wait until Jira has re-indexed"). */
  flushIndex(): void {
    for (const p of this.pending) this.index.set(p.key, p.snapshot);
    this.pending = [];
  }

  subject(issue: IssueRecord): JqlSubject {
    const project = this.project(issue);
    const status = this.statuses.get(issue.statusId) as SimStatus;
    return {
      id: issue.id,
      key: issue.key,
      project: { id: project.id, key: project.key, name: project.name },
      status: { id: status.id, name: status.name, category: status.category },
      assignee: issue.assignee,
      reporter: issue.reporter,
      priority: issue.priority,
      issuetype: issue.issuetype,
      labels: issue.labels,
      summary: issue.summary,
      created: issue.created,
      updated: issue.updated,
      duedate: issue.duedate === null ? null : Date.parse(`${issue.duedate}T00:00:00Z`),
      properties: issue.properties,
    };
  }
}

function snapshot(issue: IssueRecord): IssueRecord {
  return {
    ...issue,
    labels: [...issue.labels],
    components: [...issue.components],
    customFields: { ...issue.customFields },
    histories: [...issue.histories],
    comments: [...issue.comments],
    properties: new Map(issue.properties),
  };
}
