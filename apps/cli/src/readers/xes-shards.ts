import { open, stat } from 'node:fs/promises';
import { type ByteChunk, InputReadError, isGzipFile } from './open-text.ts';

const TRACE = Buffer.from('<trace');

/** After `<trace`: what makes it the start of a <trace> element (not `<traces`). */
function isTagEnd(c: number | undefined): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 62 || c === 47;
}

/** The first `<trace` element start in `buf` at or after `from` whose next byte is in `buf` too. */
function findTrace(buf: Buffer, from: number): number {
  for (let i = buf.indexOf(TRACE, from); i !== -1; i = buf.indexOf(TRACE, i + 1)) {
    if (i + TRACE.length >= buf.length) return -1;
    if (isTagEnd(buf[i + TRACE.length])) return i;
  }
  return -1;
}

/**
 * Which part of an XES log a shard reads, in bytes of the decompressed content: from the first
 * `<trace` at or after `from` (0: from the start) to the first `<trace` at or after `to`
 * (undefined: to the end). Every shard of a log is given the same targets by the main thread and
 * finds the same cuts in the same bytes, so shards meet exactly, each at the start of a trace.
 */
export interface XesShardRange {
  readonly from: number;
  readonly to?: number | undefined;
}

/** What a shard found, known once its bytes are read. */
export interface XesShardScan {
  /** Newlines in the log's header (everything before the first trace). */
  headerLines: number;
  /** The shard's first cut was found (false: the log ends before it, so the shard is empty). */
  started: boolean;
}

/**
 * The name of the root element of an XES header (`log`): the first element after the XML
 * declaration, processing instructions, comments and doctype.
 */
export function rootElementName(header: Buffer): string | undefined {
  const text = header.toString('utf8');
  let i = 0;
  for (;;) {
    i = text.indexOf('<', i);
    if (i < 0) return undefined;
    const [open, close] = text.startsWith('<?', i)
      ? ['<?', '?>']
      : text.startsWith('<!--', i)
        ? ['<!--', '-->']
        : text.startsWith('<!', i)
          ? ['<!', '>']
          : [undefined, undefined];
    if (open === undefined) return /^<([^\s/>]+)/.exec(text.slice(i))?.[1];
    const end = text.indexOf(close, i + open.length);
    if (end < 0) return undefined;
    i = end + close.length;
  }
}

/**
 * The content of a shard of an XES log, from the stream of the whole file's content: the log's
 * header (for a shard that does not start at 0, so that its reader sees the same `<log>`,
 * extensions and globals), the shard's traces, and a closing tag of the root (for a shard that
 * does not reach the end). A shard that starts after the last trace yields nothing. A read error
 * before the shard starts ends it quietly: the shard before reports it.
 */
export async function* xesShardBytes(
  source: AsyncIterable<ByteChunk>,
  range: XesShardRange,
  scan: XesShardScan,
): AsyncGenerator<ByteChunk> {
  const iterator = source[Symbol.asyncIterator]();
  // The first trace (the end of the header), then the cut at `from`, then the cut at `to`: each
  // an absolute position in the content.
  let headerEnd = -1;
  let start = range.from === 0 ? 0 : -1;
  // The header's bytes: a shard that starts later reads them before its traces; the first keeps
  // their first MiB, for the name of the root element.
  const header: Buffer[] = [];
  let headerBytes = 0;
  let root: string | undefined;
  let pos = 0;
  let held: ByteChunk | undefined;

  /** The next cut in `buf` (at `pos`) at or after `target`, given the chunk after it (for a match across the two). */
  const nextCut = (buf: Buffer, target: number, next: Buffer | undefined): number => {
    const from = Math.max(0, target - pos);
    if (from >= buf.length) return -1;
    const i = findTrace(buf, from);
    if (i >= 0) return pos + i;
    if (next === undefined) return -1;
    const tail = Math.max(from, buf.length - TRACE.length);
    const joint = Buffer.concat([buf.subarray(tail), next.subarray(0, TRACE.length + 1)]);
    const j = findTrace(joint, 0);
    return j >= 0 && j < buf.length - tail ? pos + tail + j : -1;
  };

  /** Passes on what of `held` is the shard's, given the chunk after it; true when the shard is complete. */
  function* take(chunk: ByteChunk, next: Buffer | undefined): Generator<ByteChunk, boolean> {
    const buf = chunk.bytes;
    const { bytesRead } = chunk;
    let from = 0;
    if (headerEnd < 0) {
      headerEnd = nextCut(buf, 0, next);
      if (start < 0 || headerBytes < 1 << 20) {
        const part = headerEnd < 0 ? buf : buf.subarray(0, headerEnd - pos);
        header.push(part);
        headerBytes += part.length;
      }
      if (headerEnd >= 0) root = rootElementName(Buffer.concat(header));
      if (headerEnd < 0) {
        if (start === 0) yield chunk;
        pos += buf.length;
        return false;
      }
    }
    if (start < 0) {
      const s = nextCut(buf, Math.max(range.from, headerEnd + 1), next);
      if (s < 0) {
        pos += buf.length;
        return false;
      }
      start = s;
      const head = Buffer.concat(header);
      header.length = 0;
      scan.headerLines = countLines(head);
      yield { bytes: head, bytesRead };
      from = s - pos;
    }
    scan.started = true;
    if (range.to !== undefined) {
      const end = nextCut(buf, Math.max(range.to, headerEnd + 1), next);
      if (end >= 0) {
        if (end - pos > from) yield { bytes: buf.subarray(from, end - pos), bytesRead };
        yield { bytes: Buffer.from(`</${root ?? 'log'}>\n`), bytesRead };
        return true;
      }
    }
    if (from === 0) yield chunk;
    else if (from < buf.length) yield { bytes: buf.subarray(from), bytesRead };
    pos += buf.length;
    return false;
  }

  try {
    for (;;) {
      let result: IteratorResult<ByteChunk>;
      try {
        result = await iterator.next();
      } catch (error) {
        // Before the shard starts, a read error is the previous shard's to report.
        if (start < 0 && error instanceof InputReadError) return;
        // Otherwise the bytes held are read first, as one reader of the whole file would.
        if (held !== undefined && start >= 0) yield held;
        throw error;
      }
      if (result.done) break;
      const next = result.value;
      if (held !== undefined && next.bytes.length <= TRACE.length) {
        // A `<trace` may span the held chunk and the next: the next is looked into for its first
        // bytes, so a tiny one is joined to the held one first.
        held = { bytes: Buffer.concat([held.bytes, next.bytes]), bytesRead: next.bytesRead };
        continue;
      }
      if (held !== undefined && (yield* take(held, next.bytes))) return;
      held = next;
    }
    if (held !== undefined) yield* take(held, undefined);
  } finally {
    await iterator.return?.();
  }
}

function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * The size of a file's content, for deciding whether to shard it and where to cut: its size, or
 * for gzip the size the trailer records (ISIZE, RFC 1952 §2.3.1: the uncompressed size modulo
 * 2^32). A trailer smaller than the file (content over 4 GiB, or several members) is not
 * trusted: eight times the file's size is a fair guess for XML logs.
 */
export async function contentSizeHint(path: string): Promise<number> {
  const size = (await stat(path)).size;
  if (size < 18 || !(await isGzipFile(path))) return size;
  const handle = await open(path, 'r');
  try {
    const trailer = Buffer.alloc(4);
    await handle.read(trailer, 0, 4, size - 4);
    const isize = trailer.readUInt32LE(0);
    return isize >= size ? isize : size * 8;
  } finally {
    await handle.close();
  }
}
