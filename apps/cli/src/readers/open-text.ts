import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { RawTap } from './input-digest.ts';
import type { SkippedRecord } from './types.ts';

/** A piece of decoded text and how many raw (possibly compressed) bytes of the file were read so far. */
export interface TextChunk {
  readonly text: string;
  readonly bytesRead: number;
}

/** A piece of the file's content (decompressed, without a byte order mark) and the raw bytes read so far. */
export interface ByteChunk {
  readonly bytes: Buffer;
  readonly bytesRead: number;
}

/** Why a file could not be read: missing, truncated or corrupt gzip, empty, or not UTF-8. */
export type InputReadErrorCode = 'file.unreadable' | 'file.truncated' | 'file.corrupt' | 'file.empty' | 'file.encoding';

/** The file could not be read to its end (missing, truncated gzip, bad compression, empty, UTF-16). */
export class InputReadError extends Error {
  constructor(
    message: string,
    readonly code: InputReadErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'InputReadError';
  }
}

/** The skip a reader reports for an `InputReadError`: the file, and what happened to the rest of it. */
export function readErrorSkip(file: string, error: InputReadError): SkippedRecord {
  const whole = error.code === 'file.empty' || error.code === 'file.encoding' || error.code === 'file.unreadable';
  return {
    code: error.code,
    location: { file },
    message: whole ? error.message : `${error.message}; the rest of the file is not read`,
  };
}

const CHUNK_BYTES = 1 << 18;

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** True when the file starts with the gzip magic bytes (the extension is not trusted). */
export async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/** Reads the first bytes of a file as text (decompressed when gzip), for format detection. */
export async function peekText(path: string, chars = 4096): Promise<string> {
  let out = '';
  try {
    for await (const chunk of readText(path)) {
      out += chunk.text;
      if (out.length >= chars) break;
    }
  } catch {
    // Detection only: a broken file is reported by the reader that reads it.
  }
  return out.slice(0, chars);
}

/**
 * UTF-16 (and UTF-32) text: a byte order mark, or NUL bytes among the first characters, which UTF-8
 * text never has. Such a file would otherwise be read as garbage and every record skipped.
 */
function utf16Encoding(head: Buffer): string | undefined {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'UTF-16 (little-endian, with a byte order mark)';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'UTF-16 (big-endian, with a byte order mark)';
  const n = Math.min(head.length, 64);
  let nul = 0;
  for (let i = 0; i < n; i++) if (head[i] === 0) nul++;
  if (n >= 4 && nul * 4 >= n) return 'UTF-16 or UTF-32 (NUL bytes between the characters)';
  return undefined;
}

/**
 * Streams a file's bytes, gunzipping when it starts with the gzip magic. Memory stays at one chunk.
 * A UTF-8 byte order mark is dropped. Failures surface as `InputReadError` so readers can report
 * them as a skip naming the file: unreadable, truncated or corrupt gzip, empty, UTF-16. `tap` sees
 * the file's raw bytes as they are read (to hash the input without reading it again).
 */
export async function* readBytes(path: string, tap?: RawTap): AsyncGenerator<ByteChunk> {
  let total: number;
  let gzip: boolean;
  try {
    total = (await stat(path)).size;
    gzip = await isGzipFile(path);
  } catch (error) {
    throw new InputReadError(
      `cannot open: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'file.unreadable',
      { cause: error },
    );
  }
  let bytesRead = 0;
  // 256 KiB reads and inflated chunks: with 64 KiB ones the stream machinery per chunk cost more
  // than inflating (road-traffic's 185 MB of XES: 0.17 s of CPU to decompress and hand over, 0.11 s
  // with 256 KiB; reading a plain file of that size 0.13 -> 0.08 s).
  const raw = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  if (tap?.start() === true) {
    raw.on('data', (b) => {
      bytesRead += b.length;
      tap.data(b as Buffer);
    });
    raw.on('end', () => tap.end());
  } else {
    raw.on('data', (b) => {
      bytesRead += b.length;
    });
  }
  let source: AsyncIterable<Buffer>;
  if (gzip) {
    const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
    raw.on('error', (e) => gunzip.destroy(e));
    raw.pipe(gunzip);
    source = gunzip;
  } else {
    source = raw;
  }
  let first = true;
  let content = 0;
  try {
    for await (const chunk of source) {
      let buf = chunk;
      if (first) {
        first = false;
        const utf16 = utf16Encoding(buf);
        if (utf16 !== undefined)
          throw new InputReadError(
            `the file is ${utf16}, not UTF-8: save it as UTF-8 and read it again`,
            'file.encoding',
          );
        if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      }
      content += buf.length;
      if (buf.length > 0) yield { bytes: buf, bytesRead: Math.min(bytesRead, total) };
    }
  } catch (error) {
    if (error instanceof InputReadError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR') {
      throw new InputReadError(
        `gzip stream ends early after ${bytesRead} of ${total} bytes (truncated file)`,
        'file.truncated',
        { cause: error },
      );
    }
    if (code === 'Z_DATA_ERROR') {
      throw new InputReadError(`gzip data is corrupt near byte ${bytesRead}`, 'file.corrupt', { cause: error });
    }
    throw new InputReadError(`read failed: ${code ?? (error as Error).message}`, 'file.unreadable', { cause: error });
  } finally {
    raw.destroy();
  }
  if (content === 0)
    throw new InputReadError(
      gzip
        ? 'the file is empty (its gzip stream holds no bytes): nothing to read'
        : 'the file is empty: nothing to read',
      'file.empty',
    );
}

/** Streams a file as UTF-8 text (see `readBytes` for what is checked and how failures surface). */
export async function* readText(path: string): AsyncGenerator<TextChunk> {
  const decoder = new TextDecoder('utf-8');
  let last = 0;
  for await (const chunk of readBytes(path)) {
    const text = decoder.decode(chunk.bytes, { stream: true });
    last = chunk.bytesRead;
    if (text.length > 0) yield { text, bytesRead: chunk.bytesRead };
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield { text: rest, bytesRead: last };
}

/** Size of a file in bytes (the denominator of progress). */
export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}
