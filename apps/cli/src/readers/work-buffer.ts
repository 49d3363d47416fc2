/**
 * One reused buffer that holds the unread tail of the previous chunk followed by the next chunk.
 * Scanners that joined them with `Buffer.concat` allocated a new megabyte per chunk; freed late,
 * those allocations made up most of the process's resident memory. Views into the result are valid
 * until the next `join`: whatever must outlive it is copied (`copyBytes`).
 */
export interface WorkBuffer {
  join(rest: Buffer, chunk: Buffer): Buffer;
}

export function createWorkBuffer(initial = 1 << 21): WorkBuffer {
  let work = Buffer.allocUnsafe(initial);
  return {
    join(rest, chunk) {
      const need = rest.length + chunk.length;
      if (need > work.length) {
        const next = Buffer.allocUnsafe(Math.max(need, work.length * 2));
        next.set(rest, 0);
        work = next;
      } else if (rest.buffer === work.buffer) {
        if (rest.byteOffset !== work.byteOffset)
          work.copyWithin(0, rest.byteOffset - work.byteOffset, rest.byteOffset - work.byteOffset + rest.length);
      } else {
        work.set(rest, 0);
      }
      work.set(chunk, rest.length);
      return work.subarray(0, need);
    },
  };
}

/** A copy of a byte range that owns its memory (`Buffer#slice` would be a view of the whole chunk). */
export function copyBytes(buf: Uint8Array, start: number, end: number): Uint8Array {
  return Uint8Array.prototype.slice.call(buf, start, end);
}
