import * as z from 'zod';
import { adfProblem } from './adf.ts';
import { JqlError, compareByOrder, matchesJql, parseJql } from './jql.ts';
import {
  ALL_FIELDS,
  renderComment,
  renderComponent,
  renderEditMeta,
  renderFields,
  renderHistory,
  renderIssue,
  renderPriority,
  renderStatus,
  renderTransition,
  renderUser,
  selectFields,
} from './render.ts';
import { DATA_CENTER_ROUTES } from './routes-data-center.ts';
import { NOTIFY_ROUTES } from './notify-routes.ts';
import { REMOTE_LINK_ROUTES, issuesWithRemoteLinks } from './remote-link-routes.ts';
import { OPERATIONS, SimError } from './store.ts';
import type { SimStore } from './store.ts';

/** One request as a route sees it: the caller's account is resolved already. */
export interface RouteRequest {
  method: string;
  params: string[];
  query: URLSearchParams;
  body: unknown;
  base: string;
  actor: string;
}
export interface RouteResponse {
  status: number;
  body?: unknown;
}
export type Handler = (store: SimStore, req: RouteRequest) => RouteResponse;
export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

const MAX_PROPERTY_CHARS = 32_768;
const KEY = '([A-Za-z0-9_-]+)';

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  // Jira's wording for a body it cannot map.
  throw new SimError(400, ['Invalid request payload. Refer to the REST API documentation and try again.']);
}

function pageToken(offset: number, query: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: query })).toString('base64url');
}
function readToken(token: string, query: string): number {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    if (typeof t.o === 'number' && t.q === query) return t.o;
  } catch {
    // falls through to Jira's error
  }
  throw new SimError(400, ['The provided next page token is invalid or expired.']);
}

const SearchBody = z.object({
  jql: z.string(),
  nextPageToken: z.string().optional(),
  maxResults: z.number().int().min(0).optional(),
  fields: z.array(z.string()).optional(),
  expand: z.string().optional(),
  properties: z.array(z.string()).optional(),
  fieldsByKeys: z.boolean().optional(),
  reconcileIssues: z.array(z.number()).optional(),
});

/** The issues a (bounded) JQL query matches, in its order, as the search index sees them now. */
function jqlHits(store: SimStore, req: RouteRequest, jql: string) {
  let q;
  try {
    q = parseJql(jql);
  } catch (e) {
    if (e instanceof JqlError) throw new SimError(400, [e.message]);
    throw e;
  }
  if (q.where === undefined) {
    throw new SimError(400, [
      'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
    ]);
  }
  const ctx = {
    now: store.clock(),
    me: req.actor,
    timeZone: store.users.get(req.actor)?.timeZone ?? 'UTC',
    issuesWithRemoteLinks: (globalIds: readonly string[]) => issuesWithRemoteLinks(store, globalIds),
    indexed: store.indexed,
  };
  let hits;
  try {
    hits = store
      .searchSnapshot()
      .map((i) => ({ issue: i, s: store.subject(i) }))
      .filter((x) => matchesJql(q.where, x.s, ctx));
    const cmp = compareByOrder(q.orderBy);
    hits.sort((a, b) => cmp(a.s, b.s));
  } catch (e) {
    if (e instanceof JqlError) throw new SimError(400, [e.message]);
    throw e;
  }
  return hits;
}

function search(store: SimStore, req: RouteRequest, b: z.infer<typeof SearchBody>): RouteResponse {
  const hits = jqlHits(store, req, b.jql);
  const fields = selectFields(b.fields, []);
  // Jira caps pages: up to 5,000 when only `id`/`key` are asked for, 100 when fields are
  // (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post, maxResults).
  const cap = fields.isEmpty ? 5000 : 100;
  const size = Math.min(b.maxResults ?? 50, cap);
  const offset = b.nextPageToken === undefined ? 0 : readToken(b.nextPageToken, b.jql);
  const page = hits.slice(offset, offset + size);
  const isLast = offset + size >= hits.length;
  const changelog = (b.expand ?? '').split(',').includes('changelog');
  return {
    status: 200,
    body: {
      issues: page.map((h) =>
        renderIssue(store, req.base, h.issue, { fields, changelog, properties: b.properties ?? [] }),
      ),
      ...(isLast ? {} : { nextPageToken: pageToken(offset + size, b.jql) }),
      isLast,
    },
  };
}

