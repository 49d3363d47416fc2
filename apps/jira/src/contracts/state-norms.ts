import * as z from 'zod';

/**
 * A project's learned per-state norms as stored (what the watchdog reads): business ms per state
 * (lower-cased status name), and how many stays each came from.
 */
export const StoredStateNormsSchema = z.object({
  projectKey: z.string(),
  learnedAt: z.number(),
  runId: z.string(),
  /** Resolved issues learned from. */
  cases: z.number().int().min(0),
  /** [state, norm in business ms, finished stays counted], by state. */
  norms: z.array(z.tuple([z.string(), z.number().positive(), z.number().int().positive()])),
});
export type StoredStateNorms = z.infer<typeof StoredStateNormsSchema>;
