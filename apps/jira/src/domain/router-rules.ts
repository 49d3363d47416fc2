import { createRuleClassifier, ROUTER_STEPS, routeCase } from '@baton/core';
import { createModelAssistedClassifier } from '@baton/core/llm';
import type { FieldPrediction, Proposal } from '@baton/core';
import type { Charter } from '@baton/core';
import { compileAtRunTime, hintStates } from './run-charter.ts';
import { toAppDecision } from './core-decision.ts';
import type { AppDecision } from './decision.ts';
import { withoutAgentComments } from './issue-facts.ts';
import type { IssueFacts } from './issue-facts.ts';
import { AGENT_ACTOR } from './watchdog-rules.ts';

export interface RouterOptions {
  /** The site's default priority (its name), read when the charter classifies priority. */
  defaultPriority?: string | null;
  /**
   * A language model's predictions by record id (core's model-classify pre-pass, `modelPredictions`):
   * they take the place of the keyword rules' for the fields they cover, marked model-made.
   */
  modelPredictions?: ReadonlyMap<string, readonly FieldPrediction[]>;
}

/**
 * Whether the issue's priority is the one Jira filled in: the site's default, and no change of
 * priority in the changelog (by a person or by the app). A reporter who picked the default on the
 * create screen cannot be told apart from Jira's default and is treated the same.
 */
export function priorityIsJirasDefault(issue: IssueFacts, defaultPriority: string | null | undefined): boolean {
  if (defaultPriority === null || defaultPriority === undefined || issue.priority === null) return false;
  if (issue.priority.toLowerCase() !== defaultPriority.toLowerCase()) return false;
  return !issue.record.events.some((e) => e.kind === 'field' && e.field === 'priority');
}

/**
 * Core's router on an issue: an owner by core's ownership rules when it has none (the charter's teams,
 * or the project's assignable people as one team; least open work first, ties by id), plus whatever else core
 * proposes that the app can carry out (a due date from the SLA), owner or not. `load` holds the open
 * issues per person the router may pick (read by the caller; empty when the issue has an owner).
 */
export function routerDecisions(
  issue: IssueFacts,
  load: ReadonlyMap<string, number>,
  charter: Charter,
  now = issue.updated,
  opts: RouterOptions = {},
): AppDecision[] {
  if (issue.phase === 'done') return [];
  const compiled = compileAtRunTime(charter, {
    ...(issue.assignee !== null ? {} : { members: [...load.keys()] }),
    states: hintStates(charter, issue.hints),
  });
  const toApp = (d: Proposal): AppDecision[] => {
    const a = toAppDecision(d, { timeZone: compiled.calendar.timeZone });
    return a === null ? [] : [a];
  };
  // Core classifies empty fields only, and Jira fills priority in by default: the priority Jira gave
  // the issue, which nobody has changed since, is classified as if empty (core's other steps see it).
  const defaultPriority = priorityIsJirasDefault(issue, opts.defaultPriority);
  // The missing-information loop reads readiness: the app's own comments do not count (see withoutAgentComments).
  const record = withoutAgentComments(issue.record, AGENT_ACTOR);
  const classifier =
    opts.modelPredictions === undefined
      ? {}
      : { classifier: createModelAssistedClassifier(createRuleClassifier(compiled), opts.modelPredictions) };
  const decisions = defaultPriority
    ? [
        ...routeCase({ ...record, attributes: { ...record.attributes, priority: null } }, compiled, {
          now,
          load,
          steps: ['classify'],
          ...classifier,
        }).flatMap(toApp),
        ...routeCase(record, compiled, {
          now,
          load,
          steps: ROUTER_STEPS.filter((st) => st !== 'classify'),
          ...classifier,
        }).flatMap(toApp),
      ]
    : routeCase(record, compiled, { now, load, ...classifier }).flatMap(toApp);
  // The assignment goes last, so a transient failure of anything before it (a 503 on the due date)
  // fails the invocation before the issue has an owner; the redelivery does both. Every router
  // proposal is conditional on its own absence (no owner, no due date yet), so nothing is proposed twice.
  return [...decisions.filter((d) => d.kind !== 'assign'), ...decisions.filter((d) => d.kind === 'assign')];
}
