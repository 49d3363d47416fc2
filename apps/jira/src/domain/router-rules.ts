import { routeCase } from '@baton/core';
import type { Charter } from '../contracts/charter.ts';
import { coreCharterOf, hintStates } from './core-charter.ts';
import { toAppDecision } from './core-decision.ts';
import type { AppDecision } from './decision.ts';
import type { IssueFacts } from './issue-facts.ts';

/**
 * Core's router on an issue: an owner from the candidates by load when it has none (core's ownership
 * rule over one team of candidates, least open work first, ties by id), plus whatever else core
 * proposes that the app can carry out (a due date from the SLA), owner or not. `load` holds the open
 * issues per candidate (read by the caller; empty when the issue has an owner).
 */
export function routerDecisions(issue: IssueFacts, load: ReadonlyMap<string, number>, charter: Charter, now = issue.updated): AppDecision[] {
  if (issue.phase === 'done') return [];
  const allowed = charter.routing.candidates;
  const members = issue.assignee !== null ? [] : [...load.keys()].filter((id) => allowed.length === 0 || allowed.includes(id)).sort();
  const compiled = coreCharterOf(charter, { members, states: hintStates(charter, issue.hints) });
  const decisions = routeCase(issue.record, compiled, { now, load }).flatMap((d) => toAppDecision(d, { utcOffsetMinutes: charter.calendar.utcOffsetMinutes }) ?? []);
  // The assignment goes last, so a transient failure of anything before it (a 503 on the due date)
  // fails the invocation before the issue has an owner; the redelivery does both. Every router
  // proposal is conditional on its own absence (no owner, no due date yet), so nothing is proposed twice.
  return [...decisions.filter((d) => d.kind !== 'assign'), ...decisions.filter((d) => d.kind === 'assign')];
}
