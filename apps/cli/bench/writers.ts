// The writers of events.csv and cases.csv in process (issue 17; ADR 0017, seventh pass: writers),
// apart from reading and analysing: two builds of them, alternated.
//   pnpm exec tsx apps/cli/bench/writers.ts --old <src dir> [--rounds 7] <log...>
// e.g. --old /work/main/apps/cli/src (another checkout's `apps/cli/src`). Bundles `writeEventRows`,
// `writeCaseRow` and the byte sink from both source trees (esbuild, as the CLI is built), reads
// each log once (the CLI's readers and analysis, defaults), keeping every case and a copy of its
// summary, then writes them all `rounds` times each way into a sink that discards (old new,
// new old, …), each case chunk by chunk (see CHUNK). Prints, for events.csv and cases.csv, the
// median CPU ms of each way, the median of the rounds' new/old ratios, the least CPU ms of each way
// (under load, the least disturbed), and the bytes each wrote with whether their SHA-256 agree
// (they must), with the load average seen. Not a test: it prints figures.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CaseRecord } from '@baton/core';
import type { CaseSummary } from '@baton/core/analysis';
import type { writeEventRows as WriteEventRows } from '../src/analyze/event-rows.ts';
import type { writeCaseRow as WriteCaseRow } from '../src/analyze/consume-items.ts';
import type { createByteSink as CreateByteSink } from '../src/output/byte-sink.ts';
import { readInputs, defineReadOptions } from '../src/readers/index.ts';
import { createAnalysis } from '@baton/core/analysis';
import { importBundled } from './bundled.ts';
import { takeOption } from './bench-args.ts';
import { DEFAULT_CALENDAR, workingDayMs } from '@baton/core';

const args = process.argv.slice(2);
const rounds = Number(takeOption(args, '--rounds') ?? 7);
const oldSrc = takeOption(args, '--old');
if (!(rounds > 0) || oldSrc === undefined || args.length === 0) {
  console.error('usage: tsx apps/cli/bench/writers.ts --old <src dir> [--rounds 7] <log...>');
  process.exit(2);
}

interface Writers {
  writeEventRows: typeof WriteEventRows;
  writeCaseRow: typeof WriteCaseRow;
  createByteSink: typeof CreateByteSink;
}

const dir = mkdtempSync(join(tmpdir(), 'baton-writers-bench-'));
const bundle = (src: string, name: string) =>
  importBundled<Writers>(
    `export { writeEventRows } from '${src}/analyze/event-rows.ts';\n` +
      `export { writeCaseRow } from '${src}/analyze/consume-items.ts';\n` +
      `export { createByteSink } from '${src}/output/byte-sink.ts';`,
    src,
    dir,
    name,
  );
const ways = {
  old: await bundle(resolve(oldSrc), 'old'),
  new: await bundle(new URL('../src', import.meta.url).pathname, 'new'),
};
rmSync(dir, { recursive: true, force: true });

// In a run, a case is written just after it was read and analysed: its objects are in the cache.
// Here 150,000 cases were read long before; written cold, the misses took more time than the
// writing. So they are written in chunks of CHUNK, each read through first (untimed), and the CPU
// time of the writing alone summed over the chunks.
const CHUNK = 256;
let warmth = 0;

/** Reads what `writeEventRows` reads of a record. */
function warmRecord(record: CaseRecord): void {
  let h = record.id.charCodeAt(0);
  for (const e of record.events) {
    h ^= e.at + e.offsetMinutes + e.kind.length + (e.field?.length ?? 0) + (e.from?.length ?? 0);
    h ^= (e.to?.length ?? 0) + (e.actor?.length ?? 0) + (e.state?.length ?? 0) + (e.owner?.length ?? 0);
  }
  warmth ^= h;
}

/** Reads what `writeCaseRow` reads of a summary. */
function warmSummary(s: CaseSummary): void {
  let h = s.id.charCodeAt(0) + s.source.length + s.events + s.firstAt + s.lastAt + s.cycleMs + s.waitingMs;
  for (const o of s.owners) h ^= o.length;
  warmth ^= h + s.exceptions.reopened + (s.sla.due ?? 0) + (s.finalState?.length ?? 0);
}

/** CPU ms of `write` over all `items`, chunk by chunk, each chunk warmed first. */
function timed<T>(items: readonly T[], warm: (item: T) => void, write: (item: T) => void): number {
  let micros = 0;
  for (let start = 0; start < items.length; start += CHUNK) {
    const end = Math.min(items.length, start + CHUNK);
    for (let i = start; i < end; i++) warm(items[i]!);
    const before = process.cpuUsage();
    for (let i = start; i < end; i++) write(items[i]!);
    const used = process.cpuUsage(before);
    micros += used.user + used.system;
  }
  return micros / 1000;
}

