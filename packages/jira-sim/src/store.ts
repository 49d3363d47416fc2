import { adfFromText, adfToText } from './adf.ts';
import { parseJiraTime } from './jira-time.ts';
import type { JqlSubject } from './jql.ts';
import type { ParsedSimSeed, SimField, SimProject, SimStatus, SimTransition, SimUser } from './seed.ts';
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

/** The fields `editFields` models, each with Jira's check of its value (a message when wrong). */
const EDITABLE: Readonly<Record<string, (value: unknown) => string | undefined>> = {
  summary: (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : 'You must specify a summary of the issue.'),
  duedate: (v) =>
    v === null || (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
      ? undefined
      : `Error parsing date string: ${String(v)}`,
  labels: (v) => (Array.isArray(v) && v.every((l) => typeof l === 'string' && !/\s/.test(l)) ? undefined : 'The label must not contain spaces.'),
};

const NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

/** Everything the sim knows, with Jira's rules for writes. The HTTP layer only translates. */
export class SimStore {
  readonly me: string;
  readonly admins: Set<string>;
  readonly users = new Map<string, SimUser>();
  readonly statuses = new Map<string, SimStatus>();
  readonly projects = new Map<string, SimProject>();
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
      description: i.description === undefined || i.description === null ? null : typeof i.description === 'string' ? adfFromText(i.description) : i.description,
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
      project.statuses.map((id) => ({ id: String(Number(id) * 10 + 1), name: this.statuses.get(id)?.name ?? id, to: id }));
    return all.filter((t) => t.to !== issue.statusId);
  }

  // ---- writes (Jira's rules; each records a history and a change and schedules re-indexing) ----

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
      { field: 'status', fieldtype: 'jira', fieldId: 'status', from: from.id, fromString: from.name, to: to.id, toString: to.name },
    ];
    if (to.category === 'done' && from.category !== 'done') {
      items.push({ field: 'resolution', fieldtype: 'jira', fieldId: 'resolution', from: null, fromString: null, to: '10000', toString: 'Done' });
    }
    this.recordHistory(issue, actor, items, 'updated');
  }

  /** A person's edit made outside the API under test (a test's "someone changed the issue"). */
  edit(
    keyOrId: string,
    patch: Partial<Pick<IssueRecord, 'summary' | 'priority' | 'labels' | 'duedate'>> & { status?: string; assignee?: string | null },
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
        items.push({ field, fieldtype: 'jira', fieldId: field, from: null, fromString: issue[field], to: null, toString: next });
        (issue as unknown as Record<string, unknown>)[field] = next;
      }
    }
    if (patch.labels !== undefined) {
      items.push({ field: 'labels', fieldtype: 'jira', fieldId: 'labels', from: null, fromString: issue.labels.join(' '), to: null, toString: patch.labels.join(' ') });
      issue.labels = [...patch.labels];
    }
    if (items.length > 0) this.recordHistory(issue, actor, items, 'updated');
  }

  /**
   * `PUT /issue/{key}` with `fields`: Jira's rules for the fields the sim models. A field not on
   * the issue's edit screen, or one the sim does not model, is refused with Jira's 400 and nothing
   * changes; a due date must be `YYYY-MM-DD` (or null to clear it).
   */
  editFields(keyOrId: string, fields: Readonly<Record<string, unknown>>, actor: string | null): void {
    const issue = this.get(keyOrId);
    const errors: Record<string, string> = {};
    const patch: { summary?: string; duedate?: string | null; labels?: string[] } = {};
    for (const [field, value] of Object.entries(fields)) {
      if (!issue.editableFields.includes(field) || !(field in EDITABLE)) {
        errors[field] = `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;
        continue;
      }
      const problem = EDITABLE[field]?.(value);
      if (problem !== undefined) errors[field] = problem;
      else (patch as Record<string, unknown>)[field] = value;
    }
    if (Object.keys(errors).length > 0) throw new SimError(400, [], errors);
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

  /** Issue properties do not touch `updated` and are not searchable here, as in Jira without a JQL alias. */
  setProperty(keyOrId: string, prop: string, value: unknown): 'created' | 'updated' {
    const issue = this.get(keyOrId);
    const existed = issue.properties.has(prop);
    issue.properties.set(prop, structuredClone(value));
    return existed ? 'updated' : 'created';
  }

  /** Jira's permission model, reduced to what Baton checks. */
  hasPermission(accountId: string, permission: string): boolean {
    const user = this.users.get(accountId);
    if (!user?.active) return false;
    if (permission === 'ADMINISTER' || permission === 'ADMINISTER_PROJECTS') return this.admins.has(accountId);
    if (permission === 'BROWSE_PROJECTS' || permission === 'ASSIGN_ISSUES' || permission === 'ADD_COMMENTS') return user.accountType !== 'customer';
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
    this.pending.push({ key: issue.key, snapshot: snapshot(issue), visibleAt: this.clock() + delay, searchesLeft: after });
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
