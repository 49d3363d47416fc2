import * as z from 'zod';
import { sha256Hex } from '../text/sha256.ts';
import { ActionSchema } from './action.ts';

/** The pattern that proposed a decision. */
export const PATTERNS = ['router', 'watchdog', 'concierge', 'clerk'] as const;
export const PatternSchema = z.enum(PATTERNS);
export type Pattern = z.infer<typeof PatternSchema>;

export const RISKS = ['low', 'medium', 'high'] as const;
export const RiskSchema = z.enum(RISKS);
export type Risk = z.infer<typeof RiskSchema>;

/**
 * What the charter made of a proposal: `act` (carry it out, logged), `suggest` (queue for a person
 * to accept or override), `escalate` (hand to a person with the evidence), `drop` (not now: off,
 * capped, quiet hours, recently touched).
 */
export const DISPOSITIONS = ['act', 'suggest', 'escalate', 'drop'] as const;
export const DispositionSchema = z.enum(DISPOSITIONS);
export type Disposition = z.infer<typeof DispositionSchema>;

/** A fact a decision used, with where it came from (`event:2016-12-21T16:20Z`, `sla:resolution`, `charter`). */
export const EvidenceSchema = z.object({
  label: z.string(),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  source: z.string(),
});
export type DecisionEvidence = z.infer<typeof EvidenceSchema>;

/** What a pattern proposes; the charter gate (`applyCharter`) turns it into a `Decision`. */
export const ProposalSchema = z.object({
  caseId: z.string().min(1),
  pattern: PatternSchema,
  /** The pattern's rule that fired (`watchdog.stall`, `router.owner`, `router.ready.request`); a rule ending in `.model` marks a language model's guess, which the gate only ever suggests. */
  rule: z.string().min(1),
  /** What makes this firing distinct for the same rule (`sla:resolution:0.75`, `state:Queued`). */
  threshold: z.string(),
  actions: z.array(ActionSchema).min(1),
  reason: z.string().min(1),
  evidence: z.array(EvidenceSchema),
  confidence: z.number().min(0).max(1),
  risk: RiskSchema,
  /** Epoch ms of the moment the pattern looked at the case. */
  at: z.number().int(),
});
export type Proposal = z.infer<typeof ProposalSchema>;

export const DecisionSchema = ProposalSchema.extend({
  /**
   * The actions the gate kept. Empty only when every proposed action was refused by its schema (an
   * empty or missing recipient, say): then the disposition is `drop`, the rule
   * `schema.invalidAction`, and the reason says what was refused.
   */
  actions: z.array(ActionSchema),
  /** Equal to `idempotencyKey`: the same case, pattern, rule and threshold always yield the same id. */
  id: z.string().min(1),
  idempotencyKey: z.string().min(1),
  disposition: DispositionSchema,
  /** The charter rule that chose the disposition (`autonomy.assist:assign`, `caps.perCaseDay`, `confidence.act`). */
  dispositionRule: z.string().min(1),
  /** The risk after the charter's risk rules (never lower than the proposal's). */
  risk: RiskSchema,
});
export type Decision = z.infer<typeof DecisionSchema>;

/**
 * The stable key of a firing: SHA-256 over case, pattern, rule and threshold (not time, not text),
 * so that re-evaluating the same events proposes nothing new.
 * @example idempotencyKey({ caseId: 'TIMOB-1', pattern: 'watchdog', rule: 'watchdog.stall', threshold: 'state:Open' })
 */
export function idempotencyKey(p: Pick<Proposal, 'caseId' | 'pattern' | 'rule' | 'threshold'>): string {
  // Length-prefixed parts: 'a|b' + 'c' can never collide with 'a' + 'b|c'.
  const parts = [p.caseId, p.pattern, p.rule, p.threshold].map((s) => `${s.length}:${s}`).join('|');
  return `d-${sha256Hex(parts).slice(0, 32)}`;
}

const RISK_RANK: Record<Risk, number> = { low: 0, medium: 1, high: 2 };

/** The higher of two risks. */
export function maxRisk(a: Risk, b: Risk): Risk {
  return RISK_RANK[a] >= RISK_RANK[b] ? a : b;
}
