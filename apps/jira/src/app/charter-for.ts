import { DEFAULT_CHARTER } from '../contracts/charter.ts';
import type { Charter } from '../contracts/charter.ts';
import type { BatonStorage } from '../platform/baton-storage.ts';

export const GLOBAL_SCOPE = 'global';

/** The charter that governs a project: its own, else the site's, else the default (assist everywhere). */
export async function charterFor(storage: BatonStorage, projectKey: string): Promise<Charter> {
  const own = await storage.getCharter(projectKey);
  if (own) return own.charter;
  const global = await storage.getCharter(GLOBAL_SCOPE);
  return global?.charter ?? DEFAULT_CHARTER;
}

/** Projects the watchdog looks at: those named in the site charter plus any with their own charter listed there. */
export async function projectsInScope(storage: BatonStorage): Promise<string[]> {
  const global = await storage.getCharter(GLOBAL_SCOPE);
  return global?.charter.projects ?? [];
}
