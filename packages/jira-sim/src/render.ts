import { formatJiraTime } from './jira-time.ts';
import { CUSTOM_FIELD_ID } from './seed.ts';
import type { SimPriority, SimStatus, SimTransition } from './seed.ts';
import type { CommentRecord, HistoryRecord, IssueRecord, SimStore } from './store.ts';

/** Jira Cloud REST v3 response shapes, built from the store. `base` is the site URL the caller used. */
/** Histories Jira Cloud embeds with `expand=changelog` (the most recent ones). */
export const EMBEDDED_CHANGELOG_MAX = 100;

const CATEGORIES = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
} as const;

export function renderUser(store: SimStore, base: string, accountId: string | null): Record<string, unknown> | null {
  if (accountId === null) return null;
  const u = store.users.get(accountId);
  const avatar = `${base}/secure/useravatar?accountId=${encodeURIComponent(accountId)}`;
  return {
    self: `${base}/rest/api/3/user?accountId=${encodeURIComponent(accountId)}`,
    accountId,
    ...(u?.emailAddress === undefined ? {} : { emailAddress: u.emailAddress }),
    avatarUrls: { '48x48': avatar, '24x24': avatar, '16x16': avatar, '32x32': avatar },
    displayName: u?.displayName ?? 'Former user',
    active: u?.active ?? false,
    timeZone: u?.timeZone ?? 'UTC',
    accountType: u?.accountType ?? 'atlassian',
  };
}

export function renderStatus(base: string, st: SimStatus): Record<string, unknown> {
  const cat = CATEGORIES[st.category];
  return {
    self: `${base}/rest/api/3/status/${st.id}`,
    description: '',
    iconUrl: `${base}/images/icons/statuses/generic.png`,
    name: st.name,
    untranslatedName: st.name,
    id: st.id,
    statusCategory: { self: `${base}/rest/api/3/statuscategory/${cat.id}`, ...cat },
  };
}

export function renderHistory(store: SimStore, base: string, h: HistoryRecord): Record<string, unknown> {
  return {
    id: h.id,
    ...(h.author === null ? {} : { author: renderUser(store, base, h.author) }),
    created: formatJiraTime(h.created),
    items: h.items.map((it) => ({ ...it })),
  };
}

export function renderComment(
  store: SimStore,
  base: string,
  issue: IssueRecord,
  c: CommentRecord,
): Record<string, unknown> {
  return {
    self: `${base}/rest/api/3/issue/${issue.id}/comment/${c.id}`,
    id: c.id,
    author: renderUser(store, base, c.author),
    body: c.body,
    updateAuthor: renderUser(store, base, c.author),
    created: formatJiraTime(c.created),
    updated: formatJiraTime(c.updated),
    // Service Management: a comment is public (portal, customer emails) unless it carries
    // sd.public.comment = { internal: true }. https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-issueidorkey-comment-post
    // and https://confluence.atlassian.com/jirakb/how-to-add-internal-comments-via-rest-api-1019403011.html
    // A role- or group-restricted comment is not shown to the customer either.
    jsdPublic: !(isInternalComment(c.properties.get('sd.public.comment')) || c.visibility !== undefined),
    ...(c.visibility === undefined ? {} : { visibility: { ...c.visibility } }),
    ...(c.properties.size === 0 ? {} : { properties: [...c.properties].map(([key, value]) => ({ key, value })) }),
  };
}

export function renderTransition(store: SimStore, base: string, t: SimTransition): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    to: renderStatus(base, store.statuses.get(t.to) as SimStatus),
    hasScreen: false,
    isGlobal: true,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    isLooped: false,
  };
}

const NAVIGABLE = [
  'summary',
  'description',
  'issuetype',
  'project',
  'priority',
  'status',
  'assignee',
  'reporter',
  'creator',
  'labels',
  'components',
  'duedate',
  'created',
  'updated',
  'resolution',
  'resolutiondate',
  'statuscategorychangedate',
];
const ALL = [...NAVIGABLE, 'comment'];

/** Which fields a response carries: named ones, and with `*all`/`*navigable` every custom field the issue has. */
export class FieldSelection {
  constructor(
    readonly named: ReadonlySet<string>,
    readonly allCustom: boolean,
    readonly excluded: ReadonlySet<string>,
  ) {}

