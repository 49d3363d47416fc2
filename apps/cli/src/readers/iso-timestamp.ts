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

// The dates met, by a slot of their own (consecutive days in consecutive slots): the epoch ms of the
// day's start, so that a date met before is neither checked nor converted again (`epochOf` would).
const DATE_SLOTS = 4096;
/** The widest offset `epochOf` takes (UTC±14:00); the tests hold the two to the same answers. */
const MAX_OFFSET_MINUTES = 14 * 60;
const dateKeys = new Int32Array(DATE_SLOTS).fill(-1);
const dateMs = new Float64Array(DATE_SLOTS);

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
        // Milliseconds: the first three digits (fewer are tenths or hundredths), the rest ignored.
        while (i < e) {
          const x = b[i]! - D0;
          if (x < 0 || x > 9) break;
          if (i - from < 3) ms = ms * 10 + x;
          i++;
        }
        const digits = i - from;
        if (digits < 1 || digits > 9) return UNKNOWN;
        if (digits < 3) ms *= digits === 1 ? 100 : 10;
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
  // `epochOf`, with the day's part from the dates met.
  const key = year * 10_000 + month * 100 + day;
  const slot = (year * 372 + month * 31 + day) & (DATE_SLOTS - 1);
  let dayStart: number;
  if (dateKeys[slot] === key) dayStart = dateMs[slot]!;
  else {
    const start = epochOf(year, month, day, 0, 0, 0, 0, 0);
    if (start === undefined) return INVALID;
    dateKeys[slot] = key;
    dateMs[slot] = start;
    dayStart = start;
  }
  if (hour > 24 || minute > 59 || second > 59) return INVALID;
  if (hour === 24 && (minute !== 0 || second !== 0 || ms !== 0)) return INVALID;
  if (offset > MAX_OFFSET_MINUTES || offset < -MAX_OFFSET_MINUTES) return INVALID;
  lastTimestamp.at = dayStart + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms - offset * 60_000;
  lastTimestamp.offsetMinutes = offset;
  return FAST;
}
