import { HASH_SEED, createInterner, hashBytes } from './intern.ts';
import { createWorkBuffer } from './work-buffer.ts';

/** The document is not well-formed at `line`. */
export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

/**
 * The attributes of one start tag as byte ranges of `buf`, valid only during the `open` call (the
 * view is reused). Values are decoded on demand, so attributes nobody reads cost no string.
 */
export interface XmlTag {
  readonly buf: Buffer;
  readonly count: number;
  readonly nameStarts: Int32Array;
  readonly nameEnds: Int32Array;
  readonly valueStarts: Int32Array;
  readonly valueEnds: Int32Array;
  /** `hashBytes` of each attribute's name and raw value, computed while scanning them. */
  readonly nameHashes: Int32Array;
  readonly valueHashes: Int32Array;
  /** 1 when the value holds `&`: decode it with `attributeValue`. */
  readonly entities: Uint8Array;
  readonly line: number;
}

/** Receives the element structure of a document; text content is not reported (XES has none). */
export interface XmlHandler {
  open(name: string, tag: XmlTag, selfClosing: boolean): void;
  close(name: string, line: number): void;
  /** An attribute value past the limit: it is dropped (read as empty) and the document read on. */
  oversized(attribute: string, element: string, line: number, limit: number): void;
}

export interface XmlLimits {
  /** One attribute value, in bytes. */
  readonly maxValueBytes: number;
  /** One tag with all its attributes, in bytes. */
  readonly maxTagBytes: number;
}

/** 1 MiB per attribute value, 4 MiB per tag: far above any event log, far below memory trouble. */
export const DEFAULT_XML_LIMITS: XmlLimits = { maxValueBytes: 1 << 20, maxTagBytes: 4 << 20 };

/**
 * Where the tokenizer stands, for a fast path that reads elements itself (see `XmlFastPath`): the
 * line of the byte it is handed, and the open elements (innermost last, with the lines they opened
 * on). A fast path that consumes tags keeps them as the general path would.
 */
export interface XmlCursor {
  line: number;
  depth: number;
  readonly stackNames: string[];
  readonly stackLines: number[];
  readonly limits: XmlLimits;
}

/**
 * Reads, from the `<` at `lt` in `buf`, the elements it recognises, with exactly the effects the
 * general path and its handler would have (nothing for one it does not: it leaves that tag to the
 * general path), and returns the index of the first byte it did not consume: `lt` when it read
 * nothing, a `<` it leaves to the general path, `buf.length`, or the end of a tag that left no
 * element open (outside the root, text is an error: the general path reads what follows). Called
 * only inside the root element.
 */
export type XmlFastPath = (buf: Buffer, lt: number, cursor: XmlCursor) => number;

export interface XmlTokenizer {
  /** Feeds the next bytes; may call the handler many times. Throws `XmlSyntaxError`. */
  push(bytes: Buffer): void;
  /** Declares the end of input; throws when elements are still open or a tag is cut off. */
  end(): void;
  /**
   * Recovers from an `XmlSyntaxError` thrown by `push`: the input is skipped up to the next
   * `marker` (e.g. `<trace`), the elements opened deeper than `depth` are closed without a call,
   * and the next `push` (an empty one drains what is held) reads on from the marker. At the end of
   * input while still looking for the marker, `end` reports nothing more.
   */
  resync(marker: Buffer, depth: number): void;
  /** True once the root element has been opened. */
  readonly started: boolean;
}

const LT = 60;
const GT = 62;
/** The most bytes copied to join the tag cut off at the end of a chunk with the next chunk's first ones. */
const BRIDGE_BYTES = 4096;
const SLASH = 47;
const EQ = 61;
const LF = 10;
const AMP = 38;

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);|&/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** A character XML 1.0 allows (§2.2): a reference to anything else is not well-formed. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/**
 * Decodes the entity and character references of an attribute value. Throws `XmlSyntaxError` on a
 * reference to a character XML does not allow (`&#x110000;`, `&#0;`, a surrogate) or a bare `&`.
 */