  get isEmpty(): boolean {
    return this.named.size === 0 && !this.allCustom;
  }

  has(field: string): boolean {
    if (this.excluded.has(field)) return false;
    return this.named.has(field) || (this.allCustom && CUSTOM_FIELD_ID.test(field));
  }
}

/**
 * Which fields to include, from Jira's `fields` parameter: names, `*all`, `*navigable` (both take
 * the issue's custom fields too), `-name` to exclude. `fallback` is the endpoint's default (`*all`
 * for an issue, none for search/jql).
 */
export function selectFields(param: readonly string[] | undefined, fallback: readonly string[]): FieldSelection {
  const list = param === undefined || param.length === 0 ? fallback : param;
  const named = new Set<string>();
  const excluded = new Set<string>();
  let allCustom = false;
  for (const raw of list.flatMap((p) => p.split(','))) {
    const f = raw.trim();
    if (f === '*all' || f === '*navigable') {
      (f === '*all' ? ALL : NAVIGABLE).forEach((x) => named.add(x));
      allCustom = true;
    } else if (f.startsWith('-')) {
      named.delete(f.slice(1));
      excluded.add(f.slice(1));
    } else if (f !== '' && f !== 'id' && f !== 'key') {
      named.add(f);
      excluded.delete(f);
    }
  }
  return new FieldSelection(named, allCustom, excluded);
}
export const ALL_FIELDS = ['*all'];

