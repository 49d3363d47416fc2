import { clerkPattern } from './patterns/clerk-pattern.ts';
import { conciergePattern } from './patterns/concierge-pattern.ts';
import type { ReplayPattern } from './replay.ts';
import { routerPattern } from './patterns/router-pattern.ts';
import { slaPattern } from './patterns/sla-pattern.ts';
import { watchdogPattern } from './patterns/watchdog-pattern.ts';

/**
 * Every pattern core has, in the order the replay runs them at a moment: the order decides which
 * proposal claims a case's daily nudge cap first (routing and SLA before stalls and updates).
 */
export const ALL_REPLAY_PATTERNS: readonly ReplayPattern[] = [
  routerPattern,
  slaPattern,
  watchdogPattern,
  clerkPattern,
  conciergePattern,
];
