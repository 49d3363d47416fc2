import { basename } from 'node:path';
import type { AttributeValue } from '@baton/core';
import { parseTimestamp } from '@baton/core/time';
import { buildLogCase, caseAttributeName, type LogEvent } from './event-log-case.ts';
import { createInterner, hashBytes } from './intern.ts';
import { lastTimestamp, readTimestampBytes } from './iso-timestamp.ts';
import { type ByteChunk, InputReadError, readBytes, readErrorSkip } from './open-text.ts';
import { createFileProgress } from './progress.ts';
import { type BatchReader, oneByOne, type ReadItem, type ReadOptions, type SkippedRecord } from './types.ts';
import {
  ATTRIBUTE,
  CLOSE_EVENT,
  CLOSE_TRACE,
  createKeyTable,
  createXesElement,
  OPEN_EVENT,
  OPEN_TRACE,
  readXesElement,
} from './xes-elements.ts';
import { xesShardBytes, type XesShardRange, type XesShardScan } from './xes-shards.ts';
import {
  XmlSyntaxError,
  attributeIndex,
  attributeName,
  attributeValue,
  createXmlTokenizer,
  type XmlCursor,
  type XmlHandler,
  type XmlTag,
} from './xml-tokenizer.ts';

const KEY = attributeName('key');
const TRACE = Buffer.from('<trace');
const VALUE = attributeName('value');

// XES attribute elements (the standard's types); `list` and `container` nest others.
const ATTRIBUTE_TAGS = new Set(['string', 'date', 'int', 'float', 'boolean', 'id', 'list', 'container']);

// The roles an event attribute's key can play (a key can play several: org:resource is both the
// actor and, by default, the owner).
const ACTIVITY = 1;
const TIMESTAMP = 2;
const LIFECYCLE = 4;
const OWNER = 8;
const ACTOR = 16;
const DUE = 32;

interface TraceState {
  readonly line: number;
  readonly index: number;
  /** Its attributes but the case id (a `delete` after the fact made every record's a slow dictionary). */
  readonly attributes: Record<string, AttributeValue | string[]>;
  /** The value of its case-id attribute (typed as read: an `<int>` one is no id), if any. */
  id: AttributeValue | string[] | undefined;
  readonly events: LogEvent[];
  /** Set when one of its events is malformed: the whole trace is skipped, never half-counted. */
  problem?: SkippedRecord;
}

interface EventState {
  line: number;
  activity?: string | undefined;
  /** Parsed when read (`at`, `offsetMinutes`); `bad` keeps the text of one that is not a timestamp. */
  hasTimestamp: boolean;
  at: number;
  offsetMinutes: number;
  badTimestamp?: string | undefined;
  timestampLine?: number | undefined;
  lifecycle?: string | undefined;
  owner?: string | undefined;
  actor?: string | undefined;
  due?: string | undefined;
}

/** `readTimestampBytes` for a value that held entities (decoded): true when it is one, then in `lastTimestamp`. */
function readDecodedTimestamp(text: string): boolean {
  const t = parseTimestamp(text);
  if (t === undefined) return false;
  lastTimestamp.at = t.at;
  lastTimestamp.offsetMinutes = t.offsetMinutes;
  return true;
}

