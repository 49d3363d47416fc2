import { DecisionSchema } from '@baton/core';
import * as z from 'zod';
import { migrateSuggestionV1 } from './suggestion-v1.ts';

/**
 * The version of a stored suggestion's shape. 2: it holds core's decision (every action, the gate's
 * disposition and rule). Version 1 (no `version` field: one app action, an untyped `proposal`) is
 * migrated on read by `readSuggestion`, kept until a later major version.
 */
export const SUGGESTION_VERSION = 2;

/**
 * A decision waiting for a person: core's `Decision` as the charter's gate made it (`suggest`, or
 * `escalate` with the rule that stopped the agent in `because` and the facts it used in `evidence`).
 * Accept carries out `decision.actions`, all of them, without asking the gate again. `key` is the
 * decision's id (its idempotency key), under which app storage keeps it and the panel answers it;
 * `summary` says in words what accepting does.
 */
export const SuggestionSchema = z
  .object({
    version: z.literal(SUGGESTION_VERSION),
    key: z.string().min(1),
    summary: z.string(),
    createdAt: z.number(),
    decision: DecisionSchema,
  })
  .refine((s) => s.key === s.decision.id, { message: 'key must be the decision id', path: ['key'] })
  .refine((s) => s.decision.disposition === 'suggest' || s.decision.disposition === 'escalate', {
    message: 'a pending suggestion is a decision the gate suggested or escalated',
    path: ['decision', 'disposition'],
  });
export type Suggestion = z.infer<typeof SuggestionSchema>;

/** Why a stored value is not a suggestion this reader can use, naming the field. */
export interface SuggestionProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * A stored suggestion of either version as the current one: version 2 as it is, version 1 migrated
 * (`issueKey` is the issue it was stored under: version 1 did not record it). A value of neither shape
 * is a problem naming the field, never a guess.
 */
export function readSuggestion(
  value: unknown,
  issueKey: string,
): { ok: true; value: Suggestion } | { ok: false; problem: SuggestionProblem } {
  const versioned = typeof value === 'object' && value !== null && 'version' in value;
  const migrated = versioned ? { ok: true as const, value } : migrateSuggestionV1(value, issueKey);
  if (!migrated.ok) return migrated;
  const r = SuggestionSchema.safeParse(migrated.value);
  return r.success ? { ok: true, value: r.data } : { ok: false, problem: problemOf(r.error) };
}

/** The first issue of a failed parse, by path. */
export const problemOf = (e: z.ZodError): SuggestionProblem => {
  const issue = e.issues[0];
  return { path: (issue?.path ?? []).map(String).join('.'), message: issue?.message ?? 'invalid suggestion' };
};
