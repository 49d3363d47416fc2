import { createRuleClassifier, proposeRoutes, ROUTER_STEPS } from '@baton/core';
import { createModelAssistedClassifier } from '@baton/core/llm';
import type { FieldPrediction, Proposal } from '@baton/core';
import type { Charter } from '@baton/core';
import { compileAtRunTime, hintStates } from './run-charter.ts';
import { proposalForJira } from './jira-proposal.ts';
import { withoutAgentComments } from './issue-facts.ts';
import type { IssueFacts } from './issue-facts.ts';
import { AGENT_ACTOR } from './watchdog-rules.ts';
import type { RouterModel } from '@baton/core/classify';
import { predictTop, routingInputFromCase } from '@baton/core/classify';
import { evidenceWords, fieldOfTarget, trainedClassifier } from './router-model-classifier.ts';

export interface RouterOptions {
  /** The site's default priority (its name), read when the charter classifies priority. */
  defaultPriority?: string | null;
  /**
   * A language model's predictions by record id (core's model-classify pre-pass, `modelPredictions`):
   * they take the place of the keyword rules' for the fields they cover, marked model-made.
   */
  modelPredictions?: ReadonlyMap<string, readonly FieldPrediction[]>;
  /**
   * The project's trained router (`app/router-model.ts`): its models classify the fields they were
   * trained for, on the charter's confidence scale by their calibrated lines, and its skills history
   * (resolved issues per person per component) counts in the owner step.
   */
  trained?: {
    readonly models: readonly RouterModel[];
    readonly skills: ReadonlyMap<string, ReadonlyMap<string, number>>;
  };
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
): Proposal[] {
  if (issue.phase === 'done') return [];
  const compiled = compileAtRunTime(charter, {
    ...(issue.assignee !== null ? {} : { members: [...load.keys()] }),
    states: hintStates(charter, issue.hints),
  });
  const toApp = (p: Proposal): Proposal[] => {
    const inJira = proposalForJira(p, { timeZone: compiled.calendar.timeZone });
    return inJira === null ? [] : [inJira];
  };
  // Core classifies empty fields only, and Jira fills priority in by default: the priority Jira gave
  // the issue, which nobody has changed since, is classified as if empty (core's other steps see it).
  const defaultPriority = priorityIsJirasDefault(issue, opts.defaultPriority);
  // The missing-information loop reads readiness: the app's own comments do not count (see withoutAgentComments).
  const record = withoutAgentComments(issue.record, AGENT_ACTOR);
  // The loop itself (`ready`) runs on every evaluation, with its settled steps: app/missing-info.ts.
  const steps = ROUTER_STEPS.filter((st) => st !== 'ready');
  const rules =
    opts.modelPredictions === undefined
      ? createRuleClassifier(compiled)
      : createModelAssistedClassifier(createRuleClassifier(compiled), opts.modelPredictions);
  const models = opts.trained?.models ?? [];
  const classifier = {
    classifier: models.length === 0 ? rules : trainedClassifier(rules, models, charter.confidence),
    ...(opts.trained === undefined ? {} : { skills: opts.trained.skills }),
  };
  const decisions = defaultPriority
    ? [
        ...proposeRoutes({ ...record, attributes: { ...record.attributes, priority: null } }, compiled, {
          now,
          load,
          steps: ['classify'],
          ...classifier,
        }).flatMap(toApp),
        ...proposeRoutes(record, compiled, {
          now,
          load,
          steps: steps.filter((st) => st !== 'classify'),
          ...classifier,
        }).flatMap(toApp),
      ]
    : proposeRoutes(record, compiled, { now, load, steps, ...classifier }).flatMap(toApp);
  const explained = models.length === 0 ? decisions : decisions.map((d) => withEvidence(d, record, models));
  // The assignment goes last, so a transient failure of anything before it (a 503 on the due date)
  // fails the invocation before the issue has an owner; the redelivery does both. Every router
  // proposal is conditional on its own absence (no owner, no due date yet), so nothing is proposed twice.
  const assigns = (p: Proposal): boolean => p.actions.some((a) => a.kind === 'assign');
  return [...explained.filter((p) => !assigns(p)), ...explained.filter(assigns)];
}

/**
 * A router decision a trained model stands behind, with that model's evidence: the issue's words
 * that point to the label it proposes (a classification), or to the label the owner step read (an
 * owner chosen while the field was still empty). In the evidence list and the reason the panel shows.
 */
function withEvidence(p: Proposal, record: IssueFacts['record'], models: readonly RouterModel[]): Proposal {
  if (p.pattern !== 'router') return p;
  const lines: { field: string; line: string }[] = [];
  for (const m of models) {
    const field = fieldOfTarget(m.target);
    const written = p.actions.find((a) => a.kind === 'setField' && a.field === field);
    const label =
      written?.kind === 'setField'
        ? String(written.value)
        : p.actions.some((a) => a.kind === 'assign') && !hasValue(record.attributes[field])
          ? predictTop(m, routingInputFromCase(record), 1)[0]?.label
          : undefined;
    if (label === undefined) continue;
    const words = evidenceWords(m, record, label);
    if (words.length > 0) lines.push({ field, line: `${field} ${label}: ${words.join(', ')}` });
  }
  if (lines.length === 0) return p;
  return {
    ...p,
    reason: `${p.reason}; words behind it: ${lines.map((l) => l.line).join('; ')}`,
    evidence: [
      ...p.evidence,
      ...lines.map((l) => ({ label: 'words behind', value: l.line, source: `model:${l.field}` })),
    ],
  };
}

const hasValue = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
