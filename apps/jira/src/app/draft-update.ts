import type { IssueFacts } from '../domain/issue-facts.ts';
import type { IssueState } from '../contracts/issue-state.ts';

/**
 * A stakeholder update per audience, from templates (no model needed): the customer hears progress
 * and the next step, the team hears owner and blockers, an executive hears risk in one line.
 */
export function draftUpdate(issue: IssueFacts, state: IssueState | null, audience: 'customer' | 'internal' | 'executive'): string {
  const clocks = state?.sla ?? [];
  const risky = clocks.filter((c) => c.state === 'at-risk' || c.state === 'breached');
  const waiting = issue.phase === 'waiting';
  switch (audience) {
    case 'customer':
      return [
        `Update on ${issue.key} "${issue.summary}": it is ${waiting ? 'waiting for information from you' : issue.phase === 'done' ? 'resolved' : 'being worked on'}.`,
        waiting ? 'Could you reply with the details we asked for? We will pick it up as soon as we have them.' : 'We will update you at the next change.',
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
