import { createHash, type Hash } from 'node:crypto';

/** Watches the raw bytes of a file as a reader reads it (before any decompression). */
export interface RawTap {
  /** A read of the file starts: true when this read's bytes are wanted. */
  start(): boolean;
  data(bytes: Uint8Array): void;
  /** The read reached the end of the file. */
  end(): void;
}

/** The size and SHA-256 of a file, taken from the bytes a reader read anyway (run.json's inputs). */
export interface InputDigest extends RawTap {
  /** The digest of the whole file, or `undefined` when no read went to its end (then hash the file itself). */
  result(): { readonly bytes: number; readonly sha256: string } | undefined;
}

/**
 * Hashes the first read of a file that goes to its end: a read that stops early is forgotten when
 * the next one starts, and reads after a complete one are not watched (the CSV reader reads a file
 * twice).
 */
export function createInputDigest(): InputDigest {
  let hash: Hash | undefined;
  let bytes = 0;
  let done: { bytes: number; sha256: string } | undefined;
  return {
    start() {
      if (done !== undefined) return false;
      hash = createHash('sha256');
      bytes = 0;
      return true;
    },
    data(chunk) {
      hash?.update(chunk);
      bytes += chunk.length;
    },
    end() {
      if (hash === undefined || done !== undefined) return;
      done = { bytes, sha256: hash.digest('hex') };
      hash = undefined;
    },
    result: () => done,
  };
}
