import { parseCharter } from '@baton/core';
import type { Charter } from '@baton/core';
import type { CharterStore } from '../ports/charter-store.ts';

export const GLOBAL_SCOPE = 'global';

const NINE_TO_FIVE: [string, string][] = [['09:00', '17:00']];
const DEFAULT = parseCharter({
  version: 2,
  name: 'jira-app',
  calendars: {
    default: {
      timeZone: 'UTC',
      week: { mon: NINE_TO_FIVE, tue: NINE_TO_FIVE, wed: NINE_TO_FIVE, thu: NINE_TO_FIVE, fri: NINE_TO_FIVE },
      holidays: [],
    },
  },
  workflow: { norm: '2d', states: {} },
  autonomy: {
    default: 'off',
    kinds: {
      assign: 'assist',
      notify: 'assist',
      requestInfo: 'assist',
      escalate: 'assist',
      comment: 'assist',
      setField: 'assist',
    },
  },
  confidence: { act: 0.8, suggest: 0 },
  caps: { maxNudgesPerCasePerDay: 1, quietHours: null, quietOutsideBusinessHours: false },
});
if (!DEFAULT.ok) throw new Error(`the default charter is invalid: ${JSON.stringify(DEFAULT.issues)}`);

/**
 * The charter in force when none is saved: assist for every action the app carries out, the rest
 * off; Monday to Friday 09:00–17:00 UTC; act at confidence 0.8; one nudge per issue a day; stalled
 * after 2 business days. What the app's first release defaulted to (the migration test checks it).
 */
export const DEFAULT_CHARTER: Charter = DEFAULT.value;

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
export async function charterFor(storage: CharterStore, projectKey: string): Promise<Charter> {
  const own = await storage.getCharter(projectKey);
  if (own) return once(own.charter);
  const global = await storage.getCharter(GLOBAL_SCOPE);
  return global === undefined ? DEFAULT_CHARTER : once(global.charter);
}

/** Projects the watchdog looks at: those named in the site charter plus any with their own charter listed there. */
export async function projectsInScope(storage: CharterStore): Promise<string[]> {
  const global = await storage.getCharter(GLOBAL_SCOPE);
  return global?.charter.scope.projects ?? [];
}
