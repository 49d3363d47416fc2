import type { ActionKind } from '../contracts/charter.ts';

/**
 * A proposed action with its reason, evidence, confidence and risk. `key` is the idempotency key:
 * the same situation always yields the same key, so a redelivered event or a retried tick can
 * never act twice.
 */
export interface AppDecision {
  key: string;
  pattern: 'router' | 'watchdog';
  kind: ActionKind;
  issueKey: string;
  summary: string;
  reason: string;
  evidence: string[];
  confidence: number;
  risk: 'low' | 'medium' | 'high';
  /** Action-specific parameters: `{ assignee }` for assign, `{ to, text }` for nudges and comments. */
  proposal: Record<string, unknown>;
}

/** Builds an idempotency key from the parts that identify the situation (never from a clock read). */
export const decisionKey = (...parts: (string | number)[]): string => parts.map((p) => String(p).replace(/[:\s]/g, '_')).join(':');
