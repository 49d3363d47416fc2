import { epochOf, parseTimestamp, type Timestamp } from '@baton/core';

const D0 = 48;

// A shape the fast path knows whose parts cannot exist: the general parser would refuse it too,
// so the reader reports it without asking again.
const INVALID: Timestamp = { at: Number.NaN, offsetMinutes: 0 };

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
  const fast = fastPath(b, start, end);
  if (fast === INVALID) return undefined;
  if (fast !== undefined) return fast;
  return parseTimestamp(Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8'));
}

// `undefined` means "not a shape the fast path knows": the general parser decides.
function fastPath(b: Uint8Array, s: number, e: number): Timestamp | undefined {
  if (e - s < 10 || b[s + 4] !== 45 || b[s + 7] !== 45) return undefined;
  const y1 = d2(b, s);
  const y2 = d2(b, s + 2);
  const month = d2(b, s + 5);
  const day = d2(b, s + 8);
  if (y1 < 0 || y2 < 0 || month < 0 || day < 0) return undefined;
  const year = y1 * 100 + y2;
  let i = s + 10;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  if (i < e && (b[i] === 84 /* T */ || b[i] === 32)) {
    if (e - i < 6 || b[i + 3] !== 58) return undefined;
    hour = d2(b, i + 1);
    minute = d2(b, i + 4);
    if (hour < 0 || minute < 0) return undefined;
    i += 6;
    if (i < e && b[i] === 58) {
      second = d2(b, i + 1);
      if (second < 0 || e - i < 3) return undefined;
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
        if (digits < 1 || digits > 9) return undefined;
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
      if (oh < 0) return undefined;
      let om = 0;
      const rest = e - i - 3;
      if (rest === 0) om = 0;
      else if (rest === 3 && b[i + 3] === 58) om = d2(b, i + 4);
      else if (rest === 2) om = d2(b, i + 3);
      else return undefined;
      if (om < 0 || om > 59) return om < 0 ? undefined : INVALID;
      offset = (c === 45 ? -1 : 1) * (oh * 60 + om);
      i = e;
    } else {
      return undefined;
    }
  }
  if (i !== e) return undefined;
  const at = epochOf(year, month, day, hour, minute, second, ms, offset);
  return at === undefined ? INVALID : { at, offsetMinutes: offset };
}
