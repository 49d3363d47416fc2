import type { ParseArgsConfig } from 'node:util';
import type { CliEnv } from './env.ts';

/** What a command may touch: its streams and whether to show progress. Injected so tests can capture it. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when progress may be drawn (a TTY, not CI). */
  readonly interactive: boolean;
  readonly cwd: string;
  /** The validated environment (see env.ts); absent in tests that do not need it. */
  readonly env?: CliEnv;
  /** A secret from an environment variable the user named (see env.ts `readNamedSecret`). */
  readonly secretEnv?: (name: string) => string | undefined;
  /** Draws the progress line (stderr, over itself); `status('')` clears it. Set by runCli. */
  readonly status?: (text: string) => void;
  /** Asks for a secret on the terminal without echoing it; absent when stdin is not a terminal. */
  readonly promptSecret?: (question: string) => Promise<string>;
}

/** A command's failure meant for the user: printed without a stack trace, exit code 1 (2 for usage). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface CommandDefinition {
  readonly name: string;
  readonly summary: string;
  /** Full help text: usage line, options, examples. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(args: { values: Record<string, unknown>; positionals: string[] }, io: CliIO): Promise<number>;
}

export function defineCommand(def: CommandDefinition): CommandDefinition {
  return def;
}
