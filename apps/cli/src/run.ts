import { parseArgs } from 'node:util';
import { CliError, type CliIO } from './command.ts';
import { COMMANDS } from './commands.ts';

export const VERSION = '0.1.0';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 4);
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'baton — coordination agents that kill handoffs, not jobs',
    '',
    'Usage: baton <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run `baton <command> --help` for a command's options.",
    '',
  ].join('\n');
}

/** Runs one command line and returns the exit code. Never throws for user errors. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr(`baton: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return 0;
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`baton ${name}: ${(error as Error).message}\nRun \`baton ${name} --help\` for usage.\n`);
    return 2;
  }
  try {
    return await command.run(parsed, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`baton ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
