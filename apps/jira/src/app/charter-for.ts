import type { Charter } from '@baton/core';
import { charterFromApp } from '../domain/charter-migration/migrate.ts';
import { DEFAULT_CHARTER as APP_DEFAULT } from '../domain/charter-migration/jira-app-v1.ts';
import type { BatonStorage } from '../platform/baton-storage.ts';

export const GLOBAL_SCOPE = 'global';

/**
 * The charter in force when none is saved: assist everywhere, the app's first default as core's
 * charter (UTC 09:00–17:00, act at confidence 0.8, one nudge per issue a day, stalls after 2d).
 */
export const DEFAULT_CHARTER: Charter = charterFromApp(APP_DEFAULT);

const inForce = new Map<string, Charter>();
/** The same object for the same stored charter, so that core compiles it once per invocation, not per read. */
function once(charter: Charter): Charter {
  const key = JSON.stringify(charter);
  const hit = inForce.get(key);
  if (hit !== undefined) return hit;
  if (inForce.size >= 50) inForce.clear();
  inForce.set(key, charter);
  return charter;
}

/** The charter that governs a project: its own, else the site's, else the default (assist everywhere). */
export async function charterFor(storage: BatonStorage, projectKey: string): Promise<Charter> {
  const own = await storage.getCharter(projectKey);
  if (own) return once(own.charter);
  const global = await storage.getCharter(GLOBAL_SCOPE);
  return global === undefined ? DEFAULT_CHARTER : once(global.charter);
}

/** Projects the watchdog looks at: those named in the site charter plus any with their own charter listed there. */
export async function projectsInScope(storage: BatonStorage): Promise<string[]> {
  const global = await storage.getCharter(GLOBAL_SCOPE);
  return global?.charter.scope.projects ?? [];
}
