import * as z from 'zod';
import { PROPOSAL_SOURCES, readLegacyRule } from '@baton/core';
import type { GateRule, GateRuleCode } from '@baton/core';

/**
 * What happened to a decision: one closed set. `suggested` waits for a person; `accepted`/`overridden`
 * are their answer; `deferred` is the charter's "not now" (which rule said so is `because`, as data:
 * `SettledOutcome`).
 */
export const OUTCOMES = [
  'executed',
  'suggested',
  'accepted',
  'overridden',
  'deferred',
  'dropped',
  'duplicate',
  'failed',
  /** An answer given in chat that Baton refused (not linked, not the addressee, no Jira permission): nothing ran. */
  'refused',
  /** An owner's answer to a nudge given in chat ("On it", "Blocked by…", "Reassign"): what they said, and who, where. */
  'answered',
  /**
   * What a person finally did about a decision, seen in the issue's history after the agent acted or the
   * suggestion was overridden (`app/final-actions.ts`): the row's `final` says whether it drifted.
   */
  'final',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * Core's gate rules that mean "not now" rather than "no": the day's caps, quiet hours, a recent human
 * touch. A decision they hold is deferred (never acted, never claimed) and a later tick proposes it again.
 */
export const DEFERRING_CODES = [
  'caps.perCaseDay',
  'caps.perPersonDay',
  'caps.quietHours',
  'caps.recentTouch',
] as const satisfies readonly GateRuleCode[];
export type DeferringRule = { readonly code: (typeof DEFERRING_CODES)[number] };
const DEFERRING: ReadonlySet<string> = new Set(DEFERRING_CODES);
/** Whether the gate's rule (`Decision.because`) defers rather than drops. */
export const isDeferringRule = (rule: GateRule | undefined): rule is DeferringRule =>
  rule !== undefined && DEFERRING.has(rule.code);

/** What became of one proposal in an evaluation, under its key: an outcome, and for a deferral the rule that holds it. */
export type SettledOutcome =
  | { readonly key: string; readonly outcome: Exclude<Outcome, 'deferred'> }
  | { readonly key: string; readonly outcome: 'deferred'; readonly because: DeferringRule };

export const OVERRIDE_REASONS = [
  'wrong-owner',
  'not-stale',
  'customer-waiting',
  'already-handled',
  'policy-exception',
  'other',
] as const;

/** How a person reads each override reason, wherever they choose one (the issue panel, a chat message). */
export const OVERRIDE_REASON_LABELS: Readonly<Record<(typeof OVERRIDE_REASONS)[number], string>> = {
  'wrong-owner': 'Wrong owner',
  'not-stale': 'Not stale: work is going on',
  'customer-waiting': 'The customer is waiting on us',
  'already-handled': 'Already handled',
  'policy-exception': 'Policy exception',
  other: 'Other (say why)',
};

/**
 * One audit row. Read tolerantly: a row written when the router named a model's guess with a suffix
 * (`router.classify.model`) reads as its rule (`router.classify`) with `source: 'model'`.
 */
export const AuditEntrySchema = z
  .object({
    id: z.string(),
    decisionKey: z.string(),
    issueKey: z.string(),
    at: z.number().int(),
    pattern: z.string(),
    kind: z.string(),
    outcome: z.enum(OUTCOMES),
    reason: z.string(),
    actor: z.string(),
    confidence: z.number().optional(),
    overrideReason: z.object({ code: z.enum(OVERRIDE_REASONS), text: z.string().max(500) }).optional(),
    /** Where the person answered when not in Jira: the chat surface and its user id (beside `actor`, their Jira account). */
    via: z.object({ surface: z.string().min(1), userId: z.string().min(1) }).optional(),
    /** The issue's project: the `by-project` index (trust per project); absent in rows written before it. */
    projectKey: z.string().optional(),
    /** The pattern's rule that proposed the decision (`router.owner`, `watchdog.stall`): trust per rule. */
    rule: z.string().optional(),
    /** Who made the decision: `model` for a language model's guess; absent: the rules (and rows written before it). */
    source: z.enum(PROPOSAL_SOURCES).optional(),
    /** For `final`: the person's final actions (as core summarises them), whether they differ from the decision's, and whether the agent had acted. */
    final: z.object({ actions: z.array(z.string()), drifted: z.boolean(), afterAct: z.boolean() }).optional(),
    /** The entry of the issue's hash chain (core's audit log) that records this outcome. */
    chain: z.object({ seq: z.number().int().min(0), hash: z.string() }).optional(),
  })
  .transform((row) => (row.rule === undefined ? row : { ...row, ...readLegacyRule(row.rule, row.source) }));
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
