import type { XmlLimits } from './xml-tokenizer.ts';
import { HASH_SEED } from './intern.ts';

// The XES elements that make up almost every byte of a log's traces, recognised by comparing a few
// bytes: `<event>`, `</event>`, `<trace>`, `</trace>` and the one-line attribute elements
// `<string key="…" value="…"/>` (and date, int, float, boolean, id) with exactly that spacing (or
// one space before `/>`) and double quotes. Anything else — another order, spacing or quote, a nested attribute, a comment, a
// tag cut off by the end of the buffer, a key with an entity, a '<' where XML forbids one, a value
// past the limit — is not recognised, and the general tokenizer reads it (and reports what is
// wrong with it). Keys are compared against the ones the reader wants; a value nobody reads is
// skipped without being decoded or hashed (only checked for '<' and line breaks, as the general
// path would), with native `indexOf` jumps once it is longer than a few bytes.

const LF = 10;
const QUOTE = 34;
const AMP = 38;
const LT = 60;
const SLASH = 47;
const GT = 62;
const EQ = 61;

/** What `readXesElement` found (`NONE`: nothing it recognises). */
export const NONE = 0;
export const OPEN_TRACE = 1;
export const CLOSE_TRACE = 2;
export const OPEN_EVENT = 3;
export const CLOSE_EVENT = 4;
export const ATTRIBUTE = 5;

/** The XES attribute types of the one-line elements, by their element name. */
export const ATTRIBUTE_TYPES = ['string', 'date', 'int', 'float', 'boolean', 'id'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** The element read, valid until the next call (one object, reused). */
export interface XesElement {
  kind: number;
  /** An `ATTRIBUTE`'s element name. */
  type: AttributeType;
  keyStart: number;
  keyEnd: number;
  /** The mask the key table gives the key (0: a key the reader does not read). */
  mask: number;
  /** The value's range; read (hashed, checked for '&') only when `mask` is not 0 or values were asked for. */
  valueStart: number;
  valueEnd: number;
  /** `hashBytes` of a read value. */
  valueHash: number;
  /** 1 when a read value holds '&' (entities to decode). */
  valueEntities: number;
  /** Line breaks inside the element. */
  lines: number;
}

export function createXesElement(): XesElement {
  return {
    kind: NONE,
    type: 'string',
    keyStart: 0,
    keyEnd: 0,
    mask: 0,
    valueStart: 0,
    valueEnd: 0,
    valueHash: 0,
    valueEntities: 0,
    lines: 0,
  };
}

/**
 * The keys a reader wants, each with its mask, by their first byte. A key holding '&', '<' or '"'
 * is left out: in a log it is written with entities, which the general path decodes.
 */
export interface KeyTable {
  readonly byFirstByte: readonly (readonly KeyEntry[] | undefined)[];
}

interface KeyEntry {
  readonly bytes: Uint8Array;
  /** The key and its closing quote as little-endian 32-bit words, then the bytes past the last whole word. */
  readonly words: Int32Array;
  readonly tail: Uint8Array;
  readonly mask: number;
  /** Its line breaks (a raw one in a value is well-formed XML, and read as it is). */
  readonly lines: number;
}

export function createKeyTable(keys: readonly { readonly key: string; readonly mask: number }[]): KeyTable {
  const byFirstByte: KeyEntry[][] = [];
  for (const { key, mask } of keys) {
    const bytes = Uint8Array.from(Buffer.from(key));
    if (bytes.length === 0 || bytes.some((c) => c === AMP || c === LT || c === QUOTE)) continue;
    const lines = bytes.filter((c) => c === LF).length;
    const quoted = Buffer.concat([bytes, Buffer.from([QUOTE])]);
    const words = new Int32Array(quoted.length >> 2);
    for (let w = 0; w < words.length; w++) words[w] = quoted.readInt32LE(w * 4);
    const tail = Uint8Array.from(quoted.subarray(words.length * 4));
    (byFirstByte[bytes[0]!] ??= []).push({ bytes, words, tail, mask, lines });
  }
  return { byFirstByte };
}

// `<boolean key="`: the longest fixed part before a key.
const HEAD_ROOM = 15;

/** `event>` or `trace>` at `at` (after `<e`, `<t`, `</e`, `</t`: from its second letter). */
function isEvent(b: Uint8Array, at: number): boolean {
  return b[at] === 118 && b[at + 1] === 101 && b[at + 2] === 110 && b[at + 3] === 116 && b[at + 4] === GT;
}

function isTrace(b: Uint8Array, at: number): boolean {
  return b[at] === 114 && b[at + 1] === 97 && b[at + 2] === 99 && b[at + 3] === 101 && b[at + 4] === GT;
}

// Values up to this many bytes are scanned byte by byte (a native call costs more than a short
// loop); longer ones are crossed with `indexOf`.
const SHORT_VALUE = 32;

let skippedLines = 0;

// A view of the buffer last read, for the 32-bit compares (made again when the buffer changes).
let viewOf: Buffer | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));

