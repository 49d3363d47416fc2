import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { formatTimestamp } from '@baton/core/time';
import { csvCell } from './csv.ts';
import type { HashThread } from './hash-thread.ts';
import type { FileDigest } from './run-manifest.ts';

/**
 * A CSV writer on bytes: cells go straight into one reused buffer that is written out in large
 * chunks, so a row costs no string concatenation and no UTF-8 conversion of a long string (what
 * `stream.write(text)` costs for every chunk). Writes the same text as `csvCell`/`formatTimestamp`
 * (tested against them).
 */
export interface ByteSink {
  /** Text as it is (no CSV quoting): for separators and names known to need none. */
  raw(text: string): void;
  /** One byte (an ASCII character code). */
  byte(code: number): void;
  /** `csvCell(value)` for a string met once (a case id), and `then` after it when given. */
  cell(value: string, then?: number): void;
  /**
   * `csvCell(value)` for a string that repeats (names): its bytes are cached. `then`, when given,
   * is a byte written after it (a separator: one call a cell instead of two).
   */
  name(value: string, then?: number): void;
  /** Bytes from `encodeCell`, and `then` after them when given. */
  bytes(cell: Uint8Array, then?: number): void;
  /** `csvCell(value)` of a number. */
  number(value: number): void;
  /** `formatTimestamp(at, offsetMinutes)`, and `then` after it when given. */
  timestamp(at: number, offsetMinutes: number, then?: number): void;
  /** `csvCell` of `values[0]` to `values[count - 1]`, a comma between them and `then` after. */
  numbers(values: ArrayLike<number>, count: number, then: number): void;
  /** `csvCell(values.join(separator))`, the values' cells cached as `name` caches them, and `then` after. */
  joined(values: readonly string[], separator: string, then: number): void;
  /**
   * One line: `csvCell(first)`, `formatTimestamp(at, offsetMinutes)`, then `csvCell` of names `a`
   * to `e`, comma separated (events.csv's shape). One call and one check of the buffer's room a
   * line. Remembered: the last `first` (a case's id starts each of its rows), `a,b` pairs, the
   * last `c`, `d` and `e` (a row's `c` is often the `d` of the row before), and the bytes of recent
   * `a` to `e` together (rows of a log repeat them: one copy for four cells).
   */
  stampedRow(
    first: string,
    at: number,
    offsetMinutes: number,
    a: string,
    b: string,
    c: string,
    d: string,
    e: string,
  ): void;
  /** Writes out what is buffered and releases the sink. */
  close(): void;
}

const encoder = new TextEncoder();

const STAMP_BITS = 12;
const STAMP_SLOTS = 1 << STAMP_BITS;
// Row tails (`stampedRow`'s `a` to `e` with their separators): 2,048 slots of up to 80 bytes.
const TAIL_BITS = 11;
const TAIL_SLOTS = 1 << TAIL_BITS;
const TAIL_WORDS = 20;

/** The UTF-8 bytes of `csvCell(value)`. */
export function encodeCell(value: string): Uint8Array {
  const text = csvCell(value);
  const n = text.length;
  if (n > 64) return encoder.encode(text);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) return encoder.encode(text);
    out[i] = c;
  }
  return out;
}

/** A cell's bytes packed four to a 32-bit word, the first byte lowest (see `words` in the sink). */
interface WordCell {
  readonly words: Uint32Array;
  readonly length: number;
  /** Unique to this cell (keys of the sink's cache of row tails). */
  readonly id: number;
  /** The cell is the value's own text (no quotes, no formula guard). */
  readonly plain: boolean;
}

/** Packs `bytes[start, end)` into `out` from index `at`, four bytes a word (zeros past the end). */
function packWords(bytes: Uint8Array, start: number, end: number, out: Uint32Array, at: number): void {
  for (let k = start, i = at; k < end; k += 4, i++) {
    out[i] =
      (bytes[k]! |
        ((k + 1 < end ? bytes[k + 1]! : 0) << 8) |
        ((k + 2 < end ? bytes[k + 2]! : 0) << 16) |
        ((k + 3 < end ? bytes[k + 3]! : 0) << 24)) >>>
      0;
  }
}

