import { z } from 'zod';
import type { AdfDoc } from '../case/adf.ts';
import type { BatonError } from '../messaging/protocol.ts';

// The few Jira Cloud REST v3 calls the extension makes, with the user's own browser session:
// `credentials: 'include'`, and `X-Atlassian-Token: no-check` on every write and on POST /search/jql
// (Jira's XSRF check rejects cookie-authenticated POSTs without it). Only the background imports this.

export const BATON_STATE_PROPERTY = 'baton.state';

const UserSchema = z.object({ accountId: z.string().optional(), displayName: z.string() }).nullable().optional();

export const JiraIssueSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z
    .object({
      summary: z.string().default(''),
      status: z
        .object({ name: z.string(), statusCategory: z.object({ key: z.string() }).optional() })
        .nullable()
        .optional(),
      assignee: UserSchema,
      reporter: UserSchema,
      priority: z.object({ name: z.string() }).nullable().optional(),
      duedate: z.string().nullable().optional(),
      updated: z.string().optional(),
      description: z.unknown().optional(),
      comment: z
        .object({
          comments: z.array(z.object({ id: z.string(), author: UserSchema, created: z.string(), body: z.unknown() })),
        })
        .optional(),
    })
    .loose(),
  properties: z.record(z.string(), z.unknown()).optional(),
})
  // Loose: the changelog and anything else Jira sends stay for the mapping to core's case model.
  .loose();
export type JiraIssue = z.infer<typeof JiraIssueSchema>;

const SearchSchema = z.object({ issues: z.array(JiraIssueSchema), nextPageToken: z.string().optional() });
const CommentCreatedSchema = z.object({ id: z.string() });
const MyselfSchema = z.object({ displayName: z.string() });

export type JiraResult<T> = { ok: true; value: T } | { ok: false; error: BatonError };

export interface JiraApi {
  readonly siteUrl: string;
  search(jql: string, maxResults: number): Promise<JiraResult<JiraIssue[]>>;
  /** The issue with the fields a case view needs; `changelog` adds its history (for the clerk). */
  issue(key: string, options?: { changelog?: boolean }): Promise<JiraResult<JiraIssue>>;
  addComment(key: string, body: AdfDoc): Promise<JiraResult<{ id: string }>>;
  myself(): Promise<JiraResult<{ displayName: string }>>;
  browseUrl(key: string): string;
}

export const SUMMARY_FIELDS = ['summary', 'status', 'assignee', 'priority', 'updated'];
const VIEW_FIELDS = [
  ...SUMMARY_FIELDS,
  'reporter',
  'creator',
  'duedate',
  'description',
  'comment',
  'created',
  'resolutiondate',
  'issuetype',
  'labels',
  'components',
  'issuelinks',
  'project',
];

/** @example createJiraApi({ siteUrl: 'https://acme.atlassian.net', fetch: globalThis.fetch.bind(globalThis) }) */
export function createJiraApi(options: { siteUrl: string; fetch: typeof fetch }): JiraApi {
  const site = options.siteUrl.replace(/\/+$/, '');

  async function call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<JiraResult<T>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET') headers['X-Atlassian-Token'] = 'no-check';
    let res: Response;
    try {
      res = await options.fetch(`${site}${path}`, {
        method,
        headers,
        credentials: 'include',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (e) {
      return { ok: false, error: { code: 'unreachable', message: `Cannot reach ${site} (${e instanceof Error ? e.message : String(e)}).` } };
    }
    if (!res.ok) return { ok: false, error: await httpError(res, site) };
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      return { ok: false, error: { code: 'bad-response', message: `${site} did not answer with JSON: is this a Jira site?` } };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) return { ok: false, error: { code: 'bad-response', message: `Unexpected answer from Jira for ${path.split('?')[0]}.` } };
    return { ok: true, value: parsed.data };
  }

  return {
    siteUrl: site,
    browseUrl: (key) => `${site}/browse/${encodeURIComponent(key)}`,
    async search(jql, maxResults) {
      const r = await call('POST', '/rest/api/3/search/jql', SearchSchema, { jql, maxResults, fields: SUMMARY_FIELDS });
      return r.ok ? { ok: true, value: r.value.issues } : r;
    },
    issue: (key, opts) =>
      call(
        'GET',
        `/rest/api/3/issue/${encodeURIComponent(key)}?fields=${VIEW_FIELDS.join(',')}&properties=${BATON_STATE_PROPERTY}${opts?.changelog ? '&expand=changelog' : ''}`,
        JiraIssueSchema,
      ),
    addComment: (key, body) => call('POST', `/rest/api/3/issue/${encodeURIComponent(key)}/comment`, CommentCreatedSchema, { body }),
    myself: () => call('GET', '/rest/api/3/myself', MyselfSchema),
  };
}

async function httpError(res: Response, site: string): Promise<BatonError> {
  let detail = '';
  try {
    const body = (await res.json()) as { errorMessages?: unknown; errors?: unknown };
    const messages = [
      ...(Array.isArray(body.errorMessages) ? body.errorMessages : []),
      ...(body.errors && typeof body.errors === 'object' ? Object.values(body.errors) : []),
    ].filter((m): m is string => typeof m === 'string');
    detail = messages.join(' ');
  } catch {
    // not JSON: keep the status only
  }
  const suffix = detail === '' ? '' : ` Jira says: ${detail}`;
  switch (res.status) {
    case 401:
      return { code: 'unauthenticated', message: `You are not logged in to ${site} in this browser. Log in there, then try again.` };
    case 403:
      return { code: 'forbidden', message: `Jira refused the request (403).${suffix}` };
    case 404:
      return { code: 'not-found', message: `Jira has no such issue, or you cannot see it.${suffix}` };
    case 429:
      return { code: 'rate-limited', message: `Jira asks to slow down; try again in ${res.headers.get('retry-after') ?? 'a few'} seconds.` };
    default:
      return { code: 'jira-error', message: `Jira answered ${res.status}.${suffix}` };
  }
}
