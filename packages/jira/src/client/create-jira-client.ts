import * as z from 'zod';
import {
  JiraNotFoundError,
  JiraResponseShapeError,
  jiraErrorFrom,
  JiraApiError,
  retryAfterFrom,
} from './jira-api-error.ts';
import type { JiraFetch, JiraRequestInit } from './jira-fetch.ts';
import {
  ApproximateCountSchema,
  BulkChangelogPageSchema,
  CommentPageSchema,
  CommentSchema,
  EditMetaSchema,
  JiraStatusSchema,
  JiraUserSchema,
  JiraIssueSchema,
  MyPermissionsSchema,
  BulkPermissionGrantsSchema,
  PriorityPageSchema,
  JiraComponentSchema,
  JiraFieldSchema,
  ProjectStatusesSchema,
  PropertySchema,
  RemoteLinkIdSchema,
  SearchPageSchema,
  StartAtSearchPageSchema,
  TransitionsSchema,
  UserPageSchema,
} from './jira-schemas.ts';
import type {
  ChangeHistory,
  EditMetaField,
  JiraComment,
  JiraComponent,
  JiraField,
  JiraIssue,
  JiraPriority,
  JiraStatus,
  JiraTransition,
  JiraUser,
  RemoteLinkInput,
  SearchPage,
  StartAtSearchPage,
} from './jira-schemas.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry-policy.ts';
import type { RetryPolicy } from './retry-policy.ts';

export interface SearchParams {
  jql: string;
  fields?: readonly string[];
  maxResults?: number;
  nextPageToken?: string;
  expand?: string;
  properties?: readonly string[];
}

/**
 * Query options of `PUT /issue/{key}` (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put).
 * `notifyUsers: false` keeps the edit from emailing watchers (it needs Administer Jira or Administer
 * projects; without it Jira ignores the flag). `overrideScreenSecurity: true` writes a field that is not
 * on the edit screen, for Forge apps acting on behalf of a user with Administer Jira only.
 */
export interface EditIssueOptions {
  notifyUsers?: boolean;
  overrideScreenSecurity?: boolean;
}

/** A Jira Data Center search page request (`POST /rest/api/2/search`, offsets). */
export interface StartAtSearchParams {
  jql: string;
  startAt: number;
  maxResults?: number;
  fields?: readonly string[];
  expand?: readonly string[];
}

export interface JiraClientOptions {
  fetch: JiraFetch;
  retry?: Partial<RetryPolicy>;
  /** For `Retry-After` given as a date. */
  now?: () => number;
}

