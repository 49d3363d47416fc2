import { ErrorCode, type WebAPICallResult } from '@slack/web-api';
import type { DeliveryIssue, DeliveryIssueCode } from '@baton/core';

/**
 * One Web API call with Slack's rate limits honoured: on HTTP 429 wait the `Retry-After` seconds and try
 * again (https://docs.slack.dev/apis/web-api/rate-limits), until waiting longer would exceed `maxWaitMs`;
 * then give the caller `chat.retryLater` with the wait still owed, for the Forge queue to retry. The
 * WebClient is built with `rejectRateLimitedCalls: true` and no retries of its own, so every wait passes
 * through the injected `sleep` (tests advance a clock instead of sleeping).
 */
export interface BackoffOptions {
  readonly sleep: (ms: number) => Promise<void>;
  /** The longest total wait one call may take before handing back (default 30 s). */
  readonly maxWaitMs?: number;
}

/** Slack errors that mean "this target cannot be reached" rather than "this app is misconfigured". */
const UNREACHABLE = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'user_not_found',
  'users_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'message_not_found',
]);

export type CallOutcome<T> =
  { ok: true; value: T; waitedMs: number } | { ok: false; issue: DeliveryIssue; waitedMs: number };

interface SlackErrorShape {
  code?: string;
  retryAfter?: number;
  data?: { error?: string };
  message?: string;
}

const issue = (code: DeliveryIssueCode, method: string, message: string, retryAfterMs?: number): DeliveryIssue => ({
  code,
  path: [method],
  message,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

export async function callSlack<T extends WebAPICallResult>(
  method: string,
  call: () => Promise<T>,
  options: BackoffOptions,
): Promise<CallOutcome<T>> {
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  let waitedMs = 0;
  for (;;) {
    try {
      return { ok: true, value: await call(), waitedMs };
    } catch (e) {
      const err = e as SlackErrorShape;
      if (err.code === ErrorCode.RateLimitedError && typeof err.retryAfter === 'number') {
        const waitMs = Math.max(1, err.retryAfter) * 1000;
        if (waitedMs + waitMs > maxWaitMs)
          return {
            ok: false,
            issue: issue('chat.retryLater', method, `rate-limited; retry after ${err.retryAfter} s`, waitMs),
            waitedMs,
          };
        await options.sleep(waitMs);
        waitedMs += waitMs;
        continue;
      }
      if (err.code === ErrorCode.PlatformError) {
        const code = err.data?.error ?? 'unknown_error';
        return {
          ok: false,
          issue: issue(UNREACHABLE.has(code) ? 'chat.unreachable' : 'chat.rejected', method, `Slack said ${code}`),
          waitedMs,
        };
      }
      // Network failures and 5xx: nothing was confirmed, so the queue may try again.
      return { ok: false, issue: issue('chat.retryLater', method, err.message ?? String(e), 5000), waitedMs };
    }
  }
}
