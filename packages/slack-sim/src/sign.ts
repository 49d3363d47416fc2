import { createHmac } from 'node:crypto';

/**
 * Slack signs every request it sends an app: `X-Slack-Signature: v0=<hex HMAC-SHA256 of
 * "v0:{X-Slack-Request-Timestamp}:{raw body}" keyed with the app's signing secret>`, the timestamp in Unix
 * seconds (https://docs.slack.dev/authentication/verifying-requests-from-slack).
 */
export function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** A request as Slack sends it to the app's Request URL: headers and the raw body. */
export interface SignedSlackRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface SignOptions {
  readonly signingSecret: string;
  /** Unix seconds (default: the given clock's now). */
  readonly timestamp: number;
  readonly contentType: 'application/x-www-form-urlencoded' | 'application/json';
  /** Set on Events API retries: 1, 2, 3 (https://docs.slack.dev/apis/events-api/#retries). */
  readonly retryNum?: number;
  readonly retryReason?:
    'http_timeout' | 'too_many_redirects' | 'connection_failed' | 'ssl_error' | 'http_error' | 'unknown_error';
}

export function signRequest(body: string, o: SignOptions): SignedSlackRequest {
  return {
    body,
    headers: {
      'content-type': o.contentType,
      'x-slack-request-timestamp': String(o.timestamp),
      'x-slack-signature': slackSignature(o.signingSecret, o.timestamp, body),
      ...(o.retryNum === undefined ? {} : { 'x-slack-retry-num': String(o.retryNum) }),
      ...(o.retryReason === undefined ? {} : { 'x-slack-retry-reason': o.retryReason }),
    },
  };
}
