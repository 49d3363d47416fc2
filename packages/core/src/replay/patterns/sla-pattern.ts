import type { CompiledGoal } from '../../charter/compile-charter.ts';
import { addBusinessTime } from '../../time/calendar.ts';
import type { PatternContext, ReplayCase, ReplayPattern } from '../replay.ts';
import type { SlaClockState } from '../../sla/sla.ts';
import { createWatchdog } from '../../agent/watchdog/watchdog.ts';
import { watchCaseOfReplay } from './watchdog-pattern.ts';

/**
 * When a clock crossed its target, if it has by `now`: within the running interval that `prev`
 * had open (the clock as last seen), or within the one `cur` has open. Null when not breached.
 */
export function breachMoment(
  goal: CompiledGoal,
  prev: SlaClockState | null,
  cur: SlaClockState,
  now: number,
): number | null {
  const target = goal.targetMs;
  if (cur.elapsedMs > target) {
    // A closed interval took it past the target: the one that was open when last seen.
    if (prev !== null && prev.status === 'running' && prev.runningSince !== null && prev.elapsedMs <= target) {
      return addBusinessTime(goal.calendar, prev.runningSince, target - prev.elapsedMs);
    }
    return cur.stoppedAt ?? cur.lastEventAt ?? now;
  }
  if (cur.status !== 'running' || cur.runningSince === null) return null;
  const at = addBusinessTime(goal.calendar, cur.runningSince, target - cur.elapsedMs);
  // Strictly past the target, as `readClock` counts a breach.
  return at < now ? at : null;
}

interface Seen {
  readonly prev: (SlaClockState | null)[];
  readonly breached: boolean[];
}

/**
 * The SLA clocks as a replay pattern. The engine advances every applicable clock at each event;
 * this pattern reads them: on each tick it proposes the SLA warnings, breaches and SLA-ladder steps
 * (the watchdog's SLA checks, each threshold once per case), and at every event and tick it reports
 * each breach once, with the moment the clock crossed its target, for the summary's
 * "breaches a nudge preceded".
 */
export const slaPattern: ReplayPattern = {
  id: 'sla-clocks',
  name: 'watchdog',
  start(charter) {
    const dog = createWatchdog(charter, { checks: ['sla'] });
    const seen = new WeakMap<ReplayCase, Seen>();
    const watch = (c: ReplayCase, ctx: PatternContext): void => {
      let s = seen.get(c);
      if (s === undefined) seen.set(c, (s = { prev: c.clocks.map(() => null), breached: c.clocks.map(() => false) }));
      for (let i = 0; i < c.clocks.length; i++) {
        const cur = c.clocks[i];
        if (cur === null || cur === undefined || s.breached[i]) continue;
        const at = breachMoment(charter.goals[i]!, s.prev[i] ?? null, cur, ctx.now);
        if (at !== null) {
          s.breached[i] = true;
          ctx.observe({ kind: 'sla.breach', caseId: c.record.id, goal: charter.goals[i]!.id, at });
        }
        s.prev[i] = cur;
      }
    };
    return {
      onEvent(c, _event, _before, ctx) {
        watch(c, ctx);
        return [];
      },
      onTick(c, ctx) {
        watch(c, ctx);
        return dog.propose(watchCaseOfReplay(c), ctx.now);
      },
    };
  },
};
