import * as z from 'zod';
import { fail, fromZodIssues, ok, type Result } from '../result.ts';
import { decodeBase64, encodeBase64 } from './base64.ts';
import { FeatureSpecSchema } from './features.ts';
import { linearModelOf } from './linear-model.ts';
import { MODEL_KINDS, type RouterModel } from './router-model.ts';

/** Bump when the features or the layout change: an old model would silently predict garbage. */
export const MODEL_FORMAT = 'baton-router-model';
export const MODEL_FORMAT_VERSION = 1;

const ReliabilityBinSchema = z.object({
  from: z.number(),
  to: z.number(),
  count: z.number().int(),
  meanConfidence: z.number(),
  accuracy: z.number(),
});

const LineMeasureSchema = z.object({ coverage: z.number().min(0).max(1), precision: z.number().min(0).max(1) });

const ModelFileSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_FORMAT_VERSION),
  target: z.string().min(1),
  kind: z.enum(MODEL_KINDS),
  modelId: z.string().min(1),
  spec: FeatureSpecSchema,
  classes: z.array(z.string()).min(2),
  bias: z.array(z.number()),
  temperature: z.number().positive(),
  thresholds: z.object({ act: z.number().nullable(), suggest: z.number().nullable() }),
  trainedOn: z.object({
    examples: z.number().int(),
    overrides: z.number().int(),
    from: z.number().nullable(),
    to: z.number().nullable(),
  }),
  calibration: z.object({
    count: z.number().int(),
    ece: z.number(),
    bins: z.array(ReliabilityBinSchema),
    /** Measured at the act and suggest lines on the held-out slice; absent in files written before (they still load). */
    lines: z.object({ act: LineMeasureSchema.nullable(), suggest: LineMeasureSchema.nullable() }).optional(),
  }),
  /** Kept row indices as little-endian uint32, base64. */
  rows: z.string(),
  scales: z.array(z.number()),
  /** int8 weights, rows × classes, base64. */
  values: z.string(),
});
export type ModelFile = z.infer<typeof ModelFileSchema>;

/** The model as a JSON-safe object (write it with JSON.stringify). */
export function toModelFile(model: RouterModel): ModelFile {
  const q = model.quantized;
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    target: model.target,
    kind: model.kind,
    modelId: model.modelId,
    spec: model.spec,
    classes: [...model.linear.classes],
    bias: Array.from(model.linear.bias),
    temperature: model.linear.temperature,
    thresholds: model.thresholds,
    trainedOn: model.trainedOn,
    calibration: { ...model.calibration, bins: [...model.calibration.bins] },
    rows: encodeBase64(new Uint8Array(q.rows.buffer, q.rows.byteOffset, q.rows.byteLength)),
    scales: Array.from(q.scales),
    values: encodeBase64(new Uint8Array(q.values.buffer, q.values.byteOffset, q.values.byteLength)),
  };
}

/**
 * Reads a model from parsed JSON. A file of another format version fails with `model.version`
 * and says what to do, rather than loading weights that no longer mean what the code expects.
 */
export function fromModelFile(json: unknown): Result<RouterModel> {
  const head = z.object({ format: z.string(), version: z.unknown() }).safeParse(json);
  if (!head.success || head.data.format !== MODEL_FORMAT) {
    return fail({
      code: 'model.format',
      path: [],
      message: `not a Baton router model (expected "format": "${MODEL_FORMAT}")`,
    });
  }
  if (head.data.version !== MODEL_FORMAT_VERSION) {
    return fail({
      code: 'model.version',
      path: ['version'],
      message: `model file version ${JSON.stringify(head.data.version)} is not supported (this Baton reads version ${MODEL_FORMAT_VERSION}); retrain it with \`baton route-eval --save-model\``,
    });
  }
  const parsed = ModelFileSchema.safeParse(json);
  if (!parsed.success) return fail(...fromZodIssues(parsed.error.issues));
  const f = parsed.data;
  const k = f.classes.length;
  const rowBytes = decodeBase64(f.rows);
  const valueBytes = decodeBase64(f.values);
  if (
    rowBytes === undefined ||
    valueBytes === undefined ||
    rowBytes.length % 4 !== 0 ||
    valueBytes.length !== (rowBytes.length / 4) * k ||
    f.bias.length !== k ||
    f.scales.length !== k
  ) {
    return fail({
      code: 'model.corrupt',
      path: [],
      message: 'model weights do not match its classes (corrupt or truncated file)',
    });
  }
  const rows = new Uint32Array(rowBytes.buffer.slice(rowBytes.byteOffset, rowBytes.byteOffset + rowBytes.byteLength));
  if (rows.some((r) => r >= 2 ** f.spec.bits)) {
    return fail({ code: 'model.corrupt', path: ['rows'], message: 'model row index outside its hashing space' });
  }
  const quantized = {
    rows,
    scales: Float32Array.from(f.scales),
    values: new Int8Array(valueBytes.buffer, valueBytes.byteOffset, valueBytes.byteLength),
  };
  return ok({
    target: f.target,
    kind: f.kind,
    modelId: f.modelId,
    spec: f.spec,
    linear: linearModelOf(quantized, f.classes, f.spec.bits, Float32Array.from(f.bias), f.temperature),
    quantized,
    thresholds: f.thresholds,
    trainedOn: f.trainedOn,
    calibration: f.calibration,
  });
}