export interface JiraClient {
  searchJql(params: SearchParams): Promise<SearchPage>;
  /** Every issue matching the JQL, page after page (`nextPageToken`), as they arrive. */
  searchAll(params: Omit<SearchParams, 'nextPageToken'>): AsyncGenerator<JiraIssue>;
  /**
   * About how many issues a bounded JQL query matches (`POST /search/approximate-count`), in one call
   * whatever the number: for load and progress, where paging every match would cost a call per page.
   */
  approximateCount(jql: string): Promise<number>;
  getIssue(
    key: string,
    opts?: { fields?: readonly string[]; expand?: string; properties?: readonly string[] },
  ): Promise<JiraIssue>;
  /**
   * Changelogs of many issues (up to 1,000 keys a call), all pages, grouped by issue id, oldest
   * first. `maxResults` is the page size asked of Jira (Jira's default when absent).
   */
  bulkChangelogs(
    keys: readonly string[],
    fieldIds?: readonly string[],
    opts?: { maxResults?: number },
  ): Promise<Map<string, ChangeHistory[]>>;
  assignIssue(key: string, accountId: string | null): Promise<void>;
  /**
   * `PUT /issue/{key}` with `fields` (e.g. `{ duedate: '2026-12-01' }`) and, optionally, `update` verbs
   * (`{ labels: [{ add: 'billing' }] }`: adds without replacing what is there); a field not on the edit
   * screen is a `JiraBadRequestError`.
   */
  editIssue(
    key: string,
    fields: Readonly<Record<string, unknown>>,
    update?: Readonly<Record<string, readonly Record<string, unknown>[]>>,
    opts?: EditIssueOptions,
  ): Promise<void>;
  /**
   * The fields on the issue's edit screen, by id (`GET /issue/{key}/editmeta`): a field absent here is
   * one `editIssue` would be refused with Jira's 400 "not on the appropriate screen".
   */
  editMeta(key: string): Promise<Record<string, EditMetaField>>;
  /** The site's priorities, highest first (`GET /priority/search`, all pages); `onlyDefault` asks for the default one. */
  priorities(opts?: { onlyDefault?: boolean }): Promise<JiraPriority[]>;
  /** Every field of the site, system and custom (`GET /field`, one unpaged list). */
  fields(): Promise<JiraField[]>;
  /** A project's components (`GET /project/{key}/components`, one unpaged list). */
  projectComponents(projectKey: string): Promise<JiraComponent[]>;
  addComment(key: string, adf: unknown, properties?: Readonly<Record<string, unknown>>): Promise<JiraComment>;
  /**
   * Emails people through Jira about an issue (`POST /issue/{key}/notify`: queued by Jira's mail, no
   * egress). Only the listed accounts receive it (the reporter, assignee, watchers and voters are
   * turned off explicitly), and only those holding every `restrict` permission. Not retried: a
   * second attempt would be a second email.
   */
  notify(key: string, notification: IssueNotification): Promise<void>;
  /** Every comment, page after page; `restVersion: 2` for Jira Data Center (wiki-text bodies). */
  listComments(key: string, opts?: { withProperties?: boolean; restVersion?: 2 | 3 }): Promise<JiraComment[]>;
  /** Jira Data Center's search: one page by offset, with `total` (`expand: ['changelog']` gives whole changelogs there). */
  searchStartAt(params: StartAtSearchParams): Promise<StartAtSearchPage>;
  getTransitions(key: string): Promise<JiraTransition[]>;
  transitionIssue(key: string, transitionId: string): Promise<void>;
  /** `undefined` when the issue has no such property. */
  getIssueProperty(key: string, property: string): Promise<unknown>;
  setIssueProperty(key: string, property: string, value: unknown): Promise<void>;
  /** Creates or updates (by `globalId`) a remote issue link; the write repeats safely. */
  putRemoteLink(key: string, link: RemoteLinkInput): Promise<{ id: number }>;
  /** Removes the issue's remote link with `globalId` (a `JiraNotFoundError` when it has none). */
  deleteRemoteLink(key: string, globalId: string): Promise<void>;
  /** Creates an issue (`POST /rest/api/3/issue`): project by key, type by name, an ADF description. */
  createIssue(fields: {
    project: string;
    issuetype: string;
    summary: string;
    description?: unknown;
  }): Promise<{ id: string; key: string }>;
  /** Whether the issue has a remote link with this global id (`GET …/remotelink?globalId=`; 404 → false). */
  hasRemoteLink(key: string, globalId: string): Promise<boolean>;
  assignableUsers(scope: { project: string } | { issueKey: string }, query?: string): Promise<JiraUser[]>;
  /**
   * The people with these account ids (`GET /user/bulk`, paged; 50 ids per request keeps the URL short).
   * An id Jira does not know is left out.
   */
  users(accountIds: readonly string[]): Promise<JiraUser[]>;
  myself(): Promise<JiraUser>;
  /** Which of `permissions` the caller has, in a project or on an issue (or globally). */
  myPermissions(
    scope: { issueKey: string } | { projectKey: string } | 'global',
    permissions: readonly string[],
  ): Promise<Record<string, boolean>>;
  /**
   * Which of `permissions` another account holds on an issue (by its numeric id), asked as the caller
   * (`POST /rest/api/3/permissions/check`: the app may ask about anyone; a person needs Administer Jira).
   */
  permissionsOn(accountId: string, issueId: string, permissions: readonly string[]): Promise<Record<string, boolean>>;
  statuses(): Promise<JiraStatus[]>;
  projectStatuses(projectKey: string): Promise<JiraStatus[]>;
}

/** What `notify` sends: the email and the people it goes to. */
export interface IssueNotification {
  subject: string;
  textBody: string;
  htmlBody?: string;
  /** Account ids. */
  users: readonly string[];
  /** Project permission keys every recipient must hold (e.g. `BROWSE_PROJECTS`); Jira drops the others. */
  restrictToPermissions?: readonly string[];
}

const enc = encodeURIComponent;

