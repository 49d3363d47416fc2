import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineCommand, CliError } from '../command.ts';
import { ANALYZE_OPTIONS, ANALYZE_OPTIONS_HELP, analyzeRequest } from '../analyze/analyze-options.ts';
import { formatSummary, runAnalysis } from '../analyze/run-analysis.ts';

const DEMO_FILE = join('data', 'bpic2013-incidents.xes.gz');

/**
 * The bundled real log (BPI Challenge 2013 incidents, Volvo IT, CC BY 4.0; see data/SOURCE.md), in the
 * CLI package's `data/`. Found from this module's folder upwards, because where this code sits depends
 * on how it runs: `src/commands/` from the sources, `dist/` or `dist/chunks/` in the bundle.
 */
export const DEMO_LOG = ((): string => {
  for (let dir = import.meta.dirname, up = 0; up < 4; dir = dirname(dir), up++) {
    const file = join(dir, DEMO_FILE);
    if (existsSync(file)) return file;
  }
  return join(import.meta.dirname, '..', '..', DEMO_FILE);
})();

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'analyse the bundled BPI Challenge 2013 incident log (Volvo IT) into ./baton-report',
  help: `Usage: baton demo [options]

Runs \`baton analyze\` on a real, public event log bundled with Baton: 7,554 incidents of Volvo IT
Belgium (BPI Challenge 2013, CC BY 4.0), with the support teams (org:group) as owners.
Accepts the options of \`baton analyze\`.

${ANALYZE_OPTIONS_HELP}
`,
  options: ANALYZE_OPTIONS,
  async run({ values, positionals }, io) {
    if (positionals.length > 0)
      throw new CliError(`demo takes no inputs (got ${positionals.join(' ')}); use \`baton analyze\``, 2);
    const request = await analyzeRequest(values, [DEMO_LOG], io, {
      out: 'baton-report',
      owner: 'org:group',
      title: 'Volvo IT incidents (BPI Challenge 2013): coordination analysis',
    });
    const outcome = await runAnalysis(request, io);
    if (!request.quiet) io.stdout(formatSummary(outcome, io.cwd));
    io.stdout(`Open the report: ${outcome.files.report}\n`);
    return 0;
  },
});
