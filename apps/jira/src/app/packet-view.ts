import { buildHandoffPacket, createWorkflowResolver } from '@baton/core';
import type { CaseRecord, Charter, HandoffPacket, ReadinessRequirement } from '@baton/core';
import { slaRiskOf } from '@baton/jira/issue-state';
import type { SlaClock } from '@baton/jira/issue-state';
import { withoutAgentComments } from './issue-facts.ts';
import type { IssueFacts } from './issue-facts.ts';
import { requirementsOf } from '../contracts/ready-requirements.ts';
import { AGENT_ACTOR } from './watchdog-rules.ts';

/** What an issue needs before it leaves a status whose `ready` the charter does not set. */
export const DEFAULT_READY: readonly ReadinessRequirement[] = requirementsOf(['assignee', 'priority']);

/**
 * The definition of ready for leaving the issue's current status: the charter state's `ready` when it
 * lists something, else the default (owner, priority). Core's charter cannot tell an empty list from
 * none, so a state cannot require nothing: the panel always shows at least the default checklist.
 */
export function readyFor(issue: IssueFacts, charter: Charter): readonly ReadinessRequirement[] {
  const name = issue.status.toLowerCase();
  const own = Object.entries(charter.workflow.states).find(([s]) => s.toLowerCase() === name)?.[1].ready ?? [];
  return own.length > 0 ? own : DEFAULT_READY;
}

/** The case with the values core's readiness check reads as attributes: the owner and the description. */
const withReadable = (r: CaseRecord, assignee: string | null): CaseRecord => ({
  ...r,
  attributes: { ...r.attributes, assignee, description: r.description ?? null },
});

/** Core's clerk on the issue at `now`: decisions, open questions, links, next owner, readiness. */
export function handoffPacket(
  issue: IssueFacts,
  charter: Charter,
  sla: readonly SlaClock[],
  now: number,
): HandoffPacket {
  return buildHandoffPacket(withReadable(withoutAgentComments(issue.record, AGENT_ACTOR), issue.assignee), {
    at: now,
    resolve: createWorkflowResolver({ states: charter.workflow.states }, issue.hints),
    requirements: readyFor(issue, charter),
    sla: slaRiskOf(sla),
  });
}

/** The packet as the issue property carries it: one function, owned with the property (`@baton/jira/views`). */
export { packetView } from '@baton/jira/issue-state';
