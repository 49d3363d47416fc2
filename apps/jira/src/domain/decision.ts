import type { Pattern, Proposal } from '@baton/core';

/**
 * What the app does in Jira: assign, a nudge (core's `notify` or `requestInfo`), escalate, comment,
 * `setDueDate` (core's `setField duedate`) or `setField` (core's `setField` of priority, labels or
 * components); the gate reads core's action kind from the proposal.
 */
export type DecisionKind = 'assign' | 'nudge' | 'escalate' | 'comment' | 'setDueDate' | 'setField';

/**
 * A core proposal in the shape the app executes, suggests and shows: one Jira effect (assign, a due
 * date, or a comment that nudges, escalates or informs). `key` is core's idempotency key (case, pattern, rule,
 * threshold), so a redelivered event or a retried tick can never act twice. `core` is the proposal
 * itself, which the charter gate (`applyCharter`) reads.
 */
export interface AppDecision {
  key: string;
  pattern: Pattern;
  kind: DecisionKind;
  issueKey: string;
  summary: string;
  reason: string;
  evidence: string[];
  confidence: number;
  risk: 'low' | 'medium' | 'high';
  /**
   * Action-specific parameters: `{ assignee }` for assign, `{ duedate }` (`YYYY-MM-DD`) for setDueDate,
   * `{ field, value, raise? }` for setField (`priority`: a name or id, `raise: true` from an escalation ladder:
   * only if it is higher than the issue's; `labels`/`components`: one value, added),
   * `{ to, text }` for nudges and comments.
   */
  proposal: Record<string, unknown>;
  core?: Proposal;
}
