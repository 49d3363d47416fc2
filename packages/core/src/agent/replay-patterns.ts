import { clerkPattern } from './clerk-pattern.ts';
import { conciergePattern } from './concierge-pattern.ts';
import type { ReplayPattern } from './replay.ts';
import { routerPattern } from './router-pattern.ts';
import { slaPattern } from './sla-pattern.ts';
import { watchdogPattern } from './watchdog-pattern.ts';

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