/**
 * The index of the quote closing the value that starts at `from`, for a value nobody reads: -1
 * when it is not in `b`, holds a '<' (malformed: the general path reports it) or is longer than
 * `max`. Its line breaks are left in `skippedLines`.
 */
function skipValue(b: Buffer, from: number, max: number): number {
  const len = b.length;
  const short = Math.min(len, from + SHORT_VALUE);
  let lines = 0;
  let i = from;
  for (; i < short; i++) {
    const c = b[i]!;
    if (c <= LT) {
      if (c === QUOTE) {
        if (i - from > max) return -1;
        skippedLines = lines;
        return i;
      }
      if (c === LT) return -1;
      if (c === LF) lines++;
    }
  }
  if (i >= len) return -1;
  const q = b.indexOf(QUOTE, i);
  if (q === -1 || q - from > max) return -1;
  const lt = b.indexOf(LT, i);
  if (lt !== -1 && lt < q) return -1;
  for (let n = b.indexOf(LF, i); n !== -1 && n < q; n = b.indexOf(LF, n + 1)) lines++;
  skippedLines = lines;
  return q;
}

/**
 * Recognises the element whose '<' is at `lt` in `b` and fills `el`; returns the index after its
 * '>', or -1 when it is not one of the shapes above (or not whole in `b`): then `el` means nothing.
 * `readValues`: read every attribute's value (a trace's attributes), not only those of wanted keys.
 */
