import { basename } from 'node:path';
import type { CaseEvent, CaseRecord } from '@baton/core';
import { parseTimestamp } from '@baton/core/time';
import { caseAttributeName, stateLabel } from './event-log-case.ts';
import {
  createCsvScanner,
  fieldEnd,
  fieldText,
  type CsvProblem,
  type CsvRecord,
  type CsvScanner,
} from './csv-scanner.ts';
import { createCaseEnds, hashId, idHashes, type CaseEnds } from './case-ends.ts';
import { createHash64Set } from './hash64-table.ts';
import { createInterner } from './intern.ts';
import { lastTimestamp, readTimestampBytes } from './iso-timestamp.ts';
import { type ByteChunk, InputReadError, readBytes, readErrorSkip } from './open-text.ts';
import { readRange, sniffDelimiter } from './csv-shards.ts';
import { createFileProgress } from './progress.ts';
import { type BatchReader, oneByOne, type ReadItem, type ReadOptions, type SkippedRecord } from './types.ts';

/**
 * An event as its row is read: already the core event it becomes (one object per row, not a row
 * object and then an event), with the row's own owner; `from` and the carried-over owner are set
 * when the case is complete (`caseRecordOf`), in time order.
 */
type RowEvent = { -readonly [K in keyof CaseEvent]: CaseEvent[K] };

/** Input scanned between two hand-overs of the cases it completed. */
const BATCH_BYTES = 1 << 16;

interface CaseState {
  readonly id: string;
  /** `keyOf(id)`: where the case is among the open ones. */
  readonly key: number;
  /** The next open case whose id has the same key. */
  nextSameKey: CaseState | undefined;
  /** Two passes: the id's hashes as the case ends know them (`hashId` of its UTF-8 bytes). */
  readonly endA: number;
  readonly endB: number;
  readonly attributes: Record<string, string>;
  readonly events: RowEvent[];
  /** The order cases were met in (cases left at the end are handed on in it). */
  readonly seq: number;
  due?: string;
  dueLine?: number;
  problem?: SkippedRecord;
  /** A record of the case could not be read: the case is held to the end of the file (then skipped). */
  held?: boolean;
}

/**
 * Thrown by a one-pass read (`ReadOptions.csvOnePass`) that cannot finish as the two-pass read
 * would: a case id came back after its case was handed on (the file is not grouped by case), or the
 * file could not be read to its end (the two-pass read then hands on no case at all). What the read
 * handed on cannot be taken back: the caller drops all of it and reads the file again without
 * `csvOnePass` (ADR 0017, "One pass when grouped").
 */
export class CsvNeedsTwoPasses extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvNeedsTwoPasses';
  }
}

interface Columns {
  readonly width: number;
  readonly caseId: number;
  readonly activity: number;
  readonly timestamp: number;
  readonly owner: number;
  readonly actor: number;
  readonly lifecycle: number;
  readonly due: number;
  /** [column index, attribute name] of the `case:` columns that describe the case as a whole. */
  readonly caseAttributes: readonly (readonly [number, string])[];
}

const FNV_SEED = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over a case id's UTF-16 code units: for an ASCII id, the same as over its bytes. */
function keyOf(id: string): number {
  let h = FNV_SEED;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), FNV_PRIME);
  return h | 0;
}

const NO_BYTES = new Uint8Array(0);

/** True when the ASCII bytes in [start, end) spell `id`. */
function spells(id: string, b: Uint8Array, start: number, end: number): boolean {
  if (id.length !== end - start) return false;
  for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) !== b[start + i]) return false;
  return true;
}

/** True when the byte range holds only spaces and tabs (or nothing). */
function blank(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] !== 32 && b[i] !== 9) return false;
  return true;
}

/**
 * The first of two passes: where each case's last row is (rows counted after the header, as the
 * second pass counts them). Only the case column is looked at. `undefined` when the file cannot be
 * read to its end or has no such column: the second pass then holds every case to the end and
 * reports the problem itself.
 */
