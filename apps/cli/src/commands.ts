import type { CommandDefinition } from './command.ts';
import { analyzeCommand } from './commands/analyze.ts';
import { auditCommand } from './commands/audit.ts';
import { demoCommand } from './commands/demo.ts';
import { llmCheckCommand } from './commands/llm-check.ts';
import { mergeCommand } from './commands/merge.ts';
import { pullCommand } from './commands/pull.ts';
import { recommendCommand } from './commands/recommend.ts';
import { replayCommand } from './commands/replay.ts';
import { routeEvalCommand } from './commands/route-eval.ts';

/** Every `baton` command, in the order `baton --help` lists them. */
export const COMMANDS: readonly CommandDefinition[] = [
  analyzeCommand,
  mergeCommand,
  demoCommand,
  replayCommand,
  routeEvalCommand,
  auditCommand,
  pullCommand,
  recommendCommand,
  llmCheckCommand,
];
