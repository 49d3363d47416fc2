import type { Charter } from '../contracts/charter.ts';

/**
 * Business-time arithmetic over the charter's calendar (fixed UTC offset, working days, daily
 * hours). A stand-in until core's calendars land; kept here so the app runs today.
 */
type Calendar = Charter['calendar'];

const DAY = 86_400_000;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Length of one business day in ms (`1d` in durations). */
export const businessDayMs = (cal: Calendar): number => (minutesOf(cal.end) - minutesOf(cal.start)) * 60_000;

/** `'8h'` → ms; `'2d'` → two business days. */
export function parseDuration(text: string, cal: Calendar): number {
  const m = /^(\d+(?:\.\d+)?)([mhd])$/.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  const n = Number(m[1]);
  return Math.round(m[2] === 'm' ? n * 60_000 : m[2] === 'h' ? n * 3_600_000 : n * businessDayMs(cal));
}

/** Business ms between two instants (0 when `to <= from`). */
export function businessMsBetween(from: number, to: number, cal: Calendar): number {
  if (to <= from) return 0;
  const off = cal.utcOffsetMinutes * 60_000;
  const open = minutesOf(cal.start) * 60_000;
  const close = minutesOf(cal.end) * 60_000;
  let total = 0;
  // Walk local days; ranges are bounded by the age, so this stays small.
  for (let day = Math.floor((from + off) / DAY) * DAY; day < to + off; day += DAY) {
    const weekday = new Date(day).getUTCDay();
    if (!cal.workdays.includes(weekday)) continue;
    const a = Math.max(day + open, from + off);
    const b = Math.min(day + close, to + off);
    if (b > a) total += b - a;
  }
  return total;
}

/** The instant at which `ms` business time has passed after `from`. */
export function addBusinessMs(from: number, ms: number, cal: Calendar): number {
  const off = cal.utcOffsetMinutes * 60_000;
  const open = minutesOf(cal.start) * 60_000;
  const close = minutesOf(cal.end) * 60_000;
  let left = ms;
  let t = from + off;
  for (let guard = 0; guard < 3660; guard++) {
    const day = Math.floor(t / DAY) * DAY;
    if (cal.workdays.includes(new Date(day).getUTCDay())) {
      const a = Math.max(day + open, t);
      const b = day + close;
      if (b > a) {
        if (b - a >= left) return a + left - off;
        left -= b - a;
      }
    }
    t = day + DAY;
  }
  return t - off;
}

/** Whether local time `at` falls inside the quiet hours (which may wrap midnight). */
export function inQuietHours(at: number, quiet: { start: string; end: string } | null, cal: Calendar): boolean {
  if (quiet === null) return false;
  const local = (((at + cal.utcOffsetMinutes * 60_000) % DAY) + DAY) % DAY;
  const s = minutesOf(quiet.start) * 60_000;
  const e = minutesOf(quiet.end) * 60_000;
  return s <= e ? local >= s && local < e : local >= s || local < e;
}