async function findCaseEnds(content: AsyncIterable<ByteChunk>, caseKey: string): Promise<CaseEnds | undefined> {
  const ends = createCaseEnds();
  let caseColumn = -2;
  let delimiter = ',';
  let index = -1;
  let scanner: CsvScanner | undefined;
  const onRecord = (r: CsvRecord) => {
    if (caseColumn === -2) {
      caseColumn = Array.from({ length: r.count }, (_, i) => fieldText(r, i).trim()).indexOf(caseKey);
      // Only the case column is read: the rest of each record is passed over, not split.
      if (caseColumn >= 0) scanner?.skipAfter(caseColumn);
      return;
    }
    index++;
    if (caseColumn < 0 || caseColumn >= r.count) return;
    if (r.quoted[caseColumn] === 1) {
      const bytes = Buffer.from(fieldText(r, caseColumn));
      ends.see(bytes, 0, bytes.length, index);
    } else ends.see(r.buf, r.starts[caseColumn]!, r.ends[caseColumn]!, index);
  };
  // A record that cannot be read makes its case incomplete: hold that case to the end (it is skipped).
  const onProblem = (p: CsvProblem) => {
    const id = caseColumn < 0 ? undefined : p.head.split(delimiter)[caseColumn];
    if (id === undefined || id === '' || id.startsWith('"')) return;
    const bytes = Buffer.from(id);
    ends.see(bytes, 0, bytes.length, Number.POSITIVE_INFINITY);
  };
  try {
    let head: Buffer | undefined;
    for await (const chunk of content) {
      if (scanner === undefined) {
        head = head === undefined ? chunk.bytes : Buffer.concat([head, chunk.bytes]);
        const nl = head.indexOf(10);
        if (nl === -1 && head.length < 1 << 16) continue;
        const d = sniffDelimiter(head.toString('utf8', 0, nl === -1 ? head.length : nl));
        delimiter = String.fromCharCode(d);
        scanner = createCsvScanner(d, onRecord, onProblem);
        scanner.push(head);
        head = undefined;
      } else scanner.push(chunk.bytes);
      if (caseColumn === -1) return undefined;
    }
    scanner?.end();
  } catch {
    return undefined;
  }
  return caseColumn < 0 ? undefined : ends;
}

/**
 * Streams a CSV event log (one event a row, a header row first) through the byte-level scanner:
 * only the cells Baton uses are decoded, repeated names are interned, timestamps are read from the
 * bytes. Rows of a case may be anywhere in the file: a first pass finds each case's last row
 * (`case-ends.ts`: where the case column changes, and exactly for cases whose rows are spread out),
 * so the second hands each case on at its last row and memory holds only the cases still open,
 * not the file. With `options.csvOnePass` the file is read once, as if grouped by case: a case is
 * handed on when a row of another case comes, and `CsvNeedsTwoPasses` is thrown if its id comes
 * back (the items handed on are then the two-pass read's, in its order, up to the throw).
 * A bad row skips its case, reported with its line; a row with no
 * case id is skipped alone; a quote that never closes or an over-long field skips its record only.
 * Case ids are taken as written: ` 3` and `3` are two cases, never merged silently.
 */
export const readCsvBatches: BatchReader = (path, options, tap) =>
  readCsvFrom(path, options, () => readBytes(path, tap), options.csvOnePass === true);

/**
 * Reads one shard of a plain CSV file: its header record (bytes [0, headerEnd)) and then bytes
 * [from, to), as `readCsvBatches` reads a whole file. Line numbers count from the shard's header:
 * the caller adds the lines between the header and `from`.
 */
export function readCsvShard(
  path: string,
  options: ReadOptions,
  range: { readonly headerEnd: number; readonly from: number; readonly to: number },
): AsyncIterable<readonly ReadItem[]> {
  const content = async function* () {
    if (range.from > 0) yield* readRange(path, 0, range.headerEnd);
    yield* readRange(path, range.from, range.to);
  };
  return readCsvFrom(path, options, content, false);
}

