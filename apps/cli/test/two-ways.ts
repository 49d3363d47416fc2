import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTimestamp } from '@baton/core/time';
import type { CliEnv } from '../src/env.ts';
import { defineReadOptions, readInputs } from '../src/readers/index.ts';
import { runCli } from '../src/run.ts';

// What the CLI's tests share: a run of the CLI in memory with an environment of its own (`merge` and
// `recommend` pass none; `analyze` on more than one thread lowers a threshold), and, for --jobs and the
// reading thread, the outputs compared byte for byte with one input analysed one way and the other.

/** The files a run writes besides run.json. */
export const OUTPUTS = ['cases.csv', 'events.csv', 'states.csv', 'kpis.json', 'report.html'] as const;

/** A CLI run in memory with `env`: its exit code, stdout and stderr. */
export function cliWith(env: CliEnv) {
  return async (args: string[], cwd: string, interactive = false) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      interactive,
      cwd,
      env,
    });
    return { code, out: out.join(''), err: err.join('') };
  };
}

/** A new temporary directory named after the test file's subject. */
export const tempDirOf = (prefix: string) => () => mkdtempSync(join(tmpdir(), `baton-${prefix}-`));

/** A file of the run, with the report's generation time (the clock) blanked. */
export function output(dir: string, name: string): string {
  const text = readFileSync(join(dir, name), 'utf8');
  return name === 'report.html' ? text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g, 'T') : text;
}

/** A run's summary line with its time and output directory blanked, to compare two runs. */
export const summary = (text: string) => text.replace(/ in \d+\.\d s\./, ' in – s.').replace(/one|two/g, 'dir');

/**
 * Runs `analyze` on `input` with --jobs 1 into `one` and with `second` (the other way) into `two`,
 * with the same options (or options made for each output directory).
 */
export function bothWaysWith(baton: ReturnType<typeof cliWith>, tempDir: () => string, second: readonly string[]) {
  return async (input: string, options: string[] | ((dir: string) => string[]), cwd = tempDir()) => {
    const one = join(cwd, 'one');
    const two = join(cwd, 'two');
    const more = (dir: string) => (typeof options === 'function' ? options(dir) : options);
    const r1 = await baton(['analyze', input, '--out', one, '--jobs', '1', ...more(one)], cwd);
    const r2 = await baton(['analyze', input, '--out', two, ...second, ...more(two)], cwd);
    return { one, two, r1, r2 };
  };
}

/** The header of `bpic2013CsvRows`. */
export const BPIC2013_CSV_HEADER = 'case:concept:name,concept:name,time:timestamp,org:resource,org:group';

/**
 * BPIC 2013 incidents (the bundled XES at `xes`) as CSV rows without line ends, one event a row and the
 * rows of a case together: 65,533 rows, several reading batches.
 */
export async function bpic2013CsvRows(xes: string): Promise<string[]> {
  const q = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const rows: string[] = [];
  for await (const item of readInputs([xes], defineReadOptions({ eventLog: { ownerKey: 'org:group' } }))) {
    if (item.type !== 'case') continue;
    const r = item.record;
    for (const e of r.events)
      rows.push(
        `${q(r.id)},${q(e.to ?? '')},${formatTimestamp(e.at, e.offsetMinutes)},${q(e.actor ?? '')},${q(e.owner ?? '')}`,
      );
  }
  return rows;
}
