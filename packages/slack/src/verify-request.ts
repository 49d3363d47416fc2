import { createHmac, timingSafeEqual } from 'node:crypto';
import { fail, ok, type Issue, type Result } from '@baton/core';

/**
 * Slack's request signing (https://docs.slack.dev/authentication/verifying-requests-from-slack): the
 * `X-Slack-Signature` header is `v0=` + hex HMAC-SHA256 of `v0:{X-Slack-Request-Timestamp}:{raw body}`
 * keyed with the app's signing secret. Requests whose timestamp is more than five minutes from now are
 * refused (a replay window), and the comparison is constant-time.
 */
export const MAX_REQUEST_AGE_S = 5 * 60;

export type VerifyIssueCode = 'slack.signature.missing' | 'slack.signature.stale' | 'slack.signature.mismatch';
export interface VerifyIssue extends Issue {
  readonly code: VerifyIssueCode;
}

export interface VerifiedRequest {
  readonly timestamp: number;
  readonly signature: string;
}

const header = (headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined => {
  const hit = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  return hit?.[1];
};

export function verifySlackRequest(
  signingSecret: string,
  headers: Readonly<Record<string, string | undefined>>,
  rawBody: string,
  nowMs: number,
): Result<VerifiedRequest, VerifyIssue> {
  const signature = header(headers, 'x-slack-signature');
  const stamp = header(headers, 'x-slack-request-timestamp');
  if (signature === undefined || stamp === undefined || !/^\d{1,12}$/.test(stamp))
    return fail({
      code: 'slack.signature.missing',
      path: ['headers'],
      message: 'no X-Slack-Signature or X-Slack-Request-Timestamp',
    });
  const timestamp = Number(stamp);
  if (Math.abs(nowMs / 1000 - timestamp) > MAX_REQUEST_AGE_S)
    return fail({
      code: 'slack.signature.stale',
      path: ['headers', 'x-slack-request-timestamp'],
      message: `timestamp ${timestamp} is more than five minutes from now`,
    });
  const expected = Buffer.from(
    `v0=${createHmac('sha256', signingSecret).update(`v0:${stamp}:${rawBody}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return fail({
      code: 'slack.signature.mismatch',
      path: ['headers', 'x-slack-signature'],
      message: 'signature does not match the body',
    });
  return ok({ timestamp, signature });
}
