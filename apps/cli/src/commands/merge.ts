import { defineCommand, CliError } from '../command.ts';
import { runMerge } from '../analyze/run-merge.ts';
import { SKETCH_RELATIVE_ACCURACY } from '@baton/core/analysis';

export const mergeCommand = defineCommand({
  name: 'merge',
  summary: 'adds up partial analyses (analyze --partial) into one → report.html, kpis.json, states.csv',
  help: `Usage: baton merge <partial.json...> --out <dir>

Adds up the partial analyses that \`baton analyze --partial <file>\` wrote for disjoint sets of
cases (per project, per month, per site, on several machines) into the figures of all their cases:
counts, sums, histograms and per-state totals exactly; cycle time, time in state and waiting
quantiles within ${SKETCH_RELATIVE_ACCURACY * 100}% (relative; the partials carry DDSketch quantile sketches). The partials
must have been made with the same calendar, costs and --since/--until/--cohort.
Per-case files (cases.csv, events.csv) are not in a partial: concatenate the shards' own.

Options:
  -o, --out <dir>   where to write report.html, kpis.json, states.csv (default ./baton-report)
  --title <text>    the report's title

Example:
  baton analyze 2023.xes.gz --out r2023 --partial 2023.json
  baton analyze 2024.xes.gz --out r2024 --partial 2024.json
  baton merge 2023.json 2024.json --out all
`,
  options: { out: { type: 'string', short: 'o' }, title: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new CliError('expected at least one partial file; see `baton merge --help`', 2);
    const { resolve } = await import('node:path');
    await runMerge(
      {
        partials: positionals.map((p) => resolve(io.cwd, p)),
        outValue: typeof values.out === 'string' ? values.out : 'baton-report',
        cwd: io.cwd,
        title: typeof values.title === 'string' ? values.title : 'Coordination analysis (merged)',
        now: () => Date.now(),
      },
      io,
    );
    return 0;
  },
});
