import { CharterSchema, compileCharter, createWorkflowResolver } from '@baton/core';
import type { CharterInput, CompiledCharter, StateMapping } from '@baton/core';
import type { Charter } from '../contracts/charter.ts';
import { durationOf, migrateAppCharter } from './charter-migration.ts';

const cache = new Map<string, CompiledCharter>();
const plain = new Map<string, CompiledCharter>();

/**
 * Core's compiled charter for the app's charter and nothing else: what `baton replay` compiles from
 * the same charter in core's YAML (`migrateAppCharter`), so the dry run decides what replay decides.
 */
export function compiledCharterOf(app: Charter): CompiledCharter {
  const id = JSON.stringify(app);
  const hit = plain.get(id);
  if (hit) return hit;
  const compiled = compileCharter(CharterSchema.parse(migrateAppCharter(app)));
  plain.set(id, compiled);
  return compiled;
}

/** The team the router picks from: the app's candidates (or the project's assignable people). */
export const CANDIDATES_TEAM = 'candidates';

export interface CoreCharterExtras {
  /** People the router may assign to (load limits come from the caller's counts). */
  members?: readonly string[];
  /** Statuses the app's workflow map does not name, resolved with Jira's status categories. */
  states?: Readonly<Record<string, StateMapping>>;
}

/**
 * Core's compiled charter for the app's charter (migrated to core's, `charter-migration.ts`), with
 * what the app knows only at run time: the people the router may pick from (one team of candidates,
 * least open work first) and the statuses the workflow map does not name, resolved with Jira's
 * status categories, each with the app's stall norm.
 */
export function coreCharterOf(app: Charter, extras: CoreCharterExtras = {}): CompiledCharter {
  const id = JSON.stringify([app, extras.members ?? [], extras.states ?? {}]);
  const hit = cache.get(id);
  if (hit) return hit;
  const base = migrateAppCharter(app);
  const mapped = base.workflow?.states ?? {};
  const norm = durationOf(app.watchdog.staleAfter, app.calendar);
  const states = {
    ...Object.fromEntries(Object.entries(extras.states ?? {}).map(([n, m]) => [n, { ...m, norm }])),
    ...mapped,
  };
  const members = extras.members ?? [];
  const input: CharterInput = {
    ...base,
    workflow: { states },
    routing: {
      ...base.routing,
      ...(members.length === 0
        ? {}
        : {
            teams: [{ id: CANDIDATES_TEAM, members: members.map((m) => ({ id: m })) }],
            ownership: [{ id: 'least-loaded', team: CANDIDATES_TEAM }],
          }),
    },
  };
  const compiled = compileCharter(CharterSchema.parse(input));
  cache.set(id, compiled);
  return compiled;
}

/** The statuses an issue has been in, resolved with the app's map and Jira's categories, for core's resolver. */
export function hintStates(
  app: Charter,
  hints: ReadonlyMap<string, 'new' | 'indeterminate' | 'done'>,
): Record<string, StateMapping> {
  const resolve = createWorkflowResolver({ states: app.workflow }, new Map(hints));
  return Object.fromEntries([...hints.keys()].filter((s) => !(s in app.workflow)).map((s) => [s, resolve(s)]));
}
