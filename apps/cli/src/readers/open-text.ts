import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/** A piece of decoded text and how many raw (possibly compressed) bytes of the file were read so far. */
export interface TextChunk {
  readonly text: string;
  readonly bytesRead: number;
}

/** The file could not be read to its end (missing, truncated gzip, bad compression). */
export class InputReadError extends Error {
  constructor(
    message: string,
    readonly code: 'file.unreadable' | 'file.truncated' | 'file.corrupt',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'InputReadError';
  }
}

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
 * Streams a file as UTF-8 text, gunzipping when it starts with the gzip magic. Memory stays at one
 * chunk. Failures surface as `InputReadError` so readers can report them as a skip naming the file.
 */
export async function* readText(path: string): AsyncGenerator<TextChunk> {
  let total: number;
  let gzip: boolean;
  try {
    total = (await stat(path)).size;
    gzip = await isGzipFile(path);
  } catch (error) {
    throw new InputReadError(
      `cannot open: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'file.unreadable',
      {
        cause: error,
      },
    );
  }
  let bytesRead = 0;
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  raw.on('data', (b) => {
    bytesRead += b.length;
  });
  const decoder = new TextDecoder('utf-8');
  let source: AsyncIterable<Buffer>;
  if (gzip) {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    raw.on('error', (e) => gunzip.destroy(e));
    raw.pipe(gunzip);
    source = gunzip;
  } else {
    source = raw;
  }
  let first = true;
  try {
    for await (const buf of source) {
      let text = decoder.decode(buf, { stream: true });
      if (first) {
        // A UTF-8 byte order mark is not content.
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      if (text.length > 0) yield { text, bytesRead: Math.min(bytesRead, total) };
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR') {
      throw new InputReadError(
        `gzip stream ends early after ${bytesRead} of ${total} bytes (truncated file)`,
        'file.truncated',
        {
          cause: error,
        },
      );
    }
    if (code === 'Z_DATA_ERROR') {
      throw new InputReadError(`gzip data is corrupt near byte ${bytesRead}`, 'file.corrupt', { cause: error });
    }
    throw new InputReadError(`read failed: ${code ?? (error as Error).message}`, 'file.unreadable', { cause: error });
  } finally {
    raw.destroy();
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield { text: rest, bytesRead: total };
}

/** Size of a file in bytes (the denominator of progress). */
export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}
