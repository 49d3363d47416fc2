import * as z from 'zod';
import { adfToText } from './adf.ts';
import { JqlError, compareByOrder, matchesJql, parseJql } from './jql.ts';
import { renderComment, renderHistory, renderIssue, selectFields } from './render.ts';
import type { Route, RouteRequest, RouteResponse } from './routes.ts';
import { SimError } from './store.ts';
import type { SimStore } from './store.ts';

/**
 * Jira Data Center's REST v2 reads that a script pulling history uses (a personal access token as a
 * bearer token): `POST /rest/api/2/search` pages by `startAt` and reports `total`
 * (https://docs.atlassian.com/software/jira/docs/api/REST/9.12.0/#api/2/search-searchUsingSearchRequest;
 * `maxResults` defaults to 50 and is capped by `jira.search.views.default.max`, 1000 by default), and
 * `expand=changelog` there returns the whole changelog, oldest first — Data Center has no bulk
 * changelog endpoint. Comment bodies are wiki text, not ADF.
 */

const DC_SEARCH_MAX = 1000;

const SearchBody = z.object({
  jql: z.string(),
  startAt: z.number().int().min(0).default(0),
  maxResults: z.number().int().min(0).default(50),
  fields: z.array(z.string()).optional(),
  expand: z.union([z.string(), z.array(z.string())]).optional(),
});

function asText(comment: Record<string, unknown>): Record<string, unknown> {
  return { ...comment, body: adfToText(comment['body']) };
}

function searchV2(store: SimStore, req: RouteRequest): RouteResponse {
  const parsed = SearchBody.safeParse(req.body);
  if (!parsed.success)
    throw new SimError(400, ['Invalid request payload. Refer to the REST API documentation and try again.']);
  const b = parsed.data;
  let hits;
  try {
    const q = parseJql(b.jql);
    const ctx = { now: store.clock(), me: req.actor, timeZone: store.users.get(req.actor)?.timeZone ?? 'UTC' };
    hits = store
      .searchSnapshot()
      .map((i) => ({ issue: i, s: store.subject(i) }))
      .filter((x) => q.where === undefined || matchesJql(q.where, x.s, ctx));
    const cmp = compareByOrder(q.orderBy);
    hits.sort((x, y) => cmp(x.s, y.s));
  } catch (e) {
    if (e instanceof JqlError) throw new SimError(400, [e.message]);
    throw e;
  }
  const expand = (Array.isArray(b.expand) ? b.expand : (b.expand ?? '').split(',')).map((e) => e.trim());
  const maxResults = Math.min(b.maxResults, DC_SEARCH_MAX);
  const page = hits.slice(b.startAt, b.startAt + maxResults);
  // Data Center's default is every navigable field.
  const fields = selectFields(b.fields, ['*navigable']);
  return {
    status: 200,
    body: {
      expand: 'schema,names',
      startAt: b.startAt,
      maxResults,
      total: hits.length,
      issues: page.map(({ issue }) => {
        const out = renderIssue(store, req.base, issue, { fields, changelog: false });
        const f = out['fields'] as Record<string, unknown> | undefined;
        const comment = f?.['comment'] as { comments: Record<string, unknown>[] } | undefined;
        if (f !== undefined && comment !== undefined)
          f['comment'] = { ...comment, comments: comment.comments.map(asText) };
        if (expand.includes('changelog')) {
          const histories = issue.histories.map((h) => renderHistory(store, req.base, h));
          out['changelog'] = { startAt: 0, maxResults: histories.length, total: histories.length, histories };
        }
        return out;
      }),
    },
  };
}

/** Data Center routes, kept apart from the Cloud v3 ones in `routes.ts`. */
export const DATA_CENTER_ROUTES: Route[] = [
  { method: 'POST', pattern: /^\/rest\/api\/2\/search$/, handler: searchV2 },
  {
    method: 'GET',
    pattern: /^\/rest\/api\/2\/issue\/([A-Za-z0-9_-]+)\/comment$/,
    handler: (store, req) => {
      const issue = store.get(req.params[0] as string);
      const startAt = Number(req.query.get('startAt') ?? 0);
      const maxResults = Math.min(Number(req.query.get('maxResults') ?? 50), 1000);
      const page = issue.comments.slice(startAt, startAt + maxResults);
      return {
        status: 200,
        body: {
          startAt,
          maxResults,
          total: issue.comments.length,
          comments: page.map((c) => asText(renderComment(store, req.base, issue, c))),
        },
      };
    },
  },
];
