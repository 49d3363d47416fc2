import * as z from 'zod';

/**
 * What every resolver returns. Errors do not cross the Forge bridge as exceptions (the UI sees a
 * generic failure), so failures travel as data with a stable code the UI can switch on.
 */
export const ERROR_CODES = [
  'forbidden',
  'invalid-payload',
  'not-found',
  'conflict',
  'jira-error',
  'rate-limited',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type Envelope<T> =
  { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } };

export const okEnvelope = <T>(data: T): Envelope<T> => ({ ok: true, data });
export const errEnvelope = (code: ErrorCode, message: string, details?: unknown): Envelope<never> => ({
  ok: false,
  error: { code, message, ...(details === undefined ? {} : { details }) },
});

/** The schema of an envelope around `data`, for the UI to parse what came over the bridge. */
export function envelopeSchema<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data }),
    z.object({
      ok: z.literal(false),
      error: z.object({ code: z.enum(ERROR_CODES), message: z.string(), details: z.unknown().optional() }),
    }),
  ]);
}
