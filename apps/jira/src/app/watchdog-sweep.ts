import type { JiraClient } from '@baton/jira';
import type { Sweep } from '../contracts/watchdog-cursor.ts';

/**
 * Keys per sweep page. Jira's search/jql returns up to 5,000 issues a page when only `id`/`key` are
 * asked for; 1,000 keeps a page's fan-out inside one queue push (40 batches of 25 ≤ 50 events).
 */
export const SWEEP_PAGE = 1000;

const quote = (s: string): string => `"${s.replace(/["\\]/g, '\\$&')}"`;

/** The JQL of a sweep in one project, after `afterKey` (keyset paging: nothing to keep but the last key). */
export function sweepJql(
  kind: Sweep['kind'],
  project: string,
  afterKey: string | null,
  updatedSince: string | null,
): string {
  const clauses = [
    `project = ${quote(project)}`,
    kind === 'open' ? 'statusCategory != Done' : `updated >= ${quote(updatedSince ?? '')}`,
    ...(afterKey === null ? [] : [`key > ${quote(afterKey)}`]),
  ];
  return `${clauses.join(' AND ')} ORDER BY key ASC`;
}

/**
 * A sweep over `projects`: the first of every open issue (`updatedSince` null), else of those updated
 * since then. The first one asks Jira's approximate count once per project (one call whatever the
 * size), for its progress; a later tick's sweep does not, so its calls stay with what changed.
 */
export async function startSweep(
  jira: JiraClient,
  projects: readonly string[],
  updatedSince: string | null,
): Promise<Sweep> {
  const kind = updatedSince === null ? 'open' : 'changed';
  let estimated: number | null = null;
  if (kind === 'open') {
    estimated = 0;
    for (const p of projects)
      estimated += await jira.approximateCount(`project = ${quote(p)} AND statusCategory != Done`);
  }
  return { kind, projects: [...projects], project: 0, afterKey: null, updatedSince, estimated, taken: 0 };
}

/**
 * The next page of the sweep: its keys (in key order) and the sweep advanced past them, or `null`
 * when every project is done. Key order, not `updated`: an issue updated while the sweep pages
 * cannot move behind it (it is caught by the next tick's `updated >=`, which starts at this tick).
 */
export async function nextSweepPage(jira: JiraClient, sweep: Sweep): Promise<{ keys: string[]; sweep: Sweep } | null> {
  for (let s = sweep; ;) {
    const project = s.projects[s.project];
    if (project === undefined) return null;
    const page = await jira.searchJql({
      jql: sweepJql(s.kind, project, s.afterKey, s.updatedSince),
      fields: ['key'],
      maxResults: SWEEP_PAGE,
    });
    const keys = page.issues.flatMap((i) => (i.key === undefined ? [] : [i.key]));
    const last = keys.at(-1);
    const more = page.isLast === false || (page.nextPageToken ?? undefined) !== undefined;
    const next: Sweep =
      more && last !== undefined
        ? { ...s, afterKey: last, taken: s.taken + keys.length }
        : { ...s, project: s.project + 1, afterKey: null, taken: s.taken + keys.length };
    if (keys.length > 0) return { keys, sweep: next };
    s = next; // an empty project: on to the next
  }
}
