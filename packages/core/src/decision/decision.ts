import * as z from 'zod';
import { sha256Hex } from '../text/sha256.ts';
import { ActionKindSchema, ActionSchema } from './action.ts';

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

/**
 * Who made a proposal: the patterns' rules, or a language model's guess (which the gate only ever
 * suggests). Absent means the rules.
 */
export const PROPOSAL_SOURCES = ['rules', 'model'] as const;
export const ProposalSourceSchema = z.enum(PROPOSAL_SOURCES);
export type ProposalSource = z.infer<typeof ProposalSourceSchema>;

/**
 * The charter rule that chose a disposition, as data: `{ code: 'caps.perCaseDay' }`,
 * `{ code: 'autonomy.assist', kind: 'assign' }`, `{ code: 'risk.escalateAt', risk: 'high' }`.
 * Code reads `code` (and `kind` / `risk`); `dispositionRule` is its text, for people and files.
 */
export const GATE_RULE_CODES = [
  'autonomy.off',
  'autonomy.assist',
  'autonomy.enforce',
  'caps.recentTouch',
  'caps.quietHours',
  'caps.perCaseDay',
  'caps.perPersonDay',
  'confidence.belowSuggest',
  'confidence.act',
  'confidence.suggest',
  'risk.escalateAt',
  'risk.customerFacing',
  'model.suggestOnly',
  'schema.invalidAction',
] as const;
export type GateRuleCode = (typeof GATE_RULE_CODES)[number];
const AUTONOMY_CODES = ['autonomy.off', 'autonomy.assist', 'autonomy.enforce'] as const;
const PLAIN_CODES = GATE_RULE_CODES.filter(
  (c): c is Exclude<GateRuleCode, (typeof AUTONOMY_CODES)[number] | 'risk.escalateAt'> =>
    !(AUTONOMY_CODES as readonly string[]).includes(c) && c !== 'risk.escalateAt',
);
export const GateRuleSchema = z.union([
  z.object({ code: z.enum(AUTONOMY_CODES), kind: ActionKindSchema }),
  z.object({ code: z.literal('risk.escalateAt'), risk: z.enum(['low', 'medium', 'high']) }),
  z.object({ code: z.enum(PLAIN_CODES as [(typeof PLAIN_CODES)[number], ...(typeof PLAIN_CODES)[number][]]) }),
]);
export type GateRule = z.infer<typeof GateRuleSchema>;

/** A gate rule as text: `autonomy.assist:assign`, `risk.high`, `caps.perCaseDay`. */
export function formatGateRule(r: GateRule): string {
  if ('kind' in r) return `${r.code}:${r.kind}`;
  if ('risk' in r) return `risk.${r.risk}`;
  return r.code;
}

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
  /** The pattern's rule that fired (`watchdog.stall`, `router.owner`, `router.ready.request`). Who made it is `source`. */
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
  /** `model` when a language model made the guess (the gate only ever suggests it); absent: the rules. */
  source: ProposalSourceSchema.optional(),
  /**
   * Account ids the texts (messages, reason) name besides the actions' recipients (the reporter a
   * stall waits on, the owner a lead hears of), so that a caller can show each by name: core words
   * people by id and never looks a name up.
   */
  people: z.array(z.string().min(1)).optional(),
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
  /** The charter rule that chose the disposition, as text (`autonomy.assist:assign`, `caps.perCaseDay`): `formatGateRule(because)`. */
  dispositionRule: z.string().min(1),
  /** The same rule as data; absent only in decisions logged before it was recorded. */
  because: GateRuleSchema.optional(),
  /** The risk after the charter's risk rules (never lower than the proposal's). */
  risk: RiskSchema,
});
export type Decision = z.infer<typeof DecisionSchema>;

/**
 * The stable key of a firing: SHA-256 over case, pattern, rule, threshold and who made it (not time,
 * not text), so that re-evaluating the same events proposes nothing new. A model's guess
 * (`source: 'model'`) keys apart from the same rule's own firing; the rules' (`source` absent or
 * `rules`) key as they always did.
 * @example idempotencyKey({ caseId: 'TIMOB-1', pattern: 'watchdog', rule: 'watchdog.stall', threshold: 'state:Open' })
 */
export function idempotencyKey(p: Pick<Proposal, 'caseId' | 'pattern' | 'rule' | 'threshold' | 'source'>): string {
  // Length-prefixed parts: 'a|b' + 'c' can never collide with 'a' + 'b|c'.
  const parts = [p.caseId, p.pattern, p.rule, p.threshold, ...(p.source === 'model' ? ['source:model'] : [])]
    .map((s) => `${s.length}:${s}`)
    .join('|');
  return `d-${sha256Hex(parts).slice(0, 32)}`;
}

/**
 * Rule ids logged before "made by a model" became `source`: the router named a model's guess with a
 * suffix. Read old rows through `readLegacyRule`; nothing writes these names any more.
 */
const LEGACY_MODEL_RULES: Readonly<Record<string, string>> = {
  'router.classify.model': 'router.classify',
  'router.owner.model': 'router.owner',
};

/**
 * A rule id and its source as stored, read the way they are written today: a legacy
 * `router.classify.model` / `router.owner.model` becomes its rule with `source: 'model'`; any other
 * rule is kept, with the source it was stored with.
 * @example readLegacyRule('router.owner.model') // { rule: 'router.owner', source: 'model' }
 */
export function readLegacyRule(
  rule: string,
  source?: ProposalSource,
): { readonly rule: string; readonly source?: ProposalSource } {
  const plain = LEGACY_MODEL_RULES[rule];
  if (plain !== undefined) return { rule: plain, source: 'model' };
  return source === undefined ? { rule } : { rule, source };
}

const RISK_RANK: Record<Risk, number> = { low: 0, medium: 1, high: 2 };

/** The higher of two risks. */
export function maxRisk(a: Risk, b: Risk): Risk {
  return RISK_RANK[a] >= RISK_RANK[b] ? a : b;
}
