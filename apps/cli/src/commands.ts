import type { CommandDefinition } from './command.ts';

/** Every `baton` command, in the order `baton --help` lists them. */
export const COMMANDS: readonly CommandDefinition[] = [];
