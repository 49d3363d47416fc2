// The entry point of the hashing thread (dist/hash-worker.mjs when built; see hash-thread.ts): reads
// each file it is told of, as far as it is told the main thread wrote (or read) it, hashes it, and at
// its end sends its size and SHA-256. Only Node built-ins: it starts in a few milliseconds.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { HashReply, HashRequest, HashThreadData } from './hash-thread.ts';

const data = workerData as HashThreadData;
const port = parentPort!;
const buf = Buffer.allocUnsafe(1 << 20);
const files = new Map<number, { fd: number; hash: Hash; bytes: number; error?: string }>();
let reads = 0;

/** Reads and hashes the file from where it was left to `upTo` (less if it is shorter). */
function readTo(f: { fd: number; hash: Hash; bytes: number }, upTo: number): void {
  while (f.bytes < upTo) {
    const fault = data.fault;
    if (fault !== undefined && reads++ >= fault.after) {
      if (fault.how === 'exit') process.exit(7);
      throw new Error('a planted failure of the hashing thread');
    }
    const n = readSync(f.fd, buf, 0, Math.min(buf.length, upTo - f.bytes), f.bytes);
    if (n === 0) return;
    f.hash.update(buf.subarray(0, n));
    f.bytes += n;
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

port.on('message', (m: HashRequest) => {
  if (m.type === 'open') {
    try {
      files.set(m.id, { fd: openSync(m.path, 'r'), hash: createHash('sha256'), bytes: 0 });
    } catch (error) {
      files.set(m.id, { fd: -1, hash: createHash('sha256'), bytes: 0, error: message(error) });
    }
    return;
  }
  const f = files.get(m.id);
  if (f === undefined) return;
  if (m.type === 'drop' || m.type === 'end') {
    files.delete(m.id);
    let reply: HashReply | undefined;
    if (m.type === 'end' && f.error === undefined) {
      try {
        readTo(f, m.bytes);
        reply = { id: m.id, bytes: f.bytes, sha256: f.hash.digest('hex') };
      } catch (error) {
        if (data.fault !== undefined) throw error;
        reply = { id: m.id, error: message(error) };
      }
    } else if (m.type === 'end') reply = { id: m.id, error: f.error! };
    if (f.fd >= 0) closeSync(f.fd);
    if (reply !== undefined) port.postMessage(reply);
    return;
  }
  if (f.error !== undefined) return;
  try {
    readTo(f, m.bytes);
  } catch (error) {
    if (data.fault !== undefined) throw error;
    f.error = message(error);
  }
});
