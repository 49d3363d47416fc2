/**
 * Slack's Web API rate limits, applied "per API method per workspace per app"
 * (https://docs.slack.dev/apis/web-api/rate-limits): Tier 1 1+/min, Tier 2 20+/min, Tier 3 50+/min,
 * Tier 4 100+/min; chat.postMessage is a special tier, "one message per second per channel" with a
 * workspace-wide limit beside it. Over a limit Slack answers HTTP 429 with `Retry-After` (seconds) and
 * `{ ok: false, error: 'ratelimited' }`. The sim allows exactly the floor of each tier ("20+" is 20), so
 * a client that survives the sim survives Slack.
 */
export const TIER_PER_MINUTE = { 1: 1, 2: 20, 3: 50, 4: 100 } as const;
export type Tier = keyof typeof TIER_PER_MINUTE | 'postMessage';

/** Each method the sim serves and its tier, as each method's reference page states it. */
export const METHOD_TIERS: Readonly<Record<string, Tier>> = {
  // https://docs.slack.dev/reference/methods/chat.postMessage ("Special": 1 per second per channel)
  'chat.postMessage': 'postMessage',
  // https://docs.slack.dev/reference/methods/chat.update (Tier 3)
  'chat.update': 3,
  // https://docs.slack.dev/reference/methods/chat.postEphemeral (Tier 4)
  'chat.postEphemeral': 4,
  // https://docs.slack.dev/reference/methods/conversations.open (Tier 3)
  'conversations.open': 3,
  // https://docs.slack.dev/reference/methods/users.lookupByEmail (Tier 3)
  'users.lookupByEmail': 3,
  // https://docs.slack.dev/reference/methods/users.info (Tier 4)
  'users.info': 4,
  // https://docs.slack.dev/reference/methods/auth.test (special; the sim treats it as Tier 4)
  'auth.test': 4,
};

/** chat.postMessage's workspace-wide cap beside the per-channel second (Slack states "several hundred"; the sim allows 300/min). */
export const POST_MESSAGE_WORKSPACE_PER_MINUTE = 300;

/** Fixed windows over the sim's clock: a method's minute, a channel's second. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  /** Counts one call; returns the seconds to wait when it is over the limit (and does not count it). */
  take(key: string, limit: number, windowMs: number, now: number): number | undefined {
    const start = Math.floor(now / windowMs) * windowMs;
    const w = this.windows.get(key);
    const current = w !== undefined && w.start === start ? w : { start, count: 0 };
    if (current.count >= limit) return Math.max(1, Math.ceil((start + windowMs - now) / 1000));
    current.count += 1;
    this.windows.set(key, current);
    return undefined;
  }

  /** Seconds until `method` may be called again (Tier methods), or undefined when within its tier. */
  check(method: string, channel: string | undefined, now: number): number | undefined {
    const tier = METHOD_TIERS[method];
    if (tier === undefined) return undefined;
    if (tier === 'postMessage') {
      const wide = this.peek(`${method}`, POST_MESSAGE_WORKSPACE_PER_MINUTE, 60_000, now);
      if (wide !== undefined) return wide;
      const perChannel = this.take(`${method}:${channel ?? ''}`, 1, 1000, now);
      if (perChannel !== undefined) return perChannel;
      return this.take(`${method}`, POST_MESSAGE_WORKSPACE_PER_MINUTE, 60_000, now);
    }
    return this.take(method, TIER_PER_MINUTE[tier], 60_000, now);
  }

  private peek(key: string, limit: number, windowMs: number, now: number): number | undefined {
    const start = Math.floor(now / windowMs) * windowMs;
    const w = this.windows.get(key);
    if (w === undefined || w.start !== start || w.count < limit) return undefined;
    return Math.max(1, Math.ceil((start + windowMs - now) / 1000));
  }
}
