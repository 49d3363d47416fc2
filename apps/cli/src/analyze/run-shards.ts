import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Analysis } from '@baton/core/analysis';
import { CliError } from '../command.ts';
import type { ByteSink } from '../output/byte-sink.ts';
import type { StagedOutput } from '../output/staged-output.ts';
import { detectFormat, type ReadOptions, type SkippedRecord } from '../readers/index.ts';
import { readXesShard, type XesShardEnd } from '../readers/xes-reader.ts';
import { contentSizeHint, type XesShardRange, type XesShardScan } from '../readers/xes-shards.ts';
import { consumeItems, type ItemTally, SKIPPED_EXAMPLES } from './consume-items.ts';
import type { PortableAnalysisOptions, ShardMessage, ShardTask } from './shard-task.ts';

/** Below this much content (decompressed), a second thread costs more than it saves (see ADR 0023). */
export const DEFAULT_SHARD_MIN_BYTES = 8 << 20;

/** How an input is cut: into `jobs` shards of about `size / jobs` bytes of content each. */
export interface ShardPlan {
  readonly path: string;
  readonly size: number;
  readonly jobs: number;
}

/**
 * Whether to analyse on several threads, and in how many shards: only one XES input (a trace is
 * self-contained, so a log cuts cleanly between traces) of at least `minBytes` of content, with
 * `jobs` of 2 or more. Anything else is read on one thread.
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
    if ((await detectFormat(path, read.format)) !== 'xes') return undefined;
    const size = await contentSizeHint(path);
    return size >= minBytes && size >= jobs ? { path, size, jobs } : undefined;
  } catch {
    // The sequential reader reports what is wrong with the file.
    return undefined;
  }
}

/**
 * The worker's script: the built one beside the bundle, or (run from source, as tests and a fresh
 * clone do) a line that registers tsx in the thread and imports the TypeScript entry point (Node
 * 20 does not apply an `--import` loader of a worker's execArgv).
 */
function workerScript(): { script: string | URL; eval: boolean } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const api = pathToFileURL(
      createRequire(here)
        .resolve('tsx/esm/api')
        .replace(/\.cjs$/, '.mjs'),
    ).href;
    const entry = new URL('./shard-worker.ts', here).href;
    const code = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
    return { script: code, eval: true };
  }
  const dir = new URL('.', here);
  const dist = dir.pathname.endsWith('/chunks/') ? new URL('..', dir) : dir;
  return { script: new URL('analyze-worker.mjs', dist), eval: false };
}

interface RunningShard {
  readonly result: Promise<Extract<ShardMessage, { type: 'done' }>>;
  progress: { bytesRead: number; cases: number; events: number };
  stop(): Promise<void>;
}

function startShard(task: ShardTask, part: number): RunningShard {
  const script = workerScript();
  const worker = new Worker(script.script, { workerData: task, eval: script.eval });
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
}

/**
 * Analyses an XES log in `plan.jobs` contiguous shards of whole traces: the first on this thread,
 * each other on a worker thread with its own analysis and part files. At the end the workers'
 * exact states are absorbed in shard order and their rows appended, so every output equals a
 * one-thread run's byte for byte; their skipped records are renumbered as the whole file's.
 */
export async function analyseShards(plan: ShardPlan, c: ShardContext): Promise<ItemTally> {
  const ranges: XesShardRange[] = [];
  for (let k = 0; k < plan.jobs; k++) {
    const from = k === 0 ? 0 : Math.floor((k * plan.size) / plan.jobs);
    const to = k === plan.jobs - 1 ? undefined : Math.floor(((k + 1) * plan.size) / plan.jobs);
    ranges.push({ from, to });
  }
  const parts = ranges.slice(1).map((range, i) => {
    const k = i + 1;
    const task: ShardTask = {
      path: plan.path,
      read: c.read,
      analysis: c.analysisOptions,
      range,
      casesPath: c.staged.path(`cases.part${k}.csv`),
      eventsPath: c.staged.path(`events.part${k}.csv`),
    };
    return { task, shard: startShard(task, k) };
  });
  try {
    let end: XesShardEnd | undefined;
    const scan: XesShardScan = { headerLines: 0, started: false };
    const share = 1 / plan.jobs;
    const tally = await consumeItems(
      readXesShard(plan.path, c.read, ranges[0]!, scan, (e) => {
        end = e;
      }),
      {
        analysis: c.analysis,
        casesOut: c.casesOut,
        eventsOut: c.eventsOut,
        businessDayMs: c.businessDayMs,
        ownerFields: c.ownerFields,
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
    // Line numbers of a later shard follow on from the lines before its start (1 + the newlines
    // before it), trace numbers from the traces before it.
    let lineStart = end?.endLine ?? 0;
    let traceBase = end?.traces ?? 0;
    for (const { task, shard } of parts) {
      const r = await shard.result;
      if (!r.scan.started) continue;
      const headerEnd = 1 + r.scan.headerLines;
      const lineBase = lineStart - headerEnd;
      for (const s of r.skipped)
        if (tally.skipped.length < SKIPPED_EXAMPLES) tally.skipped.push(inFile(s, lineBase, traceBase));
      tally.skippedTotal += r.skippedTotal;
      tally.cases += r.cases;
      tally.events += r.events;
      c.analysis.absorb(r.state);
      appendPart(task.casesPath, c.casesOut);
      appendPart(task.eventsPath, c.eventsOut);
      if (r.end !== undefined) {
        lineStart += r.end.endLine - headerEnd;
        traceBase += r.end.traces;
      }
    }
    return tally;
  } finally {
    await Promise.all(parts.map((p) => p.shard.stop()));
  }
}