let cellIds = 0;

function wordCell(bytes: Uint8Array, plain: boolean): WordCell {
  const words = new Uint32Array((bytes.length + 3) >> 2);
  packWords(bytes, 0, bytes.length, words, 0);
  return { words, length: bytes.length, id: ++cellIds, plain };
}

/** The cell of `csvCell(value)`. */
function nameCell(value: string): WordCell {
  return wordCell(encodeCell(value), csvCell(value) === value);
}

/** The cell of `csvCell(a),csvCell(b),` (events.csv's kind and field). */
function pairCell(a: WordCell, b: WordCell): WordCell {
  const bytes = new Uint8Array(a.length + b.length + 2);
  const unpack = (cell: WordCell, at: number) => {
    for (let k = 0; k < cell.length; k++) bytes[at + k] = (cell.words[k >> 2]! >>> ((k & 3) * 8)) & 255;
  };
  unpack(a, 0);
  bytes[a.length] = 44;
  unpack(b, a.length + 1);
  bytes[a.length + b.length + 1] = 44;
  return wordCell(bytes, false);
}

/**
 * A sink that hands each full buffer to `flush` (which must use the bytes before it returns: the
 * buffer is reused). `size` is the buffer's size; a longer single cell grows it.
 */
export function createByteSink(flush: (bytes: Uint8Array) => void, size = 1 << 20, maxNames = 100_000): ByteSink {
  let buf = Buffer.allocUnsafe(size);
  let pos = 0;
  // Cached cells are kept as 32-bit words and written four bytes a store (`DataView#setUint32`,
  // which the compiler inlines): half the time of a byte loop for the 5–30 bytes of a name or
  // timestamp.
  let view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  const names = new Map<string, WordCell>();
  // The last cell of each of 256 slots (picked by a string's length and end characters): names
  // recur row after row, and this check is cheaper than the map's lookup.
  const recentNames: (string | undefined)[] = new Array<string | undefined>(256);
  const recentCells: WordCell[] = new Array<WordCell>(256);
  // Timestamps recur too (logs that record dates only, events of one batch): the bytes of the last
  // timestamp of each of 4,096 slots (picked by a hash of instant and offset), 29 bytes at most,
  // as 8 words a slot.
  const stampAt = new Float64Array(STAMP_SLOTS).fill(Number.NaN);
  const stampOffset = new Int32Array(STAMP_SLOTS);
  const stampLength = new Uint8Array(STAMP_SLOTS);
  const stampWords = new Uint32Array(STAMP_SLOTS * 8);
  // The date part of the last timestamp written (days since the epoch, local): logs write many
  // timestamps of the same day in a row.
  let lastDays = Number.NaN;
  // Its ten characters as two 32-bit words and a 16-bit one (three stores a timestamp).
  let dateLow = 0;
  let dateHigh = 0;
  let dateEnd = 0;
  let dateOk = false;

  const room = (n: number) => {
    if (pos + n <= buf.length) return;
    if (pos > 0) {
      flush(buf.subarray(0, pos));
      pos = 0;
    }
    if (n > buf.length) {
      buf = Buffer.allocUnsafe(n);
      view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    }
  };

  /** A cached cell's bytes (room for `length + 4` made: the last word may write up to 3 bytes past). */
  const words = (w: Uint32Array, from: number, length: number) => {
    const v = view;
    const p = pos;
    for (let i = 0, k = 0; k < length; i++, k += 4) v.setUint32(p + k, w[from + i]!, true);
    pos = p + length;
  };

  /**
   * Bytes `[start, start + n)` of the buffer into `out` from index `at`, as whole words: up to 3
   * bytes past the end are read (room for them made), and never written out as part of the cell.
   */
  const packBuffer = (start: number, n: number, out: Uint32Array, at: number) => {
    const v = view;
    for (let k = 0, i = at; k < n; k += 4, i++) out[i] = v.getUint32(start + k, true);
  };

  /** The decimal digits of a whole number below 2^31 (room already made). */
  const digits = (value: number) => {
    // As a 32-bit integer from the start: a loop variable that began as a double kept every
    // `% 10` a floating-point remainder.
    const whole = value | 0;
    const b = buf;
    const p = pos;
    if (whole < 10) {
      b[p] = 48 + whole;
      pos = p + 1;
      return;
    }
    if (whole < 100) {
      const tens = (whole / 10) | 0;
      b[p] = 48 + tens;
      b[p + 1] = 48 + (whole - tens * 10);
      pos = p + 2;
      return;
    }
    let n = 3;
    for (let v = (whole / 1000) | 0; v > 0; v = (v / 10) | 0) n++;
    let end = p + n;
    for (let v = whole; end > p;) {
      const next = (v / 10) | 0;
      b[--end] = 48 + (v - next * 10);
      v = next;
    }
    pos = p + n;
  };

  const raw = (text: string) => {
    const n = text.length;
    room(n * 3);
    const b = buf;
    const p = pos;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128) {
        pos = p + i + b.write(text.slice(i), p + i, 'utf8');
        return;
      }
      b[p + i] = c;
    }
    pos = p + n;
  };

  const bytes = (cell: Uint8Array, then = -1) => {
    const n = cell.length;
    room(n + 1);
    if (n > 32) {
      buf.set(cell, pos);
      pos += n;
    } else {
      const b = buf;
      const p = pos;
      for (let i = 0; i < n; i++) b[p + i] = cell[i]!;
      pos = p + n;
    }
    if (then >= 0) buf[pos++] = then;
  };

  // The date part of a day (days since the epoch, local) as digits, from the civil calendar
  // (core's civilFromDays, inlined: no object and no lookup per new day). Years outside
  // 1000–9999 take formatTimestamp's path.
  const setDate = (days: number) => {
    lastDays = days;
    const z = days + 719_468;
    const era = Math.floor(z / 146_097);
    const doe = z - era * 146_097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    dateOk = year >= 1000 && year <= 9999;
    if (!dateOk) return;
    const y0 = 48 + ((year / 1000) | 0);
    const y1 = 48 + (((year / 100) | 0) % 10);
    const y2 = 48 + (((year / 10) | 0) % 10);
    const y3 = 48 + (year % 10);
    dateLow = (y0 | (y1 << 8) | (y2 << 16) | (y3 << 24)) >>> 0;
    // -MM-
    dateHigh = (45 | ((48 + ((month / 10) | 0)) << 8) | ((48 + (month % 10)) << 16) | (45 << 24)) >>> 0;
    dateEnd = (48 + ((day / 10) | 0)) | ((48 + (day % 10)) << 8);
  };

  /**
   * Writes `formatTimestamp(at, offsetMinutes)`. Returns how many bytes the fast path wrote (they
   * end at `pos`), or 0 when the general path wrote them (they may straddle a flush).
   */
  const writeTimestamp = (at: number, offsetMinutes: number): number => {
    const local = at + offsetMinutes * 60_000;
    const days = Math.floor(local / 86_400_000);
    if (days !== lastDays) setDate(days);
    const abs = Math.abs(offsetMinutes);
    const rest = local - days * 86_400_000;
    if (!dateOk || abs >= 6000 || !Number.isInteger(rest)) {
      raw(formatTimestamp(at, offsetMinutes));
      return 0;
    }
    // 29 bytes at most; 32 so that the caller may read them back as whole words.
    room(32);
    const b = buf;
    const v = view;
    let p = pos;
    v.setUint32(p, dateLow, true);
    v.setUint32(p + 4, dateHigh, true);
    v.setUint16(p + 8, dateEnd, true);
    p += 10;
    // Whole milliseconds below a day: 32-bit integers (integer remainders, not floating-point ones).
    let ms = rest | 0;
    const hour = (ms / 3_600_000) | 0;
    ms -= hour * 3_600_000;
    const minute = (ms / 60_000) | 0;
    ms -= minute * 60_000;
    const second = (ms / 1000) | 0;
    ms -= second * 1000;
    b[p] = 84; // T
    b[p + 1] = 48 + ((hour / 10) | 0);
    b[p + 2] = 48 + (hour % 10);
    b[p + 3] = 58;
    b[p + 4] = 48 + ((minute / 10) | 0);
    b[p + 5] = 48 + (minute % 10);
    b[p + 6] = 58;
    b[p + 7] = 48 + ((second / 10) | 0);
    b[p + 8] = 48 + (second % 10);
    b[p + 9] = 46;
    b[p + 10] = 48 + ((ms / 100) | 0);
    b[p + 11] = 48 + (((ms / 10) | 0) % 10);
    b[p + 12] = 48 + (ms % 10);
    p += 13;
    if (offsetMinutes === 0) {
      b[p++] = 90; // Z
    } else {
      const h = (abs / 60) | 0;
      const m = abs % 60;
      b[p] = offsetMinutes < 0 ? 45 : 43;
      b[p + 1] = 48 + ((h / 10) | 0);
      b[p + 2] = 48 + (h % 10);
      b[p + 3] = 58;
      b[p + 4] = 48 + ((m / 10) | 0);
      b[p + 5] = 48 + (m % 10);
      p += 6;
    }
    const n = p - pos;
    pos = p;
    return n;
  };

  /** The cached cell of a name (`csvCell(value)`). */
  const cellOf = (value: string): WordCell => {
    const n = value.length;
    const slot = n === 0 ? 0 : (n * 31 + value.charCodeAt(0) * 7 + value.charCodeAt(n - 1)) & 255;
    if (recentNames[slot] === value) return recentCells[slot]!;
    let cell = names.get(value);
    if (cell === undefined) {
      cell = nameCell(value);
      if (names.size < maxNames) names.set(value, cell);
    }
    recentNames[slot] = value;
    recentCells[slot] = cell;
    return cell;
  };

  const name = (value: string, then = -1) => {
    const cell = cellOf(value);
    room(cell.length + 5);
    words(cell.words, 0, cell.length);
    if (then >= 0) buf[pos++] = then;
  };

  const cell = (value: string, then = -1) => {
    // Most cells need neither quotes nor the formula guard and are ASCII: their bytes as they are.
    const first = value.charCodeAt(0);
    if (first !== 61 && first !== 43 && first !== 64 && first !== 9 && first !== 13 && first !== 45) {
      const n = value.length;
      room(n + 1);
      const b = buf;
      const p = pos;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 128 || c === 34 || c === 44 || c === 13 || c === 10) break;
        b[p + i] = c;
      }
      if (i === n) {
        pos = p + n;
        if (then >= 0) buf[pos++] = then;
        return;
      }
    }
    raw(csvCell(value));
    if (then >= 0) {
      room(1);
      buf[pos++] = then;
    }
  };

  /**
   * `csvCell(value)` of a finite number between -1e9 and 1e9 (room for 17 bytes made); false,
   * with nothing written, for any other.
   */
  const shortNumber = (value: number): boolean => {
    if (Number.isInteger(value) && value >= 0 && value < 1e9) {
      // csvCell's String(Math.round(v * 1e6) / 1e6) is the integer itself here.
      digits(value);
      return true;
    }
    // csvCell writes String(Math.round(v * 1e6) / 1e6): with fewer than 16 significant digits
    // (below 1e9 in magnitude, 6 decimals), that is the integer part, a point and the decimals
    // without trailing zeros, written here without making the string (cases.csv has four such
    // numbers a row).
    if (!(value > -1e9 && value < 1e9)) return false;
    const scaled = Math.round(value * 1e6);
    if (scaled === 0) {
      buf[pos++] = 48;
      return true;
    }
    const abs = scaled < 0 ? -scaled : scaled;
    if (scaled < 0) buf[pos++] = 45;
    const whole = Math.floor(abs / 1e6);
    digits(whole);
    // Below 1e6: a 32-bit integer (integer remainders, not floating-point ones).
    let frac = (abs - whole * 1e6) | 0;
    if (frac === 0) return true;
    let places = 6;
    for (let next = (frac / 10) | 0; frac === next * 10; next = (frac / 10) | 0) {
      frac = next;
      places--;
    }
    const b = buf;
    b[pos] = 46;
    let end = pos + 1 + places;
    pos = end;
    for (; places > 0; places--) {
      const next = (frac / 10) | 0;
      b[--end] = 48 + (frac - next * 10);
      frac = next;
    }
    return true;
  };

  /** The slot of a timestamp in the cache. */
  const stampSlot = (at: number, offsetMinutes: number): number =>
    Math.imul(((at / 1000) | 0) ^ (offsetMinutes << 20), 0x9e3779b1) >>> (32 - STAMP_BITS);

  /** `formatTimestamp(at, offsetMinutes)` written, and kept in `slot` when the fast path wrote it. */
  const stampInto = (slot: number, at: number, offsetMinutes: number) => {
    const n = writeTimestamp(at, offsetMinutes);
    if (n > 0) {
      packBuffer(pos - n, n, stampWords, slot * 8);
      stampAt[slot] = at;
      stampOffset[slot] = offsetMinutes;
      stampLength[slot] = n;
    }
  };

  /** `formatTimestamp(at, offsetMinutes)`, from the cache of recent ones when there. */
  const stamp = (at: number, offsetMinutes: number) => {
    const slot = stampSlot(at, offsetMinutes);
    if (stampAt[slot] === at && stampOffset[slot] === offsetMinutes) {
      const n = stampLength[slot]!;
      room(n + 4);
      words(stampWords, slot * 8, n);
    } else stampInto(slot, at, offsetMinutes);
  };

  // `joined`: its values' cells, and the last separator's bytes.
  let joinCells: WordCell[] = [];
  let separatorText: string | undefined;
  let separatorBytes = new Uint8Array(0);
  let separatorPlain = false;

  // `stampedRow`: the last pairs of `a,b` (four, taken in turn) and the last `c`, `d`, `e`.
  const NONE: WordCell = { words: new Uint32Array(0), length: 0, id: 0, plain: true };
  const pairA: (string | undefined)[] = [undefined, undefined, undefined, undefined];
  const pairB: (string | undefined)[] = [undefined, undefined, undefined, undefined];
  const pairCells: WordCell[] = [NONE, NONE, NONE, NONE];
  let nextPair = 0;
  let lastC: string | undefined;
  let lastCCell = NONE;
  let lastD: string | undefined;
  let lastDCell = NONE;
  let lastE: string | undefined;
  let lastECell = NONE;
  // The last `first`, its cell's bytes as words (the cell is ASCII and plain when `firstLength` > 0).
  let lastFirst: string | undefined;
  let firstLength = 0;
  let firstWords = new Uint32Array(16);
  // The last timestamp written by a row, and its slot in the timestamp cache.
  let rowAt = Number.NaN;
  let rowOffset = 0;
  let rowSlot = 0;
  // Row tails by the ids of their four cells (0: an empty slot), and their bytes.
  const tailKeys = new Float64Array(TAIL_SLOTS * 4);
  const tailLength = new Uint8Array(TAIL_SLOTS);
  const tailWords = new Uint32Array(TAIL_SLOTS * TAIL_WORDS);

  return {
    raw,
    byte(code) {
      room(1);
      buf[pos++] = code;
    },
    cell,
    name,
    bytes,
    number(value) {
      room(18);
      if (!shortNumber(value)) raw(csvCell(value));
    },
    numbers(values, count, then) {
      room(count * 18 + 1);
      for (let i = 0; i < count; i++) {
        if (i > 0) buf[pos++] = 44;
        const value = values[i]!;
        // One digit (most counts of a case): no more to do.
        if (value >= 0 && value <= 9 && (value | 0) === value) buf[pos++] = 48 + value;
        else if (!shortNumber(value)) {
          raw(csvCell(value));
          room((count - i) * 18 + 1);
        }
      }
      buf[pos++] = then;
    },
    joined(values, separator, then) {
      const count = values.length;
      if (count <= 1) {
        // csvCell of one value joined is the value's own cell.
        if (count === 1) name(values[0]!, then);
        else {
          room(1);
          buf[pos++] = then;
        }
        return;
      }
      if (separator !== separatorText) {
        separatorText = separator;
        separatorBytes = encoder.encode(separator);
        separatorPlain = csvCell(separator) === separator;
      }
      // The joined cell is the values' cells and separators when each is plain (no quotes needed
      // anywhere) and the first value does not start with `-` (`-3` is plain, `-3 > x` is not).
      const first = values[0]!;
      let plain = separatorPlain && first.length > 0 && first.charCodeAt(0) !== 45;
      let length = 0;
      if (joinCells.length < count) joinCells = new Array<WordCell>(count);
      for (let i = 0; plain && i < count; i++) {
        const c = cellOf(values[i]!);
        joinCells[i] = c;
        plain = c.plain;
        length += c.length;
      }
      if (!plain) {
        cell(values.join(separator), then);
        return;
      }
      const sep = separatorBytes;
      const sepLength = sep.length;
      room(length + (count - 1) * sepLength + 5);
      for (let i = 0; i < count; i++) {
        if (i > 0) {
          const b = buf;
          const p = pos;
          for (let k = 0; k < sepLength; k++) b[p + k] = sep[k]!;
          pos = p + sepLength;
        }
        const c = joinCells[i]!;
        words(c.words, 0, c.length);
      }
      buf[pos++] = then;
    },
    timestamp(at, offsetMinutes, then = -1) {
      stamp(at, offsetMinutes);
      if (then >= 0) {
        room(1);
        buf[pos++] = then;
      }
    },
    stampedRow(first, at, offsetMinutes, a, b, c, d, e) {
      let ab = NONE;
      if (a === pairA[0] && b === pairB[0]) ab = pairCells[0]!;
      else if (a === pairA[1] && b === pairB[1]) ab = pairCells[1]!;
      else if (a === pairA[2] && b === pairB[2]) ab = pairCells[2]!;
      else if (a === pairA[3] && b === pairB[3]) ab = pairCells[3]!;
      else {
        ab = pairCell(cellOf(a), cellOf(b));
        pairA[nextPair] = a;
        pairB[nextPair] = b;
        pairCells[nextPair] = ab;
        nextPair = (nextPair + 1) & 3;
      }
      const cc = c === lastD ? lastDCell : c === lastC ? lastCCell : cellOf(c);
      const dc = d === lastD ? lastDCell : cellOf(d);
      const ec = e === lastE ? lastECell : cellOf(e);
      lastC = c;
      lastCCell = cc;
      lastD = d;
      lastDCell = dc;
      lastE = e;
      lastECell = ec;
      const rest = ab.length + cc.length + dc.length + ec.length + 8;
      room(first.length + 34 + rest);
      if (first !== lastFirst || firstLength === 0) {
        // A new first cell: as `cell` writes it, remembered when it is the string itself.
        const start = pos;
        cell(first, 44);
        lastFirst = first;
        const n = pos - start - 1;
        // Its own text, ASCII (one byte a character): nothing quoted or guarded, no flush inside.
        firstLength = n > 0 && n === first.length && n <= 256 ? n : 0;
        if (firstLength > 0) {
          if (firstWords.length < (n + 3) >> 2) firstWords = new Uint32Array(64);
          packBuffer(start, n, firstWords, 0);
        }
      } else {
        words(firstWords, 0, firstLength);
        buf[pos++] = 44;
      }
      // A first cell in quotes may have been written through a flush: room again (nothing to do otherwise).
      room(34 + rest);
      if (
        at === rowAt &&
        offsetMinutes === rowOffset &&
        stampAt[rowSlot] === at &&
        stampOffset[rowSlot] === offsetMinutes
      ) {
        words(stampWords, rowSlot * 8, stampLength[rowSlot]!);
      } else {
        // The cache's lookup here, not in a call to `stamp` (too large to be inlined): the call was
        // ~5 % of a row's time on road-traffic, whose dates recur.
        const slot = stampSlot(at, offsetMinutes);
        if (stampAt[slot] === at && stampOffset[slot] === offsetMinutes) {
          words(stampWords, slot * 8, stampLength[slot]!);
        } else {
          // The general path of a timestamp may flush: room again after it (nothing to do otherwise).
          stampInto(slot, at, offsetMinutes);
          room(rest);
        }
        rowSlot = slot;
        rowAt = at;
        rowOffset = offsetMinutes;
      }
      buf[pos++] = 44;
      const t =
        (Math.imul(ab.id ^ (cc.id << 7), 0x9e3779b1) ^ Math.imul(dc.id ^ (ec.id << 11), 0x85ebca6b)) >>>
        (32 - TAIL_BITS);
      const k = t * 4;
      if (
        tailKeys[k] === ab.id &&
        tailKeys[k + 1] === cc.id &&
        tailKeys[k + 2] === dc.id &&
        tailKeys[k + 3] === ec.id
      ) {
        words(tailWords, t * TAIL_WORDS, tailLength[t]!);
        return;
      }
      const start = pos;
      words(ab.words, 0, ab.length);
      words(cc.words, 0, cc.length);
      buf[pos++] = 44;
      words(dc.words, 0, dc.length);
      buf[pos++] = 44;
      words(ec.words, 0, ec.length);
      buf[pos++] = 10;
      if (pos - start <= TAIL_WORDS * 4) {
        packBuffer(start, pos - start, tailWords, t * TAIL_WORDS);
        tailLength[t] = pos - start;
        tailKeys[k] = ab.id;
        tailKeys[k + 1] = cc.id;
        tailKeys[k + 2] = dc.id;
        tailKeys[k + 3] = ec.id;
      }
    },
    close() {
      if (pos > 0) flush(buf.subarray(0, pos));
      pos = 0;
    },
  };
}

