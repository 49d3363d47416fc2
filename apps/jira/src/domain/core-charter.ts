import { CHARTER_VERSION, CharterSchema, compileCharter } from '@baton/core';
import type { CompiledCharter, CharterInput } from '@baton/core';
import type { Charter } from '../contracts/charter.ts';
import { coreCalendar, parseDuration } from './app-calendar.ts';

const cache = new Map<string, CompiledCharter>();

/**
 * Core's compiled charter for the app's charter: the parts core's SLA clocks, workflow resolver and
 * watchdog read (calendar, goals, workflow). Goals pause while waiting and stop when done, as the
 * app promises its admins; durations are written in minutes because the app's `1d` is one of the
 * calendar's working days while core's is always eight hours.
 */
export function coreCharterOf(app: Charter): CompiledCharter {
  const id = JSON.stringify(app);
  const hit = cache.get(id);
  if (hit) return hit;
  const cal = coreCalendar(app.calendar);
  const input: CharterInput = {
    version: CHARTER_VERSION,
    name: 'jira-app',
    calendars: { default: { timeZone: cal.timeZone, week: cal.week, holidays: [] } },
    workflow: { states: Object.fromEntries(Object.entries(app.workflow).map(([name, m]) => [name, { ...m }])) },
    slaGoals: app.slaGoals.map((g) => ({
      id: g.name,
      name: g.name,
      when: (g.priorities.length > 0 ? { priority: g.priorities } : {}) as Record<string, string[]>,
      target: `${Math.max(1, Math.round(parseDuration(g.target, app.calendar) / 60_000))}m`,
      start: [{ on: 'created' as const }],
      pause: [{ on: 'phase' as const, in: ['waiting' as const] }],
      stop: [{ on: 'phase' as const, in: ['done' as const] }],
      warnAt: [g.atRiskAt],
    })),
  };
  const compiled = compileCharter(CharterSchema.parse(input));
  cache.set(id, compiled);
  return compiled;
}