async function* readCsvFrom(
  path: string,
  options: ReadOptions,
  content: () => AsyncIterable<ByteChunk>,
  onePass: boolean,
): AsyncGenerator<readonly ReadItem[]> {
  const file = path;
  const source = basename(path);
  const o = options.eventLog;
  // The cases met and not yet handed on, by `keyOf` their id (ids that share a key are chained):
  // a number key spares a row decoding its id and hashing a string in a map of strings (an unsorted
  // file holds thousands of cases open). One pass: only the cases held to the end (the open case is
  // `lastState`, handed on when another case comes: a map entry per case cost a set and a delete).
  const open = new Map<number, CaseState>();
  let openCount = 0;
  let met = 0;
  const out: ReadItem[] = [];
  let columns: Columns | undefined;
  let scanner: CsvScanner | undefined;
  let fatal = false;
  const names = createInterner();
  // Rows of a case usually follow each other: the last case's id bytes avoid a decode and a lookup.
  // (Kept in one reused buffer: a copy per case was an ArrayBuffer per case.) −1: none to compare.
  let lastId = new Uint8Array(256);
  let lastIdLength = -1;
  let lastIdAscii = false;
  let lastState: CaseState | undefined;
  let lastIdText = '';
  // One pass: `lastState` is the open case (the one of the latest row with an id), handed on when a
  // row of another case comes or the file ends. Every id met (64-bit hashes, 6 bytes a case) tells
  // when a case handed on comes back: an id not among the cases still held (`cases`) but in `seen`.
  // Skips met after the open case's latest row wait in `after`: the two-pass read hands a case on at
  // its last row, before them.
  const seen = onePass ? createHash64Set() : undefined;
  const after: ReadItem[] = [];

  const skipRow = (line: number, code: string, message: string, field?: string) =>
    (onePass && lastState !== undefined ? after : out).push({
      type: 'skip',
      skipped: { code, location: field === undefined ? { file, line } : { file, line, field }, message },
    });

  /**
   * One pass: notes `id`, not among the cases held, as met; throws when it was met before, so handed on
   * already (or may have been: a shared hash). Two 32-bit hashes in one loop (FNV-1a and a Murmur-like mix).
   */
  function firstMeeting(id: string): number {
    let a = FNV_SEED;
    let b = 0x9747b28c ^ id.length;
    for (let i = 0; i < id.length; i++) {
      const ch = id.charCodeAt(i);
      a = Math.imul(a ^ ch, FNV_PRIME);
      b = Math.imul(b ^ ch, 0x5bd1e995);
      b ^= b >>> 15;
    }
    if (!seen!.add(a | 0, b | 0))
      throw new CsvNeedsTwoPasses(`${source} has rows of case '${id}' after other cases' rows (not grouped by case)`);
    return a | 0; // `keyOf(id)`
  }

  /** The open case whose id is `text` (when given) or the ASCII bytes [start, end), with that key. */
  function findOpen(key: number, text: string | undefined, b: Uint8Array, start: number, end: number) {
    for (let s = open.get(key); s !== undefined; s = s.nextSameKey)
      if (text === undefined ? spells(s.id, b, start, end) : s.id === text) return s;
    return undefined;
  }

  function addOpen(state: CaseState): void {
    state.nextSameKey = open.get(state.key);
    open.set(state.key, state);
    openCount++;
  }

  function removeOpen(state: CaseState): void {
    const head = open.get(state.key);
    if (head === state) {
      if (state.nextSameKey === undefined) open.delete(state.key);
      else open.set(state.key, state.nextSameKey);
    } else {
      let s = head!;
      while (s.nextSameKey !== state) s = s.nextSameKey!;
      s.nextSameKey = state.nextSameKey;
    }
    openCount--;
  }

  /** One pass: hands the open case on (unless held to the end), then the skips met after its latest row. */
  function closeOpen(): void {
    const state = lastState!;
    const id = lastIdText;
    lastState = undefined;
    if (state.held !== true) finish(id, state);
    if (after.length > 0) {
      for (let i = 0; i < after.length; i++) out.push(after[i]!);
      after.length = 0;
    }
  }

  function header(r: CsvRecord): void {
    const names = Array.from({ length: r.count }, (_, i) => fieldText(r, i).trim());
    const find = (key: string | undefined) => (key === undefined ? -1 : names.indexOf(key));
    const missing: string[] = [];
    const need = (key: string, flag: string) => {
      const i = find(key);
      if (i === -1) missing.push(`'${key}' (${flag})`);
      return i;
    };
    const caseId = need(o.caseKey, '--case');
    const activity = need(o.activityKey, '--activity');
    const timestamp = need(o.timestampKey, '--timestamp');
    if (missing.length > 0) {
      fatal = true;
      skipRow(
        r.line,
        'csv.missing-column',
        `the header has no column ${missing.join(', ')}; columns are: ${names.join(', ')}. Name the right ones with the flags in brackets`,
      );
      return;
    }
    const due = find(o.dueKey);
    const caseAttributes: [number, string][] = [];
    names.forEach((name, i) => {
      if (name.startsWith('case:') && i !== caseId && i !== due) caseAttributes.push([i, caseAttributeName(name)]);
    });
    columns = {
      width: names.length,
      caseId,
      activity,
      timestamp,
      owner: find(o.ownerKey),
      actor: find('org:resource'),
      lifecycle: find(o.lifecycleKey),
      due,
      caseAttributes,
    };
  }

  /** The case of a row (its id is then in `lastIdText`). */
  function stateOf(r: CsvRecord, c: Columns): CaseState {
    const b = r.buf;
    const start = r.starts[c.caseId]!;
    const end = fieldEnd(r, c.caseId);
    const len = end - start;
    const plain = r.quoted[c.caseId] === 0;
    if (lastState !== undefined && plain && len === lastIdLength) {
      let same = true;
      for (let i = 0; i < len; i++) {
        if (b[start + i] !== lastId[i]) {
          same = false;
          break;
        }
      }
      if (same) return lastState;
    }
    let state: CaseState | undefined;
    let id: string | undefined;
    let key = FNV_SEED;
    let ascii = plain;
    if (onePass) {
      // One pass: a case of another id closes the open one; the key is needed for a new case (or held ones).
      id = fieldText(r, c.caseId);
      if (lastState !== undefined) {
        if (id === lastIdText) state = lastState;
        else closeOpen();
      }
      if (state === undefined && openCount > 0) state = findOpen(keyOf(id), id, NO_BYTES, 0, 0);
      if (state === undefined) key = firstMeeting(id);
    } else {
      // Two passes: the id's key from its bytes when they are ASCII (no decoding), else from the id.
      if (plain) {
        for (let i = start; i < end; i++) {
          const x = b[i]!;
          if (x >= 0x80) {
            ascii = false;
            break;
          }
          key = Math.imul(key ^ x, FNV_PRIME);
        }
      }
      if (ascii) key |= 0;
      else {
        id = fieldText(r, c.caseId);
        key = keyOf(id);
      }
      if (openCount > 0) state = findOpen(key, id, b, start, end);
    }
    if (state === undefined) {
      id ??= fieldText(r, c.caseId);
      const attributes: Record<string, string> = {};
      for (const [i, name] of c.caseAttributes) {
        if (i >= r.count) continue;
        const v = fieldText(r, i);
        if (v !== '') attributes[name] = v;
      }
      let endA = 0;
      let endB = 0;
      if (ends !== undefined) {
        if (ascii) hashId(b, start, end);
        else {
          const bytes = Buffer.from(id);
          hashId(bytes, 0, bytes.length);
        }
        endA = idHashes.a;
        endB = idHashes.b;
      }
      state = { id, key, nextSameKey: undefined, endA, endB, attributes, events: [], seq: met++ };
      if (!onePass) addOpen(state);
    }
    lastIdAscii = ascii;
    if (plain) {
      if (len > lastId.length) lastId = new Uint8Array(Math.max(len, lastId.length * 2));
      for (let i = 0; i < len; i++) lastId[i] = b[start + i]!;
      lastIdLength = len;
    } else lastIdLength = -1;
    lastState = state;
    lastIdText = state.id;
    return state;
  }

  function row(r: CsvRecord, c: Columns): void {
    const b = r.buf;
    const idStart = r.starts[c.caseId];
    const noId = c.caseId >= r.count || blank(b, idStart!, fieldEnd(r, c.caseId));
    if (r.count !== c.width && noId) {
      skipRow(r.line, 'csv.row-width', `expected ${c.width} fields as in the header, found ${r.count}; row skipped`);
      return;
    }
    if (noId) {
      skipRow(r.line, 'csv.missing-case', `the case column '${o.caseKey}' is empty; row skipped`, o.caseKey);
      return;
    }
    const state = stateOf(r, c);
    const id = lastIdText;
    if (after.length > 0) {
      // One pass, the open case goes on: what was met since its last row came before this row.
      for (let i = 0; i < after.length; i++) out.push(after[i]!);
      after.length = 0;
    }
    eventRow(r, c, id, state);
    if (ends !== undefined && isLastRow(r, c, state)) finish(id, state);
  }

  function bad(state: CaseState, r: CsvRecord, id: string, code: string, field: string, message: string): void {
    state.problem = { code, location: { file, line: r.line, record: id, field }, message: `${message}; case skipped` };
  }

  function eventRow(r: CsvRecord, c: Columns, id: string, state: CaseState): void {
    const b = r.buf;
    if (state.problem !== undefined) return;
    if (r.count !== c.width) {
      bad(state, r, id, 'csv.row-width', '', `expected ${c.width} fields as in the header, found ${r.count}`);
      return;
    }
    const aStart = r.starts[c.activity]!;
    const aEnd = fieldEnd(r, c.activity);
    if (aEnd === aStart) {
      bad(state, r, id, 'event.missing-activity', o.activityKey, `the activity column '${o.activityKey}' is empty`);
      return;
    }
    const activity = r.quoted[c.activity] === 1 ? fieldText(r, c.activity) : names.get(b, aStart, aEnd);
    if (!readTimestampBytes(b, r.starts[c.timestamp]!, fieldEnd(r, c.timestamp))) {
      bad(
        state,
        r,
        id,
        'event.bad-timestamp',
        o.timestampKey,
        `'${fieldText(r, c.timestamp)}' is not an ISO 8601 timestamp (like 2011-10-11 13:45:40+02:00)`,
      );
      return;
    }
    if (c.due !== -1 && state.due === undefined) {
      const due = fieldText(r, c.due);
      if (due !== '') {
        state.due = due;
        state.dueLine = r.line;
      }
    }
    const to = stateLabel(activity, c.lifecycle === -1 ? undefined : cell(r, c.lifecycle));
    const actor = c.actor === -1 ? undefined : cell(r, c.actor);
    // The owner is usually the actor's column (`org:resource`): read once.
    const owner = c.owner === -1 ? null : c.owner === c.actor ? actor! : cell(r, c.owner);
    // The fields in the order every reader's events have them (one hidden class for the analysis).
    state.events.push({
      caseId: id,
      at: lastTimestamp.at,
      offsetMinutes: lastTimestamp.offsetMinutes,
      kind: 'activity',
      from: null,
      to,
      actor: actor === undefined || actor === '' ? null : actor,
      state: to,
      // The row's own owner until `caseRecordOf` carries the last one over.
      owner,
    });
  }

  function cell(r: CsvRecord, i: number): string {
    return r.quoted[i] === 1 ? fieldText(r, i) : names.get(r.buf, r.starts[i]!, r.ends[i]!);
  }

  const take = (r: CsvRecord) => {
    if (fatal) return;
    if (columns === undefined) header(r);
    else {
      rowIndex++;
      row(r, columns);
    }
  };

  /**
   * Whether the row is its case's last, by the hashes of the case's id (those of the row's bytes, but
   * for bytes that are not ASCII: the first pass hashed them as they are, not as decoded).
   */
  function isLastRow(r: CsvRecord, c: Columns, state: CaseState): boolean {
    if (ends === undefined) return false;
    if (r.quoted[c.caseId] === 0 && !lastIdAscii)
      return ends.isLast(r.buf, r.starts[c.caseId]!, r.ends[c.caseId]!, rowIndex);
    return ends.isLastHashed(state.endA, state.endB, rowIndex);
  }

  /** Hands a complete case on (or its skip) and forgets it: memory holds the open cases only. */
  function finish(id: string, state: CaseState): void {
    if (!onePass) removeOpen(state);
    if (lastState === state) lastState = undefined;
    if (state.problem !== undefined) {
      out.push({ type: 'skip', skipped: state.problem });
      return;
    }
    let due: number | undefined;
    if (state.due !== undefined) {
      const parsed = parseTimestamp(state.due);
      if (parsed === undefined) {
        out.push({
          type: 'skip',
          skipped: {
            code: 'case.bad-due',
            location: { file, line: state.dueLine ?? 0, record: id, field: o.dueKey ?? '' },
            message: `'${state.due}' is not an ISO 8601 timestamp; case skipped`,
          },
        });
        return;
      }
      due = parsed.at;
    }
    out.push({ type: 'case', record: caseRecordOf(id, source, state.attributes, due, state.events) });
  }
  // A record that could not be read belongs to a case that is now incomplete: when its first line
  // names the case, that case is skipped too, never analysed without the record.
  let delimiter = ',';
  const problem = (p: CsvProblem) => {
    skipRow(p.line, p.code, p.message);
    if (columns === undefined) return;
    const id = p.head.split(delimiter)[columns.caseId];
    if (id === undefined || id === '' || id.startsWith('"')) return;
    // The two-pass read holds this case to the end from its first row: one that was handed on cannot be.
    const key = keyOf(id);
    let state = openCount > 0 ? findOpen(key, id, NO_BYTES, 0, 0) : undefined;
    if (state === undefined && onePass && lastState !== undefined && id === lastIdText) {
      state = lastState;
      addOpen(state);
    }
    if (state === undefined) {
      if (onePass) firstMeeting(id);
      let endA = 0;
      let endB = 0;
      if (ends !== undefined) {
        const bytes = Buffer.from(id);
        hashId(bytes, 0, bytes.length);
        endA = idHashes.a;
        endB = idHashes.b;
      }
      state = { id, key, nextSameKey: undefined, endA, endB, attributes: {}, events: [], seq: met++ };
      addOpen(state);
    }
    state.held = true;
    state.problem ??= {
      code: p.code,
      location: { file, line: p.line, record: id },
      message: `a record of this case on line ${p.line} could not be read (${p.code}); case skipped`,
    };
  };
  const start = (head: Buffer, end: number) => {
    const d = sniffDelimiter(head.toString('utf8', 0, end));
    delimiter = String.fromCharCode(d);
    return createCsvScanner(d, take, problem);
  };

  const { progress, total } = await createFileProgress(path);
  const ends = onePass ? undefined : await findCaseEnds(content(), o.caseKey);
  let rowIndex = -1;
  try {
    let head: Buffer | undefined;
    for await (const chunk of content()) {
      if (scanner === undefined) {
        head = head === undefined ? chunk.bytes : Buffer.concat([head, chunk.bytes]);
        const nl = head.indexOf(10);
        if (nl === -1 && head.length < 1 << 16) continue;
        scanner = start(head, nl === -1 ? head.length : nl);
        scanner.push(head);
        head = undefined;
      } else {
        // The cases a slice completes are handed on before the next slice is scanned: batches of
        // 256 KiB chunks held four times the cases at once, which then outlived a young-generation
        // collection (road-traffic: 1.10x the CPU and +11 MiB peak of 64 KiB batches).
        const bytes = chunk.bytes;
        for (let at = 0; at < bytes.length && !fatal; at += BATCH_BYTES) {
          scanner.push(bytes.subarray(at, Math.min(at + BATCH_BYTES, bytes.length)));
          if (out.length > 0 && at + BATCH_BYTES < bytes.length) yield out.splice(0);
        }
      }
      if (fatal) break;
      const p = progress(chunk.bytesRead);
      if (p !== undefined) out.push(p);
      if (out.length > 0) yield out.splice(0);
    }
    if (!fatal) {
      if (scanner === undefined && head !== undefined) {
        scanner = start(head, head.length);
        scanner.push(head);
      }
      scanner?.end();
    }
  } catch (error) {
    if (error instanceof CsvNeedsTwoPasses) throw error;
    // The two-pass read of such a file hands on no case: one that was handed on cannot be taken back.
    if (onePass && error instanceof InputReadError)
      throw new CsvNeedsTwoPasses(`${source} could not be read to its end (${error.message})`);
    if (out.length > 0) yield out.splice(0);
    if (!(error instanceof InputReadError)) throw error;
    yield [{ type: 'skip', skipped: readErrorSkip(file, error) }];
    // Cases read so far may be incomplete (their later rows are lost): do not report them as good.
    if (openCount > 0) {
      yield [
        {
          type: 'skip',
          skipped: {
            code: 'file.incomplete',
            location: { file },
            message: `${openCount} case(s) read before the error were dropped: their remaining rows may be missing`,
          },
        },
      ];
    }
    return;
  }
  if (lastState !== undefined && onePass) closeOpen();
  if (out.length > 0) yield out.splice(0);
  if (columns === undefined && !fatal) {
    yield [
      {
        type: 'skip',
        skipped: { code: 'csv.empty', location: { file, line: 1 }, message: 'the file has no header row' },
      },
    ];
  }
  // The cases left (one pass: those held), in the order they were met.
  const left: CaseState[] = [];
  for (const head of open.values())
    for (let s: CaseState | undefined = head; s !== undefined; s = s.nextSameKey) left.push(s);
  left.sort((x, y) => x.seq - y.seq);
  for (const state of left) finish(state.id, state);
  if (out.length > 0) yield out.splice(0);
  const done = progress(total, true);
  if (done !== undefined) yield [done];
}

/** `readCsvBatches` one item at a time. */
export const readCsv = oneByOne(readCsvBatches);

/**
 * A complete case's record, as `buildLogCase` makes one from log events: events in time order
 * (stable for ties), each with the state before it and the owner after it (a row without an owner
 * keeps the one before). The row events become the record's events, completed in place.
 */
function caseRecordOf(
  id: string,
  source: string,
  attributes: Record<string, string>,
  due: number | undefined,
  rows: RowEvent[],
): CaseRecord {
  let inOrder = true;
  for (let i = 1; i < rows.length && inOrder; i++) inOrder = rows[i - 1]!.at <= rows[i]!.at;
  const events = inOrder ? rows : rows.sort((a, b) => a.at - b.at);
  let state: string | null = null;
  let owner: string | null = null;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const own = e.owner;
    if (own !== undefined && own !== null && own !== '') owner = own;
    e.owner = owner;
    e.from = state;
    state = e.to ?? null;
  }
  const record: CaseRecord = { id, source, attributes, state, owner, events };
  if (due !== undefined) record.due = due;
  return record;
}
