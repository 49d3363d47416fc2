import * as z from 'zod';

/**
 * Where a tick's JQL sweep stands: project by project, keyset-paged (`key > afterKey ORDER BY key`), so
 * what is kept between invocations is the same few fields whether a project has 50 or 50,000 issues.
 */
export const SweepSchema = z.object({
  /** `open`: the first (baseline) sweep of every open issue; `changed`: issues updated since the cursor. */
  kind: z.enum(['open', 'changed']),
  projects: z.array(z.string()),
  /** Index in `projects` of the project being paged (`projects.length` when all are done). */
  project: z.number().int().min(0),
  /** The last key taken in that project: the next page starts after it. */
  afterKey: z.string().nullable(),
  /** For `changed`: the `updated >=` literal, fixed when the tick starts (wall time in the app user's zone). */
  updatedSince: z.string().nullable(),
  /** Jira's approximate count of the sweep's issues when it started (progress), and how many were taken since. */
  estimated: z.number().int().min(0).nullable(),
  taken: z.number().int().min(0),
});
export type Sweep = z.infer<typeof SweepSchema>;

/** Issues a tick evaluates itself (at most `INLINE_LIMIT` of one page), and which of them are done. */
const InlinePageSchema = z.object({ keys: z.array(z.string()).max(100), done: z.array(z.string()).max(100) });

export const WatchdogCheckpointSchema = z.object({
  tickStartedAt: z.number(),
  /** The JQL sweep still to page; null when it is done. */
  sweep: SweepSchema.nullable(),
  /** The page being evaluated inline; null between pages. */
  page: InlinePageSchema.nullable(),
  /** Whether the due-time index (rows due at `tickStartedAt` or before) is still to be worked off. */
  duePending: z.boolean(),
});
export type WatchdogCheckpoint = z.infer<typeof WatchdogCheckpointSchema>;

export const WatchdogCursorSchema = z.object({
  /** Issues updated at or after this instant still need a look (JQL minute precision: overlap applied by the caller). */
  since: z.number().nullable(),
  /**
   * A tick in progress. A checkpoint of an older shape (a list of every key, which outgrew the 240 KiB
   * value limit at about 20,000 open issues) is read as none: the tick starts again, and effects are keyed.
   */
  checkpoint: z.unknown().transform((v) => {
    const cp = WatchdogCheckpointSchema.nullable().safeParse(v ?? null);
    return cp.success ? cp.data : null;
  }),
});
export type WatchdogCursor = z.infer<typeof WatchdogCursorSchema>;
