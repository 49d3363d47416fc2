import type { SignOptions, SignedSlackRequest } from './sign.ts';

/**
 * How Slack delivers a request to an app's Request URL, and what it does when the app is slow or fails.
 *
 * - Slack waits three seconds for an HTTP 2xx. For the Events API, "your app should respond to the event
 *   request with an HTTP 2xx within three seconds. If it does not, we'll consider the event delivery
 *   attempt failed" (https://docs.slack.dev/apis/events-api/#responding); for interactivity, the app "must
 *   send an HTTP 200 OK response ... within 3 seconds", else the person sees an error
 *   (https://docs.slack.dev/interactivity/handling-user-interaction#acknowledgment_response).
 * - A failed Events API delivery is retried three times: "nearly immediately", after one minute, after five
 *   minutes, each carrying `X-Slack-Retry-Num` and `X-Slack-Retry-Reason` (`http_timeout`, `http_error`,
 *   `connection_failed`, …); a failing response with `X-Slack-No-Retry: 1` stops the retries
 *   (https://docs.slack.dev/apis/events-api/#retries). Interactions are not retried.
 * - On a timeout Slack does not wait for the slow answer: the retry goes out while the first request is
 *   still with the app, so an app that works before acknowledging sees the same event twice at once.
 * - Each attempt is signed when it is sent (a fresh `X-Slack-Request-Timestamp`), with the same body.
 */
export const SLACK_ACK_MS = 3000;
/** The Events API's waits before retries 1, 2 and 3. */
export const EVENT_RETRY_DELAYS_MS = [0, 60_000, 300_000] as const;
/** The sim stops waiting for a straggling answer (one that came after Slack gave up on it) after this long. */
const STRAGGLER_MS = 30_000;

export type RetryReason = NonNullable<SignOptions['retryReason']>;

/** One request Slack sent, and what became of it. */
export interface DeliveryAttempt {
  /** 0 for the first request, then Slack's `X-Slack-Retry-Num`. */
  readonly retryNum: number;
  /** The app's status, when it answered at all (possibly after Slack stopped waiting). */
  readonly status: number | null;
  /** Why Slack counted the attempt failed; null when it was acknowledged in time. */
  readonly failure: RetryReason | null;
  readonly body: string | null;
}

export interface Delivery {
  /** Whether one attempt was acknowledged with a 2xx within Slack's three seconds. */
  readonly acknowledged: boolean;
  readonly attempts: readonly DeliveryAttempt[];
}

export interface DeliverOptions {
  /** How the sim lets Slack's retry delays pass (default: at once; tests move their fake clock here). */
  readonly wait?: (ms: number) => Promise<void>;
  /** Slack's three seconds. A test may shorten it to keep a deliberately slow app quick; never longer. */
  readonly ackMs?: number;
  /** Slack's side of the wire (default: the global `fetch`; a test that restricts its egress passes the real one). */
  readonly fetch?: typeof fetch;
}

type Outcome = { status: number; body: string; noRetry: boolean } | { error: unknown };

/**
 * Sends a request to the app as Slack does: `sign(retry)` signs each attempt at the moment it is sent.
 * Events (JSON bodies) are retried by Slack's schedule; interactions (form bodies) are sent once.
 */
export async function deliverToApp(
  url: string,
  sign: (retry?: { retryNum: number; retryReason: RetryReason }) => SignedSlackRequest,
  options: DeliverOptions = {},
): Promise<Delivery> {
  const ackMs = Math.min(options.ackMs ?? SLACK_ACK_MS, SLACK_ACK_MS);
  const wait = options.wait ?? (async () => {});
  const send = options.fetch ?? fetch;
  const first = sign();
  const retries = first.headers['content-type'] === 'application/json' ? EVENT_RETRY_DELAYS_MS.length : 0;
  const attempts: { retryNum: number; answer: Promise<Outcome>; failure: RetryReason | null }[] = [];
  let request = first;
  for (let retryNum = 0; ;) {
    const answer: Promise<Outcome> = send(url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(STRAGGLER_MS),
    }).then(
      async (r) => ({ status: r.status, body: await r.text(), noRetry: r.headers.get('x-slack-no-retry') === '1' }),
      (error: unknown) => ({ error }),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ackMs);
    });
    const inTime = await Promise.race([answer, deadline]);
    clearTimeout(timer);
    const failure: RetryReason | null =
      inTime === 'timeout'
        ? 'http_timeout'
        : 'error' in inTime
          ? 'connection_failed'
          : inTime.status >= 200 && inTime.status < 300
            ? null
            : 'http_error';
    attempts.push({ retryNum, answer, failure });
    const stop = failure === null || (inTime !== 'timeout' && !('error' in inTime) && inTime.noRetry);
    if (stop || retryNum >= retries) break;
    await wait(EVENT_RETRY_DELAYS_MS[retryNum] ?? 0);
    retryNum += 1;
    request = sign({ retryNum, retryReason: failure });
  }
  // Slack has moved on; the sim still waits for every answer, so a test sees all that the app did.
  const settled = await Promise.all(
    attempts.map(async (a) => {
      const o = await a.answer;
      return {
        retryNum: a.retryNum,
        status: 'error' in o ? null : o.status,
        failure: a.failure,
        body: 'error' in o ? null : o.body,
      };
    }),
  );
  return { acknowledged: settled.some((a) => a.failure === null), attempts: settled };
}
