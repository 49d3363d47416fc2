import type { JiraClient } from './create-jira-client.ts';

/**
 * Jira reads a JQL date literal (`updated >= "2026-11-30 07:00"`) as wall time in the time zone of the
 * user who searches: for the app's own calls, the app user's profile zone, which follows the site's
 * default. A cursor written as UTC wall time is hours off on a site in New York or Sydney — west of
 * UTC the search starts hours late and misses what changed meanwhile. So the app asks Jira who it is
 * (`/myself`, once per invocation) and writes the instant as wall time in that zone, floored to the
 * minute (JQL's precision), which can only widen a `>=` search.
 */
export async function jqlTimeFor(jira: Pick<JiraClient, 'myself'>): Promise<(ms: number) => string> {
  const zone = (await jira.myself()).timeZone;
  return (ms) => jqlWallTime(ms, zone);
}

/** Longest offset east of UTC (Kiribati, +14:00): a literal this much earlier is early enough in every zone. */
const MAX_EAST_MS = 14 * 3_600_000;

/** `yyyy-MM-dd HH:mm` of the instant in `timeZone`; with no zone, or one this runtime does not know, a literal that is early enough anywhere. */
export function jqlWallTime(ms: number, timeZone: string | undefined): string {
  if (timeZone !== undefined) {
    try {
      const p = Object.fromEntries(
        new Intl.DateTimeFormat('en-CA', {
          timeZone,
          hourCycle: 'h23',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
        })
          .formatToParts(ms)
          .map((x) => [x.type, x.value]),
      );
      return `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}`;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
  }
  return new Date(ms - MAX_EAST_MS).toISOString().slice(0, 16).replace('T', ' ');
}
