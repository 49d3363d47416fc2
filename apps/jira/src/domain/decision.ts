import type { Pattern, Proposal } from '@baton/core';
import type { ActionKind } from '../contracts/charter.ts';

/**
 * A core proposal in the shape the app executes, suggests and shows: one Jira effect (assign, or a
 * comment that nudges, escalates or informs). `key` is core's idempotency key (case, pattern, rule,
 * threshold), so a redelivered event or a retried tick can never act twice. `core` is the proposal
 * itself, which the charter gate (`applyCharter`) reads.
 */
export interface AppDecision {
  key: string;
  pattern: Pattern;
  kind: ActionKind;
  issueKey: string;
  summary: string;
  reason: string;
  evidence: string[];
  confidence: number;
  risk: 'low' | 'medium' | 'high';
  /** Action-specific parameters: `{ assignee }` for assign, `{ to, text }` for nudges and comments. */
  proposal: Record<string, unknown>;
  core?: Proposal;
}
