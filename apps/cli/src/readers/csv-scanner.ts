/**
 * A byte-level RFC 4180 record scanner over streamed chunks. Fields are byte ranges of a buffer
 * (no string per cell): a reader decodes only the cells it needs. Time is linear in the input and
 * memory bounded by the limits: a quote that never closes is reported and reading resumes on the
 * line after the one that opened it; a field or record past its limit is reported and skipped.
 */

import { createWorkBuffer } from './work-buffer.ts';

/** Bounds on one field and one record, in bytes. */
export interface CsvLimits {
  readonly maxFieldBytes: number;
  readonly maxRecordBytes: number;
}

/** 1 MiB per field, 4 MiB per record: far above any event log's cell, far below memory trouble. */
export const DEFAULT_CSV_LIMITS: CsvLimits = { maxFieldBytes: 1 << 20, maxRecordBytes: 4 << 20 };

/** A record as byte ranges into `buf`, valid only during the callback (the view is reused). */
export interface CsvRecord {
  readonly buf: Buffer;
  /** Fields in this record. */
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** 1 when the field was quoted (its `""` must be unescaped when decoded). */
  readonly quoted: Uint8Array;
  /** For a quoted field, where its closing quote is (the content is before it, stray bytes after). */
  readonly closes: Int32Array;
  /** The line the record starts on (1-based). */
  readonly line: number;
}

export type CsvProblemCode = 'csv.unclosed-quote' | 'csv.field-too-long' | 'csv.record-too-long';

/** A stretch of the file that could not be read as records; what comes after it is read. */
export interface CsvProblem {
  readonly code: CsvProblemCode;
  readonly line: number;
  readonly message: string;
  /** The first line of the skipped record (at most 4 KiB), so a reader can tell whose record it was. */
  readonly head: string;
}

