import { businessTimeBetween } from '../../time/calendar.ts';
import { createIdleNorms, type IdleNormsOptions } from '../../agent/watchdog/idle-norms.ts';
import type { CompiledCharter } from '../../charter/compile-charter.ts';
import type { ReplayCase, ReplayHooks, ReplayPattern } from '../replay.ts';
import { createWatchdog, type WatchCase } from '../../agent/watchdog/watchdog.ts';

const DAY = 86_400_000;

/** The watchdog's view of a case the replay engine keeps (no history walk: the engine keeps state, owner and clocks). */
export function watchCaseOfReplay(c: ReplayCase): WatchCase {
  const s = c.snapshot;
  return {
    caseId: c.record.id,
    ...(c.record.title === undefined ? {} : { title: c.record.title }),
    state: s.state,
    owner: s.owner,
    enteredStateAt: c.enteredStateAt,
    lastActivityAt: s.lastActivityAt ?? c.enteredStateAt,
    lastHumanActivityAt: c.lastHumanActivityAt,
    attributes: c.record.attributes,
    clocks: c.clocks,
    takenSteps: c.taken,
  };
}

export interface WatchdogPatternOptions extends IdleNormsOptions {
  /** Norm of a state with neither a charter norm nor enough history yet. Default 3 business days. */
  readonly defaultNormMs?: number;
}

/**
 * The watchdog's stall watch as a replay pattern: on each clock tick, an open case idle in its
 * state beyond the state's norm gets a nudge with its context (once per visit of the state), and
 * the idle ladders' steps fire. A state's norm is the charter's `norm` when it sets one, else the
 * p90 of the idle gaps seen in that state before the tick (relearned once a day, never from the
 * future), else the default of 3 business days.
 * @example createReplayEngine({ charter, patterns: [createWatchdogPattern({ minSamples: 50 })] })
 */
export function createWatchdogPattern(options: WatchdogPatternOptions = {}): ReplayPattern {
  return {
    id: 'watchdog',
    name: 'watchdog',
    start: (charter) => startWatchdog(charter, options),
  };
}

function startWatchdog(charter: CompiledCharter, options: WatchdogPatternOptions): ReplayHooks {
  const learned = createIdleNorms(options);
  const base = {
    checks: ['stall', 'idle'] as const,
    ...(options.defaultNormMs === undefined ? {} : { defaultNormMs: options.defaultNormMs }),
  };
  let dog = createWatchdog(charter, base);
  let day = Number.NaN;
  return {
    onEvent(_c, event, before) {
      if (
        before.eventCount > 0 &&
        before.state !== null &&
        before.lastActivityAt !== null &&
        event.at >= before.lastActivityAt
      ) {
        learned.add(before.state, businessTimeBetween(charter.calendar, before.lastActivityAt, event.at));
      }
      return [];
    },
    onTick(c, ctx) {
      const today = Math.floor(ctx.now / DAY);
      if (today !== day) {
        day = today;
        if (learned.pending > 0) dog = createWatchdog(charter, { ...base, norms: learned.norms() });
      }
      return dog.propose(watchCaseOfReplay(c), ctx.now);
    },
  };
}

/** The watchdog pattern with the default norms (p90 of at least 20 gaps, never below 1 business hour). */
export const watchdogPattern: ReplayPattern = createWatchdogPattern();
