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

// V8's heap grows by its own default. `--heap-growing-percent=10` (08c5f79) once kept the peak of
// the 10x road-traffic log near the 1x log's; since the readers and the analysis allocate less it no
// longer lowers any peak and cost ~3 % of the instructions in full collections (ADR 0017, ninth pass).

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
