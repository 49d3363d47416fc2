import * as z from 'zod';

/** What happened to a decision. `suggested` waits for a person; `accepted`/`overridden` are their answer. */
export const OUTCOMES = [
  'executed',
  'suggested',
  'accepted',
  'overridden',
  'skipped-cap',
  'skipped-quiet',
  'dropped',
  'duplicate',
  'failed',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

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
  /** The entry of the issue's hash chain (core's audit log) that records this outcome. */
  chain: z.object({ seq: z.number().int().min(0), hash: z.string() }).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
