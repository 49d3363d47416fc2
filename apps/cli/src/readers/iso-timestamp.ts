import { epochOf, parseTimestamp, type Timestamp } from '@baton/core/time';

const D0 = 48;

// A shape the fast path knows whose parts cannot exist: the general parser would refuse it too,
// so the reader reports it without asking again.
const INVALID = -1;

function d2(b: Uint8Array, i: number): number {
  const x = b[i]! - D0;
  const y = b[i + 1]! - D0;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : -1;
}

/**
 * Reads the ISO 8601 shapes event logs use straight from bytes, without making a string:
 * `YYYY-MM-DD`, then `T` or a space and `HH:MM[:SS[.fraction]]`, then `Z`, `±HH`, `±HHMM` or
 * `±HH:MM`. Anything else (surrounding spaces, other shapes) goes to core's general
 * `parseTimestamp`, which also decides what the fast path cannot: both validate with `epochOf`.
 * Returns `undefined` for a timestamp that is not one.
 */
export function parseTimestampBytes(b: Uint8Array, start: number, end: number): Timestamp | undefined {
  return readTimestampBytes(b, start, end)
    ? { at: lastTimestamp.at, offsetMinutes: lastTimestamp.offsetMinutes }
    : undefined;
}

/** Where `readTimestampBytes` leaves what it read: overwritten by the next call, so copy it at once. */
export const lastTimestamp = { at: 0, offsetMinutes: 0 };

/**
 * `parseTimestampBytes` without an object per call (a reader calls it for every row): true when
 * the range is a timestamp, then in `lastTimestamp`.
 */
export function readTimestampBytes(b: Uint8Array, start: number, end: number): boolean {
  const fast = fastPath(b, start, end);
  if (fast === FAST) return true;
  if (fast === INVALID) return false;
  const t = parseTimestamp(Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8'));
  if (t === undefined) return false;
  lastTimestamp.at = t.at;
  lastTimestamp.offsetMinutes = t.offsetMinutes;
  return true;
}

/** What `fastPath` found: a timestamp (in `lastTimestamp`), a shape it knows that cannot exist, or neither. */
const FAST = 1;
const UNKNOWN = 0;

// UNKNOWN means "not a shape the fast path knows": the general parser decides.
function fastPath(b: Uint8Array, s: number, e: number): number {
  if (e - s < 10 || b[s + 4] !== 45 || b[s + 7] !== 45) return UNKNOWN;
  const y1 = d2(b, s);
  const y2 = d2(b, s + 2);
  const month = d2(b, s + 5);
  const day = d2(b, s + 8);
  if (y1 < 0 || y2 < 0 || month < 0 || day < 0) return UNKNOWN;
  const year = y1 * 100 + y2;
  let i = s + 10;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  if (i < e && (b[i] === 84 /* T */ || b[i] === 32)) {
    if (e - i < 6 || b[i + 3] !== 58) return UNKNOWN;
    hour = d2(b, i + 1);
    minute = d2(b, i + 4);
    if (hour < 0 || minute < 0) return UNKNOWN;
    i += 6;
    if (i < e && b[i] === 58) {
      second = d2(b, i + 1);
      if (second < 0 || e - i < 3) return UNKNOWN;
      i += 3;
      if (i < e && (b[i] === 46 || b[i] === 44)) {
        i++;
        const from = i;
        let scale = 100;
        while (i < e && b[i]! >= D0 && b[i]! <= D0 + 9) {
          if (scale >= 1) ms += (b[i]! - D0) * scale;
          scale /= 10;
          i++;
        }
        const digits = i - from;
        if (digits < 1 || digits > 9) return UNKNOWN;
      }
    }
  }
  let offset = 0;
  if (i < e) {
    const c = b[i];
    if (c === 90 /* Z */ && i + 1 === e) {
      i++;
    } else if (c === 43 || c === 45) {
      const oh = d2(b, i + 1);
      if (oh < 0) return UNKNOWN;
      let om = 0;
      const rest = e - i - 3;
      if (rest === 0) om = 0;
      else if (rest === 3 && b[i + 3] === 58) om = d2(b, i + 4);
      else if (rest === 2) om = d2(b, i + 3);
      else return UNKNOWN;
      if (om < 0 || om > 59) return om < 0 ? UNKNOWN : INVALID;
      offset = (c === 45 ? -1 : 1) * (oh * 60 + om);
      i = e;
    } else {
      return UNKNOWN;
    }
  }
  if (i !== e) return UNKNOWN;
  const at = epochOf(year, month, day, hour, minute, second, ms, offset);
  if (at === undefined) return INVALID;
  lastTimestamp.at = at;
  lastTimestamp.offsetMinutes = offset;
  return FAST;
}
