/** A moment as the source wrote it: epoch ms plus the UTC offset the source used. */
export interface Timestamp {
  readonly at: number;
  readonly offsetMinutes: number;
}

// 2015-11-21T07:03:02.000-0500 (Jira), 2010-03-31T16:59:42+02:00 (XES),
// 2011-12-06 13:41:31.788000+01:00 (pm4py CSV), 2018-09-23T21:02:00.000Z, 2011-10-11 (date only).
const TS =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses an ISO-8601-like timestamp, keeping its offset. A time without an offset is read as
 * `defaultOffsetMinutes` (UTC unless told). Returns `undefined` for anything else — callers report
 * the field that held it.
 */
export function parseTimestamp(text: string, defaultOffsetMinutes = 0): Timestamp | undefined {
  const m = TS.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return undefined;
  let offsetMinutes = defaultOffsetMinutes;
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  } else if (zone === 'Z') {
    offsetMinutes = 0;
  }
  const ms = Number((frac + '000').slice(0, 3));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 31 February over into March: reject dates that do not exist.
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return undefined;
  return { at: local - offsetMinutes * 60_000, offsetMinutes };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `2015-11-21T07:03:02.000-05:00`: ISO 8601 in the given offset (the source's, to keep it). */
export function formatTimestamp(at: number, offsetMinutes = 0): string {
  const d = new Date(at + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = offsetMinutes === 0 ? 'Z' : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}${zone}`
  );
}