export function decodeEntities(value: string, line: number, attribute: string): string {
  return value.replace(ENTITY, (whole, e: string | undefined) => {
    if (e === undefined)
      throw new XmlSyntaxError(`a bare '&' in the value of attribute '${attribute}' (write &amp;)`, line);
    if (e.charCodeAt(0) === 35 /* # */) {
      const hex = e.charCodeAt(1) === 120; /* x */
      const digits = hex ? e.slice(2) : e.slice(1);
      const code = digits.length > 8 ? Number.POSITIVE_INFINITY : parseInt(digits, hex ? 16 : 10);
      if (!isXmlChar(code))
        throw new XmlSyntaxError(
          `'&${e};' in the value of attribute '${attribute}' refers to no character XML allows (at most U+10FFFF, no surrogates, no U+0000)`,
          line,
        );
      return String.fromCodePoint(code);
    }
    return NAMED[e] ?? whole;
  });
}

/** The value of attribute `i` of a tag, decoded (entities included). */
export function attributeValue(tag: XmlTag, i: number): string {
  const text = tag.buf.toString('utf8', tag.valueStarts[i], tag.valueEnds[i]);
  if (tag.entities[i] !== 1) return text;
  return decodeEntities(text, tag.line, tag.buf.toString('utf8', tag.nameStarts[i], tag.nameEnds[i]));
}

/** An attribute name to look up with `attributeIndex`: its bytes and their hash. */
export interface AttributeName {
  readonly bytes: Uint8Array;
  readonly hash: number;
}

export function attributeName(name: string): AttributeName {
  const bytes = Buffer.from(name);
  return { bytes, hash: hashBytes(bytes, 0, bytes.length) };
}

