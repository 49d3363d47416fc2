import { WebClient } from '@slack/web-api';

/**
 * A WebClient for the adapter: rate limits come back to `callSlack` (which honours `Retry-After` through
 * an injectable sleep) instead of being slept on inside the client, and nothing is retried twice.
 * `slackApiUrl` points at slack-sim in tests; in Forge, `fetch` is Forge's.
 */
export function createSlackWebClient(
  token: string,
  options: { slackApiUrl?: string; fetch?: typeof fetch; timeoutMs?: number } = {},
): WebClient {
  return new WebClient(token, {
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: options.timeoutMs ?? 10_000,
    ...(options.slackApiUrl === undefined ? {} : { slackApiUrl: options.slackApiUrl }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}