/** A sink on a file: once closed, it knows the size and SHA-256 of what it wrote. */
export interface FileByteSink extends ByteSink {
  /**
   * Size and SHA-256 of the file, after `close`; `undefined` when the hashing thread could not give
   * it (then hash the file itself).
   */
  digest(): Promise<FileDigest | undefined>;
}

/**
 * A sink writing to a new file at `path` with blocking writes of about 1 MiB each, hashing them
 * on the way (run.json then need not read the file again): here, or on `hashes`'s thread, which
 * reads them back as far as they are written.
 */
export function createFileByteSink(path: string, hashes?: HashThread): FileByteSink {
  const fd = openSync(path, 'w');
  const file = hashes?.file(path);
  const hash = file === undefined ? createHash('sha256') : undefined;
  let bytes = 0;
  let closed = false;
  let sha256: string | undefined;
  const sink = createByteSink((chunk) => {
    bytes += chunk.length;
    let done = 0;
    while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done);
    if (file !== undefined) file.add(chunk);
    else hash!.update(chunk);
  });
  return {
    ...sink,
    close() {
      if (closed) return;
      closed = true;
      try {
        sink.close();
      } finally {
        closeSync(fd);
        if (file !== undefined) file.end();
        else sha256 = hash!.digest('hex');
      }
    },
    async digest() {
      if (!closed) throw new Error(`${path} is still being written`);
      if (file !== undefined) return await file.result();
      return { bytes, sha256: sha256! };
    },
  };
}
