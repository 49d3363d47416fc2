/**
 * Byte-range → string interning for the columns and attributes whose values repeat (activities,
 * resources, groups, lifecycle values): one string per distinct value instead of one per cell, and
 * no UTF-8 decoding for a value already seen. Bounded: past `maxEntries` distinct values it decodes
 * without remembering, so a column of unique values cannot grow it without limit.
 */
export interface Interner {
  get(buf: Uint8Array, start: number, end: number): string;
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
  return {
    get(buf, start, end) {
      let h = 0x811c9dc5;
      for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
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
    },
  };
}
