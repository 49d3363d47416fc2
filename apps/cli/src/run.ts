import { parseArgs } from 'node:util';
import { CliError, type CliIO, type CommandDefinition } from './command.ts';
import { COMMANDS } from './commands.ts';
import { escapeTerminal } from './output/terminal.ts';
import { VERSION } from './version.ts';

export { VERSION };

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

/**
 * The io a command gets: everything it prints goes through `escapeTerminal`, so text from the data
 * (file names, states, skipped records) can never drive the terminal; `status` draws the one
 * progress line, whose own control sequence is the only one written.
 */
function safeIo(io: CliIO): CliIO {
  return {
    ...io,
    stdout: (text) => io.stdout(escapeTerminal(text)),
    stderr: (text) => io.stderr(escapeTerminal(text)),
    status: (text) => io.stderr(`\r\x1b[K${escapeTerminal(text)}`),
  };
}

/** The first option given more than once that takes a single value (`--format csv --format xes`). */
function repeatedOption(
  tokens: readonly { kind: string; name?: string }[],
  options: CommandDefinition['options'],
): string | undefined {
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option' || t.name === undefined) continue;
    if (options[t.name]?.multiple === true) continue;
    if (seen.has(t.name)) return t.name;
    seen.add(t.name);
  }
  return undefined;
}

/**
 * Runs one command line and returns the exit code (documented in docs/cli.md): 0 success,
 * 1 nothing usable or a failure while running, 2 a usage error. Never throws: an error no command
 * expected is reported as an internal error, exit code 1.
 */
export async function runCli(argv: readonly string[], rawIo: CliIO): Promise<number> {
  const io = safeIo(rawIo);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry === undefined) {
    io.stderr(`baton: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return 0;
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    const { values, positionals, tokens } = parseArgs({
      args: [...rest],
      options: command.options,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
    const repeated = repeatedOption(tokens, command.options);
    if (repeated !== undefined) throw new Error(`option --${repeated} given more than once`);
    parsed = { values, positionals };
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
    io.stderr(`baton ${name}: internal error (a bug; please report it): ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}
