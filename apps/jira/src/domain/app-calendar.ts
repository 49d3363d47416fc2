import { addBusinessTime, businessTimeBetween, defineCalendar, WEEKDAYS } from '@baton/core';
import type { Calendar, CalendarInput } from '@baton/core';
import type { Charter } from '../contracts/charter.ts';

/**
 * The app's charter writes its calendar as a fixed UTC offset with one daily window; core's
 * business-time engine takes an IANA calendar. The window is shifted into UTC (split where it
 * crosses midnight), which is exact for a fixed offset and needs no time-zone name.
 */
type AppCalendar = Charter['calendar'];

const DAY_MIN = 1440;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const clock = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const cache = new Map<string, Calendar>();

/** Core's calendar for the app's calendar (memoised: charters are few and calendars immutable). */
export function coreCalendar(cal: AppCalendar): Calendar {
  const id = JSON.stringify(cal);
  const hit = cache.get(id);
  if (hit) return hit;
  const week: Record<string, [string, string][]> = {};
  for (const day of cal.workdays) {
    const from = day * DAY_MIN + minutesOf(cal.start) - cal.utcOffsetMinutes;
    const to = day * DAY_MIN + minutesOf(cal.end) - cal.utcOffsetMinutes;
    for (let d = Math.floor(from / DAY_MIN); d * DAY_MIN < to; d++) {
      const a = Math.max(from, d * DAY_MIN) - d * DAY_MIN;
      const b = Math.min(to, (d + 1) * DAY_MIN) - d * DAY_MIN;
      if (b <= a) continue;
      const name = WEEKDAYS[((d % 7) + 7) % 7] as string;
      (week[name] ??= []).push([clock(a), clock(b)]);
    }
  }
  for (const hours of Object.values(week)) hours.sort((x, y) => x[0].localeCompare(y[0]));
  const made = defineCalendar({ timeZone: 'UTC', week } satisfies CalendarInput);
  // The charter schema guarantees start < end and at least one workday, so this cannot fail.
  if (!made.ok) throw new Error(`calendar: ${made.issues.map((i) => i.message).join('; ')}`);
  cache.set(id, made.value);
  return made.value;
}

/** Length of one business day in ms (`1d` in the app's durations). */
export const businessDayMs = (cal: AppCalendar): number => (minutesOf(cal.end) - minutesOf(cal.start)) * 60_000;

/** `'8h'` → ms; `'2d'` → two of this calendar's working days. */
export function parseDuration(text: string, cal: AppCalendar): number {
  const m = /^(\d+(?:\.\d+)?)([mhd])$/.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  const n = Number(m[1]);
  return Math.round(m[2] === 'm' ? n * 60_000 : m[2] === 'h' ? n * 3_600_000 : n * businessDayMs(cal));
}

/** Business ms between two instants (0 when `to <= from`), by core's calendar engine. */
export const businessMsBetween = (from: number, to: number, cal: AppCalendar): number =>
  to <= from ? 0 : businessTimeBetween(coreCalendar(cal), from, to);

/** The instant at which `ms` business time has passed after `from`, by core's calendar engine. */
export const addBusinessMs = (from: number, ms: number, cal: AppCalendar): number =>
  addBusinessTime(coreCalendar(cal), from, ms);

/** Whether local time `at` falls inside the quiet hours (which may wrap midnight). */
export function inQuietHours(at: number, quiet: { start: string; end: string } | null, cal: AppCalendar): boolean {
  if (quiet === null) return false;
  const local = (((at + cal.utcOffsetMinutes * 60_000) % 86_400_000) + 86_400_000) % 86_400_000;
  const s = minutesOf(quiet.start) * 60_000;
  const e = minutesOf(quiet.end) * 60_000;
  return s <= e ? local >= s && local < e : local >= s || local < e;
}