const BulkChangelogBody = z.object({
  issueIdsOrKeys: z.array(z.string()).min(1).max(1000),
  fieldIds: z.array(z.string()).optional(),
  maxResults: z.number().int().min(1).optional(),
  nextPageToken: z.string().optional(),
});

function bulkChangelog(store: SimStore, req: RouteRequest): RouteResponse {
  const b = parseBody(BulkChangelogBody, req.body);
  const issues = b.issueIdsOrKeys.flatMap((k) => {
    try {
      return [store.get(k)];
    } catch {
      return []; // Jira skips issues the caller cannot see
    }
  });
  const rows = issues.flatMap((issue) =>
    issue.histories
      .map((h) => ({ ...h, items: b.fieldIds ? h.items.filter((i) => b.fieldIds?.includes(i.fieldId)) : h.items }))
      .filter((h) => h.items.length > 0)
      .map((h) => ({ issueId: issue.id, h })),
  );
  const tokenKey = JSON.stringify(b.issueIdsOrKeys) + JSON.stringify(b.fieldIds ?? null);
  const offset = b.nextPageToken === undefined ? 0 : readToken(b.nextPageToken, tokenKey);
  const size = Math.min(b.maxResults ?? 1000, 10_000);
  const page = rows.slice(offset, offset + size);
  const grouped = new Map<string, unknown[]>();
  for (const r of page)
    grouped.set(r.issueId, [...(grouped.get(r.issueId) ?? []), renderHistory(store, req.base, r.h)]);
  const more = offset + size < rows.length;
  return {
    status: 200,
    body: {
      issueChangeLogs: [...grouped].map(([issueId, changeHistories]) => ({ issueId, changeHistories })),
      ...(more ? { nextPageToken: pageToken(offset + size, tokenKey) } : {}),
    },
  };
}

const AssignBody = z.object({ accountId: z.string().nullable() });
const EditBody = z.object({
  fields: z.record(z.string(), z.unknown()).default({}),
  update: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).default({}),
});
const CommentBody = z.object({
  body: z.unknown(),
  visibility: z.object({ type: z.enum(['group', 'role']), value: z.string() }).optional(),
  properties: z.array(z.object({ key: z.string(), value: z.unknown() })).optional(),
});
const TransitionBody = z.object({ transition: z.object({ id: z.string() }) });
const BulkPermissionsBody = z.object({
  accountId: z.string().min(1).optional(),
  globalPermissions: z.array(z.string()).optional(),
  projectPermissions: z
    .array(
      z.object({
        permissions: z.array(z.string()),
        projects: z.array(z.number().int()).optional(),
        issues: z.array(z.number().int()).optional(),
      }),
    )
    .optional(),
});

function listParam(q: URLSearchParams, name: string): string[] | undefined {
  const all = q
    .getAll(name)
    .flatMap((v) => v.split(','))
    .filter((v) => v !== '');
  return all.length === 0 ? undefined : all;
}

/**
 * `POST /rest/api/3/search/approximate-count` `{ jql }` → `{ count }`: an estimate of how many issues a
 * bounded query matches, without paging them (Jira Cloud REST v3, issue search; an unbounded query is
 * refused as search/jql refuses it). The sim's count is exact.
 */
const CountBody = z.object({ jql: z.string() });

/** Issue types every sim project offers (a recorded site lists its own in createmeta). */
export const SIM_ISSUE_TYPES = ['Task', 'Bug', 'Story', 'Service request'] as const;

const CreateIssueBody = z.object({
  fields: z.object({
    project: z.object({ key: z.string().optional(), id: z.string().optional() }).optional(),
    issuetype: z.object({ name: z.string().optional(), id: z.string().optional() }).optional(),
    summary: z.string().optional(),
    description: z.unknown().optional(),
  }),
});