export interface CsvScanner {
  push(chunk: Buffer): void;
  end(): void;
  /**
   * From the next record on, only fields up to `field` (0-based) are split: a record's bytes after it
   * are passed over with native searches when they hold no quote, no lone CR and nothing past the field
   * limit (otherwise it is scanned whole), and its `count` is then `field + 1`. Records, problems and
   * line numbers are those of a full scan. For a pass that reads one column (the CSV's case ends).
   */
  skipAfter(field: number): void;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

const mib = (n: number) =>
  n >= 1 << 20
    ? `${(n / (1 << 20)).toLocaleString('en-US', { maximumFractionDigits: 1 })} MiB`
    : `${(n / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })} KiB`;

/** Decodes field `i` of a record as UTF-8, unescaping `""` in quoted fields. */
export function fieldText(r: CsvRecord, i: number): string {
  if (i >= r.count) return '';
  const start = r.starts[i]!;
  const end = r.ends[i]!;
  if (r.quoted[i] !== 1) return r.buf.toString('utf8', start, end);
  const close = r.closes[i]!;
  let text = r.buf.toString('utf8', start, close);
  if (text.includes('""')) text = text.replaceAll('""', '"');
  return close + 1 < end ? text + r.buf.toString('utf8', close + 1, end) : text;
}

/** The byte range of field `i`'s content (for a quoted field, up to its closing quote). */
export function fieldEnd(r: CsvRecord, i: number): number {
  return r.quoted[i] === 1 ? r.closes[i]! : r.ends[i]!;
}

/**
 * Creates a scanner that calls `onRecord` for each complete record and `onProblem` for each
 * stretch it had to skip. Blank lines are not records. `plain: false` reads every record with the
 * general scan, not the fast path for records without quotes (tests compare the two).
 */
export function createCsvScanner(
  delimiter: number,
  onRecord: (record: CsvRecord) => void,
  onProblem: (problem: CsvProblem) => void,
  limits: CsvLimits = DEFAULT_CSV_LIMITS,
  plain = true,
): CsvScanner {
  let buf: Buffer = Buffer.alloc(0);
  const work = createWorkBuffer();
  let line = 1;
  // Skipping the rest of an over-long record: bytes are dropped until the next line end.
  let discarding = false;
  let capacity = 64;
  let starts = new Int32Array(capacity);
  let ends = new Int32Array(capacity);
  let quoted = new Uint8Array(capacity);
  let closes = new Int32Array(capacity);
  const record = { buf, count: 0, starts, ends, quoted, closes, line: 1 };
  // `skipAfter`: fields split per record (0: all). Where the next quote and CR are in `buf` at or after
  // the point searched from (its length when none; -1 not looked for yet), so that each is searched
  // once per buffer while there are none: valid for points after that one (a record skipped for its
  // length resumes before the points its scan searched from).
  let splitFields = 0;
  let nextQuote = -1;
  let quoteFrom = 0;
  let nextCr = -1;
  let crFrom = 0;
  // `buf` as 32-bit words, and the delimiter in every byte of one.
  let view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  const delimiterWord = Math.imul(delimiter, 0x01010101);

  function grow(): void {
    capacity *= 2;
    const s = new Int32Array(capacity);
    s.set(starts);
    const e = new Int32Array(capacity);
    e.set(ends);
    const q = new Uint8Array(capacity);
    q.set(quoted);
    const c = new Int32Array(capacity);
    c.set(closes);
    starts = s;
    ends = e;
    quoted = q;
    closes = c;
    record.starts = starts;
    record.ends = ends;
    record.quoted = quoted;
    record.closes = closes;
  }

  function headOf(from: number): string {
    const nl = buf.indexOf(LF, from);
    const end = Math.min(nl === -1 ? buf.length : nl, from + 4096);
    return buf.toString('utf8', from, end);
  }

  /** The index after the line end that follows `from`, or -1 when none is in the buffer. */
  function nextLine(from: number): number {
    const nl = buf.indexOf(LF, from);
    return nl === -1 ? -1 : nl + 1;
  }

  /**
   * After the split fields of a record, from `i`: the index after the record when its rest can be
   * passed over (no quote, no CR but one before its LF, not longer than a field may be: a full scan
   * would find one field or more and end the record at the same place), -1 when the buffer ends first
   * (as the full scan would), -3 when the rest must be scanned.
   */
  function passOver(i: number, final: boolean): number {
    const b = buf;
    const len = b.length;
    const nl = b.indexOf(LF, i);
    const stop = nl === -1 ? len : nl;
    if (stop - i > limits.maxFieldBytes) return -3;
    if (nextQuote < i || i < quoteFrom) {
      nextQuote = b.indexOf(QUOTE, i);
      if (nextQuote === -1) nextQuote = len;
      quoteFrom = i;
    }
    if (nextQuote < stop) return -3;
    if (nextCr < i || i < crFrom) {
      nextCr = b.indexOf(CR, i);
      if (nextCr === -1) nextCr = len;
      crFrom = i;
    }
    if (nextCr < stop && !(nextCr === stop - 1 && nl !== -1)) return -3;
    if (nl === -1) return final ? len : -1;
    return nl + 1;
  }

  /**
   * A record with no quote and no CR but the one before its LF, no longer than a field may be (most
   * records of an event log), split in one loop that looks for the delimiter and the LF only: the
   * next quote and CR are found with native searches, once per buffer while there are none. Returns
   * what `scanRecord` would for it, or -3 when the record is not plain (`scanRecord` then reads it).
   */
  function plainRecord(p: number, final: boolean): number {
    const b = buf;
    const len = b.length;
    if (nextQuote < p || p < quoteFrom) {
      nextQuote = b.indexOf(QUOTE, p);
      if (nextQuote === -1) nextQuote = len;
      quoteFrom = p;
    }
    if (nextCr < p || p < crFrom) {
      nextCr = b.indexOf(CR, p);
      if (nextCr === -1) nextCr = len;
      crFrom = p;
    }
    let stop = nextQuote < nextCr ? nextQuote : nextCr;
    // Past the field limit the full scan decides (it reports the field).
    if (stop - p > limits.maxFieldBytes) stop = p + limits.maxFieldBytes;
    const d = delimiter;
    let n = 0;
    let start = p;
    let i = p;
    // Four bytes at a time: the lowest byte equal to the delimiter or LF is flagged exactly (the
    // zero-byte test of `v ^ pattern`; only bytes above a flagged one can be flagged falsely).
    const v = view;
    const wordsEnd = stop - 3;
    for (;;) {
      let k = -1;
      while (i < wordsEnd) {
        const w = v.getUint32(i, true);
        const x = w ^ delimiterWord;
        const y = w ^ 0x0a0a0a0a;
        const m = ((x - 0x01010101) & ~x & 0x80808080) | ((y - 0x01010101) & ~y & 0x80808080);
        if (m !== 0) {
          k = i + ((31 - Math.clz32(m & -m)) >>> 3);
          break;
        }
        i += 4;
      }
      if (k === -1) {
        for (; i < stop; i++) {
          const c = b[i];
          if (c === d || c === LF) break;
        }
        if (i === stop) break;
        k = i;
      }
      i = k;
      if (b[k] === d) {
        if (n + 1 >= capacity) grow();
        starts[n] = start;
        ends[n] = i;
        quoted[n] = 0;
        n++;
        start = i + 1;
        if (n === splitFields) {
          const next = passOver(start, final);
          if (next === -3) return -3;
          if (next >= 0) {
            record.count = n;
            resumeLines = 1;
          }
          return next;
        }
        i = k + 1;
      } else break;
    }
    let next: number;
    if (i < stop) next = i + 1;
    else if (i === nextCr && i < len) {
      // CR ends the record as in `scanRecord` (with the LF after it, when there is one).
      if (i + 1 >= len && !final) return -1;
      next = b[i + 1] === LF ? i + 2 : i + 1;
    } else if (i === len) {
      if (!final) return -1;
      next = len;
    } else return -3;
    if (n + 1 >= capacity) grow();
    starts[n] = start;
    ends[n] = i;
    quoted[n] = 0;
    record.count = n + 1;
    resumeLines = 1;
    return next;
  }

  // Scans one record at `p`. Returns the index after it, -1 when the buffer ends first (more input
  // needed), or -2 after a problem was reported and `resume` was set.
  let resume = 0;
  let resumeLines = 0;
  function scanRecord(p: number, final: boolean): number {
    const len = buf.length;
    const b = buf;
    let i = p;
    let n = 0;
    let lines = 0;
    for (;;) {
      if (n === capacity) grow();
      if (i < len && b[i] === QUOTE) {
        const open = i;
        i++;
        const start = i;
        let close = i;
        for (;;) {
          const q = b.indexOf(QUOTE, i);
          const limit = start + limits.maxFieldBytes;
          if (q === -1 || q > limit) {
            if (q === -1 && len <= limit && !final) return -1;
            // Unclosed within the file or the field limit: skip the record that opened the quote
            // and read on from the line after it.
            const after = nextLine(open);
            const at = line + lines;
            const where = `a quoted field opened on line ${at} `;
            onProblem({
              code: q === -1 && len <= limit ? 'csv.unclosed-quote' : 'csv.field-too-long',
              line: at,
              head: headOf(p),
              message:
                q === -1 && len <= limit
                  ? `a quoted field is not closed before the end of the file (its quote opened on line ${at}); the record is skipped and reading resumes on line ${at + 1}`
                  : `${where}runs past ${mib(limits.maxFieldBytes)} (the field limit): its closing quote is probably missing; the record is skipped and reading resumes on line ${at + 1}`,
            });
            resume = after === -1 ? len : after;
            resumeLines = lines + 1;
            return -2;
          }
          for (let k = i; k < q; k++) if (b[k] === LF) lines++;
          if (q + 1 >= len && !final) return -1;
          if (b[q + 1] === QUOTE) {
            i = q + 2;
            continue;
          }
          close = q;
          i = q + 1;
          break;
        }
        // Lenient after the closing quote: anything up to the delimiter belongs to the field.
        while (i < len) {
          const c = b[i]!;
          if (c === delimiter || c === LF || c === CR) break;
          i++;
        }
        starts[n] = start;
        // The content ends at the closing quote; stray bytes after it (`"ab"c`) are kept, without it.
        ends[n] = i;
        closes[n] = close;
        quoted[n] = 1;
      } else {
        const start = i;
        while (i < len) {
          const c = b[i]!;
          if (c === delimiter || c === LF || c === CR) break;
          i++;
        }
        if (i - start > limits.maxFieldBytes) {
          onProblem({
            code: 'csv.field-too-long',
            line,
            head: headOf(p),
            message: `field ${n + 1} on line ${line} is longer than ${mib(limits.maxFieldBytes)} (the field limit); the record is skipped`,
          });
          if (i >= len && !final) {
            discarding = true;
            resume = len;
          } else {
            const after = nextLine(i);
            resume = after === -1 ? len : after;
          }
          resumeLines = 1;
          return -2;
        }
        starts[n] = start;
        ends[n] = i;
        quoted[n] = 0;
      }
      n++;
      if (i >= len) {
        if (!final) return -1;
        record.count = n;
        return len;
      }
      const c = b[i];
      if (c === delimiter) {
        i++;
        if (n === splitFields) {
          const next = passOver(i, final);
          if (next === -1) return -1;
          if (next >= 0) {
            record.count = n;
            resumeLines = lines + 1;
            return next;
          }
        }
        continue;
      }
      if (c === CR) {
        if (i + 1 >= len && !final) return -1;
        i++;
        if (b[i] === LF) i++;
      } else {
        i++;
      }
      record.count = n;
      resumeLines = lines + 1;
      return i;
    }
  }

  function drain(final: boolean): void {
    let pos = 0;
    const len = buf.length;
    nextQuote = -1;
    nextCr = -1;
    view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    if (discarding) {
      const after = nextLine(0);
      if (after === -1) {
        buf = Buffer.alloc(0);
        return;
      }
      discarding = false;
      line++;
      pos = after;
    }
    while (pos < len) {
      // Blank lines are not records.
      const c = buf[pos];
      if (c === LF) {
        line++;
        pos++;
        continue;
      }
      if (c === CR && (pos + 1 < len || final)) {
        pos += buf[pos + 1] === LF ? 2 : 1;
        line++;
        continue;
      }
      let next = plain ? plainRecord(pos, final) : -3;
      if (next === -3) next = scanRecord(pos, final);
      if (next === -1) {
        if (len - pos > limits.maxRecordBytes) {
          onProblem({
            code: 'csv.record-too-long',
            line,
            head: headOf(pos),
            message: `the record on line ${line} is longer than ${mib(limits.maxRecordBytes)} (the record limit); it is skipped`,
          });
          const after = nextLine(pos);
          if (after === -1) {
            discarding = true;
            buf = Buffer.alloc(0);
            return;
          }
          line++;
          pos = after;
          continue;
        }
        break;
      }
      if (next === -2) {
        line += resumeLines;
        if (discarding) {
          buf = Buffer.alloc(0);
          return;
        }
        pos = resume;
        continue;
      }
      if (next - pos > limits.maxRecordBytes) {
        onProblem({
          code: 'csv.record-too-long',
          line,
          head: headOf(pos),
          message: `the record on line ${line} is longer than ${mib(limits.maxRecordBytes)} (the record limit); it is skipped`,
        });
      } else {
        record.buf = buf;
        record.line = line;
        onRecord(record);
      }
      line += resumeLines;
      pos = next;
    }
    buf = pos >= len ? Buffer.alloc(0) : buf.subarray(pos);
  }

  return {
    push(chunk) {
      buf = work.join(buf, chunk);
      drain(false);
    },
    end() {
      if (buf.length > 0 && !discarding) drain(true);
      buf = Buffer.alloc(0);
    },
    skipAfter(field) {
      splitFields = field + 1;
    },
  };
}

/**
 * All records of a whole text, decoded, with the problems met (for small files read at once, such
 * as `route-eval`'s labelled CSV). Event logs are streamed through `createCsvScanner` instead.
 */
export function splitCsv(
  text: string,
  delimiter = ',',
): { rows: { fields: string[]; line: number }[]; problems: CsvProblem[] } {
  const rows: { fields: string[]; line: number }[] = [];
  const problems: CsvProblem[] = [];
  const scanner = createCsvScanner(
    delimiter.charCodeAt(0),
    (r) => rows.push({ fields: Array.from({ length: r.count }, (_, i) => fieldText(r, i)), line: r.line }),
    (p) => problems.push(p),
  );
  scanner.push(Buffer.from(text));
  scanner.end();
  return { rows, problems };
}
