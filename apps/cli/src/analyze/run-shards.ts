import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { Analysis } from '@baton/core/analysis';
import { CliError } from '../command.ts';
import type { ByteSink } from '../output/byte-sink.ts';
import type { StagedOutput } from '../output/staged-output.ts';
import { detectFormat } from '../readers/detect-format.ts';
import type { ReadOptions, SkippedRecord } from '../readers/types.ts';
import { readXesShard, type XesShardEnd } from '../readers/xes-reader.ts';
import { contentSizeHint, type XesShardScan } from '../readers/xes-shards.ts';
import { createCaseIds } from '../readers/case-ids.ts';
import { readCsvShard } from '../readers/csv-reader.ts';
import { findCsvCuts, newlinesBefore } from '../readers/csv-shards.ts';
import { isGzipFile } from '../readers/open-text.ts';
import { consumeItems, type ItemTally, SKIPPED_EXAMPLES } from './consume-items.ts';
import type { PortableAnalysisOptions, ShardMessage, ShardTask } from './shard-task.ts';
import { startAnalyzeThread } from './worker-script.ts';

/**
 * Below this much content (decompressed), a second thread costs more than it saves: starting it,
 * warming up its JIT and joining the outputs cost about 0.5 s of CPU, as much as a 16–30 MB log
 * takes on one thread (ADR 0023).
 */
export const DEFAULT_SHARD_MIN_BYTES = 64 << 20;

/** How an input is cut: an XES log into `jobs` shards of about `size / jobs` bytes of content; a CSV file at `cuts`. */
export type ShardPlan =
  | { readonly format: 'xes'; readonly path: string; readonly size: number; readonly jobs: number }
  | {
      readonly format: 'csv';
      readonly path: string;
      readonly size: number;
      readonly jobs: number;
      readonly headerEnd: number;
      readonly cuts: readonly number[];
    };

/**
 * Whether to analyse on several threads, and in how many shards: only one input of at least
 * `minBytes` of content, with `jobs` of 2 or more: an XES log (a trace is self-contained, so a log
 * cuts cleanly between traces) or a plain CSV file (cut where the case column changes). Anything
 * else (several inputs, Jira, gzipped CSV) is read on one thread.
 */
export async function planShards(
  inputs: readonly string[],
  read: ReadOptions,
  jobs: number,
  minBytes: number,
): Promise<ShardPlan | undefined> {
  if (jobs < 2 || inputs.length !== 1) return undefined;
  const path = inputs[0]!;
  try {
    const format = await detectFormat(path, read.format);
    const size = await contentSizeHint(path);
    if (size < minBytes || size < jobs) return undefined;
    if (format === 'xes') return { format, path, size, jobs };
    if (format !== 'csv' || (await isGzipFile(path))) return undefined;
    const found = await findCsvCuts(path, read.eventLog.caseKey, jobs);
    if (found === undefined) return undefined;
    return { format, path, size, jobs: found.cuts.length + 1, headerEnd: found.headerEnd, cuts: found.cuts };
  } catch {
    // The sequential reader reports what is wrong with the file.
    return undefined;
  }
}

interface RunningShard {
  readonly result: Promise<Extract<ShardMessage, { type: 'done' }>>;
  progress: { bytesRead: number; cases: number; events: number };
  stop(): Promise<void>;
}

function startShard(task: ShardTask, part: number): RunningShard {
  const worker = startAnalyzeThread('shard-worker.ts', 'analyze-worker.mjs', task);
  const name = basename(task.path);
  const shard: RunningShard = {
    progress: { bytesRead: 0, cases: 0, events: 0 },
    result: new Promise((resolve, reject) => {
      worker.on('message', (m: ShardMessage) => {
        if (m.type === 'progress') shard.progress = m;
        else if (m.type === 'done') resolve(m);
        // The error a one-thread run would have thrown: a CliError stays one (same message, same exit code).
        else reject(m.exitCode === undefined ? new Error(m.message) : new CliError(m.message, m.exitCode));
      });
      worker.on('error', (error) =>
        reject(new CliError(`analysing part ${part + 1} of ${name} on another thread failed: ${error.message}`)),
      );
      worker.on('exit', (code) =>
        reject(
          new CliError(
            `the thread analysing part ${part + 1} of ${name} stopped (exit code ${code}) before it finished`,
          ),
        ),
      );
    }),
    async stop() {
      await worker.terminate();
    },
  };
  // Awaited in order later; a failure before then must not count as unhandled.
  shard.result.catch(() => undefined);
  return shard;
}

