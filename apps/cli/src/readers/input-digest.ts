import { createHash, type Hash } from 'node:crypto';
import type { FileHash, HashThread } from '../output/hash-thread.ts';

/** Watches the raw bytes of a file as a reader reads it (before any decompression). */
export interface RawTap {
  /** A read of the file starts: true when this read's bytes are wanted. */
  start(): boolean;
  /** Bytes read (not to be kept: the reader goes on using them). */
  data(bytes: Uint8Array): void;
  /** The read reached the end of the file. */
  end(): void;
}

/** The size and SHA-256 of a file, taken from the bytes a reader read anyway (run.json's inputs). */
export interface InputDigest extends RawTap {
  /**
   * The digest of the whole file, or `undefined` when no read went to its end or the hashing thread
   * could not give it (then hash the file itself).
   */
  result(): Promise<{ readonly bytes: number; readonly sha256: string } | undefined>;
}

/**
 * Hashes the first read of a file that goes to its end: a read that stops early is forgotten when
 * the next one starts, and reads after a complete one are not watched (the CSV reader reads a file
 * twice). With `hashes`, on its thread (which reads the file at `path` as far as it was read here).
 */
export function createInputDigest(hashes?: { readonly thread: HashThread; readonly path: string }): InputDigest {
  let hash: Hash | undefined;
  let file: FileHash | undefined;
  let bytes = 0;
  let ended = false;
  let done: { bytes: number; sha256: string } | undefined;
  return {
    start() {
      if (ended) return false;
      file?.drop();
      file = hashes?.thread.file(hashes.path);
      hash = file === undefined ? createHash('sha256') : undefined;
      bytes = 0;
      return true;
    },
    data(chunk) {
      if (file !== undefined) file.add(chunk);
      else hash?.update(chunk);
      bytes += chunk.length;
    },
    end() {
      if (ended || (hash === undefined && file === undefined)) return;
      ended = true;
      if (file !== undefined) file.end();
      else done = { bytes, sha256: hash!.digest('hex') };
      hash = undefined;
    },
    async result() {
      if (!ended) return undefined;
      return file !== undefined ? await file.result() : done;
    },
  };
}