/** One writer's CPU times, old and new, their ratios per round, and what each version wrote. */
function writerFigures() {
  return {
    old: [] as number[],
    new: [] as number[],
    ratios: [] as number[],
    bytes: { old: 0, new: 0 },
    sha: { old: '', new: '' },
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const options = defineReadOptions();
const ownerFields = { eventLog: options.eventLog.ownerKey, jira: options.jiraOwnerField };
const businessDayMs = workingDayMs(DEFAULT_CALENDAR);
const loads: number[] = [loadavg()[0]!];
for (const path of args) {
  const records: CaseRecord[] = [];
  const summaries: CaseSummary[] = [];
  const analysis = createAnalysis();
  for await (const item of readInputs([path], options)) {
    if (item.type !== 'case') continue;
    const summary = analysis.addTransient(item.record);
    if (summary === undefined) continue;
    records.push(item.record);
    // The transient summary is rewritten by the next case: copy what writeCaseRow reads (not
    // `visits`, a reused buffer: cloning it for every case took 24 GB on road-traffic), field by
    // field into one object shape, as the analysis's own summary has (a spread copy of it, with
    // `visits` added, made writeCaseRow 2.4× slower than it is on the summary in a run).
    const s = summary;
    summaries.push({
      id: s.id,
      source: s.source,
      events: s.events,
      firstAt: s.firstAt,
      firstOffsetMinutes: s.firstOffsetMinutes,
      lastAt: s.lastAt,
      lastOffsetMinutes: s.lastOffsetMinutes,
      cycleMs: s.cycleMs,
      cycleBusinessMs: s.cycleBusinessMs,
      owners: [...s.owners],
      handoffs: s.handoffs,
      pingPongBounces: s.pingPongBounces,
      comments: s.comments,
      statusChases: s.statusChases,
      visits: [],
      finalState: s.finalState,
      waitingMs: s.waitingMs,
      waitingBusinessMs: s.waitingBusinessMs,
      exceptions: { ...s.exceptions },
      sla: { ...s.sla },
    });
  }
  const figures = { events: writerFigures(), cases: writerFigures() };
  // Once per way, untimed: the SHA-256 of what each wrote (equal sizes are not equal bytes).
  for (const way of ['old', 'new'] as const) {
    const w = ways[way];
    let hash = createHash('sha256');
    let sink = w.createByteSink((b) => hash.update(b));
    for (const record of records) w.writeEventRows(record, ownerFields, sink);
    sink.close();
    figures.events.sha[way] = hash.digest('hex');
    hash = createHash('sha256');
    sink = w.createByteSink((b) => hash.update(b));
    for (const summary of summaries) w.writeCaseRow(sink, summary, businessDayMs);
    sink.close();
    figures.cases.sha[way] = hash.digest('hex');
  }
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const);
    for (const way of order) {
      const w = ways[way];
      let bytes = 0;
      let sink = w.createByteSink((b) => (bytes += b.length));
      figures.events[way].push(timed(records, warmRecord, (record) => w.writeEventRows(record, ownerFields, sink)));
      sink.close();
      figures.events.bytes[way] = bytes;
      bytes = 0;
      sink = w.createByteSink((b) => (bytes += b.length));
      figures.cases[way].push(timed(summaries, warmSummary, (summary) => w.writeCaseRow(sink, summary, businessDayMs)));
      sink.close();
      figures.cases.bytes[way] = bytes;
    }
    for (const f of [figures.events, figures.cases]) f.ratios.push(f.new[r]! / f.old[r]!);
    loads.push(loadavg()[0]!);
  }
  const name = path.split('/').pop();
  for (const [file, f] of [
    ['events.csv', figures.events],
    ['cases.csv', figures.cases],
  ] as const) {
    console.log(
      `${name} ${file}: ${records.length.toLocaleString('en-US')} cases; CPU old ${median(f.old).toFixed(0)} ms, ` +
        `new ${median(f.new).toFixed(0)} ms, new/old ${median(f.ratios).toFixed(2)}× ` +
        `(least: old ${Math.min(...f.old).toFixed(0)} ms, new ${Math.min(...f.new).toFixed(0)} ms) ` +
        `(rounds ${f.ratios.map((x) => x.toFixed(2)).join(' ')}); bytes old ${f.bytes.old}, new ${f.bytes.new}` +
        (f.bytes.old === f.bytes.new && f.sha.old === f.sha.new ? ', same SHA-256' : ' DIFFER'),
    );
  }
}
if (warmth === 0.5) console.log('');
console.log(`load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`);
