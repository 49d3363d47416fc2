import { createHash, type Hash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../analyze/worker-script.ts';
import type { FileDigest } from './run-manifest.ts';

/**
 * run.json's SHA-256 of the input and of cases.csv and events.csv, taken on a thread of its own
 * (ADR 0017, eighth pass): hashing road-traffic's 100 MB cost ~60 ms, ~4 % of the CPU of the one
 * thread that does everything.
 *
 * The thread reads each file itself, as far as this thread has written (or read) it: what it is
 * told per chunk is a count, not the bytes. Handing it the bytes cost more than it saved: a
 * transferred buffer is detached, and the first detach in a thread invalidates V8's
 * "ArrayBufferDetaching" protector, so that its optimised code checks every typed-array access from
 * then on (road-traffic CSV: 1.19x the CPU); bytes in shared memory were hashed ~1.5x slower on the
 * other core than here, where they are still in the cache, and this thread kept more than half of
 * the cost (in process, load ~7). Read back from the page cache into the thread's own buffer, they
 * cost this thread a message per MiB.
 *
 * With `onThread` false (`analyze` decides from its inputs' size and the machine's load) no thread
 * starts and each file is hashed here as it is added. If the thread fails, or a file it reads is not
 * what was added (shorter), the digest is `undefined`: run.json then hashes the file itself, never a
 * digest of other bytes.
 */
export interface HashThread {
  /** A file written (or read) from its start, to hash as it goes. */
  file(path: string): FileHash;
  /** Ends the thread (digests not collected are dropped). */
  close(): Promise<void>;
  /** Whether a thread hashes (tests). */
  readonly started: boolean;
}

export interface FileHash {
  /** The next bytes of the file, just written to it (or read from it); not kept. */
  add(bytes: Uint8Array): void;
  /** The file is complete: `result` gets the digest of the bytes added. */
  end(): void;
  /** Abandoned: nothing more is hashed, `result` is `undefined`. */
  drop(): void;
  /** Size and SHA-256 of the bytes added, after `end`; `undefined` if the thread could not give it. */
  result(): Promise<FileDigest | undefined>;
}

/** Tests only: make the hashing thread exit (`process.exit(7)`) or throw at its `after`th read. */
export interface HashThreadFault {
  readonly after: number;
  readonly how: 'exit' | 'throw';
}

/** What the thread is started with. */
export interface HashThreadData {
  readonly fault?: HashThreadFault;
}

/**
 * To the thread, in order: a file to read (`open`), how far it may read it now (`upTo`), its end
 * (read to `upTo`, then reply), or its drop.
 */
export type HashRequest =
  | { readonly type: 'open'; readonly id: number; readonly path: string }
  | { readonly type: 'upTo' | 'end'; readonly id: number; readonly bytes: number }
  | { readonly type: 'drop'; readonly id: number };

/** From the thread: a file's size and digest as read, or that it could not read it. */
export type HashReply =
  | { readonly id: number; readonly bytes: number; readonly sha256: string }
  | { readonly id: number; readonly error: string };

/**
 * `analyze` hashes on the thread when its inputs hold this much content or more (`hashThreadFits`):
 * starting the thread costs ~35 ms of CPU on the other core, and the main thread saves ~0.6 ms per MB
 * of input and outputs. Measured with a free core (paired, load 0.9–2.4): road-traffic XES (185 MB of
 * content) 0.91x the wall, its CSV (30 MB) 0.97x, BPIC 2012 CSV (16 MB) 1.04x.
 */
export const DEFAULT_HASH_THREAD_MIN_BYTES = 24 << 20;

/**
 * The thread is told how far to read at most once per this many bytes (and at the end). Each message
 * wakes it, and on a busy machine the woken thread may take this thread's core: `postMessage` then
 * returns once it has run (1.5–2 ms a message to a thread with 3 ms of work, load 6). Fewer, larger
 * steps switch less; the last step is hashed while run.json's other files are written.
 */
const TELL_EVERY = 4 << 20;

interface FileState {
  readonly id: number;
  readonly path: string;
  /** Bytes added so far, and as far as the thread was told. */
  bytes: number;
  told: number;
  /** Hashing here, when no thread hashes. */
  hash: Hash | undefined;
  ended: boolean;
  settled: boolean;
  digest: FileDigest | undefined;
  resolve: ((digest: FileDigest | undefined) => void) | undefined;
}

export function createHashThread(options: {
  readonly onThread: boolean;
  readonly fault?: HashThreadFault;
}): HashThread {
  let worker: Worker | undefined;
  let failed = false;
  let closed = false;
  const open = new Map<number, FileState>();
  let nextId = 0;
  let waiting = 0;

  const settle = (f: FileState, digest: FileDigest | undefined) => {
    if (f.settled) return;
    f.settled = true;
    f.digest = digest;
    f.hash = undefined;
    open.delete(f.id);
    const resolve = f.resolve;
    f.resolve = undefined;
    resolve?.(digest);
  };

  const fail = () => {
    if (failed) return;
    failed = true;
    for (const f of [...open.values()]) if (f.ended) settle(f, undefined);
    void worker?.terminate();
  };

  const post = (request: HashRequest) => {
    if (!failed && !closed) worker?.postMessage(request);
  };

  const started = options.onThread;
  if (started) {
    const data: HashThreadData = options.fault === undefined ? {} : { fault: options.fault };
    try {
      const script = workerScript('../output/hash-worker.ts', 'hash-worker.mjs');
      worker = new Worker(script.script, { workerData: data, eval: script.eval });
      worker.unref();
      worker.on('message', (reply: HashReply) => {
        const f = open.get(reply.id);
        if (f === undefined) return;
        // A file shorter than what was added, or one that could not be read: no digest, not a wrong one.
        settle(
          f,
          'sha256' in reply && reply.bytes === f.bytes ? { bytes: reply.bytes, sha256: reply.sha256 } : undefined,
        );
      });
      worker.on('error', fail);
      worker.on('messageerror', fail);
      worker.on('exit', () => {
        if (!closed) fail();
      });
    } catch {
      fail();
    }
  }

  return {
    get started() {
      return started;
    },
    file(path): FileHash {
      const f: FileState = {
        id: nextId++,
        path,
        bytes: 0,
        told: 0,
        hash: undefined,
        ended: false,
        settled: false,
        digest: undefined,
        resolve: undefined,
      };
      open.set(f.id, f);
      if (started) post({ type: 'open', id: f.id, path });
      else f.hash = createHash('sha256');
      return {
        add(bytes) {
          if (f.ended) throw new Error(`${path}: bytes added after its end`);
          f.bytes += bytes.length;
          if (f.hash !== undefined) f.hash.update(bytes);
          else if (f.bytes - f.told >= TELL_EVERY) {
            f.told = f.bytes;
            post({ type: 'upTo', id: f.id, bytes: f.bytes });
          }
        },
        end() {
          if (f.ended) return;
          f.ended = true;
          if (failed) settle(f, undefined);
          else if (f.hash !== undefined) settle(f, { bytes: f.bytes, sha256: f.hash.digest('hex') });
          else post({ type: 'end', id: f.id, bytes: f.bytes });
        },
        drop() {
          if (f.settled) return;
          f.ended = true;
          if (started) post({ type: 'drop', id: f.id });
          settle(f, undefined);
        },
        async result() {
          if (!f.ended) throw new Error(`${path}: digest asked for before its end`);
          if (f.settled) return f.digest;
          // The thread is unreferenced (a run that forgets to close it still exits), except while a
          // digest is awaited.
          if (waiting++ === 0) worker?.ref();
          try {
            return await new Promise<FileDigest | undefined>((resolve) => (f.resolve = resolve));
          } finally {
            if (--waiting === 0) worker?.unref();
          }
        },
      };
    },
    async close() {
      closed = true;
      for (const f of [...open.values()]) settle(f, undefined);
      const w = worker;
      worker = undefined;
      await w?.terminate();
    },
  };
}
