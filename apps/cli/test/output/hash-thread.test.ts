import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileByteSink } from '../../src/output/byte-sink.ts';
import { createHashThread, type HashThread, type HashThreadFault } from '../../src/output/hash-thread.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const tempDir = () => mkdtempSync(join(tmpdir(), 'baton-hash-'));

/**
 * Three files written in turns, each chunk distinct (random bytes), of 1 byte to more than 1 MiB,
 * each added to its `FileHash` once written: the files and the bytes added, in order.
 */
function writeThree(thread: HashThread, rounds: number) {
  const dir = tempDir();
  const paths = [0, 1, 2].map((k) => join(dir, `f${k}`));
  const fds = paths.map((p) => openSync(p, 'w'));
  const files = paths.map((p) => thread.file(p));
  const added: Buffer[][] = [[], [], []];
  const sizes = [1, 7, 4096, 65_536, 300_000, (1 << 20) + 3];
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < 3; k++) {
      const bytes = randomBytes(sizes[(r * 5 + k) % sizes.length]!);
      writeSync(fds[k]!, bytes);
      files[k]!.add(bytes);
      added[k]!.push(bytes);
    }
  }
  for (const fd of fds) closeSync(fd);
  for (const f of files) f.end();
  return { files, paths, expected: added.map((chunks) => Buffer.concat(chunks)) };
}

/** Runs `use` with a hashing thread made with `options`, and closes the thread whatever happens. */
async function withThread(options: Parameters<typeof createHashThread>[0], use: (thread: HashThread) => Promise<void>) {
  const thread = createHashThread(options);
  try {
    await use(thread);
  } finally {
    await thread.close();
  }
}

describe('the hashing thread', () => {
  it('gives each file the SHA-256 of the bytes added, in order, read back by the thread', async () => {
    await withThread({ onThread: true }, async (thread) => {
      const { files, expected } = writeThree(thread, 12);
      expect(thread.started).toBe(true);
      for (const [k, f] of files.entries())
        expect(await f.result()).toEqual({ bytes: expected[k]!.length, sha256: sha256(expected[k]!) });
    });
  });

  it('starts no thread when told not to, and hashes here', async () => {
    await withThread({ onThread: false }, async (thread) => {
      const { files, expected } = writeThree(thread, 6);
      for (const [k, f] of files.entries())
        expect(await f.result()).toEqual({ bytes: expected[k]!.length, sha256: sha256(expected[k]!) });
      expect(thread.started).toBe(false);
    });
  });

  it('gives no digest, rather than a wrong one, for a file shorter than what was added', async () => {
    await withThread({ onThread: true }, async (thread) => {
      const dir = tempDir();
      const short = thread.file(join(dir, 'short'));
      const bytes = randomBytes(3 << 20);
      const fd = openSync(join(dir, 'short'), 'w');
      writeSync(fd, bytes, 0, 2 << 20); // a chunk that never reached the file
      closeSync(fd);
      short.add(bytes);
      short.end();
      expect(await short.result()).toBeUndefined();
      const missing = thread.file(join(dir, 'missing'));
      missing.add(bytes);
      missing.end();
      expect(await missing.result()).toBeUndefined();
    });
  });

  it('a dropped file gives no digest and leaves the others right', async () => {
    await withThread({ onThread: true }, async (thread) => {
      const dir = tempDir();
      const bytes = randomBytes(2 << 20);
      for (const name of ['a', 'b']) {
        const fd = openSync(join(dir, name), 'w');
        writeSync(fd, bytes);
        closeSync(fd);
      }
      const dropped = thread.file(join(dir, 'a'));
      const kept = thread.file(join(dir, 'b'));
      dropped.add(bytes);
      kept.add(bytes);
      dropped.drop();
      kept.end();
      expect(await dropped.result()).toBeUndefined();
      expect(await kept.result()).toEqual({ bytes: bytes.length, sha256: sha256(bytes) });
    });
  });

  // The first file (1.4 MB) takes two reads of 1 MiB: the thread fails at the first or in the middle
  // of the first file, before any digest was sent.
  it.each<HashThreadFault>([
    { after: 1, how: 'exit' },
    { after: 0, how: 'throw' },
  ])('gives no digest, without hanging, when the thread fails (%o)', async (fault) => {
    await withThread({ onThread: true, fault }, async (thread) => {
      const { files } = writeThree(thread, 6);
      for (const f of files) expect(await f.result()).toBeUndefined();
    });
  });

  it("hashes a file sink's output as it is written: the digest is the file's", async () => {
    const path = join(tempDir(), 'rows.csv');
    await withThread({ onThread: true }, async (thread) => {
      const sink = createFileByteSink(path, thread);
      for (let i = 0; i < 300_000; i++) {
        sink.cell(`case ${i}`);
        sink.byte(44);
        sink.name(i % 3 === 0 ? 'Send Fine' : 'Création', 44);
        sink.number(i / 7);
        sink.byte(10);
      }
      sink.close();
      const file = readFileSync(path);
      expect(file.length).toBeGreaterThan(6 << 20);
      expect(await sink.digest()).toEqual({ bytes: file.length, sha256: sha256(file) });
      expect(thread.started).toBe(true);
    });
  });
});
