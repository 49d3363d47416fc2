// The XES reader in process, with its fast path and with the general tokenizer alone (issue 17;
// ADR 0017, seventh pass), apart from decompressing, the analysis and the writers.
//   pnpm exec tsx apps/cli/bench/xes-reader.ts [--rounds 7] <log.xes[.gz]...>
// Bundles the reader (esbuild, as the CLI is built: tsx's helpers would be timed too), holds each
// log's content in memory, and reads it in 256 KiB chunks `rounds` times each way, alternated
// (fast general, general fast, …), building every case as the CLI does. Prints the median CPU ms of
// each way, the median of the rounds' fast/general ratios, how many elements the fast path read,
// and the load average seen. Not a test: it prints figures.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { importBundled } from './bundled.ts';
import { takeOption } from './bench-args.ts';
import type { ByteChunk } from '../src/readers/open-text.ts';
import type { readXesChunks as ReadXesChunks } from '../src/readers/xes-reader.ts';
import type { defineReadOptions as DefineReadOptions } from '../src/readers/read-options.ts';

const args = process.argv.slice(2);
const rounds = Number(takeOption(args, '--rounds') ?? 7);
if (!(rounds > 0) || args.length === 0) {
  console.error('usage: tsx apps/cli/bench/xes-reader.ts [--rounds 7] <log.xes[.gz]...>');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'baton-xes-bench-'));
const src = new URL('../src/readers/', import.meta.url).pathname;
const { readXesChunks, defineReadOptions } = await importBundled<{
  readXesChunks: typeof ReadXesChunks;
  defineReadOptions: typeof DefineReadOptions;
}>(
  `export { readXesChunks } from '${src}xes-reader.ts';\nexport { defineReadOptions } from '${src}read-options.ts';`,
  src,
  dir,
  'reader',
);
rmSync(dir, { recursive: true, force: true });

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function* chunks(content: Buffer): AsyncGenerator<ByteChunk> {
  for (let i = 0; i < content.length; i += 1 << 18) yield { bytes: content.subarray(i, i + (1 << 18)), bytesRead: i };
}

const options = defineReadOptions();
const loads: number[] = [loadavg()[0]!];
for (const path of args) {
  const raw = readFileSync(path);
  const content = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  const cpu = { fast: [] as number[], general: [] as number[] };
  const ratios: number[] = [];
  let cases = 0;
  const stats = { fastElements: 0 };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? (['fast', 'general'] as const) : (['general', 'fast'] as const);
    for (const way of order) {
      const before = process.cpuUsage();
      let n = 0;
      const how = way === 'fast' ? { stats } : { fastPath: false };
      for await (const batch of readXesChunks(path, options, chunks(content), how))
        for (const item of batch) if (item.type === 'case') n++;
      const used = process.cpuUsage(before);
      cpu[way].push((used.user + used.system) / 1000);
      cases = n;
    }
    ratios.push(cpu.fast[r]! / cpu.general[r]!);
    loads.push(loadavg()[0]!);
  }
  const name = path.split('/').pop();
  console.log(
    `${name}: ${cases.toLocaleString('en-US')} cases, ${(content.length / 1e6).toFixed(0)} MB; ` +
      `CPU general ${median(cpu.general).toFixed(0)} ms, fast ${median(cpu.fast).toFixed(0)} ms, ` +
      `fast/general ${median(ratios).toFixed(2)}× (rounds ${ratios.map((x) => x.toFixed(2)).join(' ')}); ` +
      `fast path read ${stats.fastElements.toLocaleString('en-US')} elements`,
  );
}
console.log(`load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`);