function typedValue(tag: string, value: string): AttributeValue {
  if (tag === 'int' || tag === 'float') {
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  if (tag === 'boolean') return value === 'true';
  return value;
}

/**
 * Streams an XES log (`.xes` or `.xes.gz`): one `CaseRecord` per `<trace>`, emitted when the trace
 * closes, so memory holds one trace at a time. A malformed event skips its trace (reported with the
 * line); so does malformed XML inside a trace, and reading resumes at the next `<trace`, so one
 * broken tag costs its trace and no other.
 */
export const readXesBatches: BatchReader = (path, options, tap) => readXesFrom(path, options, readBytes(path, tap));

/**
 * Reads XES content from given chunks as `readXesBatches` reads a file's (`path` names it in
 * skips). `fastPath: false` reads every tag with the general tokenizer alone: tests hold the two
 * ways equal.
 */
export function readXesChunks(
  path: string,
  options: ReadOptions,
  content: AsyncIterable<ByteChunk>,
  { fastPath = true, stats }: { fastPath?: boolean; stats?: { fastElements: number } } = {},
): AsyncIterable<readonly ReadItem[]> {
  return readXesFrom(path, options, content, { fastPath, ...(stats === undefined ? {} : { stats }) });
}

/** Where a shard of an XES log ended: what a later shard's line and trace numbers follow on from. */
export interface XesShardEnd {
  /** The traces the shard read (whole or skipped). */
  readonly traces: number;
  /** The line its closing root tag was on (1 + the newlines before the shard's end in the file, for the first shard). */
  readonly endLine: number;
}

/**
 * Reads one shard of an XES log (see `xesShardBytes`): the traces between two cuts, with the log's
 * header before them, as `readXesBatches` would read them in the whole file — except that line
 * and trace numbers of a shard after the first count from its own start (the caller adds the
 * lines and traces before it, known when the shard before ends: `onEnd`).
 */
export function readXesShard(
  path: string,
  options: ReadOptions,
  range: XesShardRange,
  scan: XesShardScan,
  onEnd?: (end: XesShardEnd) => void,
): AsyncIterable<readonly ReadItem[]> {
  return readXesFrom(path, options, xesShardBytes(readBytes(path), range, scan), {
    quietWhenEmpty: range.from > 0,
    ...(onEnd === undefined ? {} : { onEnd }),
  });
}

async function* readXesFrom(
  path: string,
  options: ReadOptions,
  content: AsyncIterable<ByteChunk>,
  shard: {
    quietWhenEmpty?: boolean;
    onEnd?: (end: XesShardEnd) => void;
    fastPath?: boolean;
    /** Told how many elements the fast path read, at the end. */
    stats?: { fastElements: number };
  } = {},
): AsyncGenerator<readonly ReadItem[]> {
  const file = path;
  const source = basename(path);
  const o = options.eventLog;
  const caseKey = caseAttributeName(o.caseKey);
  const ownerOnTrace = o.ownerKey.startsWith('case:');
  const ownerTraceKey = caseAttributeName(o.ownerKey);
  const dueOnTrace = o.dueKey?.startsWith('case:') ?? false;
  const dueTraceKey = o.dueKey === undefined ? undefined : caseAttributeName(o.dueKey);
  const lifecycleKey = o.lifecycleKey;
  // Where an event's due date is kept on its trace until the trace closes.
  const eventDueKey = dueTraceKey === undefined ? undefined : `event:${dueTraceKey}`;

  const out: ReadItem[] = [];
  let trace: TraceState | undefined;
  // The event being read, if any: one object reused for every event (its fields reset on open).
  let event: EventState | undefined;
  const eventState: EventState = { line: 0, hasTimestamp: false, at: 0, offsetMinutes: 0 };
  let nested = 0;
  let traceCount = 0;

  const skip = (code: string, message: string, where: { line?: number; record?: number | string; field?: string }) =>
    out.push({ type: 'skip', skipped: { code, location: { file, ...where }, message } });

  function eventProblem(t: TraceState, e: EventState): SkippedRecord | undefined {
    const record = typeof t.id === 'string' ? t.id : t.index;
    const at = (field: string, message: string, code: string): SkippedRecord => ({
      code,
      location: { file, line: e.line, record, field },
      message: `${message}; trace skipped`,
    });
    if (e.activity === undefined || e.activity === '')
      return at(o.activityKey, `event has no '${o.activityKey}' (the activity)`, 'event.missing-activity');
    if (!e.hasTimestamp && e.badTimestamp === undefined)
      return at(o.timestampKey, `event has no '${o.timestampKey}'`, 'event.missing-timestamp');
    return undefined;
  }

  function closeEvent(t: TraceState, e: EventState): void {
    if (t.problem !== undefined) return;
    const problem = eventProblem(t, e);
    if (problem !== undefined) {
      t.problem = problem;
      return;
    }
    if (!e.hasTimestamp) {
      const record = typeof t.id === 'string' ? t.id : t.index;
      t.problem = {
        code: 'event.bad-timestamp',
        location: { file, line: e.timestampLine ?? e.line, record, field: o.timestampKey },
        message: `'${e.badTimestamp}' is not an ISO 8601 timestamp (like 2010-03-31T16:59:42+02:00); trace skipped`,
      };
      return;
    }
    t.events.push({
      at: e.at,
      offsetMinutes: e.offsetMinutes,
      activity: e.activity as string,
      lifecycle: e.lifecycle,
      owner: ownerOnTrace ? undefined : e.owner,
      actor: e.actor,
    });
    if (!dueOnTrace && e.due !== undefined) t.attributes[eventDueKey!] = e.due;
  }

  function closeTrace(t: TraceState): void {
    const id = t.id;
    if (t.problem !== undefined) {
      out.push({ type: 'skip', skipped: t.problem });
      return;
    }
    if (typeof id !== 'string' || id === '') {
      skip('case.missing-id', `trace has no '${caseKey}' attribute (the case id); trace skipped`, {
        line: t.line,
        record: t.index,
        field: caseKey,
      });
      return;
    }
    if (t.events.length === 0) {
      skip('case.no-events', 'trace has no events; trace skipped', { line: t.line, record: id });
      return;
    }
    let due: number | undefined;
    const dueRaw =
      dueTraceKey === undefined
        ? undefined
        : dueOnTrace
          ? dueTraceKey === caseKey
            ? id
            : t.attributes[dueTraceKey]
          : t.attributes[eventDueKey!];
    if (typeof dueRaw === 'string') {
      const parsed = parseTimestamp(dueRaw);
      if (parsed === undefined) {
        skip('case.bad-due', `'${dueRaw}' is not an ISO 8601 timestamp; trace skipped`, {
          line: t.line,
          record: id,
          field: o.dueKey ?? '',
        });
        return;
      }
      due = parsed.at;
    }
    const attributes = t.attributes;
    if (eventDueKey !== undefined && eventDueKey in attributes) delete attributes[eventDueKey];
    const record = buildLogCase({ id, source, attributes, due, events: t.events });
    if (ownerOnTrace) {
      const owner = attributes[ownerTraceKey];
      if (typeof owner === 'string' && owner !== '') {
        record.owner = owner;
        for (const e of record.events) e.owner = owner;
      }
    }
    out.push({ type: 'case', record });
  }

  // Trace attribute keys are kept as strings (interned); event attribute keys only matter for the
  // roles they play, found from the hash the tokenizer computed (most keys play none).
  const keys = createInterner(4096);
  const values = createInterner();
  const roleMasks = new Map<string, number>();
  const addRole = (key: string | undefined, mask: number) => {
    if (key !== undefined) roleMasks.set(key, (roleMasks.get(key) ?? 0) | mask);
  };
  addRole(o.activityKey, ACTIVITY);
  addRole(o.timestampKey, TIMESTAMP);
  addRole(lifecycleKey, LIFECYCLE);
  addRole(o.ownerKey, OWNER);
  addRole('org:resource', ACTOR);
  addRole(dueTraceKey, DUE);
  addRole(o.dueKey, DUE);
  const roles = [...roleMasks].map(([key, mask]) => ({ key, name: attributeName(key), mask }));

  /** The roles of the key in attribute `k` of a tag (a bit mask; 0 for a key Baton does not read). */
  function rolesOf(tag: XmlTag, k: number): number {
    if (tag.entities[k] === 1) return roleMasks.get(attributeValue(tag, k)) ?? 0;
    const hash = tag.valueHashes[k];
    for (const role of roles) {
      if (role.name.hash !== hash) continue;
      const start = tag.valueStarts[k]!;
      const bytes = role.name.bytes;
      if (tag.valueEnds[k]! - start !== bytes.length) continue;
      let same = true;
      for (let i = 0; i < bytes.length && same; i++) same = tag.buf[start + i] === bytes[i];
      if (same) return role.mask;
    }
    return 0;
  }

  /**
   * An event attribute whose key plays `roles`: its value is `b[start, end)` (`hash` its
   * `hashBytes`), or `decoded` when it held entities. `line`: the line its element starts on.
   */
  function eventAttribute(
    e: EventState,
    roles: number,
    b: Buffer,
    start: number,
    end: number,
    hash: number,
    decoded: string | undefined,
    line: number,
  ): void {
    if ((roles & (ACTIVITY | LIFECYCLE | OWNER | ACTOR)) !== 0) {
      const text = decoded ?? values.getHashed(b, start, end, hash);
      if ((roles & ACTIVITY) !== 0) e.activity = text;
      if ((roles & LIFECYCLE) !== 0) e.lifecycle = text;
      if ((roles & OWNER) !== 0) e.owner = text;
      if ((roles & ACTOR) !== 0) e.actor = text;
    }
    // A key that is the activity's is not also read as the timestamp.
    if ((roles & (ACTIVITY | TIMESTAMP)) === TIMESTAMP) {
      if (decoded === undefined ? readTimestampBytes(b, start, end) : readDecodedTimestamp(decoded)) {
        e.hasTimestamp = true;
        e.at = lastTimestamp.at;
        e.offsetMinutes = lastTimestamp.offsetMinutes;
      } else {
        e.hasTimestamp = false;
        e.badTimestamp = decoded ?? b.toString('utf8', start, end);
      }
      e.timestampLine = line;
    }
    if ((roles & DUE) !== 0) e.due = decoded ?? b.toString('utf8', start, end);
  }

  function openTrace(line: number): void {
    trace = { line, index: traceCount++, attributes: {}, id: undefined, events: [] };
  }

  function openEvent(line: number): EventState {
    const e = eventState;
    event = e;
    e.line = line;
    e.activity = undefined;
    e.hasTimestamp = false;
    e.badTimestamp = undefined;
    e.timestampLine = undefined;
    e.lifecycle = undefined;
    e.owner = undefined;
    e.actor = undefined;
    e.due = undefined;
    return e;
  }

  let logSeen = false;
  let rootCloseLine = 0;
  const handler: XmlHandler = {
    open(name, tag, selfClosing) {
      if (!logSeen) logSeen = true;
      if (nested > 0) {
        if (!selfClosing) nested++;
        return;
      }
      if (trace === undefined) {
        if (name === 'trace') openTrace(tag.line);
        return;
      }
      if (event === undefined && name === 'event') {
        const e = openEvent(tag.line);
        if (selfClosing) {
          closeEvent(trace, e);
          event = undefined;
        }
        return;
      }
      if (ATTRIBUTE_TAGS.has(name)) {
        const k = attributeIndex(tag, KEY);
        const v = attributeIndex(tag, VALUE);
        if (k !== -1 && v !== -1) {
          if (event !== undefined) {
            const r = rolesOf(tag, k);
            if (r !== 0) {
              const decoded = tag.entities[v] === 1 ? attributeValue(tag, v) : undefined;
              const start = tag.valueStarts[v]!;
              eventAttribute(event, r, tag.buf, start, tag.valueEnds[v]!, tag.valueHashes[v]!, decoded, tag.line);
            }
          } else if (name !== 'list' && name !== 'container') {
            const key =
              tag.entities[k] === 1
                ? attributeValue(tag, k)
                : keys.getHashed(tag.buf, tag.valueStarts[k]!, tag.valueEnds[k]!, tag.valueHashes[k]!);
            const typed = typedValue(name, attributeValue(tag, v));
            if (key === caseKey) trace.id = typed;
            else trace.attributes[key] = typed;
          }
        }
        if (!selfClosing) nested++;
      }
    },
    close(name, line) {
      if (nested > 0) {
        nested--;
        return;
      }
      if (trace === undefined && event === undefined) rootCloseLine = line;
      if (name === 'event' && trace !== undefined && event !== undefined) {
        closeEvent(trace, event);
        event = undefined;
      } else if (name === 'trace' && trace !== undefined) {
        closeTrace(trace);
        trace = undefined;
      }
    },
    oversized(attribute, element, line, limit) {
      const message = `the value of attribute '${attribute}' of <${element}> is longer than ${(limit / (1 << 20)).toLocaleString('en-US', { maximumFractionDigits: 2 })} MiB (the attribute limit)`;
      if (trace !== undefined) {
        if (trace.problem === undefined)
          trace.problem = {
            code: 'xml.value-too-long',
            location: { file, line, record: trace.index, field: attribute },
            message: `${message}; trace skipped`,
          };
      } else skip('xml.value-too-long', `${message}; value ignored`, { line, field: attribute });
    },
  };

  // The fast path (xes-elements.ts): the usual elements of a trace read straight from the bytes,
  // with the effects `handler` would have; anything else is left to the general tokenizer.
  const keyTable = createKeyTable(roles.map((r) => ({ key: r.key, mask: r.mask })));
  const element = createXesElement();
  let fastElements = 0;
  function fastPath(b: Buffer, lt: number, cursor: XmlCursor): number {
    if (nested !== 0) return lt;
    const len = b.length;
    const names = cursor.stackNames;
    let at = lt;
    let line = cursor.line;
    let count = 0;
    for (;;) {
      const t = trace;
      const end = readXesElement(b, at, keyTable, event === undefined, cursor.limits, element);
      if (end < 0 || t === undefined) {
        if (end < 0 || element.kind !== OPEN_TRACE) break;
        names[cursor.depth] = 'trace';
        cursor.stackLines[cursor.depth++] = line;
        openTrace(line);
      } else {
        const kind = element.kind;
        if (kind === ATTRIBUTE) {
          const e = event;
          if (e === undefined) {
            // A trace's attribute: every value is kept, typed; keys and values with entities go
            // the general way.
            if (element.valueEntities !== 0) break;
            const ks = element.keyStart;
            const ke = element.keyEnd;
            const key = keys.getHashed(b, ks, ke, hashBytes(b, ks, ke));
            const typed = typedValue(element.type, b.toString('utf8', element.valueStart, element.valueEnd));
            if (key === caseKey) t.id = typed;
            else t.attributes[key] = typed;
          } else if (element.mask !== 0) {
            if (element.valueEntities !== 0) break;
            const { valueStart, valueEnd, valueHash } = element;
            eventAttribute(e, element.mask, b, valueStart, valueEnd, valueHash, undefined, line);
          }
        } else if (kind === OPEN_EVENT) {
          if (event !== undefined) break;
          names[cursor.depth] = 'event';
          cursor.stackLines[cursor.depth++] = line;
          openEvent(line);
        } else if (kind === CLOSE_EVENT) {
          const e = event;
          if (e === undefined || cursor.depth === 0 || names[cursor.depth - 1] !== 'event') break;
          cursor.depth--;
          closeEvent(t, e);
          event = undefined;
        } else if (kind === CLOSE_TRACE) {
          if (event !== undefined || cursor.depth === 0 || names[cursor.depth - 1] !== 'trace') break;
          cursor.depth--;
          closeTrace(t);
          trace = undefined;
        } else break;
      }
      line += element.lines;
      count++;
      if (cursor.depth === 0) {
        at = end;
        break;
      }
      // The bytes up to the next tag: inside the root, text is ignored (XES has none).
      let i = end;
      while (i < len) {
        const c = b[i];
        if (c === 60) break;
        if (c === 10) line++;
        i++;
      }
      at = i;
      if (i >= len) break;
    }
    cursor.line = line;
    fastElements += count;
    return at;
  }

  const tokenizer = createXmlTokenizer(handler, undefined, shard.fastPath === false ? undefined : fastPath);

  /** Reports malformed XML: the trace it is in is skipped, and reading resumes at the next one. */
  function recover(error: XmlSyntaxError): void {
    const t = trace;
    const id = t?.id;
    const record = t === undefined ? undefined : typeof id === 'string' && id !== '' ? id : t.index;
    skip(
      'xml.malformed',
      `malformed XML: ${error.message}; ${t === undefined ? '' : 'trace skipped, '}read on from the next <trace>`,
      {
        line: error.line,
        ...(record === undefined ? {} : { record }),
      },
    );
    trace = undefined;
    event = undefined;
    nested = 0;
    // Traces are children of <log>: the log stays open.
    tokenizer.resync(TRACE, 1);
  }

  /** Feeds bytes, recovering from every syntax error in them (each resync moves past its error). */
  function feed(bytes: Buffer): void {
    for (let next = bytes; ; next = Buffer.alloc(0)) {
      try {
        tokenizer.push(next);
        return;
      } catch (error) {
        if (!(error instanceof XmlSyntaxError)) throw error;
        recover(error);
      }
    }
  }

  const { progress, total } = await createFileProgress(path);
  try {
    for await (const chunk of content) {
      feed(chunk.bytes);
      const p = progress(chunk.bytesRead);
      if (p !== undefined) out.push(p);
      if (out.length > 0) yield out.splice(0);
    }
    try {
      tokenizer.end();
    } catch (error) {
      if (!(error instanceof XmlSyntaxError)) throw error;
      skip('xml.malformed', `malformed XML: ${error.message}`, { line: error.line });
    }
  } catch (error) {
    if (out.length > 0) yield out.splice(0);
    if (error instanceof InputReadError) {
      yield [{ type: 'skip', skipped: readErrorSkip(file, error) }];
      return;
    }
    throw error;
  }
  if (out.length > 0) yield out.splice(0);
  shard.onEnd?.({ traces: traceCount, endLine: rootCloseLine });
  if (shard.stats !== undefined) shard.stats.fastElements = fastElements;
  if (!tokenizer.started && shard.quietWhenEmpty !== true) {
    yield [
      {
        type: 'skip',
        skipped: { code: 'xes.empty', location: { file }, message: 'no XML element in the file: not an XES log' },
      },
    ];
  }
  const done = progress(total, true);
  if (done !== undefined) yield [done];
}

/** `readXesBatches` one item at a time. */
export const readXes = oneByOne(readXesBatches);
