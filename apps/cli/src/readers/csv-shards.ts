import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ByteChunk } from './open-text.ts';

const QUOTE = 34;
const LF = 10;
const BLOCK = 1 << 20;
/** How far past a target to look for a change of case before giving up on that cut. */
const SEARCH_LIMIT = 64 << 20;

/** Where a CSV file is cut: its header's end and the start of each shard after the first. */
export interface CsvCuts {
  /** The end of the header record (after its newline): every shard reads bytes [0, headerEnd) first. */
  readonly headerEnd: number;
  /** Ascending byte offsets, each the start of a record whose case differs from the record before. */
  readonly cuts: readonly number[];
}

/** `,` unless the header line clearly uses `;` or a tab (spreadsheet exports). */
export function sniffDelimiter(firstLine: string): number {
  const count = (d: string) => firstLine.split(d).length - 1;
  const candidates: [string, number][] = [
    [',', count(',')],
    [';', count(';')],
    ['\t', count('\t')],
  ];
  candidates.sort((a, b) => b[1] - a[1]);
  return (candidates[0] !== undefined && candidates[0][1] > 0 ? candidates[0][0] : ',').charCodeAt(0);
}

/** The fields of one CSV record's text (RFC 4180: doubled quotes inside quoted fields). */
function splitRecord(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return [...fields, field + text.slice(i)];
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const d = text.indexOf(delimiter, i);
      field += d < 0 ? text.slice(i) : text.slice(i, d);
      fields.push(field);
      if (d < 0) return fields;
      i = d + 1;
    } else {
      const d = text.indexOf(delimiter, i);
      fields.push(d < 0 ? text.slice(i) : text.slice(i, d));
      if (d < 0) return fields;
      i = d + 1;
    }
  }
}

/**
 * Finds where to cut a plain (not gzipped) CSV event log into `parts` shards of about equal size,
 * each starting at a record where the case column changes, so that a log grouped by case is cut
 * between cases. A position is outside quotes when the number of `"` before it is even (RFC 4180
 * doubles quotes inside fields). Undefined when the file cannot be cut (no such column, a byte
 * order mark, no change of case near a target): it is then read on one thread.
 */
export async function findCsvCuts(path: string, caseKey: string, parts: number): Promise<CsvCuts | undefined> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const buf = Buffer.allocUnsafe(BLOCK);
    const read = async (at: number) => {
      const { bytesRead } = await handle.read(buf, 0, BLOCK, at);
      return buf.subarray(0, bytesRead);
    };
    // The header: the first record (a quoted header name may hold a newline).
    let block = await read(0);
    if (block[0] === 0xef || block[0] === 0xff || block[0] === 0xfe || block[0] === 0x1f) return undefined;
    let quotes = 0;
    let headerEnd = -1;
    for (let i = 0; i < block.length; i++) {
      const c = block[i];
      if (c === QUOTE) quotes++;
      else if (c === LF && quotes % 2 === 0) {
        headerEnd = i + 1;
        break;
      }
    }
    if (headerEnd < 0) return undefined;
    const headerText = block.toString('utf8', 0, headerEnd).replace(/\r?\n$/, '');
    const delimiter = String.fromCharCode(sniffDelimiter(headerText));
    const caseColumn = splitRecord(headerText, delimiter)
      .map((n) => n.trim())
      .indexOf(caseKey);
    if (caseColumn < 0) return undefined;

    const cuts: number[] = [];
    // Quotes before `pos`, counted block by block with indexOf.
    let pos = 0;
    quotes = 0;
    for (let k = 1; k < parts; k++) {
      const target = Math.max(Math.floor((k * size) / parts), headerEnd, cuts.at(-1) ?? 0);
      while (pos < target) {
        block = await read(pos);
        if (block.length === 0) break;
        const end = Math.min(block.length, target - pos);
        for (let i = block.indexOf(QUOTE); i !== -1 && i < end; i = block.indexOf(QUOTE, i + 1)) quotes++;
        pos += end;
      }
      const cut = await nextCaseChange(read, pos, quotes % 2 === 1, delimiter, caseColumn, size);
      if (cut === undefined) break;
      // Quotes between the target and the cut, so that the next target starts from the cut.
      while (pos < cut) {
        block = await read(pos);
        const end = Math.min(block.length, cut - pos);
        for (let i = block.indexOf(QUOTE); i !== -1 && i < end; i = block.indexOf(QUOTE, i + 1)) quotes++;
        pos += end;
      }
      if (cut > (cuts.at(-1) ?? headerEnd) && cut < size) cuts.push(cut);
    }
    return cuts.length === 0 ? undefined : { headerEnd, cuts };
  } finally {
    await handle.close();
  }
}

/**
 * The start of the first record after `from` whose case field differs from the record before it:
 * records are found by newlines outside quotes (`quoted`: `from` is inside a quoted field).
 */
async function nextCaseChange(
  read: (at: number) => Promise<Buffer>,
  from: number,
  quoted: boolean,
  delimiter: string,
  caseColumn: number,
  size: number,
): Promise<number | undefined> {
  let inQuotes = quoted;
  let recordStart = -1;
  let previous: string | undefined;
  let pending = '';
  let at = from;
  while (at < size && at - from < SEARCH_LIMIT) {
    const block = Buffer.from(await read(at));
    if (block.length === 0) return undefined;
    let lineStart = 0;
    for (let i = 0; i < block.length; i++) {
      const c = block[i];
      if (c === QUOTE) inQuotes = !inQuotes;
      else if (c === LF && !inQuotes) {
        if (recordStart >= 0) {
          const text = (pending + block.toString('utf8', lineStart, i)).replace(/\r$/, '');
          const id = splitRecord(text, delimiter)[caseColumn];
          if (previous !== undefined && id !== previous) return recordStart;
          previous = id;
        }
        pending = '';
        recordStart = at + i + 1;
        lineStart = i + 1;
      }
    }
    if (recordStart >= 0) pending += block.toString('utf8', lineStart);
    at += block.length;
  }
  return undefined;
}

/** Newlines in the first `end` bytes of a file: lines before a shard, for its line numbers. */
export async function newlinesBefore(path: string, end: number): Promise<number> {
  let n = 0;
  for await (const chunk of readRange(path, 0, end)) {
    const b = chunk.bytes;
    for (let i = b.indexOf(LF); i !== -1; i = b.indexOf(LF, i + 1)) n++;
  }
  return n;
}

/** The bytes [start, end) of a file, in 256 KiB chunks; `bytesRead` is the file position reached. */
export async function* readRange(path: string, start: number, end: number): AsyncGenerator<ByteChunk> {
  if (end <= start) return;
  const stream = createReadStream(path, { start, end: end - 1, highWaterMark: 1 << 18 });
  let at = start;
  try {
    for await (const bytes of stream as AsyncIterable<Buffer>) {
      at += bytes.length;
      yield { bytes, bytesRead: at };
    }
  } finally {
    stream.destroy();
  }
}
