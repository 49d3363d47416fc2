import type { CharterStore } from '../ports/charter-store.ts';
import { GLOBAL_SCOPE } from './charter-for.ts';

/**
 * Which saved charter governs a project, as a short tag a per-issue record keeps instead of the charter
 * itself: `SUP@4` (the project's own, version 4), `global@2` (the site's), or `default` (none saved).
 * Saving a charter makes a new version, so a record made under another tag is stale. Reads the same
 * records as `charterFor`, in the same order.
 */
export async function charterVersionFor(storage: CharterStore, projectKey: string): Promise<string> {
  const own = await storage.getCharter(projectKey);
  if (own) return `${projectKey}@${own.version}`;
  const global = await storage.getCharter(GLOBAL_SCOPE);
  return global === undefined ? 'default' : `${GLOBAL_SCOPE}@${global.version}`;
}
