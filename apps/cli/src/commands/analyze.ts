import { defineCommand, CliError } from '../command.ts';
import { ANALYZE_OPTIONS, ANALYZE_OPTIONS_HELP, analyzeRequest } from '../analyze/analyze-options.ts';
import { formatSummary, runAnalysis } from '../analyze/run-analysis.ts';

export const analyzeCommand = defineCommand({
  name: 'analyze',
  summary: 'coordination analysis of Jira exports and event logs → report.html, kpis.json, CSVs',
  help: `Usage: baton analyze <input...> [options]

Analyses where work waits: cycle time (wall and business), time in state and choke points,
handoffs and ping-pong, status chasing, SLA breaches, the four buckets of coordination overhead and
what they cost. Inputs: Jira REST JSON (search, issue, array, JSONL; .gz), XES (.xes, .xes.gz), CSV.

${ANALYZE_OPTIONS_HELP}

Examples:
  baton analyze export.json --out report
  baton analyze incidents.xes.gz --owner org:group --calendar calendar.yaml --cohort 2012-01-01
`,
  options: ANALYZE_OPTIONS,
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new CliError('expected at least one input file; see `baton analyze --help`', 2);
    const request = await analyzeRequest(values, positionals, io, {
      out: 'baton-report',
      title: 'Coordination analysis',
    });
    const outcome = await runAnalysis(request, io);
    if (!request.quiet) io.stdout(formatSummary(outcome, io.cwd));
    return 0;
  },
});
