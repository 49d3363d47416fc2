import { IssueEventSchema } from '../contracts/product-event.ts';
import type { AppDeps } from './app-deps.ts';
import { projectsInScope } from './charter-for.ts';
import { evaluateIssue } from './evaluate-issue.ts';
import { recordFinalActions } from './final-actions.ts';
import { whyIgnored } from './ignored-event.ts';
import { cachedScope } from './scope-cache.ts';
import type { EvaluateResult } from './evaluate-issue.ts';

export type EventResult = { handled: false; why: string } | { handled: true; result: EvaluateResult };

/**
 * One product event: check it is ours to handle, then evaluate the issue from Jira's current
 * state. Redeliveries and out-of-order arrivals are harmless because nothing is taken from the
 * payload but the issue key, and every effect is keyed.
 */
export async function handleIssueEvent(deps: AppDeps, payload: unknown): Promise<EventResult> {
  const parsed = IssueEventSchema.safeParse(payload);
  if (!parsed.success) return { handled: false, why: `not an issue event: ${parsed.error.issues[0]?.message ?? ''}` };
  const event = parsed.data;
  // Early exits: first from the payload alone, then from the scope kept in memory (no storage read
  // while it is fresh), so an event the app ignores costs no storage or Jira call.
  const ignored = whyIgnored(event);
  if (ignored !== null) return { handled: false, why: ignored };
  const projectKey = event.issue.fields?.project?.key ?? event.issue.key.split('-')[0] ?? '';
  if (!(await cachedScope(() => projectsInScope(deps.storage), deps.now())).includes(projectKey))
    return { handled: false, why: `project ${projectKey} not in scope` };
  // Routing is for new or unowned work; the other events only re-check clocks and stalls.
  const route = event.eventType === 'avi:jira:created:issue' || event.eventType === 'avi:jira:updated:issue';
  const result = await evaluateIssue(deps, event.issue.key, { route });
  // A person's change to what the agent did (or was overridden on) is that decision's final action: drift.
  await recordFinalActions(deps, event.issue.key);
  return { handled: true, result };
}