/** The index of the attribute named `name`, or -1. */
export function attributeIndex(tag: XmlTag, attribute: AttributeName): number {
  const b = tag.buf;
  const name = attribute.bytes;
  outer: for (let i = 0; i < tag.count; i++) {
    if (tag.nameHashes[i] !== attribute.hash) continue;
    const s = tag.nameStarts[i]!;
    if (tag.nameEnds[i]! - s !== name.length) continue;
    for (let k = 0; k < name.length; k++) if (b[s + k] !== name[k]) continue outer;
    return i;
  }
  return -1;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

// Byte classes, one table load per byte in the name loops: 1 ends an element name (space, '>',
// '/'), 2 ends an attribute name (space, '=', '>', '<'), 3 both.
const ENDS = new Uint8Array(256);
for (const c of [32, 10, 9, 13]) ENDS[c] = 3;
ENDS[GT] = 3;
ENDS[SLASH] = 1;
ENDS[EQ] = 2;
ENDS[LT] = 2;

const mib = (n: number) =>
  n >= 1 << 20
    ? `${(n / (1 << 20)).toLocaleString('en-US', { maximumFractionDigits: 1 })} MiB`
    : `${(n / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })} KiB`;

/**
 * A small streaming XML tokenizer over bytes: start/end tags with attributes as byte ranges;
 * comments, processing instructions, CDATA and DOCTYPE skipped. Hand-written because a SAX library
 * builds every text node, attribute string and namespace map that XES never uses; this one checks
 * nesting, counts lines so that errors say where they are, and bounds every value and tag.
 */
export function createXmlTokenizer(
  handler: XmlHandler,
  limits: XmlLimits = DEFAULT_XML_LIMITS,
  fast?: XmlFastPath,
): XmlTokenizer {
  let buf: Buffer = Buffer.alloc(0);
  const work = createWorkBuffer();
  let pos = 0;
  let line = 1;
  let started = false;
  // The open elements, innermost last: their names (interned) and the lines they opened on.
  const stackNames: string[] = [];
  const stackLines: number[] = [];
  let depth = 0;
  const names = createInterner(1024);
  let capacity = 8;
  const tag = {
    buf,
    count: 0,
    nameStarts: new Int32Array(capacity),
    nameEnds: new Int32Array(capacity),
    valueStarts: new Int32Array(capacity),
    valueEnds: new Int32Array(capacity),
    nameHashes: new Int32Array(capacity),
    valueHashes: new Int32Array(capacity),
    entities: new Uint8Array(capacity),
    line: 1,
  };
  const cursor: XmlCursor = { line: 1, depth: 0, stackNames, stackLines, limits };
  // An over-long attribute value being dropped: bytes are skipped until its closing quote.
  let dropping: { quote: number; prefix: Buffer } | undefined;
  // After a syntax error: bytes are skipped until this marker.
  let seeking: Buffer | undefined;

  function countLines(from: number, to: number): void {
    for (let k = from; k < to; k++) if (buf[k] === LF) line++;
  }

  /** Skips to the marker; false when it is not in the buffer yet (its possible start is kept). */
  function seek(marker: Buffer): boolean {
    const at = buf.indexOf(marker, pos);
    const to = at === -1 ? Math.max(pos, buf.length - (marker.length - 1)) : at;
    countLines(pos, to);
    pos = to;
    if (at === -1) return false;
    seeking = undefined;
    return true;
  }

  function grow(): void {
    capacity *= 2;
    const widen = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(a);
      return next;
    };
    tag.nameStarts = widen(tag.nameStarts, (n) => new Int32Array(n));
    tag.nameEnds = widen(tag.nameEnds, (n) => new Int32Array(n));
    tag.valueStarts = widen(tag.valueStarts, (n) => new Int32Array(n));
    tag.valueEnds = widen(tag.valueEnds, (n) => new Int32Array(n));
    tag.nameHashes = widen(tag.nameHashes, (n) => new Int32Array(n));
    tag.valueHashes = widen(tag.valueHashes, (n) => new Int32Array(n));
    tag.entities = widen(tag.entities, (n) => new Uint8Array(n));
  }

  function fail(message: string, atLine = line): never {
    throw new XmlSyntaxError(message, atLine);
  }

  function nameOf(start: number, end: number): string {
    return names.get(buf, start, end);
  }

  function push(name: string, at: number): void {
    stackNames[depth] = name;
    stackLines[depth] = at;
    depth++;
  }

  // Each scanner returns the index after what it consumed, or -1 when the buffer ends first
  // (nothing consumed, lines not counted: it is scanned again with more bytes). Each byte of a tag
  // is read once: names and values are hashed (for the interners) while their ends are sought.
  function openTag(lt: number): number {
    const b = buf;
    const len = b.length;
    let i = lt + 1;
    let h = HASH_SEED;
    for (; i < len; i++) {
      const c = b[i]!;
      if ((ENDS[c]! & 1) !== 0) break;
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (i >= len) return -1;
    if (i === lt + 1) fail("expected an element name after '<'");
    const nameEnd = i;
    const nameHash = h;
    let lines = 0;
    let n = 0;
    for (;;) {
      let c = b[i]!;
      while (c === 32 || c === 10 || c === 9 || c === 13) {
        if (c === LF) lines++;
        if (++i >= len) return -1;
        c = b[i]!;
      }
      if (c === GT || c === SLASH) {
        if (c === SLASH) {
          if (i + 1 >= len) return -1;
          if (b[i + 1] !== GT) fail(`expected '/>' to close <${nameOf(lt + 1, nameEnd)}>`, line + lines);
        }
        const name = names.getHashed(b, lt + 1, nameEnd, nameHash);
        tag.buf = b;
        tag.count = n;
        tag.line = line;
        if (!started) started = true;
        if (c === GT) {
          push(name, line);
          handler.open(name, tag, false);
        } else {
          handler.open(name, tag, true);
          handler.close(name, line);
        }
        line += lines;
        return c === GT ? i + 1 : i + 2;
      }
      const attrStart = i;
      h = HASH_SEED;
      while ((ENDS[c]! & 2) === 0) {
        h = Math.imul(h ^ c, 0x01000193);
        if (++i >= len) return -1;
        c = b[i]!;
      }
      const attrEnd = i;
      const attrHash = h;
      while (c === 32 || c === 10 || c === 9 || c === 13) {
        if (c === LF) lines++;
        if (++i >= len) return -1;
        c = b[i]!;
      }
      if (c !== EQ || attrEnd === attrStart) fail(`malformed attribute in <${nameOf(lt + 1, nameEnd)}>`, line + lines);
      if (++i >= len) return -1;
      c = b[i]!;
      while (c === 32 || c === 10 || c === 9 || c === 13) {
        if (c === LF) lines++;
        if (++i >= len) return -1;
        c = b[i]!;
      }
      const quote = c;
      if (quote !== 34 && quote !== 39)
        fail(
          `expected a quoted value for attribute '${b.toString('utf8', attrStart, attrEnd)}' of <${nameOf(lt + 1, nameEnd)}>`,
          line + lines,
        );
      const valueStart = i + 1;
      // One pass over the value: its end, its hash, its line breaks, and whether it needs decoding.
      const stop = Math.min(len, valueStart + limits.maxValueBytes + 1);
      let k = valueStart;
      let amp = 0;
      let less = -1;
      let valueLines = 0;
      h = HASH_SEED;
      for (; k < stop; k++) {
        const v = b[k]!;
        if (v <= LT) {
          if (v === quote) break;
          if (v === LF) valueLines++;
          else if (v === AMP) amp = 1;
          else if (v === LT && less < 0) less = valueLines;
        }
        h = Math.imul(h ^ v, 0x01000193);
      }
      if (k === stop) {
        if (len - valueStart <= limits.maxValueBytes) return -1;
        // Too long to be a value: drop it (read as empty) and tell the handler where it was.
        const close = b.indexOf(quote, k);
        const attribute = b.toString('utf8', attrStart, attrEnd);
        const element = nameOf(lt + 1, nameEnd);
        handler.oversized(attribute, element, line + lines, limits.maxValueBytes);
        const prefix = Buffer.from(b.subarray(lt, valueStart));
        const end = close === -1 ? len : close;
        for (let q = valueStart; q < end; q++) if (b[q] === LF) line++;
        if (close === -1) {
          dropping = { quote, prefix };
          return len;
        }
        // The value ends in this buffer: splice the tag back together without it and rescan.
        buf = Buffer.concat([prefix, b.subarray(close)]);
        return -3;
      }
      if (less >= 0)
        fail(
          `'<' inside the value of attribute '${b.toString('utf8', attrStart, attrEnd)}' of <${nameOf(lt + 1, nameEnd)}>`,
          line + lines + less,
        );
      lines += valueLines;
      if (n === capacity) grow();
      tag.nameStarts[n] = attrStart;
      tag.nameEnds[n] = attrEnd;
      tag.nameHashes[n] = attrHash;
      tag.valueStarts[n] = valueStart;
      tag.valueEnds[n] = k;
      tag.valueHashes[n] = h;
      tag.entities[n] = amp;
      n++;
      i = k + 1;
      if (i - lt > limits.maxTagBytes)
        fail(`<${nameOf(lt + 1, nameEnd)}> is longer than ${mib(limits.maxTagBytes)} (the tag limit)`, line);
      if (i >= len) return -1;
    }
  }

  function closeTag(lt: number): number {
    const b = buf;
    const len = b.length;
    // The usual `</name>`: the name hashed while its end is sought, interned, compared by identity.
    let h = HASH_SEED;
    let i = lt + 2;
    let plain = true;
    let lines = 0;
    for (; i < len; i++) {
      const c = b[i]!;
      if (c === GT) break;
      if (c === 32 || c === 10 || c === 9 || c === 13) {
        plain = false;
        if (c === LF) lines++;
      }
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (i >= len) return -1;
    const gt = i;
    const name = plain ? names.getHashed(b, lt + 2, gt, h) : b.toString('utf8', lt + 2, gt).trim();
    if (depth === 0) fail(`unexpected </${name}>: no element is open`);
    depth--;
    const top = stackNames[depth]!;
    if (top !== name) fail(`expected </${top}> (opened on line ${stackLines[depth]}) but found </${name}>`);
    handler.close(name, line);
    line += lines;
    return gt + 1;
  }

  function skipUntil(from: number, terminator: string): number {
    const end = buf.indexOf(terminator, from);
    if (end === -1) return -1;
    for (let k = from; k < end; k++) if (buf[k] === LF) line++;
    return end + terminator.length;
  }

  function step(lt: number): number {
    const len = buf.length;
    if (lt + 1 >= len) return -1;
    const c = buf[lt + 1];
    if (c === SLASH) return closeTag(lt);
    if (c === 63 /* ? */) return skipUntil(lt + 2, '?>');
    if (c === 33 /* ! */) {
      if (len < lt + 9) return -1;
      if (buf[lt + 2] === 45 && buf[lt + 3] === 45) return skipUntil(lt + 4, '-->');
      if (buf.toString('latin1', lt, lt + 9) === '<![CDATA[') return skipUntil(lt + 9, ']]>');
      return skipUntil(lt + 2, '>');
    }
    return openTag(lt);
  }

  function drain(): void {
    const len = buf.length;
    for (;;) {
      let i = pos;
      const b = buf;
      while (i < len && b[i] !== LT) {
        const c = b[i]!;
        if (c === LF) line++;
        else if (depth === 0 && !isSpace(c)) {
          pos = i;
          fail('text outside the root element');
        }
        i++;
      }
      pos = i;
      if (i >= len) return;
      if (fast !== undefined && depth > 0) {
        cursor.line = line;
        cursor.depth = depth;
        const read = fast(b, i, cursor);
        line = cursor.line;
        depth = cursor.depth;
        if (read !== i) {
          pos = read;
          continue;
        }
      }
      const next = step(i);
      if (next === -1) {
        if (len - i > limits.maxTagBytes) fail(`a tag is longer than ${mib(limits.maxTagBytes)} (the tag limit)`);
        return;
      }
      if (next === -3) {
        pos = 0;
        drain();
        return;
      }
      pos = next;
      if (dropping !== undefined) return;
    }
  }

  function pushBytes(bytes: Buffer): void {
    if (dropping !== undefined) {
      const close = bytes.indexOf(dropping.quote);
      const end = close === -1 ? bytes.length : close;
      for (let k = 0; k < end; k++) if (bytes[k] === LF) line++;
      if (close === -1) return;
      buf = Buffer.concat([dropping.prefix, bytes.subarray(close)]);
      dropping = undefined;
      pos = 0;
      drain();
      return;
    }
    const rest = buf.subarray(pos);
    if (seeking === undefined && rest.length <= BRIDGE_BYTES) {
      // The chunk is read where it is, not copied after what was left of the last one: that rest
      // (a tag cut off) is read first, joined with the chunk's bytes up to its first '>'.
      let head = 0;
      if (rest.length > 0) {
        const gt = bytes.indexOf(GT);
        if (gt !== -1 && gt < BRIDGE_BYTES) {
          head = gt + 1;
          buf = work.join(rest, bytes.subarray(0, head));
          pos = 0;
          try {
            drain();
          } catch (error) {
            // What follows the error is read on from here after `resync`, as in one buffer.
            buf = work.join(buf.subarray(pos), bytes.subarray(head));
            pos = 0;
            throw error;
          }
          if (dropping !== undefined) {
            pushBytes(bytes.subarray(head));
            return;
          }
          if (pos < buf.length) {
            // The bridge ended inside a tag ('>' in a value, a comment): read it with the whole chunk.
            buf = work.join(buf.subarray(pos), bytes.subarray(head));
            pos = 0;
            drain();
            return;
          }
        } else head = -1;
      }
      if (head >= 0) {
        buf = bytes;
        pos = head;
        drain();
        return;
      }
    }
    buf = work.join(buf.subarray(pos), bytes);
    pos = 0;
    if (seeking !== undefined && !seek(seeking)) return;
    drain();
  }

  return {
    get started() {
      return started;
    },
    push: pushBytes,
    resync(marker, keep) {
      dropping = undefined;
      if (depth > keep) depth = keep;
      // Past the byte the error was found at, so the same error is not met again.
      if (pos < buf.length) countLines(pos, pos + 1);
      pos = Math.min(buf.length, pos + 1);
      seeking = Buffer.from(marker);
    },
    end() {
      if (seeking !== undefined) return;
      const cut = dropping !== undefined || buf.subarray(pos).toString('utf8').trim() !== '';
      if (depth > 0) {
        const where = cut ? 'inside a tag, ' : '';
        fail(
          `the document ends ${where}before </${stackNames[depth - 1]}> (opened on line ${stackLines[depth - 1]}): is the file truncated?`,
        );
      }
      if (cut) fail('the document ends inside a tag');
    },
  };
}