export function renderIssue(
  store: SimStore,
  base: string,
  issue: IssueRecord,
  opts: {
    fields: FieldSelection;
    changelog: boolean;
    properties?: readonly string[];
    names?: boolean;
    schema?: boolean;
  },
): Record<string, unknown> {
  const project = store.project(issue);
  const status = store.statuses.get(issue.statusId) as SimStatus;
  const lastStatusChange = [...issue.histories].reverse().find((h) => h.items.some((i) => i.field === 'status'));
  const resolvedAt = status.category === 'done' ? (lastStatusChange?.created ?? issue.updated) : null;
  const all: Record<string, () => unknown> = {
    summary: () => issue.summary,
    description: () => issue.description,
    issuetype: () => ({
      self: `${base}/rest/api/3/issuetype/1`,
      id: '1',
      name: issue.issuetype,
      subtask: false,
      hierarchyLevel: 0,
    }),
    project: () => ({
      self: `${base}/rest/api/3/project/${project.id}`,
      id: project.id,
      key: project.key,
      name: project.name,
      projectTypeKey: 'service_desk',
      simplified: false,
    }),
    priority: () => {
      const p = store.priority({ name: issue.priority });
      return {
        self: `${base}/rest/api/3/priority/${p?.id ?? '3'}`,
        iconUrl: `${base}/images/icons/priorities/${issue.priority.toLowerCase()}.svg`,
        name: issue.priority,
        id: p?.id ?? '3',
      };
    },
    status: () => renderStatus(base, status),
    assignee: () => renderUser(store, base, issue.assignee),
    reporter: () => renderUser(store, base, issue.reporter),
    creator: () => renderUser(store, base, issue.reporter),
    labels: () => [...issue.labels],
    components: () => {
      const ids = store.componentIds(issue);
      return issue.components.map((name, n) => {
        const id = ids.get(name) ?? String(n + 1);
        return { self: `${base}/rest/api/3/component/${id}`, id, name };
      });
    },
    duedate: () => issue.duedate,
    created: () => formatJiraTime(issue.created),
    updated: () => formatJiraTime(issue.updated),
    resolution: () =>
      resolvedAt === null ? null : { self: `${base}/rest/api/3/resolution/10000`, id: '10000', name: 'Done' },
    resolutiondate: () => (resolvedAt === null ? null : formatJiraTime(resolvedAt)),
    statuscategorychangedate: () => formatJiraTime(lastStatusChange?.created ?? issue.created),
    comment: () => {
      // The oldest comments up to the site's embedding cap; `total` counts all (see `SimPageLimits`).
      const shown = issue.comments.slice(0, store.limits.embeddedComments);
      return {
        comments: shown.map((c) => renderComment(store, base, issue, c)),
        self: `${base}/rest/api/3/issue/${issue.id}/comment`,
        maxResults: shown.length,
        total: issue.comments.length,
        startAt: 0,
      };
    },
  };
  for (const [id, value] of Object.entries(issue.customFields)) all[id] = () => structuredClone(value);
  const fields: Record<string, unknown> = {};
  for (const [f, render] of Object.entries(all)) if (opts.fields.has(f)) fields[f] = render();
  const out: Record<string, unknown> = {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${base}/rest/api/3/issue/${issue.id}`,
    key: issue.key,
  };
  if (!opts.fields.isEmpty) out.fields = fields;
  // `expand=names,schema`: for each returned field the site's definition knows (recorded field lists).
  const known = Object.keys(fields).flatMap((f) => {
    const def = store.fields.get(f);
    return def === undefined ? [] : [def];
  });
  if (opts.names) out.names = Object.fromEntries(known.map((d) => [d.id, d.name]));
  if (opts.schema)
    out.schema = Object.fromEntries(known.flatMap((d) => (d.schema === undefined ? [] : [[d.id, d.schema]])));
  if (opts.properties && opts.properties.length > 0) {
    const props: Record<string, unknown> = {};
    for (const p of opts.properties) if (issue.properties.has(p)) props[p] = issue.properties.get(p);
    out.properties = props;
  }
  if (opts.changelog) {
    // Documented order for `expand=changelog`: most recent first. Jira Cloud embeds at most 100
    // histories (the most recent) and says how many there are in `total`; the rest needs
    // `changelog/bulkfetch` or `issue/{key}/changelog`.
    const all = [...issue.histories].reverse();
    const histories = all.slice(0, EMBEDDED_CHANGELOG_MAX).map((h) => renderHistory(store, base, h));
    out.changelog = { startAt: 0, maxResults: histories.length, total: all.length, histories };
  }
  return out;
}

/** A priority as `GET /priority/search` lists it. */
export function renderPriority(base: string, p: SimPriority): Record<string, unknown> {
  return {
    self: `${base}/rest/api/3/priority/${p.id}`,
    statusColor: p.statusColor,
    description: p.description,
    iconUrl: `${base}/images/icons/priorities/${p.name.toLowerCase()}.svg`,
    name: p.name,
    id: p.id,
    isDefault: p.isDefault,
  };
}

/**
 * Jira Cloud's system fields as `GET /field` lists them (a subset: the ones a definition of ready or a
 * rule names), each with its JQL clause names and schema; the site's custom fields follow from the seed.
 */
const SYSTEM_FIELDS: readonly { id: string; name: string; schema: Record<string, unknown>; clauseNames?: string[] }[] =
  [
    { id: 'summary', name: 'Summary', schema: { type: 'string', system: 'summary' } },
    { id: 'description', name: 'Description', schema: { type: 'string', system: 'description' } },
    { id: 'assignee', name: 'Assignee', schema: { type: 'user', system: 'assignee' } },
    { id: 'reporter', name: 'Reporter', schema: { type: 'user', system: 'reporter' } },
    { id: 'priority', name: 'Priority', schema: { type: 'priority', system: 'priority' } },
    { id: 'duedate', name: 'Due date', schema: { type: 'date', system: 'duedate' }, clauseNames: ['due', 'duedate'] },
    { id: 'environment', name: 'Environment', schema: { type: 'string', system: 'environment' } },
    {
      id: 'components',
      name: 'Components',
      schema: { type: 'array', items: 'component', system: 'components' },
      clauseNames: ['component'],
    },
    { id: 'labels', name: 'Labels', schema: { type: 'array', items: 'string', system: 'labels' } },
    {
      id: 'fixVersions',
      name: 'Fix versions',
      schema: { type: 'array', items: 'version', system: 'fixVersions' },
      clauseNames: ['fixVersion'],
    },
    {
      id: 'versions',
      name: 'Affects versions',
      schema: { type: 'array', items: 'version', system: 'versions' },
      clauseNames: ['affectedVersion'],
    },
    { id: 'issuelinks', name: 'Linked Issues', schema: { type: 'array', items: 'issuelinks', system: 'issuelinks' } },
    { id: 'attachment', name: 'Attachment', schema: { type: 'array', items: 'attachment', system: 'attachment' } },
    { id: 'status', name: 'Status', schema: { type: 'status', system: 'status' } },
  ];

/** `GET /field`: the system fields, then the site's (seeded or recorded) fields, each in Jira's FieldDetails shape. */
export function renderFields(store: SimStore): Record<string, unknown>[] {
  const detail = (
    id: string,
    name: string,
    custom: boolean,
    schema: Record<string, unknown> | undefined,
    clauseNames: string[],
  ) => {
    const n = /^customfield_(\d+)$/.exec(id)?.[1];
    return {
      id,
      key: id,
      name,
      ...(custom ? { untranslatedName: name } : {}),
      custom,
      orderable: true,
      navigable: true,
      searchable: true,
      clauseNames,
      ...(schema !== undefined
        ? {
            schema:
              custom && n !== undefined && schema.customId === undefined ? { ...schema, customId: Number(n) } : schema,
          }
        : {}),
    };
  };
  const out = new Map<string, Record<string, unknown>>();
  for (const f of SYSTEM_FIELDS) out.set(f.id, detail(f.id, f.name, false, f.schema, f.clauseNames ?? [f.id]));
  for (const f of store.fields.values()) {
    const n = /^customfield_(\d+)$/.exec(f.id)?.[1];
    out.set(
      f.id,
      detail(f.id, f.name, f.custom, f.schema, f.custom && n !== undefined ? [`cf[${n}]`, f.name] : [f.id]),
    );
  }
  return [...out.values()];
}

/** A project's component as `GET /project/{key}/components` lists it. */
export function renderComponent(
  base: string,
  project: { id: string; key: string },
  name: string,
  n: number,
): Record<string, unknown> {
  const id = String(10_000 + n);
  return {
    self: `${base}/rest/api/3/component/${id}`,
    id,
    name,
    assigneeType: 'PROJECT_DEFAULT',
    realAssigneeType: 'PROJECT_DEFAULT',
    isAssigneeTypeValid: false,
    project: project.key,
    projectId: Number(project.id),
  };
}

/**
 * `GET /issue/{key}/editmeta` (Jira Cloud v3's IssueUpdateMetadata): `{ fields: { <id>: { required,
 * schema, name, key, operations, allowedValues? } } }` for the fields on the issue's edit screen only
 * (the issue's `editableFields`) — a field off the screen is absent, as in Jira. Operations are the
 * `update` verbs `PUT /issue` accepts for the field; priority and components list their allowed values.
 */
export function renderEditMeta(
  store: SimStore,
  base: string,
  issue: IssueRecord,
  operations: Readonly<Record<string, readonly string[]>>,
): Record<string, unknown> {
  const known = new Map<string, { name: string; schema: Record<string, unknown> | undefined }>();
  for (const f of SYSTEM_FIELDS) known.set(f.id, { name: f.name, schema: f.schema });
  for (const f of store.fields.values()) known.set(f.id, { name: f.name, schema: f.schema });
  const fields: Record<string, unknown> = {};
  for (const id of issue.editableFields) {
    const def = known.get(id);
    const entry: Record<string, unknown> = {
      required: id === 'summary',
      ...(def?.schema === undefined ? {} : { schema: def.schema }),
      name: def?.name ?? id,
      key: id,
      operations: [...(operations[id] ?? ['set'])],
    };
    if (id === 'priority')
      entry.allowedValues = store.priorities.map((p) => ({
        self: `${base}/rest/api/3/priority/${p.id}`,
        iconUrl: `${base}/images/icons/priorities/${p.name.toLowerCase()}.svg`,
        name: p.name,
        id: p.id,
      }));
    if (id === 'components')
      entry.allowedValues = [...store.componentIds(issue)].map(([name, cid]) => ({
        self: `${base}/rest/api/3/component/${cid}`,
        id: cid,
        name,
      }));
    if (id === 'labels') entry.autoCompleteUrl = `${base}/rest/api/1.0/labels/suggest?query=`;
    if (id === 'assignee')
      entry.autoCompleteUrl = `${base}/rest/api/3/user/assignable/search?issueKey=${issue.key}&query=`;
    fields[id] = entry;
  }
  return { fields };
}

function isInternalComment(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { internal?: unknown }).internal === true;
}