/** Appends a part file to a sink (which hashes what it writes: run.json's digest covers the joined file). */
function appendPart(path: string, sink: ByteSink): void {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null))
      sink.bytes(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  rmSync(path);
}

/** A skipped record of a later shard, numbered as a reader of the whole file would number it. */
function inFile(s: SkippedRecord, lineBase: number, traceBase: number): SkippedRecord {
  const l = s.location;
  if (l.line === undefined && typeof l.record !== 'number') return s;
  return {
    ...s,
    location: {
      ...l,
      ...(l.line === undefined ? {} : { line: l.line + lineBase }),
      ...(typeof l.record === 'number' ? { record: l.record + traceBase } : {}),
    },
  };
}

export interface ShardContext {
  readonly analysis: Analysis;
  readonly analysisOptions: PortableAnalysisOptions;
  readonly read: ReadOptions;
  readonly casesOut: ByteSink;
  readonly eventsOut: ByteSink;
  readonly businessDayMs: number;
  readonly ownerFields: { readonly eventLog: string; readonly jira: string };
  readonly staged: StagedOutput;
  /** The progress of all shards together: percent of the input, cases and events so far. */
  readonly progress: (pct: number, cases: number, events: number) => void;
  /** Tests only: each worker ends its thread with this exit code as it starts. */
  readonly exitAtStart?: number;
}

/** What `analyseShards` found: the tally of all shards, or that two shards read rows of one case. */
export type ShardOutcome =
  | { readonly tally: ItemTally; readonly overlap?: undefined }
  | { readonly overlap: true; /** Why the cuts cannot be trusted, as stderr says it. */ readonly why: string };

/**
 * Problems a CSV shard can report that make its cuts doubtful: the cut finder counts quotes, while
 * the scanner, meeting a quote that never closes (or a field past its limit), skips that record and
 * reads on from the line after it; after such a record a cut may fall where one reader of the whole
 * file would not start a record.
 */
const QUOTE_PROBLEMS: ReadonlySet<string> = new Set(['csv.unclosed-quote', 'csv.field-too-long']);

/**
 * Analyses one input in `plan.jobs` contiguous shards: the first on this thread, each other on a
 * worker thread with its own analysis and part files. At the end the workers' exact states are
 * absorbed in shard order and their rows appended, so every output equals a one-thread run's byte
 * for byte; their skipped records are renumbered as the whole file's. A CSV file whose shards share
 * a case (not grouped by case) gives `overlap`: nothing of the workers is taken, and the caller
 * reads the file again on one thread.
 */
