import { routeCase } from '@baton/core';
import type { Charter } from '../contracts/charter.ts';
import { coreCharterOf, hintStates } from './core-charter.ts';
import { toAppDecision } from './core-decision.ts';
import type { AppDecision } from './decision.ts';
import type { IssueFacts } from './issue-facts.ts';

/**
 * Core's router on an issue: an owner from the candidates by load (core's ownership rule over one
 * team of candidates, least open work first, ties by id), plus whatever else core proposes that the
 * app can carry out. `load` holds the open issues per candidate (read by the caller).
 */
export function routerDecisions(issue: IssueFacts, load: ReadonlyMap<string, number>, charter: Charter, now = issue.updated): AppDecision[] {
  if (issue.assignee !== null || issue.phase === 'done' || load.size === 0) return [];
  const allowed = charter.routing.candidates;
  const members = [...load.keys()].filter((id) => allowed.length === 0 || allowed.includes(id)).sort();
  if (members.length === 0) return [];
  const compiled = coreCharterOf(charter, { members, states: hintStates(charter, issue.hints) });
  const decisions = routeCase(issue.record, compiled, { now, load }).flatMap((d) => toAppDecision(d, { utcOffsetMinutes: charter.calendar.utcOffsetMinutes }) ?? []);
  // The assignment goes last: an assigned issue is not routed again (above), so if anything after it
  // failed for a moment (a 503 on the due date), the redelivered event would never propose it again.
  // Everything else the router proposes is conditional on its own absence (no due date yet), so a
  // redelivery after a failed assignment proposes only what is still missing.
  return [...decisions.filter((d) => d.kind !== 'assign'), ...decisions.filter((d) => d.kind === 'assign')];
}
