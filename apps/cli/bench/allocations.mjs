// Where a run allocates, collected objects included (V8's sampling heap profiler keeps only the
// objects still alive at the end unless asked; `node --heap-prof` cannot ask). Two uses:
//   BATON_BENCH_ALLOCATIONS=/tmp/a.json node --import ./apps/cli/bench/allocations.mjs <dist>/baton.mjs analyze …
//     preloaded: samples every ~1 KiB allocated and writes the profile to that file on exit;
//   node apps/cli/bench/allocations.mjs /tmp/a.json [top]
//     prints the total sampled and the functions that allocated most (self), in MB and %.
// Use an unminified build for readable names (ADR 0017, ninth pass). Not a test: it prints figures.
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { fileURLToPath } from 'node:url';

const target = process.env.BATON_BENCH_ALLOCATIONS;
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, topText] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write('usage: node apps/cli/bench/allocations.mjs <profile.json> [top]\n');
    process.exit(2);
  }
  const self = new Map();
  let total = 0;
  const stack = [JSON.parse(readFileSync(file, 'utf8')).head];
  while (stack.length > 0) {
    const node = stack.pop();
    const f = node.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    total += node.selfSize;
    if (node.selfSize > 0) self.set(name, (self.get(name) ?? 0) + node.selfSize);
    for (const child of node.children ?? []) stack.push(child);
  }
  console.log(`sampled ${(total / 1e6).toFixed(1)} MB`);
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(topText ?? 25));
  for (const [name, bytes] of top)
    console.log(
      `${(bytes / 1e6).toFixed(2).padStart(8)} MB ${((100 * bytes) / total).toFixed(1).padStart(5)}%  ${name}`,
    );
} else if (target) {
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.enable');
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  // The inspector answers synchronously within `post` on the same thread, so this runs to the end on exit.
  process.on('exit', () => {
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (error === null) writeFileSync(target, JSON.stringify(result.profile));
    });
  });
}