export function readXesElement(
  b: Buffer,
  lt: number,
  keys: KeyTable,
  readValues: boolean,
  limits: XmlLimits,
  el: XesElement,
): number {
  let k: number;
  let type: AttributeType;
  const len = b.length;
  // Every byte read below is inside `b` (a read past the end would deoptimise the loop that made
  // it): the fixed parts are checked against `len` first, so an element within the last bytes of
  // the buffer is left to the general path.
  if (lt + HEAD_ROOM >= len) return -1;
  switch (b[lt + 1]) {
    case 101: // e
      if (!isEvent(b, lt + 2)) return -1;
      el.kind = OPEN_EVENT;
      el.lines = 0;
      return lt + 7;
    case 116: // t
      if (!isTrace(b, lt + 2)) return -1;
      el.kind = OPEN_TRACE;
      el.lines = 0;
      return lt + 7;
    case SLASH:
      if (b[lt + 2] === 101 && isEvent(b, lt + 3)) el.kind = CLOSE_EVENT;
      else if (b[lt + 2] === 116 && isTrace(b, lt + 3)) el.kind = CLOSE_TRACE;
      else return -1;
      el.lines = 0;
      return lt + 8;
    case 115: // string
      if (b[lt + 2] !== 116 || b[lt + 3] !== 114 || b[lt + 4] !== 105 || b[lt + 5] !== 110 || b[lt + 6] !== 103)
        return -1;
      type = 'string';
      k = lt + 7;
      break;
    case 100: // date
      if (b[lt + 2] !== 97 || b[lt + 3] !== 116 || b[lt + 4] !== 101) return -1;
      type = 'date';
      k = lt + 5;
      break;
    case 105: // int, id
      if (b[lt + 2] === 110 && b[lt + 3] === 116) {
        type = 'int';
        k = lt + 4;
      } else if (b[lt + 2] === 100) {
        type = 'id';
        k = lt + 3;
      } else return -1;
      break;
    case 102: // float
      if (b[lt + 2] !== 108 || b[lt + 3] !== 111 || b[lt + 4] !== 97 || b[lt + 5] !== 116) return -1;
      type = 'float';
      k = lt + 6;
      break;
    case 98: // boolean
      if (
        b[lt + 2] !== 111 ||
        b[lt + 3] !== 111 ||
        b[lt + 4] !== 108 ||
        b[lt + 5] !== 101 ||
        b[lt + 6] !== 97 ||
        b[lt + 7] !== 110
      )
        return -1;
      type = 'boolean';
      k = lt + 8;
      break;
    default:
      return -1;
  }
  // ` key="`
  if (b[k] !== 32 || b[k + 1] !== 107 || b[k + 2] !== 101 || b[k + 3] !== 121 || b[k + 4] !== EQ || b[k + 5] !== QUOTE)
    return -1;
  const max = limits.maxValueBytes;
  // The key: a '&' (an entity to decode) or a '<' leaves the element to the general path.
  const keyStart = k + 6;
  let lines = 0;
  let mask = 0;
  let keyEnd = -1;
  // A wanted key is compared in place, four bytes at a time with its closing quote (its end is
  // then known); any other is scanned for its end.
  const candidates = keys.byFirstByte[b[keyStart]!];
  if (candidates !== undefined) {
    if (b !== viewOf) {
      viewOf = b;
      view = new DataView(b.buffer, b.byteOffset, b.length);
    }
    for (const entry of candidates) {
      const n = entry.bytes.length;
      if (keyStart + n >= len || b[keyStart + n] !== QUOTE) continue;
      const words = entry.words;
      let same = true;
      for (let w = 0; w < words.length && same; w++) same = view.getInt32(keyStart + 4 * w, true) === words[w];
      const tail = entry.tail;
      const rest = keyStart + 4 * words.length;
      for (let j = 0; j < tail.length && same; j++) same = b[rest + j] === tail[j];
      if (same) {
        mask = entry.mask;
        lines = entry.lines;
        keyEnd = keyStart + n;
        break;
      }
    }
  }
  if (keyEnd < 0) {
    let i = keyStart;
    for (; i < len; i++) {
      const x = b[i]!;
      if (x <= LT) {
        if (x === QUOTE) break;
        if (x === LT || x === AMP) return -1;
        if (x === LF) lines++;
      }
    }
    if (i >= len) return -1;
    keyEnd = i;
  }
  // `" value="`
  const q = keyEnd;
  if (
    keyEnd - keyStart > max ||
    q + 9 >= len ||
    b[q + 1] !== 32 ||
    b[q + 2] !== 118 ||
    b[q + 3] !== 97 ||
    b[q + 4] !== 108 ||
    b[q + 5] !== 117 ||
    b[q + 6] !== 101 ||
    b[q + 7] !== EQ ||
    b[q + 8] !== QUOTE
  )
    return -1;
  const valueStart = q + 9;
  let valueEnd: number;
  let hash = HASH_SEED;
  let entities = 0;
  if (mask === 0 && !readValues) {
    valueEnd = skipValue(b, valueStart, max);
    if (valueEnd === -1) return -1;
    lines += skippedLines;
  } else {
    let v = valueStart;
    for (; v < len; v++) {
      const x = b[v]!;
      if (x <= LT) {
        if (x === QUOTE) break;
        if (x === LT) return -1;
        if (x === LF) lines++;
        else if (x === AMP) entities = 1;
      }
      hash = Math.imul(hash ^ x, 0x01000193);
    }
    if (v >= len || v - valueStart > max) return -1;
    valueEnd = v;
  }
  // `/>`, or ` />` (as some writers put it: the helpdesk log).
  let end: number;
  if (valueEnd + 2 >= len) return -1;
  if (b[valueEnd + 1] === SLASH && b[valueEnd + 2] === GT) end = valueEnd + 3;
  else if (valueEnd + 3 < len && b[valueEnd + 1] === 32 && b[valueEnd + 2] === SLASH && b[valueEnd + 3] === GT)
    end = valueEnd + 4;
  else return -1;
  if (valueEnd + 1 - lt > limits.maxTagBytes) return -1;
  el.kind = ATTRIBUTE;
  el.type = type;
  el.keyStart = keyStart;
  el.keyEnd = keyEnd;
  el.mask = mask;
  el.valueStart = valueStart;
  el.valueEnd = valueEnd;
  el.valueHash = hash;
  el.valueEntities = entities;
  el.lines = lines;
  return end;
}
