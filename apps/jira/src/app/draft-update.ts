import { changesBetween, createWorkflowResolver, draftUpdates } from '@baton/core';
import type { Audience, AudienceDraft } from '@baton/core';
import type { Charter } from '@baton/core';
import type { IssueFacts } from './issue-facts.ts';
import type { IssueState } from '@baton/jira/issue-state';
import { handoffPacket } from './packet-view.ts';
import { AGENT_ACTOR } from './watchdog-rules.ts';

/**
 * A stakeholder update for one audience by core's concierge: the meaningful changes since the agent
 * last spoke on the issue (or since it was opened), drafted from one context with the clerk's packet.
 * Undefined when nothing changed that this audience cares about: then `draftUpdate`'s status template.
 */
export function conciergeAudienceDraft(
  issue: IssueFacts,
  state: IssueState | null,
  audience: Audience,
  charter: Charter,
  now: number,
): AudienceDraft | undefined {
  const resolve = createWorkflowResolver({ states: charter.workflow.states }, issue.hints);
  const lastSpoke = issue.record.events.filter((e) => e.actor === AGENT_ACTOR && e.kind === 'comment').at(-1)?.at;
  const since = lastSpoke ?? issue.created - 1;
  const { before, after, changes } = changesBetween(issue.record, since, now, resolve);
  const packet = handoffPacket(issue, charter, state?.sla ?? [], now);
  return draftUpdates({ before, after, changes, packet, priority: issue.priority }).find(
    (d) => d.audience === audience,
  );
}

export const draftText = (d: Pick<AudienceDraft, 'subject' | 'body'>): string => `${d.subject}\n\n${d.body}`;

/**
 * The fallback status line per audience, from templates (no model needed): the customer hears progress
 * and the next step, the team hears owner and blockers, an executive hears risk in one line.
 */
export function draftUpdate(issue: IssueFacts, state: IssueState | null, audience: Audience): string {
  const clocks = state?.sla ?? [];
  const risky = clocks.filter((c) => c.state === 'at-risk' || c.state === 'breached');
  const waiting = issue.phase === 'waiting';
  switch (audience) {
    case 'customer':
      return [
        `Update on ${issue.key} "${issue.summary}": it is ${waiting ? 'waiting for information from you' : issue.phase === 'done' ? 'resolved' : 'being worked on'}.`,
        waiting
          ? 'Could you reply with the details we asked for? We will pick it up as soon as we have them.'
          : 'We will update you at the next change.',
      ].join(' ');
    case 'internal':
      return [
        `${issue.key} is in "${issue.status}", owned by ${issue.assignee ?? 'nobody yet'}.`,
        risky.length > 0 ? `SLA: ${risky.map((c) => `${c.goal} ${c.state}`).join(', ')}.` : 'SLA clocks are on track.',
        (state?.suggestions.length ?? 0) > 0 ? `Pending: ${state?.suggestions.map((s) => s.summary).join('; ')}.` : '',
      ]
        .filter((x) => x !== '')
        .join(' ');
    case 'executive':
      return risky.length > 0
        ? `${issue.key} (${issue.priority ?? 'no priority'}): ${risky.map((c) => `${c.goal} ${c.state}`).join(', ')}; owner ${issue.assignee ?? 'unassigned'}.`
        : `${issue.key} (${issue.priority ?? 'no priority'}): on track.`;
  }
}
