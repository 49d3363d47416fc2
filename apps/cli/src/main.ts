import { setFlagsFromString } from 'node:v8';
import { readEnv, readNamedSecret } from './env.ts';
import { promptSecret } from './prompt-secret.ts';
import { removePendingStagingSync } from './output/staged-output.ts';
import { runCli } from './run.ts';

// An interrupted run removes its staging directory; the previous run in --out stays as it was.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    removePendingStagingSync();
    process.exit(code);
  });
}

// `analyze` keeps little alive (the open cases, fixed-size samples and sketches: about 15 MB after
// each full collection, on road-traffic and on it ten times over) but allocates per event, and
// V8's default heap growth lets that garbage pile up between collections, so the peak grew with
// the log: 151 MiB on road-traffic (561,470 events), 211 MiB on the 10x log. Growing the heap by
// 10 % at a time keeps them at 141 and 152 MiB, for about 5 % more CPU (more full collections).
// V8 reads the flag at each collection, so setting it here, before the run, is enough.
if (process.argv[2] === 'analyze') setFlagsFromString('--heap-growing-percent=10');

// The process boundary: the only place that reads process.argv/env and sets the exit code.
const env = readEnv(process.env);
if (!env.ok) {
  process.stderr.write(`baton: ${env.message}\n`);
  process.exitCode = 2;
} else {
  const interactive = Boolean(process.stderr.isTTY) && !env.env.CI;
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    interactive,
    cwd: env.env.INIT_CWD ?? process.cwd(),
    env: env.env,
    secretEnv: (name) => readNamedSecret(process.env, name),
    ...(process.stdin.isTTY ? { promptSecret } : {}),
  });
}