export async function analyseShards(plan: ShardPlan, c: ShardContext): Promise<ShardOutcome> {
  const tasks: ShardTask['range'][] = [];
  for (let k = 0; k < plan.jobs; k++) {
    if (plan.format === 'xes') {
      const from = k === 0 ? 0 : Math.floor((k * plan.size) / plan.jobs);
      const to = k === plan.jobs - 1 ? undefined : Math.floor(((k + 1) * plan.size) / plan.jobs);
      tasks.push({ format: 'xes', xes: { from, to } });
    } else {
      const from = k === 0 ? 0 : plan.cuts[k - 1]!;
      const to = k === plan.jobs - 1 ? plan.size : plan.cuts[k]!;
      tasks.push({ format: 'csv', csv: { headerEnd: plan.headerEnd, from, to } });
    }
  }
  const parts = tasks.slice(1).map((range, i) => {
    const k = i + 1;
    const task: ShardTask = {
      path: plan.path,
      read: c.read,
      analysis: c.analysisOptions,
      range,
      casesPath: c.staged.path(`cases.part${k}.csv`),
      eventsPath: c.staged.path(`events.part${k}.csv`),
      ...(c.exitAtStart === undefined ? {} : { exitAtStart: c.exitAtStart }),
    };
    return { task, shard: startShard(task, k) };
  });
  try {
    let end: XesShardEnd | undefined;
    const scan: XesShardScan = { headerLines: 0, started: false };
    const share = 1 / plan.jobs;
    const first = tasks[0]!;
    const ids = plan.format === 'csv' ? createCaseIds() : undefined;
    const tally = await consumeItems(
      first.format === 'xes'
        ? readXesShard(plan.path, c.read, first.xes, scan, (e) => {
            end = e;
          })
        : readCsvShard(plan.path, c.read, first.csv),
      {
        analysis: c.analysis,
        casesOut: c.casesOut,
        eventsOut: c.eventsOut,
        businessDayMs: c.businessDayMs,
        ownerFields: c.ownerFields,
        ...(ids === undefined ? {} : { caseSeen: (id: string) => ids.add(id, 0) }),
        progress(bytesRead, bytesTotal, t) {
          // Each shard's share of the (compressed) file, read so far: a fair gauge of the whole.
          const of = (read: number, k: number) =>
            bytesTotal === 0 ? 0 : Math.min(1, Math.max(0, read / bytesTotal - k * share) / share);
          let done = of(bytesRead, 0);
          let cases = t.cases;
          let events = t.events;
          for (const [i, p] of parts.entries()) {
            done += of(p.shard.progress.bytesRead, i + 1);
            cases += p.shard.progress.cases;
            events += p.shard.progress.events;
          }
          c.progress(Math.floor((done / plan.jobs) * 100), cases, events);
        },
      },
    );
    const results = [];
    for (const { shard } of parts) results.push(await shard.result);
    // Nothing of the workers is taken: their part files would otherwise be published with the run.
    const overlap = (why: string): ShardOutcome => {
      for (const { task } of parts) {
        rmSync(task.casesPath, { force: true });
        rmSync(task.eventsPath, { force: true });
      }
      return { overlap: true, why };
    };
    // A case read by two shards (a CSV not grouped by case) was analysed as two: start again.
    if (ids !== undefined) {
      for (const [k, r] of results.entries()) {
        const h = r.caseIds ?? new Int32Array(0);
        for (let i = 0; i < h.length; i += 2)
          if (ids.inputOfHashes(h[i]!, h[i + 1]!) >= 0)
            return overlap('has rows of one case on both sides of a cut (not grouped by case)');
        for (let i = 0; i < h.length; i += 2) ids.addHashes(h[i]!, h[i + 1]!, k + 1);
      }
    }
    // A quote that never closes before a cut (in any shard but the last) may have moved the cut.
    if (
      plan.format === 'csv' &&
      [tally, ...results.slice(0, -1)].some((t) => t.skipped.some((s) => QUOTE_PROBLEMS.has(s.code)))
    )
      return overlap('has a quoted field that does not close before a cut');
    // Line numbers of a later shard follow on from the lines before its start (1 + the newlines
    // before it), trace numbers from the traces before it.
    let lineStart = end?.endLine ?? 0;
    let traceBase = end?.traces ?? 0;
    // Every XES shard reads the log's header: a problem in it is the first shard's to report, once.
    const firstShardSkips = tally.skipped.slice();
    for (const [i, { task }] of parts.entries()) {
      const r = results[i]!;
      if (!r.scan.started) continue;
      let lineBase: number;
      if (task.range.format === 'csv') {
        // CSV: counted only when there is a line to renumber (a second read of the file before the shard).
        const numbered = r.skipped.some((s) => s.location.line !== undefined);
        const headerLines = numbered ? await newlinesBefore(plan.path, task.range.csv.headerEnd) : 0;
        lineBase = numbered ? (await newlinesBefore(plan.path, task.range.csv.from)) - headerLines : 0;
      } else {
        const headerEnd = 1 + r.scan.headerLines;
        lineBase = lineStart - headerEnd;
        if (r.end !== undefined) lineStart += r.end.endLine - headerEnd;
      }
      const inHeader = (s: SkippedRecord) =>
        task.range.format === 'xes' &&
        s.location.line !== undefined &&
        s.location.line <= 1 + r.scan.headerLines &&
        firstShardSkips.some(
          (f) => f.code === s.code && f.location.line === s.location.line && f.message === s.message,
        );
      let repeated = 0;
      for (const s of r.skipped) {
        if (inHeader(s)) repeated++;
        else if (tally.skipped.length < SKIPPED_EXAMPLES) tally.skipped.push(inFile(s, lineBase, traceBase));
      }
      tally.skippedTotal += r.skippedTotal - repeated;
      tally.cases += r.cases;
      tally.events += r.events;
      c.analysis.absorb(r.state);
      // The worker's analysis counted the header's problems too (the first shard's already has them).
      if (repeated > 0) c.analysis.addSkipped(-repeated);
      appendPart(task.casesPath, c.casesOut);
      appendPart(task.eventsPath, c.eventsOut);
      if (r.end !== undefined) traceBase += r.end.traces;
    }
    return { tally };
  } finally {
    await Promise.all(parts.map((p) => p.shard.stop()));
  }
}
