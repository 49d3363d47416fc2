import {
  createJiraClient,
  fetchFromBaseUrl,
  JiraApiError,
  JiraAuthError,
  JiraNetworkError,
  JiraNotFoundError,
  JiraResponseShapeError,
  RateLimitedError,
} from '@baton/jira';
import type { JiraClient, RemoteLinkInput, RetryPolicy } from '@baton/jira';
import type { AdfDoc } from '../case/adf.ts';
import { ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { JiraIssueSchema, SUMMARY_FIELDS, VIEW_FIELDS } from '../case/jira-issue.ts';
import type { JiraIssue } from '../case/jira-issue.ts';
import type { BatonError } from '../messaging/protocol.ts';

// The few Jira Cloud REST v3 calls the extension makes, through @baton/jira's client, with the rep's
// own browser session: `credentials: 'include'` on every request, and the client's
// `X-Atlassian-Token: no-check` (Jira's XSRF check rejects cookie-authenticated POSTs without it).
// Only the background imports this: the client stays out of the content scripts' bundles.

export type JiraResult<T> = { ok: true; value: T } | { ok: false; error: BatonError };

export interface JiraApi {
  readonly siteUrl: string;
  search(jql: string, maxResults: number): Promise<JiraResult<JiraIssue[]>>;
  /** The issue with the fields a case view needs; `changelog` adds its history (for the clerk). */
  issue(key: string, options?: { changelog?: boolean }): Promise<JiraResult<JiraIssue>>;
  /** `properties` are comment properties (`sd.public.comment` makes a Service Management comment internal). */
  addComment(
    key: string,
    body: AdfDoc,
    properties?: Readonly<Record<string, unknown>>,
  ): Promise<JiraResult<{ id: string }>>;
  myself(): Promise<JiraResult<{ displayName: string }>>;
  /** Links a page to an issue for everyone: a remote link under the page's global id (an upsert). */
  linkPage(key: string, link: RemoteLinkInput): Promise<JiraResult<void>>;
  /** Whether the issue has a remote link with this global id (Jira's documented per-issue lookup). */
  hasPageLink(key: string, globalId: string): Promise<JiraResult<boolean>>;
  /** Removes the issue's remote link with this global id; one already gone counts as removed. */
  unlinkPage(key: string, globalId: string): Promise<JiraResult<void>>;
  browseUrl(key: string): string;
  /** The transitions the rep may make on the issue now. */
  transitions(key: string): Promise<JiraResult<{ id: string; name: string }[]>>;
  transition(key: string, transitionId: string): Promise<JiraResult<void>>;
  /** The people the rep may assign the issue to. */
  assignable(key: string): Promise<JiraResult<{ accountId: string; name: string }[]>>;
  assign(key: string, accountId: string | null): Promise<JiraResult<void>>;
  createIssue(fields: {
    project: string;
    issuetype: string;
    summary: string;
    description?: AdfDoc;
  }): Promise<JiraResult<{ key: string }>>;
}

export interface JiraSessionOptions {
  siteUrl: string;
  fetch: typeof fetch;
  /** Tests replace the waits; the rep is watching, so the background keeps retries short. */
  retry?: Partial<RetryPolicy>;
  now?: () => number;
}

/** A rep waits for the overlay: one retry after a hiccup, and no `Retry-After` longer than 5 s. */
const INTERACTIVE_RETRY: Partial<RetryPolicy> = { maxRetries: 1, baseDelayMs: 300, maxRetryAfterMs: 5_000 };

/** @example createJiraSession({ siteUrl: 'https://acme.atlassian.net', fetch: globalThis.fetch.bind(globalThis) }) */
export function createJiraSession(options: JiraSessionOptions): JiraApi {
  const site = options.siteUrl.replace(/\/+$/, '');
  const client: JiraClient = createJiraClient({
    fetch: fetchFromBaseUrl(site, options.fetch, { credentials: 'include' }),
    retry: { ...INTERACTIVE_RETRY, ...options.retry },
    ...(options.now ? { now: options.now } : {}),
  });

  async function attempt<T>(what: string, run: () => Promise<T>): Promise<JiraResult<T>> {
    try {
      return { ok: true, value: await run() };
    } catch (e) {
      return { ok: false, error: batonErrorOf(e, site, what) };
    }
  }

  /** The client keeps `fields` as unknowns; the case view wants them typed. */
  function asIssue(raw: unknown, what: string): JiraIssue {
    const r = JiraIssueSchema.safeParse(raw);
    if (!r.success)
      throw new JiraResponseShapeError(`${what}: unexpected issue shape`, {
        status: 200,
        method: 'GET',
        path: what,
        cause: r.error,
      });
    return r.data;
  }

  return {
    siteUrl: site,
    browseUrl: (key) => `${site}/browse/${encodeURIComponent(key)}`,
    search: (jql, maxResults) =>
      attempt('search', async () =>
        (await client.searchJql({ jql, maxResults, fields: SUMMARY_FIELDS })).issues.map((i) => asIssue(i, 'search')),
      ),
    issue: (key, opts) =>
      attempt('issue', async () =>
        asIssue(
          await client.getIssue(key, {
            fields: VIEW_FIELDS,
            properties: [ISSUE_STATE_PROPERTY],
            ...(opts?.changelog ? { expand: 'changelog' } : {}),
          }),
          'issue',
        ),
      ),
    addComment: (key, body, properties) =>
      attempt('comment', async () => ({ id: (await client.addComment(key, body, properties)).id })),
    linkPage: (key, link) =>
      attempt('remote link', async () => {
        await client.putRemoteLink(key, link);
      }),
    hasPageLink: (key, globalId) => attempt('remote link', () => client.hasRemoteLink(key, globalId)),
    unlinkPage: (key, globalId) =>
      attempt('remote link', async () => {
        try {
          await client.deleteRemoteLink(key, globalId);
        } catch (e) {
          if (!(e instanceof JiraNotFoundError)) throw e;
        }
      }),
    transitions: (key) =>
      attempt('transitions', async () => (await client.getTransitions(key)).map((t) => ({ id: t.id, name: t.name }))),
    transition: (key, id) => attempt('transition', () => client.transitionIssue(key, id)),
    assignable: (key) =>
      attempt('assignable users', async () =>
        (await client.assignableUsers({ issueKey: key })).map((u) => ({
          accountId: u.accountId,
          name: u.displayName ?? u.accountId,
        })),
      ),
    assign: (key, accountId) => attempt('assign', () => client.assignIssue(key, accountId)),
    createIssue: (f) => attempt('create', async () => ({ key: (await client.createIssue(f)).key })),
    myself: () =>
      attempt('myself', async () => {
        const me = await client.myself();
        return { displayName: me.displayName ?? me.accountId };
      }),
  };
}

/** The client's typed failures, told to the rep in words they can act on. */
export function batonErrorOf(e: unknown, site: string, what: string): BatonError {
  if (!(e instanceof JiraApiError))
    return { code: 'jira-error', message: `Unexpected failure: ${e instanceof Error ? e.message : String(e)}` };
  const said = [...e.errorMessages, ...Object.values(e.errors)].join(' ');
  const suffix = said === '' ? '' : ` Jira says: ${said}`;
  if (e instanceof JiraNetworkError) return { code: 'unreachable', message: `Cannot reach ${site}.` };
  if (e instanceof JiraAuthError) {
    return e.status === 401
      ? {
          code: 'unauthenticated',
          message: `You are not logged in to ${site} in this browser. Log in there, then try again.`,
        }
      : { code: 'forbidden', message: `Jira refused the request (403).${suffix}` };
  }
  if (e instanceof JiraNotFoundError)
    return { code: 'not-found', message: `Jira has no such issue, or you cannot see it.${suffix}` };
  if (e instanceof RateLimitedError)
    return {
      code: 'rate-limited',
      message: `Jira asks to slow down; try again in ${e.retryAfter ?? 'a few'} seconds.`,
    };
  if (e instanceof JiraResponseShapeError) {
    return e.status === 200 && e.message.includes('not JSON')
      ? { code: 'bad-response', message: `${site} did not answer with JSON: is this a Jira site?` }
      : { code: 'bad-response', message: `Unexpected answer from Jira for ${what}.` };
  }
  return { code: 'jira-error', message: `Jira answered ${e.status}.${suffix}` };
}