/**
 * A Jira Cloud REST v3 client over an injected transport: retries 429 (honouring `Retry-After`)
 * and 5xx/network failures of idempotent calls with jittered backoff, parses every response with
 * zod and turns every failure into a `JiraApiError` subclass.
 * @example
 * const jira = createJiraClient({ fetch: fetchFromBaseUrl('https://acme.atlassian.net', fetch, { credentials: 'include' }) });
 * for await (const issue of jira.searchAll({ jql: 'project = SUP AND updated >= -1d', fields: ['status'] })) { ... }
 */
export function createJiraClient(options: JiraClientOptions): JiraClient {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const now = options.now ?? Date.now;

  async function send(
    method: JiraRequestInit['method'],
    path: string,
    body: unknown,
    idempotent: boolean,
  ): Promise<string> {
    const init: JiraRequestInit = {
      method,
      // Jira's XSRF check wants this on writes made with a browser session; harmless elsewhere.
      headers: {
        Accept: 'application/json',
        'X-Atlassian-Token': 'no-check',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
    for (let attempt = 1; ; attempt++) {
      let error: JiraApiError;
      try {
        const res = await options.fetch(path, init);
        const text = await res.text();
        if (res.status >= 200 && res.status < 300) return text;
        error = jiraErrorFrom({
          status: res.status,
          method,
          path,
          bodyText: text,
          retryAfterHeader: res.headers.get('retry-after'),
          ...(res.status === 429 ? { retryAfter: retryAfterFrom(res.headers, now()) } : {}),
          now: now(),
        });
      } catch (e) {
        error = e instanceof JiraApiError ? e : jiraErrorFrom({ status: 0, method, path, cause: e });
      }
      const wait = retryDelayMs(error, attempt, policy, idempotent);
      if (wait === undefined) throw error;
      await policy.sleep(wait);
    }
  }

  async function call<T>(
    schema: z.ZodType<T>,
    method: JiraRequestInit['method'],
    path: string,
    body?: unknown,
    idempotent = true,
  ): Promise<T> {
    const text = await send(method, path, body, idempotent);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new JiraResponseShapeError(`${method} ${path}: response is not JSON`, {
        status: 200,
        method,
        path,
        cause: e,
      });
    }
    const r = schema.safeParse(json);
    if (!r.success) {
      const first = r.error.issues[0];
      const where = first && first.path.length > 0 ? `at ${first.path.join('.')}: ` : '';
      const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : '';
      throw new JiraResponseShapeError(
        `${method} ${path}: unexpected response shape: ${where}${first?.message ?? ''}${more}`,
        {
          status: 200,
          method,
          path,
          cause: r.error,
        },
      );
    }
    return r.data;
  }

  const searchJql = (p: SearchParams): Promise<SearchPage> =>
    call(SearchPageSchema, 'POST', '/rest/api/3/search/jql', {
      jql: p.jql,
      ...(p.fields ? { fields: p.fields } : {}),
      ...(p.maxResults === undefined ? {} : { maxResults: p.maxResults }),
      ...(p.nextPageToken === undefined ? {} : { nextPageToken: p.nextPageToken }),
      ...(p.expand === undefined ? {} : { expand: p.expand }),
      ...(p.properties ? { properties: p.properties } : {}),
    });

  return {
    searchJql,
    approximateCount: async (jql) =>
      (await call(ApproximateCountSchema, 'POST', '/rest/api/3/search/approximate-count', { jql })).count,
    async *searchAll(p) {
      let token: string | undefined;
      do {
        const page = await searchJql({ ...p, ...(token === undefined ? {} : { nextPageToken: token }) });
        yield* page.issues;
        token = page.isLast === true ? undefined : (page.nextPageToken ?? undefined);
      } while (token !== undefined);
    },
    getIssue(key, opts = {}) {
      const q = new URLSearchParams();
      if (opts.fields) q.set('fields', opts.fields.join(','));
      if (opts.expand) q.set('expand', opts.expand);
      if (opts.properties) q.set('properties', opts.properties.join(','));
      const qs = q.toString();
      return call(JiraIssueSchema, 'GET', `/rest/api/3/issue/${enc(key)}${qs ? `?${qs}` : ''}`);
    },
    async bulkChangelogs(keys, fieldIds, opts = {}) {
      const out = new Map<string, ChangeHistory[]>();
      for (let i = 0; i < keys.length; i += 1000) {
        let token: string | undefined;
        do {
          const page = await call(BulkChangelogPageSchema, 'POST', '/rest/api/3/changelog/bulkfetch', {
            issueIdsOrKeys: keys.slice(i, i + 1000),
            ...(fieldIds ? { fieldIds } : {}),
            ...(opts.maxResults === undefined ? {} : { maxResults: opts.maxResults }),
            ...(token === undefined ? {} : { nextPageToken: token }),
          });
          for (const log of page.issueChangeLogs ?? [])
            out.set(log.issueId, [...(out.get(log.issueId) ?? []), ...log.changeHistories]);
          token = page.nextPageToken ?? undefined;
        } while (token !== undefined);
      }
      return out;
    },
    async assignIssue(key, accountId) {
      await send('PUT', `/rest/api/3/issue/${enc(key)}/assignee`, { accountId }, true);
    },
    async editIssue(key, fields, update, opts = {}) {
      const q = new URLSearchParams();
      if (opts.notifyUsers !== undefined) q.set('notifyUsers', String(opts.notifyUsers));
      if (opts.overrideScreenSecurity !== undefined)
        q.set('overrideScreenSecurity', String(opts.overrideScreenSecurity));
      const query = q.size === 0 ? '' : `?${q.toString()}`;
      // Setting fields to given values, and adding a value already there, are idempotent: 5xx and network failures are retried.
      await send(
        'PUT',
        `/rest/api/3/issue/${enc(key)}${query}`,
        update === undefined ? { fields } : { fields, update },
        true,
      );
    },
    async editMeta(key) {
      return (await call(EditMetaSchema, 'GET', `/rest/api/3/issue/${enc(key)}/editmeta`)).fields;
    },
    async priorities(opts = {}) {
      const out: JiraPriority[] = [];
      for (let startAt = 0; ;) {
        const q = `startAt=${startAt}&maxResults=50${opts.onlyDefault ? '&onlyDefault=true' : ''}`;
        const page = await call(PriorityPageSchema, 'GET', `/rest/api/3/priority/search?${q}`);
        out.push(...page.values);
        startAt += page.values.length;
        if (page.isLast !== false || page.values.length === 0) return out;
      }
    },
    fields: () => call(JiraFieldSchema.array(), 'GET', '/rest/api/3/field'),
    projectComponents: (projectKey) =>
      call(JiraComponentSchema.array(), 'GET', `/rest/api/3/project/${enc(projectKey)}/components`),
    addComment(key, adf, properties = {}) {
      const props = Object.entries(properties).map(([k, value]) => ({ key: k, value }));
      return call(
        CommentSchema,
        'POST',
        `/rest/api/3/issue/${enc(key)}/comment`,
        { body: adf, ...(props.length ? { properties: props } : {}) },
        false,
      );
    },
    async notify(key, n) {
      // The Notification body of https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-notify-post
      await send(
        'POST',
        `/rest/api/3/issue/${enc(key)}/notify`,
        {
          subject: n.subject,
          textBody: n.textBody,
          ...(n.htmlBody === undefined ? {} : { htmlBody: n.htmlBody }),
          to: {
            reporter: false,
            assignee: false,
            watchers: false,
            voters: false,
            users: n.users.map((accountId) => ({ accountId })),
          },
          ...(n.restrictToPermissions === undefined
            ? {}
            : { restrict: { permissions: n.restrictToPermissions.map((k) => ({ key: k })) } }),
        },
        false,
      );
    },
    async listComments(key, opts = {}) {
      const out: JiraComment[] = [];
      for (let startAt = 0; ;) {
        const q = `startAt=${startAt}&maxResults=100${opts.withProperties ? '&expand=properties' : ''}`;
        const page = await call(
          CommentPageSchema,
          'GET',
          `/rest/api/${opts.restVersion ?? 3}/issue/${enc(key)}/comment?${q}`,
        );
        out.push(...page.comments);
        startAt += page.comments.length;
        if (page.comments.length === 0 || startAt >= page.total) return out;
      }
    },
    searchStartAt: (p) =>
      call(StartAtSearchPageSchema, 'POST', '/rest/api/2/search', {
        jql: p.jql,
        startAt: p.startAt,
        ...(p.maxResults === undefined ? {} : { maxResults: p.maxResults }),
        ...(p.fields ? { fields: p.fields } : {}),
        ...(p.expand ? { expand: p.expand } : {}),
      }),
    async getTransitions(key) {
      return (await call(TransitionsSchema, 'GET', `/rest/api/3/issue/${enc(key)}/transitions`)).transitions;
    },
    async transitionIssue(key, transitionId) {
      await send('POST', `/rest/api/3/issue/${enc(key)}/transitions`, { transition: { id: transitionId } }, false);
    },
    async getIssueProperty(key, property) {
      try {
        return (await call(PropertySchema, 'GET', `/rest/api/3/issue/${enc(key)}/properties/${enc(property)}`)).value;
      } catch (e) {
        if (e instanceof JiraNotFoundError && e.errorMessages.some((m) => m.includes('property'))) return undefined;
        throw e;
      }
    },
    async setIssueProperty(key, property, value) {
      await send('PUT', `/rest/api/3/issue/${enc(key)}/properties/${enc(property)}`, value, true);
    },
    putRemoteLink(key, link) {
      const { globalId, relationship, application, ...object } = link;
      return call(
        RemoteLinkIdSchema,
        'POST',
        `/rest/api/3/issue/${enc(key)}/remotelink`,
        { globalId, ...(relationship ? { relationship } : {}), ...(application ? { application } : {}), object },
        true,
      );
    },
    async deleteRemoteLink(key, globalId) {
      await send('DELETE', `/rest/api/3/issue/${enc(key)}/remotelink?globalId=${enc(globalId)}`, undefined, true);
    },
    createIssue(f) {
      const fields = {
        project: { key: f.project },
        issuetype: { name: f.issuetype },
        summary: f.summary,
        ...(f.description === undefined ? {} : { description: f.description }),
      };
      return call(z.object({ id: z.string(), key: z.string() }), 'POST', '/rest/api/3/issue', { fields }, true);
    },
    async hasRemoteLink(key, globalId) {
      try {
        await call(z.unknown(), 'GET', `/rest/api/3/issue/${enc(key)}/remotelink?globalId=${enc(globalId)}`);
        return true;
      } catch (e) {
        if (e instanceof JiraNotFoundError) return false;
        throw e;
      }
    },
    assignableUsers(scope, query) {
      const q = new URLSearchParams('project' in scope ? { project: scope.project } : { issueKey: scope.issueKey });
      if (query) q.set('query', query);
      return call(JiraUserSchema.array(), 'GET', `/rest/api/3/user/assignable/search?${q}`);
    },
    async users(accountIds) {
      const out: JiraUser[] = [];
      const unique = [...new Set(accountIds)];
      for (let i = 0; i < unique.length; i += 50) {
        const ids = unique.slice(i, i + 50);
        for (let startAt = 0; ;) {
          const q = new URLSearchParams({ startAt: String(startAt), maxResults: String(ids.length) });
          for (const id of ids) q.append('accountId', id);
          const page = await call(UserPageSchema, 'GET', `/rest/api/3/user/bulk?${q}`);
          out.push(...page.values);
          startAt += page.values.length;
          if (page.isLast !== false || page.values.length === 0) break;
        }
      }
      return out;
    },
    myself: () => call(JiraUserSchema, 'GET', '/rest/api/3/myself'),
    async myPermissions(scope, permissions) {
      const q = new URLSearchParams(
        scope === 'global' ? {} : 'issueKey' in scope ? { issueKey: scope.issueKey } : { projectKey: scope.projectKey },
      );
      q.set('permissions', permissions.join(','));
      const r = await call(MyPermissionsSchema, 'GET', `/rest/api/3/mypermissions?${q}`);
      return Object.fromEntries(permissions.map((p) => [p, r.permissions[p]?.havePermission === true]));
    },
    async permissionsOn(accountId, issueId, permissions) {
      const r = await call(BulkPermissionGrantsSchema, 'POST', '/rest/api/3/permissions/check', {
        accountId,
        projectPermissions: [{ permissions: [...permissions], issues: [Number(issueId)] }],
      });
      const granted = new Set(
        r.projectPermissions.filter((g) => g.issues.includes(Number(issueId))).map((g) => g.permission),
      );
      return Object.fromEntries(permissions.map((p) => [p, granted.has(p)]));
    },
    statuses: () => call(JiraStatusSchema.array(), 'GET', '/rest/api/3/status'),
    async projectStatuses(projectKey) {
      const byType = await call(ProjectStatusesSchema, 'GET', `/rest/api/3/project/${enc(projectKey)}/statuses`);
      const seen = new Map<string, JiraStatus>();
      for (const t of byType) for (const s of t.statuses) seen.set(s.id, s);
      return [...seen.values()];
    },
  };
}
