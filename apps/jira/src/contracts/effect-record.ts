import * as z from 'zod';

/** A row of the effect ledger (`effect:<decision key>`): claimed before acting, then done, suggested or resolved. */
export const EffectRecordSchema = z.object({
  state: z.enum(['claimed', 'done', 'suggested', 'resolved']),
  at: z.number(),
  detail: z.string().optional(),
});
export type EffectRecord = z.infer<typeof EffectRecordSchema>;
