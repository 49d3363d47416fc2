import type { Charter } from '@baton/core';
import { DEFAULT_CHARTER as APP_DEFAULT } from '../contracts/charter.ts';
import { charterFromApp } from '../domain/charter-migration.ts';
import type { BatonStorage } from '../platform/baton-storage.ts';

export const GLOBAL_SCOPE = 'global';

/** The charter in force when none is saved: assist everywhere (the app's first default, in core's charter). */
export const DEFAULT_CHARTER: Charter = charterFromApp(APP_DEFAULT);

/** The charter that governs a project: its own, else the site's, else the default (assist everywhere). */
export async function charterFor(storage: BatonStorage, projectKey: string): Promise<Charter> {
  const own = await storage.getCharter(projectKey);
  if (own) return charterFromApp(own.charter);
  const global = await storage.getCharter(GLOBAL_SCOPE);
  return global === undefined ? DEFAULT_CHARTER : charterFromApp(global.charter);
}

/** Projects the watchdog looks at: those named in the site charter plus any with their own charter listed there. */
export async function projectsInScope(storage: BatonStorage): Promise<string[]> {
  const global = await storage.getCharter(GLOBAL_SCOPE);
  return global === undefined ? [] : charterFromApp(global.charter).scope.projects;
}
