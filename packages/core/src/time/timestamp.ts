/** A moment as the source wrote it: epoch ms plus the UTC offset the source used. */
export interface Timestamp {
  readonly at: number;
  readonly offsetMinutes: number;
}

// 2015-11-21T07:03:02.000-0500 (Jira), 2010-03-31T16:59:42+02:00 (XES),
// 2011-12-06 13:41:31.788000+01:00 (pm4py CSV), 2018-09-23T21:02:00.000Z, 2011-10-11 (date only).
const TS =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Days from 1970-01-01 to the given proleptic Gregorian date (any year; H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1] ?? 0;
}

/** UTC offsets in use range from -12:00 to +14:00; anything beyond ±14:00 is not a real offset. */
export const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * Epoch ms of a local date-time in an offset, or `undefined` when one part cannot exist: month
 * 1–12, a day the month has, hour 0–23 (24 only as 24:00:00, the end of the day), minute 0–59,
 * second 0–59 (a leap second :60 cannot be placed on a POSIX clock), offset within ±14:00.
 * Years 0000–0099 are those years, not 1900–1999 (Date.UTC's legacy rule).
 */
export function epochOf(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offsetMinutes: number,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 24 || minute > 59 || second > 59) return undefined;
  if (hour === 24 && (minute !== 0 || second !== 0 || ms !== 0)) return undefined;
  if (offsetMinutes > MAX_OFFSET_MINUTES || offsetMinutes < -MAX_OFFSET_MINUTES) return undefined;
  const days = daysFromCivil(year, month, day);
  return days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms - offsetMinutes * 60_000;
}

/**
 * Parses an ISO-8601-like timestamp, keeping its offset. A time without an offset is read as
 * `defaultOffsetMinutes` (UTC unless told). Returns `undefined` for anything else, including parts
 * that cannot exist (see `epochOf`) — callers report the field and line that held it.
 */
export function parseTimestamp(text: string, defaultOffsetMinutes = 0): Timestamp | undefined {
  const m = TS.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  let offsetMinutes = defaultOffsetMinutes;
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4) || '0');
    if (om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  } else if (zone === 'Z') {
    offsetMinutes = 0;
  }
  const ms = Number((frac + '000').slice(0, 3));
  const at = epochOf(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), ms, offsetMinutes);
  return at === undefined ? undefined : { at, offsetMinutes };
}

/** The proleptic Gregorian date of a day number since 1970-01-01 (H. Hinnant's civil_from_days). */
export function civilFromDays(days: number): { readonly year: number; readonly month: number; readonly day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const TWO = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

function pad4(n: number): string {
  return n >= 1000 && n <= 9999 ? String(n) : String(n).padStart(4, '0');
}

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n);
}

/** `2015-11-21T07:03:02.000-05:00`: ISO 8601 in the given offset (the source's, to keep it). */
export function formatTimestamp(at: number, offsetMinutes = 0): string {
  const local = at + offsetMinutes * 60_000;
  const days = Math.floor(local / 86_400_000);
  let rest = local - days * 86_400_000;
  const { year, month, day } = civilFromDays(days);
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const ms = Math.floor(rest - second * 1000);
  const abs = Math.abs(offsetMinutes);
  const zone =
    offsetMinutes === 0
      ? 'Z'
      : `${offsetMinutes < 0 ? '-' : '+'}${TWO[Math.floor(abs / 60)] ?? String(Math.floor(abs / 60))}:${TWO[abs % 60]}`;
  return `${pad4(year)}-${TWO[month]}-${TWO[day]}T${TWO[hour]}:${TWO[minute]}:${TWO[second]}.${pad3(ms)}${zone}`;
}
