import * as z from 'zod';

/**
 * What happened to a decision: one closed set. `suggested` waits for a person; `accepted`/`overridden`
 * are their answer; `skipped-*` the charter's "not now" (`DEFERRED_OUTCOME`).
 */
export const OUTCOMES = [
  'executed',
  'suggested',
  'accepted',
  'overridden',
  'skipped-cap',
  'skipped-quiet',
  'skipped-recent',
  'dropped',
  'duplicate',
  'failed',
  /** An answer given in chat that Baton refused (not linked, not the addressee, no Jira permission): nothing ran. */
  'refused',
  /** An owner's answer to a nudge given in chat ("On it", "Blocked by…", "Reassign"): what they said, and who, where. */
  'answered',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A decision the charter said "not now" to (a later tick tries again), by why: never acted, never claimed. */
export const DEFERRED_OUTCOME = {
  cap: 'skipped-cap',
  quiet: 'skipped-quiet',
  recent: 'skipped-recent',
} as const satisfies Readonly<Record<string, Outcome>>;
export type DeferredOutcome = (typeof DEFERRED_OUTCOME)[keyof typeof DEFERRED_OUTCOME];
const DEFERRED: ReadonlySet<Outcome> = new Set(Object.values(DEFERRED_OUTCOME));
export const isDeferred = (outcome: Outcome): outcome is DeferredOutcome => DEFERRED.has(outcome);

export const OVERRIDE_REASONS = [
  'wrong-owner',
  'not-stale',
  'customer-waiting',
  'already-handled',
  'policy-exception',
  'other',
] as const;

export const AuditEntrySchema = z.object({
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
  /** The entry of the issue's hash chain (core's audit log) that records this outcome. */
  chain: z.object({ seq: z.number().int().min(0), hash: z.string() }).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
