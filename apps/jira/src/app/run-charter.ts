import { compileCharter, createWorkflowResolver } from '@baton/core';
import type { Charter, CompiledCharter, StateMapping } from '@baton/core';
import { CANDIDATES_TEAM } from '../contracts/charter-migration/migrate.ts';

/**
 * The team the app adds at run time when the charter's teams name nobody: the project's assignable
 * people. Named as the migrated candidates' team, so the router's decision keys (`owner:candidates`)
 * stay those of decisions already claimed.
 */
export const ASSIGNABLE_TEAM = CANDIDATES_TEAM;

export interface RunTimeExtras {
  /**
   * The people the router may assign to now (those whose open work the caller counted). Members of
   * the charter's teams outside this list are left out; when the charter's teams name nobody, these
   * people are one team the router picks from by load (least open work first, ties by id).
   */
  members?: readonly string[];
  /** Statuses the charter's workflow does not name, resolved with Jira's status categories. */
  states?: Readonly<Record<string, StateMapping>>;
}

/** Everyone the charter's teams name, in the order they are named (each once). */
export function teamMembers(charter: Charter): string[] {
  return [...new Set(charter.routing.teams.flatMap((t) => t.members.map((m) => m.id)))];
}

const cache = new Map<string, CompiledCharter>();

/**
 * Core's compiled charter with what the app knows only at run time: the people the router may pick
 * from and the statuses the charter does not name (their stall norm is the charter's `workflow.norm`).
 */
export function compileAtRunTime(charter: Charter, extras: RunTimeExtras = {}): CompiledCharter {
  const members = extras.members;
  const states = extras.states ?? {};
  if (members === undefined && Object.keys(states).length === 0) return compileCharter(charter);
  const id = JSON.stringify([charter, members ?? null, states]);
  const hit = cache.get(id);
  if (hit !== undefined) return hit;
  const named = teamMembers(charter).length > 0;
  const routing: Charter['routing'] =
    members === undefined
      ? charter.routing
      : named
        ? {
            ...charter.routing,
            teams: charter.routing.teams.map((t) => ({
              ...t,
              members: t.members.filter((m) => members.includes(m.id)),
            })),
          }
        : members.length === 0
          ? charter.routing
          : {
              ...charter.routing,
              teams: [
                ...charter.routing.teams,
                { id: ASSIGNABLE_TEAM, members: [...members].sort().map((m) => ({ id: m, skills: [] })) },
              ],
              ownership: [...charter.routing.ownership, { id: 'least-loaded', when: {}, team: ASSIGNABLE_TEAM }],
            };
  const added = Object.fromEntries(Object.entries(states).map(([name, m]) => [name, { ...m, ready: [] }]));
  const compiled = compileCharter({
    ...charter,
    workflow: { ...charter.workflow, states: { ...added, ...charter.workflow.states } },
    routing,
  });
  cache.set(id, compiled);
  return compiled;
}

/** The statuses an issue has been in that the charter does not name, resolved with Jira's categories. */
export function hintStates(
  charter: Charter,
  hints: ReadonlyMap<string, 'new' | 'indeterminate' | 'done'>,
): Record<string, StateMapping> {
  const named = new Set(Object.keys(charter.workflow.states).map((s) => s.toLowerCase()));
  const resolve = createWorkflowResolver({ states: charter.workflow.states }, new Map(hints));
  return Object.fromEntries([...hints.keys()].filter((s) => !named.has(s.toLowerCase())).map((s) => [s, resolve(s)]));
}
