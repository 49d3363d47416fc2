import type { JiraClient, KnownStatus } from '@baton/jira';
import * as z from 'zod';
import type { AppDeps } from './app-deps.ts';

/**
 * Jira's statuses as they are now, by id (`GET /rest/api/3/status`): what an issue's history needs when
 * it names a status the charter's workflow map does not (renamed or deleted since). A changelog item
 * carries the status's id and the name it had then; by the id, a renamed status is read under its name
 * today with its Jira category, and only a status Jira no longer lists is read by its old name alone.
 * Asked lazily (once per directory, only when a history needs it); a failed read answers an empty map,
 * so the history is read by names as before rather than not at all.
 */
export type StatusDirectory = () => Promise<ReadonlyMap<string, KnownStatus>>;

/** How long the statuses read from Jira are used before they are read again (a rename shows within the hour). */
export const STATUSES_TTL_MS = 60 * 60 * 1000;
const CACHE_KEY = 'jira-statuses';
/** Compact, to stay far inside a storage value's limit on a site with hundreds of statuses: [id, name, category]. */
const CachedSchema = z.object({ at: z.number(), statuses: z.array(z.tuple([z.string(), z.string(), z.string()])) });

async function fetchStatuses(jira: Pick<JiraClient, 'statuses'>): Promise<Map<string, KnownStatus>> {
  try {
    return new Map((await jira.statuses()).map((s) => [s.id, { name: s.name, category: s.statusCategory.key }]));
  } catch {
    return new Map();
  }
}

const once = (read: StatusDirectory): StatusDirectory => {
  let pending: Promise<ReadonlyMap<string, KnownStatus>> | undefined;
  return () => (pending ??= read());
};

/** Read from Jira when first asked, then kept for this directory's life (one issue read, one page). */
export const liveStatuses = (jira: Pick<JiraClient, 'statuses'>): StatusDirectory => once(() => fetchStatuses(jira));

/** As `liveStatuses`, kept in app storage for `STATUSES_TTL_MS` so that each event does not ask Jira again. */
export function statusDirectory(deps: Pick<AppDeps, 'jira' | 'storage' | 'now'>): StatusDirectory {
  return once(async () => {
    const now = deps.now();
    const cached = CachedSchema.safeParse(await deps.storage.getJson(CACHE_KEY));
    if (cached.success && now - cached.data.at < STATUSES_TTL_MS)
      return new Map(cached.data.statuses.map(([id, name, category]) => [id, { name, category }]));
    const statuses = await fetchStatuses(deps.jira);
    if (statuses.size > 0)
      await deps.storage.putJson(
        CACHE_KEY,
        { at: now, statuses: [...statuses].map(([id, s]) => [id, s.name, s.category]) },
        { ttl: { value: 1, unit: 'HOURS' } },
      );
    return statuses;
  });
}
