import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JiraApiError, JiraServerError, RateLimitedError, jiraErrorFrom, parseRetryAfter } from './jira-api-error.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry-policy.ts';

describe('jiraErrorFrom', () => {
  it('chooses one subclass per status and keeps Jira messages', () => {
    const e = jiraErrorFrom({
      status: 429,
      method: 'GET',
      path: '/x',
      bodyText: '{"errorMessages":["Rate limit exceeded."]}',
      retryAfterHeader: '7',
    });
    expect(e).toBeInstanceOf(RateLimitedError);
    expect(e).toBeInstanceOf(JiraApiError);
    expect((e as RateLimitedError).retryAfter).toBe(7);
    expect(e.message).toContain('Rate limit exceeded.');
    expect(
      jiraErrorFrom({ status: 403, method: 'POST', path: '/x', bodyText: 'XSRF check failed' }).errorMessages,
    ).toEqual(['XSRF check failed']);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 0)).toBe(10);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('never exceeds the cap and stops after maxRetries (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (attempt, r) => {
        const policy = { ...DEFAULT_RETRY_POLICY, random: () => r };
        const err = new JiraServerError('x', { status: 503, method: 'GET', path: '/' });
        const d = retryDelayMs(err, attempt, policy, true);
        if (attempt > policy.maxRetries) expect(d).toBeUndefined();
        else expect(d).toBeLessThanOrEqual(policy.maxDelayMs);
      }),
    );
  });
});
