import * as z from 'zod';
import { SimError } from './store.ts';
import type { SimStore } from './store.ts';
import type { Route } from './routes.ts';

/**
 * Remote issue links (`/rest/api/3/issue/{key}/remotelink`), added for the extension's shared links:
 * a Gmail thread or Salesforce record linked to an issue is a remote link with a global id, which
 * every teammate and the Jira app see, and which JQL finds with `issuesWithRemoteLinksByGlobalId()`.
 * Shapes and rules follow Jira Cloud's REST v3 "Issue remote links" group
 * (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-remote-links/):
 * - POST creates, or updates the link with the same `globalId` (201 created, 200 updated), answering
 *   `{ id, self }`; `object.url` and `object.title` are required; `globalId` is at most 255 characters;
 * - GET lists an issue's links, or only the one with `?globalId=` (404 when there is none);
 * - DELETE `?globalId=` removes it (204; 404 when there is none).
 */
export interface RemoteLinkRecord {
  id: number;
  globalId?: string;
  relationship?: string;
  application?: { type?: string; name?: string };
  object: { url: string; title: string; summary?: string; icon?: { url16x16?: string; title?: string } };
}

const RemoteLinkBody = z.object({
  globalId: z.string().max(255).optional(),
  relationship: z.string().optional(),
  application: z.object({ type: z.string().optional(), name: z.string().optional() }).optional(),
  object: z.object({
    url: z.string().min(1),
    title: z.string().min(1),
    summary: z.string().optional(),
    icon: z.object({ url16x16: z.string().optional(), title: z.string().optional() }).optional(),
  }),
});

const KEY = '([A-Za-z0-9_-]+)';
const all = new WeakMap<SimStore, Map<string, RemoteLinkRecord[]>>();
let nextId = 10_000;

/** The remote links of every issue in `store`, by issue id. */
export function remoteLinksOf(store: SimStore): Map<string, RemoteLinkRecord[]> {
  let m = all.get(store);
  if (m === undefined) all.set(store, (m = new Map()));
  return m;
}

/** The keys of the issues with a remote link whose global id is one of `globalIds` (the JQL function). */
export function issuesWithRemoteLinks(store: SimStore, globalIds: readonly string[]): string[] {
  const keys: string[] = [];
  for (const [issueId, links] of remoteLinksOf(store))
    if (links.some((l) => l.globalId !== undefined && globalIds.includes(l.globalId)))
      keys.push(store.get(issueId).key);
  return keys;
}

const render = (base: string, issueId: string, l: RemoteLinkRecord): Record<string, unknown> => ({
  id: l.id,
  self: `${base}/rest/api/3/issue/${issueId}/remotelink/${l.id}`,
  ...(l.globalId === undefined ? {} : { globalId: l.globalId }),
  ...(l.application === undefined ? {} : { application: l.application }),
  ...(l.relationship === undefined ? {} : { relationship: l.relationship }),
  object: l.object,
});

export const REMOTE_LINK_ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}/remotelink$`),
    handler: (store, req) => {
      const r = RemoteLinkBody.safeParse(req.body);
      if (!r.success) {
        const missing = r.error.issues.find((i) => i.path[0] === 'object');
        throw new SimError(400, [], missing ? { object: 'The remote object must have a url and a title.' } : {});
      }
      const issue = store.get(req.params[0] as string);
      const links = remoteLinksOf(store).get(issue.id) ?? [];
      const existing = r.data.globalId === undefined ? undefined : links.find((l) => l.globalId === r.data.globalId);
      if (existing !== undefined) {
        Object.assign(existing, r.data);
        return { status: 200, body: { id: existing.id, self: render(req.base, issue.id, existing).self } };
      }
      const link: RemoteLinkRecord = { id: nextId++, ...r.data };
      remoteLinksOf(store).set(issue.id, [...links, link]);
      return { status: 201, body: { id: link.id, self: render(req.base, issue.id, link).self } };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}/remotelink$`),
    handler: (store, req) => {
      const issue = store.get(req.params[0] as string);
      const links = remoteLinksOf(store).get(issue.id) ?? [];
      const globalId = req.query.get('globalId');
      if (globalId === null) return { status: 200, body: links.map((l) => render(req.base, issue.id, l)) };
      const one = links.find((l) => l.globalId === globalId);
      if (one === undefined) throw new SimError(404, ['No remote link with the given global ID was found.']);
      return { status: 200, body: render(req.base, issue.id, one) };
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}/remotelink$`),
    handler: (store, req) => {
      const issue = store.get(req.params[0] as string);
      const globalId = req.query.get('globalId');
      if (globalId === null) throw new SimError(400, ['The global ID of the remote link is required.']);
      const links = remoteLinksOf(store).get(issue.id) ?? [];
      if (!links.some((l) => l.globalId === globalId))
        throw new SimError(404, ['No remote link with the given global ID was found.']);
      remoteLinksOf(store).set(
        issue.id,
        links.filter((l) => l.globalId !== globalId),
      );
      return { status: 204 };
    },
  },
];