export const ROUTES: Route[] = [
  {
    // Create issue (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post):
    // 201 with id, key and self; a 400 names each bad field in `errors` (project, issuetype, summary,
    // description must be ADF in v3); a 403-style refusal when the caller may not create issues there.
    method: 'POST',
    pattern: /^\/rest\/api\/3\/issue$/,
    handler: (store, req) => {
      const { fields } = parseBody(CreateIssueBody, req.body);
      const errors: Record<string, string> = {};
      const wanted = fields.project?.key ?? fields.project?.id;
      const project = [...store.projects.values()].find((p) => p.key === wanted || p.id === wanted);
      if (project === undefined) errors.project = 'Specify a valid project ID or key';
      const type = fields.issuetype?.name;
      if (type === undefined || !(SIM_ISSUE_TYPES as readonly string[]).includes(type))
        errors.issuetype = 'Specify a valid issue type';
      const summary = (fields.summary ?? '').trim();
      if (summary === '') errors.summary = 'You must specify a summary of the issue.';
      else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
      if (fields.description !== undefined && fields.description !== null) {
        const problem = adfProblem(fields.description);
        if (problem !== undefined) errors.description = `Operation value must be an Atlassian Document: ${problem}`;
      }
      if (Object.keys(errors).length > 0) throw new SimError(400, [], errors);
      if (!store.hasPermission(req.actor, 'CREATE_ISSUES'))
        throw new SimError(400, [], { project: 'You do not have permission to create issues in this project.' });
      const issue = store.create(
        { projectKey: project!.key, issuetype: type!, summary, description: fields.description },
        req.actor,
      );
      return {
        status: 201,
        body: { id: issue.id, key: issue.key, self: `${req.base}/rest/api/3/issue/${issue.id}` },
      };
    },
  },
  {
    method: 'POST',
    pattern: /^\/rest\/api\/3\/search\/approximate-count$/,
    handler: (store, req) => ({
      status: 200,
      body: { count: jqlHits(store, req, parseBody(CountBody, req.body).jql).length },
    }),
  },
  {
    method: 'POST',
    pattern: /^\/rest\/api\/3\/search\/jql$/,
    handler: (store, req) => search(store, req, parseBody(SearchBody, req.body)),
  },
  {
    method: 'GET',
    pattern: /^\/rest\/api\/3\/search\/jql$/,
    handler: (store, req) =>
      search(store, req, {
        jql: req.query.get('jql') ?? '',
        ...(req.query.get('nextPageToken') ? { nextPageToken: req.query.get('nextPageToken') as string } : {}),
        ...(req.query.get('maxResults') ? { maxResults: Number(req.query.get('maxResults')) } : {}),
        ...(listParam(req.query, 'fields') ? { fields: listParam(req.query, 'fields') as string[] } : {}),
        ...(req.query.get('expand') ? { expand: req.query.get('expand') as string } : {}),
      }),
  },
  {
    method: 'POST',
    pattern: /^\/rest\/api\/3\/changelog\/bulkfetch$/,
    handler: bulkChangelog,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}$`),
    handler: (store, req) => {
      const issue = store.get(req.params[0] as string);
      const expand = (req.query.get('expand') ?? '').split(',');
      return {
        status: 200,
        body: renderIssue(store, req.base, issue, {
          fields: selectFields(listParam(req.query, 'fields'), ALL_FIELDS),
          changelog: expand.includes('changelog'),
          names: expand.includes('names'),
          schema: expand.includes('schema'),
          properties: listParam(req.query, 'properties') ?? [],
        }),
      };
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}$`),
    handler: (store, req) => {
      const b = parseBody(EditBody, req.body);
      // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put :
      // overrideScreenSecurity is for (apps acting for) users with Administer Jira; notifyUsers=false needs
      // Administer Jira or Administer projects, and is ignored without it.
      const admin = (p: string) => req.actor !== null && store.hasPermission(req.actor, p);
      if (req.query.get('overrideScreenSecurity') === 'true' && !admin('ADMINISTER'))
        throw new SimError(403, ['overrideScreenSecurity requires the Administer Jira global permission.']);
      const issue = store.get(req.params[0] as string);
      store.editFields(issue.key, b.fields, req.actor, b.update, req.query.get('overrideScreenSecurity') === 'true');
      const silent = req.query.get('notifyUsers') === 'false' && (admin('ADMINISTER') || admin('ADMINISTER_PROJECTS'));
      if (!silent) store.updateEmails.push({ issueKey: issue.key, actor: req.actor });
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}/editmeta$`),
    handler: (store, req) => ({
      status: 200,
      body: renderEditMeta(store, req.base, store.get(req.params[0] as string), OPERATIONS),
    }),
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}/assignee$`),
    handler: (store, req) => {
      const b = parseBody(AssignBody, req.body);
      store.assign(req.params[0] as string, b.accountId, req.actor);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}/comment$`),
    handler: (store, req) => {
      const issue = store.get(req.params[0] as string);
      const startAt = Number(req.query.get('startAt') ?? 0);
      const maxResults = Math.min(Number(req.query.get('maxResults') ?? 100), 5000);
      const all = req.query.get('orderBy') === '-created' ? [...issue.comments].reverse() : issue.comments;
      const page = all.slice(startAt, startAt + maxResults);
      const withProps = (req.query.get('expand') ?? '').split(',').includes('properties');
      return {
        status: 200,
        body: {
          startAt,
          maxResults,
          total: all.length,
          comments: page.map((c) => {
            const r = renderComment(store, req.base, issue, c);
            if (!withProps) delete r.properties;
            return r;
          }),
        },
      };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}/comment$`),
    handler: (store, req) => {
      const b = parseBody(CommentBody, req.body);
      const problem = adfProblem(b.body);
      if (problem !== undefined) throw new SimError(400, [], { comment: `Comment body is not valid: ${problem}` });
      const issue = store.get(req.params[0] as string);
      const props = Object.fromEntries((b.properties ?? []).map((p) => [p.key, p.value]));
      const c = store.addComment(issue.key, b.body, req.actor, props);
      if (b.visibility !== undefined) c.visibility = b.visibility;
      return { status: 201, body: renderComment(store, req.base, issue, c) };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}/transitions$`),
    handler: (store, req) => {
      const issue = store.get(req.params[0] as string);
      return {
        status: 200,
        body: {
          expand: 'transitions',
          transitions: store.transitionsOf(issue).map((t) => renderTransition(store, req.base, t)),
        },
      };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}/transitions$`),
    handler: (store, req) => {
      const b = parseBody(TransitionBody, req.body);
      store.transition(req.params[0] as string, b.transition.id, req.actor);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}/properties$`),
    handler: (store, req) => {
      const issue = store.get(req.params[0] as string);
      return {
        status: 200,
        body: {
          keys: [...issue.properties.keys()].map((key) => ({
            self: `${req.base}/rest/api/3/issue/${issue.id}/properties/${key}`,
            key,
          })),
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}/properties/([^/]+)$`),
    handler: (store, req) => {
      const issue = store.get(req.params[0] as string);
      const prop = decodeURIComponent(req.params[1] as string);
      if (!issue.properties.has(prop)) throw new SimError(404, [`The property with key '${prop}' does not exist.`]);
      return { status: 200, body: { key: prop, value: issue.properties.get(prop) } };
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}/properties/([^/]+)$`),
    handler: (store, req) => {
      const prop = decodeURIComponent(req.params[1] as string);
      if (prop.length > 255) throw new SimError(400, ['The property key cannot be longer than 255 characters.']);
      if (req.body === undefined) throw new SimError(400, ['The property value must be valid JSON.']);
      if (JSON.stringify(req.body).length > MAX_PROPERTY_CHARS) {
        throw new SimError(400, [
          `The property value is too long. The maximum length is ${MAX_PROPERTY_CHARS} characters.`,
        ]);
      }
      const r = store.setProperty(req.params[0] as string, prop, req.body);
      return { status: r === 'created' ? 201 : 200 };
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}/properties/([^/]+)$`),
    handler: (store, req) => {
      const issue = store.get(req.params[0] as string);
      const prop = decodeURIComponent(req.params[1] as string);
      if (!issue.properties.delete(prop)) throw new SimError(404, [`The property with key '${prop}' does not exist.`]);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: /^\/rest\/api\/3\/user\/assignable\/search$/,
    handler: (store, req) => {
      const issueKey = req.query.get('issueKey');
      const projectKey = req.query.get('project') ?? (issueKey ? store.get(issueKey).projectKey : null);
      if (projectKey === null) throw new SimError(400, ['The issue key or project key must be provided.']);
      const project = store.projects.get(projectKey.toUpperCase());
      if (!project) throw new SimError(404, [`No project could be found with key '${projectKey}'.`]);
      const needle = (req.query.get('query') ?? '').toLowerCase();
      const startAt = Number(req.query.get('startAt') ?? 0);
      const maxResults = Number(req.query.get('maxResults') ?? 50);
      const users = project.assignable
        .map((id) => store.users.get(id))
        .filter((u) => u !== undefined && u.active)
        .filter(
          (u) =>
            needle === '' ||
            u!.displayName.toLowerCase().includes(needle) ||
            (u!.emailAddress ?? '').toLowerCase().startsWith(needle),
        )
        .slice(startAt, startAt + maxResults);
      return { status: 200, body: users.map((u) => renderUser(store, req.base, u!.accountId)) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/rest\/api\/3\/user\/bulk$/,
    // Bulk get users (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-users/#api-rest-api-3-user-bulk-get):
    // repeated `accountId` parameters, a PageBean whose `maxResults` defaults to 10, so a reader of more
    // people must page; an account Jira does not know is left out, not an error.
    handler: (store, req) => {
      const ids = req.query.getAll('accountId').filter((v) => v !== '');
      if (ids.length === 0) throw new SimError(400, ['The accountId parameter is required.']);
      const startAt = Number(req.query.get('startAt') ?? 0);
      const maxResults = Number(req.query.get('maxResults') ?? 10);
      const known = [...new Set(ids)].filter((id) => store.users.has(id));
      const values = known.slice(startAt, startAt + maxResults).map((id) => renderUser(store, req.base, id));
      const isLast = startAt + maxResults >= known.length;
      return {
        status: 200,
        body: {
          self: `${req.base}/rest/api/3/user/bulk?startAt=${startAt}&maxResults=${maxResults}`,
          ...(isLast
            ? {}
            : {
                nextPage: `${req.base}/rest/api/3/user/bulk?startAt=${startAt + maxResults}&maxResults=${maxResults}`,
              }),
          maxResults,
          startAt,
          total: known.length,
          isLast,
          values,
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^\/rest\/api\/3\/mypermissions$/,
    handler: (store, req) => {
      const wanted = listParam(req.query, 'permissions');
      if (!wanted) throw new SimError(400, ['The permissions parameter is required.']);
      const issueKey = req.query.get('issueKey');
      if (issueKey !== null) store.get(issueKey);
      const projectKey = req.query.get('projectKey');
      if (projectKey !== null && !store.projects.has(projectKey.toUpperCase()))
        throw new SimError(404, [`No project could be found with key '${projectKey}'.`]);
      const permissions = Object.fromEntries(
        wanted.map((p, n) => [
          p,
          {
            id: String(n + 1),
            key: p,
            name: p,
            type: p === 'ADMINISTER' ? 'GLOBAL' : 'PROJECT',
            description: '',
            havePermission: store.hasPermission(req.actor, p),
          },
        ]),
      );
      return { status: 200, body: { permissions } };
    },
  },
  {
    // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-permissions-check-post :
    // checking another user's permissions needs Administer Jira, except for apps calling as themselves; at most
    // 1000 projects and 1000 issues; unknown project and issue ids are ignored, and so are empty permission names.
    method: 'POST',
    pattern: /^\/rest\/api\/3\/permissions\/check$/,
    handler: (store, req) => {
      const b = parseBody(BulkPermissionsBody, req.body);
      const who = b.accountId ?? req.actor;
      const caller = req.actor === null ? undefined : store.users.get(req.actor);
      if (b.accountId !== undefined && b.accountId !== req.actor && caller?.accountType !== 'app')
        if (req.actor === null || !store.hasPermission(req.actor, 'ADMINISTER'))
          throw new SimError(403, ['You do not have permission to check the permissions of other users.']);
      const grants = b.projectPermissions ?? [];
      if (grants.some((g) => (g.projects?.length ?? 0) > 1000 || (g.issues?.length ?? 0) > 1000))
        throw new SimError(400, ['A maximum of 1000 projects and 1000 issues can be checked.']);
      const has = (p: string) => who !== null && store.hasPermission(who, p);
      const issueIds = new Set([...store.issues.values()].map((i) => Number(i.id)));
      const projectIds = new Set([...store.projects.values()].map((pr) => Number(pr.id)));
      return {
        status: 200,
        body: {
          globalPermissions: (b.globalPermissions ?? []).filter((p) => p !== '' && has(p)),
          projectPermissions: grants.flatMap((g) =>
            g.permissions
              .filter((p) => p !== '')
              .map((permission) => ({
                permission,
                issues: has(permission) ? (g.issues ?? []).filter((id) => issueIds.has(id)) : [],
                projects: has(permission) ? (g.projects ?? []).filter((id) => projectIds.has(id)) : [],
              })),
          ),
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^\/rest\/api\/3\/priority\/search$/,
    handler: (store, req) => {
      // Jira's PageBean; `projectId` narrows to a project's scheme, and every sim project uses the site's.
      const ids = listParam(req.query, 'id');
      const name = req.query.get('priorityName')?.toLowerCase();
      const onlyDefault = req.query.get('onlyDefault') === 'true';
      const all = store.priorities.filter(
        (p) =>
          (ids === undefined || ids.includes(p.id)) &&
          (name === undefined || p.name.toLowerCase().includes(name)) &&
          (!onlyDefault || p.isDefault),
      );
      const startAt = Number(req.query.get('startAt') ?? 0);
      const maxResults = Math.min(Number(req.query.get('maxResults') ?? 50), 50);
      const values = all.slice(startAt, startAt + maxResults).map((p) => renderPriority(req.base, p));
      return {
        status: 200,
        body: {
          self: `${req.base}/rest/api/3/priority/search?startAt=${startAt}&maxResults=${maxResults}`,
          maxResults,
          startAt,
          total: all.length,
          isLast: startAt + maxResults >= all.length,
          values,
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^\/rest\/api\/3\/field$/,
    // Every field, system and custom, as one array (not paged), as Jira Cloud answers.
    handler: (store) => ({ status: 200, body: renderFields(store) }),
  },
  {
    method: 'GET',
    pattern: /^\/rest\/api\/3\/project\/([A-Za-z0-9_]+)\/components$/,
    handler: (store, req) => {
      const project = store.projects.get((req.params[0] as string).toUpperCase());
      if (!project) throw new SimError(404, [`No project could be found with key '${req.params[0]}'.`]);
      return { status: 200, body: project.components.map((name, n) => renderComponent(req.base, project, name, n)) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/rest\/api\/3\/myself$/,
    handler: (store, req) => ({ status: 200, body: renderUser(store, req.base, req.actor) }),
  },
  {
    method: 'GET',
    pattern: /^\/rest\/api\/3\/status$/,
    handler: (store, req) => ({
      status: 200,
      body: [...store.statuses.values()].map((s) => renderStatus(req.base, s)),
    }),
  },
  {
    method: 'GET',
    pattern: /^\/rest\/api\/3\/project\/([A-Za-z0-9_]+)\/statuses$/,
    handler: (store, req) => {
      const project = store.projects.get((req.params[0] as string).toUpperCase());
      if (!project) throw new SimError(404, [`No project could be found with key '${req.params[0]}'.`]);
      const statuses = project.statuses.map((id) => renderStatus(req.base, store.statuses.get(id)!));
      return {
        status: 200,
        body: [{ self: `${req.base}/rest/api/3/issuetype/1`, id: '1', name: 'Task', subtask: false, statuses }],
      };
    },
  },
  // The extension's shared links (remote-link-routes.ts).
  ...REMOTE_LINK_ROUTES,
  ...NOTIFY_ROUTES,
];

// Jira Data Center's v2 reads, in their own file.
ROUTES.push(...DATA_CENTER_ROUTES);

export function findRoute(
  method: string,
  path: string,
): { handler: Handler; params: string[] } | 'method-not-allowed' | undefined {
  let pathMatched = false;
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method === method) return { handler: r.handler, params: m.slice(1) };
  }
  return pathMatched ? 'method-not-allowed' : undefined;
}
