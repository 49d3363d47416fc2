import type { CommandDefinition } from './command.ts';

/**
 * A command as `baton --help` lists it. Its module (options, help, run, and everything they import)
 * is loaded only when that command runs: `baton analyze` does not parse and set up the schemas and
 * clients of the other eight commands, and `baton --version` loads none of them.
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<CommandDefinition>;
}

/** Every `baton` command, in the order `baton --help` lists them (summaries as their modules give them: tested). */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'analyze',
    summary: 'coordination analysis of Jira exports and event logs → report.html, kpis.json, CSVs',
    load: async () => (await import('./commands/analyze.ts')).analyzeCommand,
  },
  {
    name: 'merge',
    summary: 'adds up partial analyses (analyze --partial) into one → report.html, kpis.json, states.csv',
    load: async () => (await import('./commands/merge.ts')).mergeCommand,
  },
  {
    name: 'demo',
    summary: 'analyse the bundled BPI Challenge 2013 incident log (Volvo IT) into ./baton-report',
    load: async () => (await import('./commands/demo.ts')).demoCommand,
  },
  {
    name: 'replay',
    summary: 'replay a history: what the agent would have done, under a charter',
    load: async () => (await import('./commands/replay.ts')).replayCommand,
  },
  {
    name: 'route-eval',
    summary: 'train the router on older issues, measure it on newer ones (accuracy, calibration, baselines)',
    load: async () => (await import('./commands/route-eval.ts')).routeEvalCommand,
  },
  {
    name: 'audit',
    summary: 'verify an audit log written by replay (chain, seal, head, HMAC signature)',
    load: async () => (await import('./commands/audit.ts')).auditCommand,
  },
  {
    name: 'pull',
    summary: "pull a Jira site's issues, changelogs and comments into a JSONL.gz",
    load: async () => (await import('./commands/pull.ts')).pullCommand,
  },
  {
    name: 'recommend',
    summary: 'a starting charter from a history, each value commented with its figure',
    load: async () => (await import('./commands/recommend.ts')).recommendCommand,
  },
  {
    name: 'llm-check',
    summary: 'check a language-model configuration on a made-up case (redaction, answer, fallback)',
    load: async () => (await import('./commands/llm-check.ts')).llmCheckCommand,
  },
];
