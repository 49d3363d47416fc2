import { EvidenceSchema, GateRuleSchema, PATTERNS, formatGateRule } from '@baton/core';
import type { Action, Decision, Pattern } from '@baton/core';
import * as z from 'zod';
import type { SuggestionProblem } from './suggestion.ts';

/**
 * A pending suggestion as the app stored it before it held core's decision (version 1, no `version`
 * field): one app action named by `kind`, its parameters in an untyped `proposal`. Read only, to
 * migrate it (`migrateSuggestionV1`); kept until a later major version.
 */
export const SuggestionV1Schema = z.object({
  key: z.string().min(1),
  kind: z.string(),
  /** Absent in suggestions stored before they recorded their pattern. */
  pattern: z.enum(PATTERNS).optional(),
  summary: z.string(),
  reason: z.string(),
  confidence: z.number(),
  risk: z.enum(['low', 'medium', 'high']),
  createdAt: z.number(),
  proposal: z.record(z.string(), z.unknown()),
  escalation: z.object({ because: GateRuleSchema, evidence: z.array(EvidenceSchema) }).optional(),
});
export type SuggestionV1 = z.infer<typeof SuggestionV1Schema>;

/** The rule and disposition text of a version-1 suggestion the gate did not escalate: version 1 did not record them. */
export const V1_RULE = 'suggestion.v1';

/**
 * The pattern of a version-1 suggestion stored before suggestions recorded it: the router proposed
 * owners and field writes, the watchdog its comments (and only its ladders raised a priority).
 */
const PATTERN_OF_KIND: Readonly<Record<string, Pattern>> = {
  assign: 'router',
  setDueDate: 'router',
  setField: 'router',
  nudge: 'watchdog',
  escalate: 'watchdog',
  comment: 'watchdog',
};

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * Core's action for each version-1 kind, as version 1 carried it out: a nudge or escalation with
 * nobody to address and every comment were internal comments (the person in `to` mentioned).
 */
const ACTION_OF_KIND: Readonly<Record<string, (p: Record<string, unknown>, words: string) => Action | null>> = {
  assign: (p) => (text(p.assignee) === null ? null : { kind: 'assign', to: String(p.assignee) }),
  setDueDate: (p) =>
    text(p.duedate) === null ? null : { kind: 'setField', field: 'duedate', value: String(p.duedate) },
  setField: (p) =>
    text(p.field) === null || text(p.value) === null
      ? null
      : { kind: 'setField', field: String(p.field), value: String(p.value) },
  nudge: (p, words) =>
    text(p.to) === null
      ? { kind: 'comment', body: words, audience: 'internal' }
      : { kind: 'notify', to: String(p.to), message: words },
  escalate: (p, words) =>
    text(p.to) === null
      ? { kind: 'comment', body: words, audience: 'internal' }
      : { kind: 'escalate', to: String(p.to), message: words },
  comment: (p, words) => ({
    kind: 'comment',
    body: words,
    audience: 'internal',
    ...(text(p.to) === null ? {} : { to: String(p.to) }),
  }),
};

/**
 * A version-1 suggestion as version 2 (core's decision), for the issue it was stored under. What
 * accepting it does is unchanged: the same Jira effect under the same idempotency key. Its rule is
 * unknown (`suggestion.v1`) unless the gate escalated it, which version 1 recorded.
 */
export function migrateSuggestionV1(
  value: unknown,
  issueKey: string,
): { ok: true; value: unknown } | { ok: false; problem: SuggestionProblem } {
  const r = SuggestionV1Schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    return {
      ok: false,
      problem: { path: (issue?.path ?? []).map(String).join('.'), message: issue?.message ?? 'invalid suggestion' },
    };
  }
  const s = r.data;
  const words = text(s.proposal.text) ?? s.summary;
  const action = ACTION_OF_KIND[s.kind]?.(s.proposal, words) ?? null;
  if (action === null)
    return {
      ok: false,
      problem: { path: 'proposal', message: `a version-1 '${s.kind}' suggestion without what it would do` },
    };
  const raised = s.kind === 'setField' && s.proposal.raise === true;
  const decision: Decision = {
    caseId: issueKey,
    pattern: s.pattern ?? (raised ? 'watchdog' : (PATTERN_OF_KIND[s.kind] ?? 'watchdog')),
    rule: V1_RULE,
    threshold: s.key,
    actions: [action],
    reason: s.reason,
    evidence: s.escalation?.evidence ?? [],
    confidence: s.confidence,
    risk: s.risk,
    at: s.createdAt,
    id: s.key,
    idempotencyKey: s.key,
    ...(s.escalation === undefined
      ? { disposition: 'suggest', dispositionRule: V1_RULE }
      : {
          disposition: 'escalate',
          dispositionRule: formatGateRule(s.escalation.because),
          because: s.escalation.because,
        }),
  };
  return { ok: true, value: { version: 2, key: s.key, summary: s.summary, createdAt: s.createdAt, decision } };
}
