/**
 * Paces a pull ahead of Jira Cloud's rate limits, from the headers Jira sends with every answer
 * (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/): while `X-RateLimit-NearLimit`
 * is true, or `X-RateLimit-Remaining` is under a fifth of `X-RateLimit-Limit`, requests are spaced
 * out, the gap doubling from 1 s up to a minute; once the budget is comfortable again the gap halves
 * back to none. With nothing left (`X-RateLimit-Remaining: 0`) and a reset time given, the next
 * request waits for it. A 429 itself is waited out by the client's retry (`Retry-After`,
 * `Beta-Retry-After`), not here. Site without these headers (Data Center): no pacing.
 */
export interface Pacer {
  /** Waits as long as the pace asks before the next request. */
  beforeRequest(): Promise<void>;
  /** Reads an answer's headers. */
  afterResponse(status: number, headers: { get(name: string): string | null }): void;
}

export const PACE = { firstGapMs: 1_000, maxGapMs: 60_000, nearShare: 0.2 } as const;

export function createPacer(deps: {
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** Told when the gap grows, with what Jira said. */
  readonly onSlowDown?: (gapMs: number, reason: string) => void;
}): Pacer {
  let gapMs = 0;
  let last: number | undefined;
  let pauseUntil = 0;

  return {
    async beforeRequest() {
      const now = deps.now();
      const wait = Math.max(pauseUntil - now, last === undefined ? 0 : last + gapMs - now);
      if (wait > 0) await deps.sleep(wait);
      last = deps.now();
    },
    afterResponse(status, headers) {
      if (status === 429) return;
      const limit = Number(headers.get('x-ratelimit-limit') ?? NaN);
      const remaining = Number(headers.get('x-ratelimit-remaining') ?? NaN);
      const flagged = headers.get('x-ratelimit-nearlimit')?.trim().toLowerCase() === 'true';
      const low =
        Number.isFinite(limit) && Number.isFinite(remaining) && limit > 0 && remaining < limit * PACE.nearShare;
      if (remaining === 0) {
        const reset = Date.parse(headers.get('x-ratelimit-reset') ?? '');
        if (Number.isFinite(reset)) pauseUntil = Math.max(pauseUntil, reset);
      }
      if (flagged || low) {
        gapMs = Math.min(PACE.maxGapMs, gapMs === 0 ? PACE.firstGapMs : gapMs * 2);
        const said = Number.isFinite(remaining)
          ? `X-RateLimit-Remaining ${remaining}${Number.isFinite(limit) ? ` of ${limit}` : ''}`
          : 'X-RateLimit-NearLimit';
        deps.onSlowDown?.(gapMs, said);
      } else if (gapMs > 0) {
        gapMs = gapMs / 2 < PACE.firstGapMs / 4 ? 0 : gapMs / 2;
      }
    },
  };
}
