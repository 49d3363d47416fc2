import { runCli } from './run.ts';

// The process boundary: the only place that reads process.argv/env and sets the exit code.
const interactive = Boolean(process.stderr.isTTY) && !process.env.CI;
const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  interactive,
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
process.exitCode = code;
