import type { Charter } from '../contracts/charter.ts';
import type { SlaClock } from '../contracts/issue-state.ts';
import { addBusinessMs, businessMsBetween, parseDuration } from './business-time.ts';
import type { IssueFacts } from './issue-facts.ts';

/**
 * SLA clocks per goal: business time from creation, paused while the issue waits on someone else
 * (phase `waiting`), stopped when done. Pausing never shortens elapsed time; it only stops it growing.
 */
export function slaClocks(issue: IssueFacts, charter: Charter, now: number): SlaClock[] {
  const cal = charter.calendar;
  const goals = charter.slaGoals.filter((g) => g.priorities.length === 0 || (issue.priority !== null && g.priorities.includes(issue.priority)));
  if (goals.length === 0) return [];
  // Running intervals: from creation, switching off in waiting/done phases.
  // Before the first recorded change the issue sat in its initial (queue) state: the clock runs.
  let running = issue.statusChanges.length === 0 ? issue.phase !== 'waiting' && issue.phase !== 'done' : true;
  let since = issue.created;
  let elapsed = 0;
  for (const ch of issue.statusChanges) {
    if (running) elapsed += businessMsBetween(since, ch.at, cal);
    running = ch.phase !== 'waiting' && ch.phase !== 'done';
    since = ch.at;
  }
  if (running) elapsed += businessMsBetween(since, now, cal);
  return goals.map((g) => {
    const targetMs = parseDuration(g.target, cal);
    const state: SlaClock['state'] =
      elapsed >= targetMs ? 'breached' : !running ? 'paused' : elapsed >= targetMs * g.atRiskAt ? 'at-risk' : 'on-track';
    return {
      goal: g.name,
      state,
      targetMs,
      elapsedMs: elapsed,
      dueAt: running && elapsed < targetMs ? addBusinessMs(now, targetMs - elapsed, cal) : null,
    };
  });
}
