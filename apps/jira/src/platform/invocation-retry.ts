import { InvocationError, InvocationErrorCode } from '@forge/events';
import { JiraNetworkError, JiraServerError, RateLimitedError } from '@baton/jira';
import { RetryLaterError } from '../ports/retry-later.ts';

/**
 * Forge retries a product-event trigger or a queue consumer only when the function **returns** an
 * `InvocationError` with `retryAfter` (seconds); a thrown error ends the invocation, and the event is
 * not delivered again (https://developer.atlassian.com/platform/forge/events-reference/product_events/ ,
 * https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/). The redelivery
 * carries `retryContext` (`retryCount`, `retryReason`, `retryData`).
 *
 * So a failure that waiting can cure (Jira's 429 with its Retry-After, a 5xx, the network) becomes a
 * returned InvocationError; anything else (a programmer error, a refusal) is thrown and logged.
 * Repeating the work is safe: every effect is keyed.
 */
export const DEFAULT_RETRY_AFTER_S = 30;

export function retryFor(e: unknown): InvocationError | undefined {
  if (e instanceof RetryLaterError)
    return new InvocationError({
      retryAfter: Math.max(1, Math.ceil(e.retryAfterMs / 1000)),
      retryReason: InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED,
    });
  if (e instanceof RateLimitedError)
    return new InvocationError({
      retryAfter: Math.max(1, Math.ceil(e.retryAfter ?? DEFAULT_RETRY_AFTER_S)),
      retryReason: InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED,
    });
  if (e instanceof JiraServerError || e instanceof JiraNetworkError)
    return new InvocationError({
      retryAfter: DEFAULT_RETRY_AFTER_S,
      retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST,
      retryData: { status: e.status },
    });
  return undefined;
}

/** Runs `work`; a failure `retryFor` recognises is returned as the InvocationError that asks Forge to retry. */
export async function retryable<T>(work: () => Promise<T>): Promise<T | InvocationError> {
  try {
    return await work();
  } catch (e) {
    const retry = retryFor(e);
    if (retry) return retry;
    throw e;
  }
}
