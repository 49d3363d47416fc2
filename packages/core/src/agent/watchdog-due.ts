import type { CompiledCharter } from '../charter/compile-charter.ts';
import { addBusinessTime } from '../time/calendar.ts';
import type { WatchCase } from './watchdog.ts';

/**
 * The instants at which core's watchdog would see a new threshold on this case with no new event:
 * each ladder's idle steps (business time from the last activity, in the charter's calendar), each
 * SLA ladder step and SLA warning (a share of a running goal's target, in the goal's calendar).
 * Only those after `now`. Kept beside the watchdog so that a new kind of threshold there gets its time
 * here too; the Forge app's due-time index needs them because JQL on `updated` cannot see them.
 * @example setDue(key, Math.min(breachAt, ...ladderDueTimes(wc, compiled, now)))
 */
export function ladderDueTimes(wc: WatchCase, compiled: CompiledCharter, now: number): number[] {
  const out: number[] = [];
  for (const s of compiled.idleSteps) out.push(addBusinessTime(compiled.calendar, wc.lastActivityAt, s.idleMs));
  compiled.goals.forEach((g, i) => {
    const clock = wc.clocks[i];
    if (clock === null || clock === undefined || clock.status !== 'running' || clock.runningSince === null) return;
    const shares = [...compiled.slaSteps.filter((s) => s.goalIndex === i).map((s) => s.slaConsumed), ...g.warnAt.slice(0, 1)];
    for (const share of shares) {
      const left = share * g.targetMs - clock.elapsedMs;
      if (left > 0) out.push(addBusinessTime(g.calendar, clock.runningSince, left));
    }
  });
  return out.filter((t) => t > now);
}
