import type * as z from 'zod/mini';
import { EnvelopeSchema, ResponseDataSchemas } from './protocol.ts';
import type { Envelope, Request, RequestType, ResponseData } from './protocol.ts';

/** How a message reaches the background; `browser.runtime.sendMessage` in the extension, a stub in tests. */
export type Transport = (message: unknown) => Promise<unknown>;

/** A typed request whose answer is validated before anyone reads it. */
export type SendRequest = <T extends RequestType>(
  request: Extract<Request, { type: T }>,
) => Promise<Envelope<ResponseData<T>>>;

export function createSendRequest(transport: Transport): SendRequest {
  return async (request) => {
    let raw: unknown;
    try {
      raw = await transport(request);
    } catch (e) {
      // The worker was restarted or the extension updated under the page.
      return {
        ok: false,
        error: {
          code: 'unreachable',
          message: `Baton's background is not answering (${errorText(e)}). Reload the page.`,
        },
      };
    }
    const envelope = EnvelopeSchema.safeParse(raw);
    if (!envelope.success)
      return { ok: false, error: { code: 'bad-response', message: 'Baton got an answer it does not understand.' } };
    if (!envelope.data.ok) return envelope.data;
    const schema = ResponseDataSchemas[request.type] as z.ZodMiniType;
    const data = schema.safeParse(envelope.data.data);
    if (!data.success)
      return { ok: false, error: { code: 'bad-response', message: `Unexpected data for ${request.type}.` } };
    return { ok: true, data: data.data as never };
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
