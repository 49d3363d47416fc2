/**
 * Byte-range → string interning for the columns and attributes whose values repeat (activities,
 * resources, groups, lifecycle values): one string per distinct value instead of one per cell, and
 * no UTF-8 decoding for a value already seen. Bounded: past `maxEntries` distinct values it decodes
 * without remembering, so a column of unique values cannot grow it without limit.
 */
export interface Interner {
  get(buf: Uint8Array, start: number, end: number): string;
  /** `get` for a range whose `hashBytes` a scanner computed while reading it (no second pass to hash). */
  getHashed(buf: Uint8Array, start: number, end: number, hash: number): string;
}

/** FNV-1a's starting value; a scanner folds each byte in with `hashStep` (as `hashBytes` does). */
export const HASH_SEED = 0x811c9dc5 | 0;

/** One byte folded into an FNV-1a hash (32-bit). */
export function hashStep(h: number, byte: number): number {
  return Math.imul(h ^ byte, 0x01000193);
}

/** The FNV-1a hash of a byte range, as the interner keys it. */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = HASH_SEED;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h;
}

interface Entry {
  readonly bytes: Uint8Array;
  readonly text: string;
}

import { copyBytes } from './work-buffer.ts';

const decoder = new TextDecoder('utf-8');

export function createInterner(maxEntries = 65_536): Interner {
  // Open addressing over the hash's low bits (mixed), probed linearly and kept at most half full:
  // no map lookup and no chain per value (a `Map` from hash to a chain of entries was most of the
  // time of a lookup).
  let capacity = 256;
  let hashes = new Int32Array(capacity);
  let entries: (Entry | undefined)[] = new Array<Entry | undefined>(capacity).fill(undefined);
  let size = 0;
  const home = (h: number) => Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;

  function grow(): void {
    const [oldHashes, oldEntries] = [hashes, entries];
    capacity *= 2;
    hashes = new Int32Array(capacity);
    entries = new Array<Entry | undefined>(capacity).fill(undefined);
    for (let k = 0; k < oldEntries.length; k++) {
      const e = oldEntries[k];
      if (e === undefined) continue;
      let i = home(oldHashes[k]!) & (capacity - 1);
      while (entries[i] !== undefined) i = (i + 1) & (capacity - 1);
      hashes[i] = oldHashes[k]!;
      entries[i] = e;
    }
  }

  function getHashed(buf: Uint8Array, start: number, end: number, h: number): string {
    const len = end - start;
    let i = home(h) & (capacity - 1);
    for (let e = entries[i]; e !== undefined; e = entries[i]) {
      if (hashes[i] === h && e.bytes.length === len) {
        const b = e.bytes;
        let same = true;
        for (let k = 0; k < len; k++) {
          if (b[k] !== buf[start + k]) {
            same = false;
            break;
          }
        }
        if (same) return e.text;
      }
      i = (i + 1) & (capacity - 1);
    }
    const bytes = copyBytes(buf, start, end);
    const text = decoder.decode(bytes);
    if (size < maxEntries) {
      hashes[i] = h;
      entries[i] = { bytes, text };
      size++;
      if (size * 2 > capacity) grow();
    }
    return text;
  }
  return {
    get: (buf, start, end) => getHashed(buf, start, end, hashBytes(buf, start, end)),
    getHashed,
  };
}
