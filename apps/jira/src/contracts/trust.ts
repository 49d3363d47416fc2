import { PATTERNS, PROPOSAL_SOURCES } from '@baton/core';
import * as z from 'zod';

/** Core's `PatternTrust`, as it crosses the bridge. */
export const PatternTrustSchema = z.object({
  decisions: z.number().int(),
  acted: z.number().int(),
  suggested: z.number().int(),
  accepted: z.number().int(),
  overridden: z.number().int(),
  expired: z.number().int(),
  acceptanceRate: z.number().nullable(),
  overrideReasons: z.record(z.string(), z.number()),
  finals: z.number().int(),
  drifted: z.number().int(),
  changedAfterAct: z.number().int(),
  drift: z.number().nullable(),
});
const ByPatternSchema = z.partialRecord(z.enum(PATTERNS), PatternTrustSchema);

/** A project's trust: per pattern, per rule, and per week (Monday, UTC) over the last weeks. */
export const TrustReportSchema = z.object({
  projectKey: z.string(),
  from: z.number(),
  to: z.number(),
  /** Audit rows read, and whether the window held more than the report reads (the oldest were left out). */
  rows: z.number().int(),
  partial: z.boolean(),
  patterns: ByPatternSchema,
  /** Per rule and who made its decisions (`model`: a language model's guesses, counted apart from the rules'). */
  rules: z.array(
    z.object({
      rule: z.string(),
      source: z.enum(PROPOSAL_SOURCES),
      pattern: z.enum(PATTERNS),
      trust: PatternTrustSchema,
    }),
  ),
  weeks: z.array(z.object({ week: z.iso.date(), patterns: ByPatternSchema })),
});
export type TrustReport = z.infer<typeof TrustReportSchema>;
