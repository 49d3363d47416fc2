import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { formatTimestamp } from '@baton/core/time';
import { csvCell } from './csv.ts';

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
  /** `csvCell(value)` for a string met once (a case id). */
  cell(value: string): void;
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
  /** Writes out what is buffered and releases the sink. */
  close(): void;
}

const encoder = new TextEncoder();

const STAMP_BITS = 12;
const STAMP_SLOTS = 1 << STAMP_BITS;

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

function wordCell(bytes: Uint8Array): WordCell {
  const words = new Uint32Array((bytes.length + 3) >> 2);
  packWords(bytes, 0, bytes.length, words, 0);
  return { words, length: bytes.length };
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
  const date = new Uint8Array(10);
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

  /** The decimal digits of a whole number below 2^31 (room already made). */
  const digits = (value: number) => {
    if (value === 0) {
      buf[pos++] = 48;
      return;
    }
    let n = 1;
    for (let v = value; v >= 10; v = (v / 10) | 0) n++;
    let end = pos + n;
    for (let v = value; end > pos; v = (v / 10) | 0) buf[--end] = 48 + (v % 10);
    pos += n;
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
    date[0] = 48 + ((year / 1000) | 0);
    date[1] = 48 + (((year / 100) | 0) % 10);
    date[2] = 48 + (((year / 10) | 0) % 10);
    date[3] = 48 + (year % 10);
    date[4] = 45;
    date[5] = 48 + ((month / 10) | 0);
    date[6] = 48 + (month % 10);
    date[7] = 45;
    date[8] = 48 + ((day / 10) | 0);
    date[9] = 48 + (day % 10);
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
    let rest = local - days * 86_400_000;
    if (!dateOk || abs >= 6000 || !Number.isInteger(rest)) {
      raw(formatTimestamp(at, offsetMinutes));
      return 0;
    }
    room(29);
    const b = buf;
    let p = pos;
    for (let i = 0; i < 10; i++) b[p++] = date[i]!;
    const hour = (rest / 3_600_000) | 0;
    rest -= hour * 3_600_000;
    const minute = (rest / 60_000) | 0;
    rest -= minute * 60_000;
    const second = (rest / 1000) | 0;
    const ms = rest - second * 1000;
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

  return {
    raw,
    byte(code) {
      room(1);
      buf[pos++] = code;
    },
    cell(value) {
      // Most cells need neither quotes nor the formula guard and are ASCII: their bytes as they are.
      const first = value.charCodeAt(0);
      if (first !== 61 && first !== 43 && first !== 64 && first !== 9 && first !== 13 && first !== 45) {
        const n = value.length;
        room(n);
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
          return;
        }
      }
      raw(csvCell(value));
    },
    name(value, then = -1) {
      const n = value.length;
      const slot = n === 0 ? 0 : (n * 31 + value.charCodeAt(0) * 7 + value.charCodeAt(n - 1)) & 255;
      let cell: WordCell | undefined;
      if (recentNames[slot] === value) cell = recentCells[slot]!;
      else {
        cell = names.get(value);
        if (cell === undefined) {
          cell = wordCell(encodeCell(value));
          if (names.size < maxNames) names.set(value, cell);
        }
        recentNames[slot] = value;
        recentCells[slot] = cell;
      }
      room(cell.length + 4);
      words(cell.words, 0, cell.length);
      if (then >= 0) buf[pos++] = then;
    },
    bytes,
    number(value) {
      if (Number.isInteger(value) && value >= 0 && value < 1e9) {
        // csvCell's String(Math.round(v * 1e6) / 1e6) is the integer itself here.
        room(10);
        digits(value);
        return;
      }
      // csvCell writes String(Math.round(v * 1e6) / 1e6): with fewer than 16 significant digits
      // (below 1e9 in magnitude, 6 decimals), that is the integer part, a point and the decimals
      // without trailing zeros, written here without making the string (cases.csv has four such
      // numbers a row).
      if (value > -1e9 && value < 1e9) {
        const scaled = Math.round(value * 1e6);
        room(18);
        if (scaled === 0) {
          buf[pos++] = 48;
          return;
        }
        const abs = scaled < 0 ? -scaled : scaled;
        if (scaled < 0) buf[pos++] = 45;
        const whole = Math.floor(abs / 1e6);
        digits(whole);
        let frac = abs - whole * 1e6;
        if (frac === 0) return;
        let places = 6;
        while (frac % 10 === 0) {
          frac /= 10;
          places--;
        }
        const b = buf;
        b[pos] = 46;
        let end = pos + 1 + places;
        pos = end;
        for (; places > 0; places--, frac = (frac / 10) | 0) b[--end] = 48 + (frac % 10);
        return;
      }
      raw(csvCell(value));
    },
    timestamp(at, offsetMinutes, then = -1) {
      const slot = Math.imul(((at / 1000) | 0) ^ (offsetMinutes << 20), 0x9e3779b1) >>> (32 - STAMP_BITS);
      if (stampAt[slot] === at && stampOffset[slot] === offsetMinutes) {
        const n = stampLength[slot]!;
        room(n + 4);
        words(stampWords, slot * 8, n);
      } else {
        const n = writeTimestamp(at, offsetMinutes);
        if (n > 0) {
          packWords(buf, pos - n, pos, stampWords, slot * 8);
          stampAt[slot] = at;
          stampOffset[slot] = offsetMinutes;
          stampLength[slot] = n;
        }
        if (then >= 0) room(1);
      }
      if (then >= 0) buf[pos++] = then;
    },
    close() {
      if (pos > 0) flush(buf.subarray(0, pos));
      pos = 0;
    },
  };
}

/** A sink on a file: once closed, it knows the size and SHA-256 of what it wrote. */
export interface FileByteSink extends ByteSink {
  /** Size and SHA-256 of the file, after `close`. */
  digest(): { readonly bytes: number; readonly sha256: string };
}

/**
 * A sink writing to a new file at `path` with blocking writes of about 1 MiB each, hashing them
 * on the way (run.json then need not read the file again).
 */
export function createFileByteSink(path: string): FileByteSink {
  const fd = openSync(path, 'w');
  const hash = createHash('sha256');
  let bytes = 0;
  let sha256: string | undefined;
  const sink = createByteSink((chunk) => {
    hash.update(chunk);
    bytes += chunk.length;
    let done = 0;
    while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done);
  });
  return {
    ...sink,
    close() {
      if (sha256 !== undefined) return;
      try {
        sink.close();
      } finally {
        closeSync(fd);
        sha256 = hash.digest('hex');
      }
    },
    digest() {
      if (sha256 === undefined) throw new Error(`${path} is still being written`);
      return { bytes, sha256 };
    },
  };
}
