// Benchmark (not a test): replay throughput in events per second on an event log given on the
// command line. Reading is timed apart from the replay, so the figure is the engine's own speed:
// patterns + charter gate + caps + idempotency, with and without business-time clock ticks.
//
//   pnpm exec tsx apps/cli/bench/replay-throughput.ts /work/shared/data/eventlogs/bpic2014-incident-activity-filtered.xes.gz [--charter file.yaml] [--tick 1h]
import { parseArgs } from 'node:util';
import {
  addBusinessTime,
  compileCharter,
  createReplayEngine,
  DEFAULT_CHARTER,
  nextBusinessTime,
  parseDuration,
  type CaseEvent,
  type CaseRecord,
} from '@baton/core';
import { loadCharter, REPLAY_PATTERNS } from '../src/commands/replay-run.ts';
import { defineReadOptions, readInputs } from '../src/readers/index.ts';

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { charter: { type: 'string' }, tick: { type: 'string', default: '1h' }, owner: { type: 'string' } },
  allowPositionals: true,
});
if (positionals.length === 0) {
  console.error('usage: tsx apps/cli/bench/replay-throughput.ts <log...> [--charter file] [--tick 1h] [--owner org:group]');
  process.exit(2);
}

const charter = compileCharter(values.charter === undefined ? DEFAULT_CHARTER : await loadCharter(values.charter));
let t = performance.now();
const cases: CaseRecord[] = [];
const readOptions = defineReadOptions(values.owner === undefined ? {} : { eventLog: { ownerKey: values.owner } });
for await (const item of readInputs(positionals, readOptions)) if (item.type === 'case') cases.push(item.record);
const timeline: CaseEvent[] = cases.flatMap((c) => c.events).sort((a, b) => a.at - b.at);
const readSeconds = (performance.now() - t) / 1000;
console.log(`read ${cases.length.toLocaleString('en-US')} cases, ${timeline.length.toLocaleString('en-US')} events in ${readSeconds.toFixed(1)} s`);

function run(tickMs: number | null): void {
  const engine = createReplayEngine({ charter, patterns: REPLAY_PATTERNS });
  for (const c of cases) engine.addCase(c);
  let decisions = 0;
  let next = tickMs === null ? Infinity : nextBusinessTime(charter.calendar, timeline[0]!.at);
  const start = performance.now();
  for (const e of timeline) {
    while (next <= e.at) {
      decisions += engine.tick(next).length;
      next = addBusinessTime(charter.calendar, next, tickMs!);
    }
    decisions += engine.event(e).length;
  }
  const seconds = (performance.now() - start) / 1000;
  const label = tickMs === null ? 'events only      ' : `events + ${values.tick} ticks`;
  console.log(
    `${label}: ${Math.round(timeline.length / seconds).toLocaleString('en-US')} events/s ` +
      `(${seconds.toFixed(2)} s, ${engine.stats.ticks.toLocaleString('en-US')} ticks, ${decisions.toLocaleString('en-US')} decisions)`,
  );
}

t = performance.now();
run(null);
const tick = parseDuration(values.tick);
if (tick !== undefined) run(tick);
