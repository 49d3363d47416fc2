/**
 * Jira Cloud's burst rate limit as the sim plays it: a number of requests per window for one
 * endpoint and HTTP method (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/:
 * "jira-burst-based — one tenant, one endpoint, one HTTP method"). Every answer carries
 * `X-RateLimit-Limit` and `X-RateLimit-Remaining`, and `X-RateLimit-NearLimit: true` once less than
 * 20 % of the budget remains; a request past the budget gets 429 with `Retry-After` (seconds),
 * `X-RateLimit-Reset` (the request time plus Retry-After, `yyyy-MM-ddTHH:mmZ`) and
 * `RateLimit-Reason: jira-burst-based`. With `retryHeader: 'beta-retry-after'` the 429 names its wait
 * in `Beta-Retry-After` instead, as answers of the points-based quota (in beta) do.
 */
export interface SimRateLimit {
  /** Requests allowed per window, per endpoint and method. */
  limit: number;
  windowMs: number;
  /** Which header carries the wait of a 429 (default `retry-after`). */
  retryHeader?: 'retry-after' | 'beta-retry-after';
}

export interface RateDecision {
  /** Headers for the answer, whatever it is. */
  readonly headers: Record<string, string>;
  /** Set when the request is over the budget: answer 429 with these headers. */
  readonly limited: boolean;
}

/** `/rest/api/3/issue/OPS-2/comment` and `/issue/10002/comment` are one endpoint. */
function endpointOf(path: string): string {
  return path
    .split('/')
    .map((s) => (/^[A-Z][A-Z0-9_]*-\d+$/.test(s) || /^\d+$/.test(s) ? '{id}' : s))
    .join('/');
}

/** Minutes, as the documentation shows `X-RateLimit-Reset`. */
const resetFormat = (ms: number) => `${new Date(ms).toISOString().slice(0, 16)}Z`;

export function createRateLimiter(spec: SimRateLimit, clock: () => number) {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(method: string, path: string): RateDecision {
      const now = clock();
      const key = `${method} ${endpointOf(path)}`;
      const start = Math.floor(now / spec.windowMs) * spec.windowMs;
      let w = windows.get(key);
      if (w === undefined || w.start !== start) {
        w = { start, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      const remaining = Math.max(0, spec.limit - w.count);
      const headers: Record<string, string> = {
        'x-ratelimit-limit': String(spec.limit),
        'x-ratelimit-remaining': String(remaining),
      };
      if (remaining < spec.limit * 0.2) headers['x-ratelimit-nearlimit'] = 'true';
      if (w.count <= spec.limit) return { headers, limited: false };
      const retryAfter = Math.max(1, Math.ceil((start + spec.windowMs - now) / 1000));
      headers[spec.retryHeader ?? 'retry-after'] = String(retryAfter);
      headers['x-ratelimit-reset'] = resetFormat(now + retryAfter * 1000);
      headers['ratelimit-reason'] = 'jira-burst-based';
      return { headers, limited: true };
    },
  };
}
