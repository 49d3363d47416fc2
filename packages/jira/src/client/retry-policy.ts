import { JiraNetworkError, JiraServerError, RateLimitedError } from './jira-api-error.ts';

/** How the client waits and retries. Everything time-related is injectable so tests never sleep. */
export interface RetryPolicy {
  /** Retries after the first attempt (0 disables retrying). */
  maxRetries: number;
  /** First backoff for 5xx/network failures; doubles per attempt, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * A `Retry-After` longer than this is not waited out: the error is thrown so the caller can
   * checkpoint and resume later (a Forge invocation has 25 s, not minutes).
   */
  maxRetryAfterMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * How long to wait before retry number `attempt` (1-based), or `undefined` to give up.
 * `idempotent: false` requests (adding a comment) are retried only when Jira surely did not act:
 * after a 429. A 5xx or a lost connection may have created the comment; the caller's idempotency
 * key decides then, not a blind retry.
 */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
  idempotent: boolean,
): number | undefined {
  if (attempt > policy.maxRetries) return undefined;
  if (error instanceof RateLimitedError) {
    const wait = error.retryAfter === undefined ? backoff(attempt, policy) : error.retryAfter * 1000;
    return wait > policy.maxRetryAfterMs ? undefined : wait;
  }
  if (!idempotent) return undefined;
  if (error instanceof JiraServerError || error instanceof JiraNetworkError) return backoff(attempt, policy);
  return undefined;
}

function backoff(attempt: number, policy: RetryPolicy): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(policy.random() * cap);
}
