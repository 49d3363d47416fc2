import type { ModelFile } from '@baton/core/classify';
import * as z from 'zod';

/** What a confidence line let through on the held-out slice (core's `measureLine`); null when not measured. */
const LineSchema = z.object({
  line: z.number().nullable(),
  measured: z.object({ coverage: z.number(), precision: z.number() }).nullable(),
});

/** One trained model (a target such as `component`), as the admin reads it. */
export const RouterTargetViewSchema = z.object({
  target: z.string(),
  kind: z.string(),
  modelId: z.string(),
  labels: z.number().int(),
  trainedOn: z.object({
    examples: z.number().int(),
    overrides: z.number().int(),
    from: z.number().nullable(),
    to: z.number().nullable(),
  }),
  /** Held-out predictions the lines were fitted and measured on, their top-1 accuracy and calibration error. */
  heldOut: z.number().int(),
  accuracy: z.number().nullable(),
  ece: z.number(),
  act: LineSchema,
  suggest: LineSchema,
});
export type RouterTargetView = z.infer<typeof RouterTargetViewSchema>;

/** The project's router model for the admin: what it was trained on, when, how it measured; and the training run. */
export const RouterModelViewSchema = z.object({
  projectKey: z.string(),
  model: z
    .object({
      trainedAt: z.number(),
      examples: z.number().int(),
      overrides: z.number().int(),
      /** People whose resolved issues make the skills history the owner step reads. */
      people: z.number().int(),
      targets: z.array(RouterTargetViewSchema),
    })
    .nullable(),
  run: z
    .object({
      status: z.enum(['queued', 'running', 'done', 'failed']),
      reason: z.string(),
      examples: z.number().int(),
      startedAt: z.number(),
      updatedAt: z.number(),
      error: z.string().optional(),
    })
    .nullable(),
});
export type RouterModelView = z.infer<typeof RouterModelViewSchema>;

/** What the app keeps of a training: core's model files and the skills history the owner step reads. */
export const StoredRouterModelSchema = z.object({
  projectKey: z.string(),
  trainedAt: z.number(),
  runId: z.string(),
  examples: z.number().int(),
  overrides: z.number().int(),
  models: z.array(z.custom<ModelFile>((v) => typeof v === 'object' && v !== null)),
  /** Resolved issues per person per component: `[person, [[component, n], …]]`. */
  skills: z.array(z.tuple([z.string(), z.array(z.tuple([z.string(), z.number().int()]))])),
});
export type StoredRouterModel = z.infer<typeof StoredRouterModelSchema>;
