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
  next: Entry | undefined;
}

import { copyBytes } from './work-buffer.ts';

const decoder = new TextDecoder('utf-8');

export function createInterner(maxEntries = 65_536): Interner {
  const table = new Map<number, Entry>();
  let size = 0;
  function getHashed(buf: Uint8Array, start: number, end: number, h: number): string {
    const len = end - start;
    const head = table.get(h);
    for (let e = head; e !== undefined; e = e.next) {
      const b = e.bytes;
      if (b.length !== len) continue;
      let same = true;
      for (let i = 0; i < len; i++) {
        if (b[i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return e.text;
    }
    const bytes = copyBytes(buf, start, end);
    const text = decoder.decode(bytes);
    if (size < maxEntries) {
      table.set(h, { bytes, text, next: head });
      size++;
    }
    return text;
  }
  return {
    get: (buf, start, end) => getHashed(buf, start, end, hashBytes(buf, start, end)),
    getHashed,
  };
}
