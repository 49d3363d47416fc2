import { resolve } from 'node:path';
import {
  type Calendar,
  defineCalendar,
  fail,
  fromZodIssues,
  ok,
  type Result,
  type WorkflowMap,
  WorkflowMapSchema,
  workingDayMs,
  DEFAULT_CALENDAR,
  startOfLocalDay,
} from '@baton/core';
import { parseTimestamp } from '@baton/core/time';
import { type AnalysisOptions, defineCosts } from '@baton/core/analysis';
import type { CommandDefinition } from '../command.ts';
import { CliError, type CliIO } from '../command.ts';
import { defineReadOptions } from '../readers/read-options.ts';
import { INPUT_FORMATS, type InputFormat } from '../readers/types.ts';
import { loadConfigFile } from './load-config-file.ts';
import type { AnalyzeRequest } from './run-analysis.ts';
import { DEFAULT_HASH_THREAD_MIN_BYTES } from '../output/hash-thread.ts';
import { DEFAULT_PIPELINE_MIN_BYTES } from './pipeline.ts';
import { DEFAULT_SHARD_MIN_BYTES } from './run-shards.ts';

/** The options `analyze` and `demo` share. */
export const ANALYZE_OPTIONS: CommandDefinition['options'] = {
  out: { type: 'string', short: 'o' },
  owner: { type: 'string' },
  case: { type: 'string' },
  activity: { type: 'string' },
  timestamp: { type: 'string' },
  due: { type: 'string' },
  workflow: { type: 'string' },
  calendar: { type: 'string' },
  costs: { type: 'string' },
  sla: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  cohort: { type: 'string' },
  format: { type: 'string' },
  title: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  strict: { type: 'boolean' },
  partial: { type: 'string' },
  jobs: { type: 'string', short: 'j' },
};

export const ANALYZE_OPTIONS_HELP = `Options:
  -o, --out <dir>         where to write report.html, kpis.json, cases.csv, states.csv, events.csv
                          (default ./baton-report)
  --owner <attribute>     who owns a case: an event-log attribute (default org:resource; e.g. org:group
                          for support teams) or a Jira field id (default assignee)
  --case, --activity, --timestamp, --due <column>
                          event-log columns/attributes (defaults: case:concept:name, concept:name,
                          time:timestamp, case:deadline)
  --workflow <file>       JSON or YAML: { states: { "<status or activity>": { phase, waitingReason } } }
                          phase: queue | active | waiting | done; waitingReason: customer | vendor |
                          approval | internal. Unlisted states follow Jira status categories and names.
  --calendar <file>       JSON or YAML: { timeZone, week: { mon: [["09:00","17:00"]], ... }, holidays: [] }
                          (default Mon–Fri 09:00–17:00 UTC)
  --costs <file>          JSON or YAML: { minutesPerHandoff: 15, minutesPerStatusCheck: 5,
                          minutesPerException: 30, minutesPerMessage: 3, loadedCostPerHour: 60,
                          currency: "EUR" } (these are the defaults)
  --sla <target>          a resolution target in business time for cases without a due date: 8h, 5d
  --since, --until <date> only cases first seen in [since, until) (YYYY-MM-DD or ISO 8601)
  --cohort <date>         compare cases first seen before the date with those after it (e.g. a
                          go-live). A YYYY-MM-DD date starts at midnight in the --calendar's time
                          zone (UTC without one); an ISO 8601 time with an offset is taken as given
  --format <f>            force the reader: jira | xes | csv (default: from the name or content)
  --title <text>          the report's title
  --partial <file>        also write the analysis's mergeable state (JSON) to <file>, for
                          baton merge: counts and sums exact, distributions as sketches
  -j, --jobs <n>          1 (default): one thread. 2 or more: one large XES or CSV input (64 MiB
                          of content or more) is cut into n runs of whole cases, analysed at once
                          and joined. BATON_PIPELINE_MIN_BYTES=<bytes>: one XES or CSV input at
                          least that large is read on a second thread while the first analyses it.
                          The outputs are those of one thread, byte for byte, either way. Unless
                          --jobs 1 is given, inputs of 24 MiB of content or more have run.json's
                          SHA-256 digests taken on a small thread of their own when a core is free
  -q, --quiet             no progress and no summary
  --strict                fail (exit 1, nothing written) when any record is skipped

Outputs are staged beside --out and moved into place when complete, with run.json (inputs with sizes
and SHA-256, options, version, completion time); a failed run leaves the previous one untouched.
Exit codes: 0 written; 1 nothing could be analysed, --strict saw a skipped record, or a failure;
2 a usage error.`;

/**
 * A date option: a bare date (`2024-01-31`) is that day's midnight in the calendar's time zone (a
 * go-live date is the team's day, not UTC's); an ISO 8601 time is the instant it names.
 */
function dateOption(name: string, value: unknown, calendar: Calendar): number | undefined {
  if (value === undefined) return undefined;
  const local = startOfLocalDay(calendar, String(value));
  if (local !== undefined) return local;
  const ts = parseTimestamp(String(value));
  if (ts === undefined)
    throw new CliError(`--${name}: expected a date like 2024-01-31 or an ISO 8601 time, got '${String(value)}'`, 2);
  return ts.at;
}

function defineWorkflowMap(input: unknown): Result<WorkflowMap> {
  const parsed = WorkflowMapSchema.safeParse(input);
  return parsed.success ? ok(parsed.data) : fail(...fromZodIssues(parsed.error.issues));
}

