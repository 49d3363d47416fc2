import type { Charter } from '../../charter/charter-schema.ts';
import { compileCharter, type CompiledCharter } from '../../charter/compile-charter.ts';

/**
 * Who receives the daily report and when it is due, from the charter's `report` section. The
 * delivery itself (Jira notification email, a chat channel) is the platform's; this decides only
 * the people and the day, so every surface sends the same report to the same people once a day.
 */

/**
 * The people the charter names for the daily report: account ids as listed, a team id as its lead
 * and its members. Each person once, in the order first named.
 * @example reportRecipients(charter) // ['u-ada', 'u-grace']
 */
export function reportRecipients(charter: Charter): string[] {
  const teams = new Map(charter.routing.teams.map((t) => [t.id, t]));
  const out = new Set<string>();
  for (const name of charter.report.to) {
    const team = teams.get(name);
    if (team === undefined) {
      out.add(name);
      continue;
    }
    if (team.lead !== undefined) out.add(team.lead);
    for (const m of team.members) out.add(m.id);
  }
  return [...out];
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** `YYYY-MM-DD` of `ms` in a time zone. */
function localDay(timeZone: string, ms: number): string {
  let f = dayFormats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  const part = (type: string) => f.formatToParts(ms).find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * The local day (the default calendar's zone) whose report is due at `now`: from `report.at` on that
 * day; null before it, or when the charter names nobody. The day is the report's identity: one report
 * per recipient and day, however often this is asked.
 * @example dailyReportDue(charter, Date.UTC(2026, 10, 23, 9, 30)) // '2026-11-23' (at: '08:00', UTC)
 */
export function dailyReportDue(charter: Charter | CompiledCharter, now: number): string | null {
  const c = 'localMinute' in charter ? charter : compileCharter(charter);
  if (c.charter.report.to.length === 0) return null;
  const [h, m] = c.charter.report.at.split(':').map(Number) as [number, number];
  if (c.localMinute(now) < h * 60 + m) return null;
  return localDay(c.calendar.timeZone, now);
}
