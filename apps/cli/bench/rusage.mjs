// Preloaded into a benchmarked child (`node --import ./rusage.mjs …`): on exit it writes the
// process's own CPU time and peak memory to the file named by BATON_BENCH_RUSAGE.
import { writeFileSync } from 'node:fs';

const target = process.env.BATON_BENCH_RUSAGE;
if (target) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(
      target,
      JSON.stringify({ userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, maxRssKb: u.maxRSS }),
    );
  });
}