/** `8h` → 8 business hours; `5d` → 5 working days of the calendar; in ms. */
export function parseSla(text: string, dayMs: number): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(h|d)$/i.exec(text.trim());
  if (m === null) return undefined;
  const n = Number(m[1]);
  if (!(n > 0)) return undefined;
  return m[2]!.toLowerCase() === 'h' ? n * 3_600_000 : n * dayMs;
}

/** Turns parsed command-line values into an analysis request; config files are read and validated here. */
export async function analyzeRequest(
  values: Record<string, unknown>,
  inputs: readonly string[],
  io: CliIO,
  defaults: { readonly out: string; readonly owner?: string; readonly title: string },
): Promise<AnalyzeRequest> {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const format = str('format');
  if (format !== undefined && !INPUT_FORMATS.includes(format as InputFormat)) {
    throw new CliError(`--format: expected one of ${INPUT_FORMATS.join(', ')}, got '${format}'`, 2);
  }
  const at = (p: string) => resolve(io.cwd, p);
  const owner = str('owner') ?? defaults.owner;
  const calendarFile = str('calendar');
  const costsFile = str('costs');
  const workflowFile = str('workflow');
  const calendar =
    calendarFile === undefined ? undefined : await loadConfigFile(at(calendarFile), 'calendar', defineCalendar);
  const costs = costsFile === undefined ? undefined : await loadConfigFile(at(costsFile), 'costs', defineCosts);
  const workflow =
    workflowFile === undefined ? undefined : await loadConfigFile(at(workflowFile), 'workflow', defineWorkflowMap);
  const since = dateOption('since', values.since, calendar ?? DEFAULT_CALENDAR);
  const until = dateOption('until', values.until, calendar ?? DEFAULT_CALENDAR);
  if (since !== undefined && until !== undefined && until <= since)
    throw new CliError('--until: expected a date after --since', 2);
  const cohort = dateOption('cohort', values.cohort, calendar ?? DEFAULT_CALENDAR);
  const slaText = str('sla');
  const dayMs = workingDayMs(calendar ?? DEFAULT_CALENDAR);
  const slaMs = slaText === undefined ? undefined : parseSla(slaText, dayMs);
  if (slaText !== undefined && slaMs === undefined)
    throw new CliError(`--sla: expected a business-time target like 8h or 5d, got '${slaText}'`, 2);

  const jobsText = str('jobs');
  // Not given: the default, a second thread reads a large input while this one analyses it (ADR
  // 0025). Shards (2 or more) only when asked: they cost more CPU than they save at the size of the
  // benchmark logs (ADR 0023).
  const jobs = jobsText === undefined ? undefined : Number(jobsText);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1 || jobs > 64))
    throw new CliError(`--jobs: expected a whole number of threads from 1 to 64, got '${jobsText}'`, 2);

  const read = defineReadOptions({
    ...(format === undefined ? {} : { format: format as InputFormat }),
    eventLog: {
      ownerKey: owner,
      caseKey: str('case'),
      activityKey: str('activity'),
      timestampKey: str('timestamp'),
      dueKey: str('due'),
    },
    ...(owner === undefined ? {} : { jiraOwnerField: owner }),
  });
  const analysis: AnalysisOptions = {
    ...(calendar === undefined ? {} : { calendar }),
    ...(costs === undefined ? {} : { costs }),
    ...(workflow === undefined ? {} : { workflow }),
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
    ...(cohort === undefined ? {} : { cohort }),
    ...(slaMs === undefined ? {} : { slaTargetMs: () => slaMs }),
  };
  const cal = calendar ?? DEFAULT_CALENDAR;
  return {
    inputs: inputs.map(at),
    outValue: str('out') ?? defaults.out,
    cwd: io.cwd,
    ...(str('partial') === undefined ? {} : { partialPath: at(str('partial')!) }),
    configFiles: [
      ...(calendarFile === undefined ? [] : [{ path: at(calendarFile), role: 'calendar file' }]),
      ...(costsFile === undefined ? [] : [{ path: at(costsFile), role: 'costs file' }]),
      ...(workflowFile === undefined ? [] : [{ path: at(workflowFile), role: 'workflow file' }]),
    ],
    read,
    analysis,
    ...(slaMs === undefined ? {} : { slaMs }),
    ...(jobs === undefined ? {} : { jobs }),
    shardMinBytes: io.env?.BATON_SHARD_MIN_BYTES ?? DEFAULT_SHARD_MIN_BYTES,
    pipelineMinBytes: io.env?.BATON_PIPELINE_MIN_BYTES ?? DEFAULT_PIPELINE_MIN_BYTES,
    hashThreadMinBytes: io.env?.BATON_HASH_THREAD_MIN_BYTES ?? DEFAULT_HASH_THREAD_MIN_BYTES,
    hashThreadWhenBusy: io.env?.BATON_HASH_THREAD_MIN_BYTES !== undefined,
    describe: {
      owner: owner ?? `${read.eventLog.ownerKey} (event logs) / ${read.jiraOwnerField} (Jira)`,
      calendar: calendarFile === undefined ? 'Mon–Fri 09:00–17:00 UTC (default)' : `${calendarFile} (${cal.timeZone})`,
      workflow: workflowFile ?? 'derived from Jira status categories and state names (default)',
      costs: costsFile ?? 'defaults',
      sla:
        slaText === undefined
          ? 'due dates in the data only'
          : `${slaText} of business time from the first event, unless the case has a due date`,
    },
    quiet: values.quiet === true,
    strict: values.strict === true,
    options: values,
    title: str('title') ?? defaults.title,
    now: () => Date.now(),
  };
}
