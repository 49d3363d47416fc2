import { mkdir } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import {
  createHistoryObserver,
  createWorkflowResolver,
  defineCalendar,
  formatIssue,
  inferCalendar,
  parseCharter,
  recommendCharter,
  type Calendar,
  type StateCategoryHints,
} from '@baton/core';
import { loadConfigFile } from '../analyze/load-config-file.ts';
import { CliError, defineCommand } from '../command.ts';
import { defineReadOptions, readInputs } from '../readers/index.ts';
import { writeFileAtomic } from './pull-checkpoint.ts';
import { charterYaml } from './recommend-yaml.ts';

const HELP = `Usage: baton recommend <inputs...> --out <charter.yaml> [--owner <attr>] [--key <attr>] [--calendar <file>] [--name <text>]

Writes a starting charter (core's schema: what baton replay reads and the Jira app stores) from a
history, every value followed by a comment naming the figure it came from:
  workflow      every state seen, its phase (Jira category and name), a stall norm at the p90 of
                idle time there, a definition of ready from what was present at ≥ 90 % of exits and
                missing at ≥ 10 % of entries, and where a wait goes when it is ready
  calendar      the hours and weekdays people worked (80 % of events) and their UTC offset
  slaGoals      resolution and first response at the time 85 % of the history met
  escalation    a resolution ladder (owner at 75 %, lead at the breach) and an idle ladder (p90, 2×)
  routing       a team per component (--key) led by who finished most of its cases
  caps, missingInfo  from how many cases people touch a day and how long waits last
  autonomy      every dial at assist
Check it with: baton replay <inputs...> --charter <charter.yaml> --out <dir>

Options:
  --out <file>       the charter to write (YAML)
  --owner <attr>     event logs: the attribute that names the owner (default org:resource)
  --key <attr>       the case attribute ownership rules key on (default components)
  --calendar <file>  use this calendar (JSON or YAML) instead of inferring one
  --name <text>      the charter's name (default: from the inputs)

Example:
  baton recommend apps/cli/data/bpic2013-incidents.xes.gz --owner org:group --out charter.yaml
`;

export const recommendCommand = defineCommand({
  name: 'recommend',
  summary: 'a starting charter from a history, each value commented with its figure',
  help: HELP,
  options: {
    out: { type: 'string' },
    owner: { type: 'string' },
    key: { type: 'string' },
    calendar: { type: 'string' },
    name: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new CliError(`expected at least one input file\n\n${HELP}`, 2);
    const out = values['out'];
    if (typeof out !== 'string') throw new CliError('--out <charter.yaml> is required', 2);
    const owner = typeof values['owner'] === 'string' ? values['owner'] : undefined;
    const key = typeof values['key'] === 'string' ? values['key'] : 'components';
    const inputs = positionals.map((p) => resolve(io.cwd, p));
    const given =
      typeof values['calendar'] === 'string'
        ? await loadConfigFile(resolve(io.cwd, values['calendar']), 'calendar', defineCalendar)
        : undefined;

    const hints: StateCategoryHints = new Map();
    const resolver = createWorkflowResolver(undefined, hints);
    const observer = createHistoryObserver({
      keyAttribute: key,
      isCustomerWait: (s) => resolver(s).phase === 'waiting' && resolver(s).waitingReason === 'customer',
      isDone: (s) => resolver(s).phase === 'done',
    });
    let skipped = 0;
    const readOptions = defineReadOptions(owner === undefined ? {} : { eventLog: { ownerKey: owner } });
    for await (const item of readInputs(inputs, readOptions)) {
      if (item.type === 'case') observer.add(item.record);
      else if (item.type === 'hints') {
        for (const [k, v] of item.hints) if (!hints.has(k)) hints.set(k, v);
        observer.addHints(item.hints);
      } else if (item.type === 'skip') {
        skipped++;
        if (skipped <= 5) io.stderr(`skipped: ${item.skipped.location.file}: ${item.skipped.message}\n`);
      }
    }
    const obs = observer.observations();
    if (obs.cases === 0) throw new CliError(`no cases in ${positionals.join(', ')}: nothing to recommend from`);

    let calendar: Calendar;
    let calendarNote: string;
    if (given !== undefined) {
      calendar = given;
      calendarNote = `from ${String(values['calendar'])}`;
    } else {
      const inferred = inferCalendar(obs);
      const made = defineCalendar(inferred.calendar);
      if (!made.ok) throw new Error(`inferred calendar is invalid: ${made.issues.map(formatIssue).join('; ')}`);
      calendar = made.value;
      calendarNote = inferred.note;
    }
    const name =
      typeof values['name'] === 'string'
        ? values['name']
        : `Recommended from ${positionals.map((p) => basename(p)).join(', ')}`;
    const recommendation = recommendCharter(obs, {
      name,
      calendar,
      calendarNote,
      resolve: resolver,
      keyAttribute: key,
    });
    // What is written must be what replay and the Jira app accept: a refusal here is a bug, not a user error.
    const check = parseCharter(recommendation.charter);
    if (!check.ok) throw new Error(`recommended charter is invalid: ${check.issues.map(formatIssue).join('; ')}`);

    const yaml = charterYaml(recommendation, [
      `${name}: a starting charter recommended by baton recommend from ${obs.cases.toLocaleString('en-US')} cases`,
      `(${obs.events.toLocaleString('en-US')} events${skipped > 0 ? `, ${skipped} records skipped` : ''}). Each value's comment names the figure it came from.`,
      'Every autonomy dial is at assist: run baton replay with it, read replay.html, then raise what earns it.',
    ]);
    const target = resolve(io.cwd, out);
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, yaml);
    const c = check.value;
    io.stdout(
      `recommended a charter from ${obs.cases.toLocaleString('en-US')} cases: ${Object.keys(c.workflow.states).length} states ` +
        `(${Object.values(c.workflow.states).filter((s) => s.norm !== undefined).length} with a norm, ` +
        `${Object.values(c.workflow.states).filter((s) => s.ready.length > 0).length} with a definition of ready), ` +
        `${c.slaGoals.length} SLA goals, ${c.escalation.ladders.length} ladders, ${c.routing.ownership.length} ownership rules → ${out}\n`,
    );
    return 0;
  },
});
