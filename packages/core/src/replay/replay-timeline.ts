import type { CaseEvent } from '../model/event.ts';
import { addBusinessTime, nextBusinessTime, type Calendar } from '../time/calendar.ts';
import type { Decision } from '../decision/decision.ts';
import type { ReplayEngine } from './replay.ts';

export interface ReplayTimelineOptions {
  /** The calendar the ticks follow (the charter's default). */
  readonly calendar: Calendar;
  /** Business time between clock ticks; null for events only. */
  readonly tickMs: number | null;
}

/** What one step of a replay decided: after a tick or an event. */
export interface ReplayStep {
  readonly decisions: readonly Decision[];
  /** Events of the timeline fed so far. */
  readonly events: number;
}

/**
 * Drives an engine over a timeline (events in time order): before each event, every clock tick
 * that falls due by then (on the business-time grid that starts at the first event's first
 * business moment), then the event. Yields what each step decided, so that a caller can write
 * as it goes. Feeding the same timeline again decides nothing new (stale ticks, seen events).
 * @example for (const step of replayTimeline(engine, timeline, { calendar, tickMs: 3_600_000 })) write(step.decisions)
 */
export function* replayTimeline(
  engine: ReplayEngine,
  timeline: readonly CaseEvent[],
  options: ReplayTimelineOptions,
): Generator<ReplayStep> {
  const { calendar, tickMs } = options;
  if (tickMs !== null && !(tickMs > 0)) throw new Error(`replayTimeline: tickMs must be positive, got ${tickMs}`);
  let next = tickMs === null || timeline.length === 0 ? Infinity : nextBusinessTime(calendar, timeline[0]!.at);
  for (let i = 0; i < timeline.length; i++) {
    const event = timeline[i]!;
    while (next <= event.at) {
      const decisions = engine.tick(next);
      if (decisions.length > 0) yield { decisions, events: i };
      next = addBusinessTime(calendar, next, tickMs!);
    }
    yield { decisions: engine.event(event), events: i + 1 };
  }
}
