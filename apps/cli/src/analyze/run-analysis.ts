import { stat, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { basename, dirname, relative } from 'node:path';
import { DEFAULT_CALENDAR, workingDayMs } from '@baton/core';
import { formatTimestamp } from '@baton/core/time';
import { type AnalysisOptions, createAnalysis, type Kpis } from '@baton/core/analysis';
import { fixed, int } from '@baton/report';
import { CliError, type CliIO } from '../command.ts';
import { CsvNeedsTwoPasses } from '../readers/csv-reader.ts';
import { readInputBatches } from '../readers/read-inputs.ts';
import type { ReadItem, ReadOptions, SkippedRecord } from '../readers/types.ts';
import { createInputDigest } from '../readers/input-digest.ts';
import { renderReport, type ReportMeta } from '../report/render-report.ts';
import { csvRow } from '../output/csv.ts';
import { prepareOutputDir, type ReadFile } from '../output/output-target.ts';
import { type FileDigest, manifestOptions, writeRunManifest } from '../output/run-manifest.ts';
import { createStagedOutput, MANIFEST, type StagedOutput } from '../output/staged-output.ts';
import { createFileByteSink, type FileByteSink } from '../output/byte-sink.ts';
import { createHashThread, type HashThread, type HashThreadFault } from '../output/hash-thread.ts';
import { CASE_COLUMNS, consumeItems, type ItemTally } from './consume-items.ts';
import { EVENT_COLUMNS } from './event-rows.ts';
import type { PipelineFault } from './pipeline-task.ts';
import { type Pipeline, pipelineFits, startPipeline } from './pipeline.ts';
import { contentSizeHint } from '../readers/xes-shards.ts';
import { analyseShards, planShards } from './run-shards.ts';
import { portableAnalysisOptions } from './shard-task.ts';

export interface AnalyzeRequest {
  readonly inputs: readonly string[];
  /** `--out` as given (checked and resolved against `cwd` when the run starts). */
  readonly outValue: string;
  readonly cwd: string;
  /** `--partial`: where to write the mergeable state of the analysis, if anywhere. */
  readonly partialPath?: string;
  /** Configuration files read (calendar, costs, workflow): never written over either. */
  readonly configFiles: readonly ReadFile[];
  readonly read: ReadOptions;
  readonly analysis: AnalysisOptions;
  /** `--sla` in ms of business time (what `analysis.slaTargetMs` returns), for worker threads. */
  readonly slaMs?: number;
  /**
   * `--jobs`: 1, one thread only; 2 or more, shards of one large XES or CSV input on that many
   * threads; not given, the default: one large XES or CSV input read on a second thread while this
   * one analyses it (the pipeline, ADR 0025).
   */
  readonly jobs?: number;
  /** Inputs with less content than this are not sharded whatever `jobs` says. */
  readonly shardMinBytes: number;
  /** Inputs with less content than this are read on this thread (no pipeline). */
  readonly pipelineMinBytes: number;
  /** Tests only: make the pipeline's reading thread fail. */
  readonly pipelineFault?: PipelineFault;
  /** run.json's digests are taken on a thread of their own for inputs with this much content or more. */
  readonly hashThreadMinBytes: number;
  /** Whether they are, too, when no core looks free (the threshold was set: tests). */
  readonly hashThreadWhenBusy: boolean;
  /** Tests only: make the hashing thread fail. */
  readonly hashThreadFault?: HashThreadFault;
  /** Shown in the report: which attribute is the owner, the calendar, the configs used. */
  readonly describe: {
    readonly owner: string;
    readonly calendar: string;
    readonly workflow: string;
    readonly costs: string;
    readonly sla: string;
  };
  readonly quiet: boolean;
  /** `--strict`: a skipped record fails the run (exit 1) and nothing is written. */
  readonly strict: boolean;
  /** The command-line options, as recorded in run.json. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly title: string;
  /** The wall clock, injected so tests are deterministic. */
  readonly now: () => number;
}

export interface AnalyzeOutcome {
  readonly kpis: Kpis;
  readonly files: {
    readonly report: string;
    readonly kpis: string;
    readonly cases: string;
    readonly states: string;
    readonly events: string;
  };
  readonly skipped: readonly SkippedRecord[];
  readonly skippedTotal: number;
  readonly elapsedMs: number;
  /** The threads the input was analysed on (1, the shards of `--jobs`, or 2 for the pipeline). */
  readonly threads: number;
  /** True when one thread read the input while another analysed it. */
  readonly pipeline: boolean;
  /** 1 when a sharded read was dropped and the input read again on one thread (a CSV not grouped by case). */
  readonly reruns: number;
}

/** The files `analyze` writes into `--out`. */
export const ANALYZE_OUTPUTS = ['report.html', 'kpis.json', 'cases.csv', 'states.csv', 'events.csv'] as const;

const STATE_COLUMNS = [
  'state',
  'phase',
  'waiting_reason',
  'visits',
  'cases',
  'total_days',
  'total_business_days',
  'mean_days',
  'median_days',
  'p90_days',
  'choke_point_rank',
] as const;

export function statesCsv(kpis: Kpis): string {
  const rank = new Map(kpis.chokePoints.map((c, i) => [c.state, i + 1]));
  let out = csvRow(STATE_COLUMNS);
  for (const [name, s] of Object.entries(kpis.states)) {
    out += csvRow([
      name,
      s.phase,
      s.waitingReason,
      s.visits,
      s.cases,
      s.totalDays,
      s.totalBusinessDays,
      s.meanDays,
      s.medianDays,
      s.p90Days,
      rank.get(name),
    ]);
  }
  return out;
}

export function formatLocation(s: SkippedRecord): string {
  const l = s.location;
  // The file's name, never its local path: these lines go into reports as well as to the terminal.
  let where = basename(l.file);
  if (l.line !== undefined) where += `:${l.line}`;
  if (l.record !== undefined) where += ` (record ${l.record})`;
  if (l.field !== undefined) where += ` field '${l.field}'`;
  return `${where}: ${s.message}`;
}

/** The progress line: how far, how many cases and events, how fast, how long so far. */
export function progressText(label: string, pct: number, cases: number, events: number, elapsedMs: number): string {
  const perSecond = elapsedMs <= 0 ? 0 : Math.round((events / elapsedMs) * 1000);
  return `reading ${label}  ${String(pct).padStart(3)}%  ${int(cases)} cases  ${int(events)} events  ${int(perSecond)} events/s  ${(elapsedMs / 1000).toFixed(1)} s`;
}

function createProgressLine(io: CliIO, enabled: boolean) {
  let lastDraw = 0;
  let drawn = false;
  return {
    /** `text` is called only when a line is drawn: formatting numbers starts ICU (~18 ms a run). */
    draw(text: () => string) {
      if (!enabled || io.status === undefined) return;
      const t = performance.now();
      if (t - lastDraw < 100) return;
      lastDraw = t;
      drawn = true;
      io.status(text());
    },
    clear() {
      if (enabled && drawn) io.status?.('');
    },
  };
}

/** The options recorded in run.json (file options by name only). */
const FILE_OPTIONS = ['calendar', 'costs', 'workflow'];

/**
 * Where `--partial` is written: into the run's own staging directory when it names a file directly in
 * `--out` (that directory may not exist until the run is moved into place, and the partial is then
 * published with the run), else to its own path, whose directory must exist. Checked before the run,
 * so a long analysis does not end in an error about a missing directory.
 */
async function partialPlace(
  request: AnalyzeRequest,
  outDir: string,
  reads: readonly ReadFile[],
): Promise<'out' | 'own' | undefined> {
  const path = request.partialPath;
  if (path === undefined) return undefined;
  if (reads.some((r) => r.path === path))
    throw new CliError(`--partial ${path}: that is an input; name another file`, 2);
  if (dirname(path) === outDir) {
    const name = basename(path);
    if ((ANALYZE_OUTPUTS as readonly string[]).includes(name) || name === MANIFEST)
      throw new CliError(`--partial ${path}: ${name} is one of the run's own outputs; name another file`, 2);
    return 'out';
  }
  const dir = await stat(dirname(path)).catch(() => undefined);
  if (dir === undefined || !dir.isDirectory())
    throw new CliError(`--partial ${path}: the directory ${dirname(path)} does not exist`, 2);
  return 'own';
}

/**
 * Whether run.json's digests are taken on a thread of their own: on two cores or more, unless
 * `--jobs 1`, when the inputs hold `hashThreadMinBytes` of content or more (the outputs grow with it;
 * road-traffic's 30 MB of CSV make 74 MB of cases.csv and events.csv), and a core looks free (the
 * last minute's load average below the cores less a half). The thread buys wall time with CPU (its
 * start costs ~35 ms, what hashing ~60 MB costs here): with no free core it competed with this
 * thread for its core (road-traffic CSV, load 12: 1.21x the wall, 1.11x the CPU).
 */
async function hashThreadFits(request: AnalyzeRequest): Promise<boolean> {
  const cores = availableParallelism();
  if (request.jobs === 1 || cores < 2) return false;
  if (!request.hashThreadWhenBusy && loadavg()[0]! >= cores - 0.5) return false;
  let content = 0;
  for (const path of request.inputs) content += await contentSizeHint(path).catch(() => 0);
  return content >= request.hashThreadMinBytes;
}

/**
 * Reads the inputs as one stream, analyses each case as it completes and writes the five outputs
 * and run.json. Everything is written to a staging directory beside `--out` and moved into place
 * only when complete: a run that fails, finds nothing to analyse, or skips a record under
 * `--strict`, leaves the previous run in `--out` as it was. Memory holds one case at a time plus
 * the numbers the aggregates need.
 */
export async function runAnalysis(request: AnalyzeRequest, io: CliIO): Promise<AnalyzeOutcome> {
  const started = performance.now();
  const reads: ReadFile[] = [...request.inputs.map((path) => ({ path, role: 'input' })), ...request.configFiles];
  const outDir = await prepareOutputDir(request.outValue, request.cwd, [...ANALYZE_OUTPUTS, MANIFEST], reads);
  const partialIn = await partialPlace(request, outDir, reads);
  const staged = await createStagedOutput(outDir);
  // run.json's digests of the input and of cases.csv and events.csv, hashed on a thread of their own
  // from the start when there is enough to hash (ADR 0017, eighth pass), else here.
  const hashes = createHashThread({
    onThread: await hashThreadFits(request),
    ...(request.hashThreadFault === undefined ? {} : { fault: request.hashThreadFault }),
  });
  try {
    const { outcome, written, readDigests } = await analyseInto(staged, request, io, started, partialIn, hashes);
    await writeRunManifest(staged, {
      command: 'analyze',
      reads,
      options: manifestOptions(request.options, FILE_OPTIONS),
      outputs: ANALYZE_OUTPUTS,
      completedAt: request.now(),
      extra: {
        cases: outcome.kpis.cases,
        events: outcome.kpis.events,
        skippedRecords: outcome.skippedTotal,
        threads: outcome.threads,
        pipeline: outcome.pipeline,
        reruns: outcome.reruns,
      },
      written,
      ...(readDigests === undefined ? {} : { readDigests }),
    });
    await staged.commit([
      ...ANALYZE_OUTPUTS,
      ...(partialIn === 'out' ? [basename(request.partialPath!)] : []),
      MANIFEST,
    ]);
    return outcome;
  } catch (error) {
    await staged.abort();
    throw error;
  } finally {
    await hashes.close();
  }
}

async function analyseInto(
  staged: StagedOutput,
  request: AnalyzeRequest,
  io: CliIO,
  started: number,
  partialIn: 'out' | 'own' | undefined,
  hashes: HashThread,
): Promise<{
  outcome: AnalyzeOutcome;
  written: ReadonlyMap<string, FileDigest>;
  readDigests: ReadonlyMap<string, FileDigest> | undefined;
}> {
  const files = {
    report: staged.finalPath('report.html'),
    kpis: staged.finalPath('kpis.json'),
    cases: staged.finalPath('cases.csv'),
    states: staged.finalPath('states.csv'),
    events: staged.finalPath('events.csv'),
  };
  let analysis = createAnalysis(request.analysis);
  const plan =
    request.jobs === undefined || request.jobs < 2
      ? undefined
      : await planShards(request.inputs, request.read, request.jobs, request.shardMinBytes);
  const pipelineFormat =
    plan === undefined && request.jobs !== 1
      ? await pipelineFits(request.inputs, request.read, request.pipelineMinBytes)
      : undefined;
  const pipelined = pipelineFormat !== undefined;
  // Measured per thread, reading XES costs about twice what analysing it does, reading CSV about as
  // much: the reading thread writes events.csv for CSV only (ADR 0025).
  const readerWritesEvents = pipelineFormat === 'csv';
  /** cases.csv and events.csv, new (a run that starts again truncates what it wrote); the pipeline's reader writes events.csv. */
  const openOutputs = (): [FileByteSink, FileByteSink | undefined] => {
    const cases = createFileByteSink(staged.path('cases.csv'), hashes);
    try {
      cases.raw(csvRow(CASE_COLUMNS));
      if (readerWritesEvents) return [cases, undefined];
      const events = createFileByteSink(staged.path('events.csv'), hashes);
      events.raw(csvRow(EVENT_COLUMNS));
      return [cases, events];
    } catch (error) {
      cases.close();
      throw error;
    }
  };
  let [casesOut, eventsOut] = openOutputs();

  const progress = createProgressLine(io, io.interactive && !request.quiet);
  const businessDayMs = workingDayMs(request.analysis.calendar ?? DEFAULT_CALENDAR);
  const ownerFields = { eventLog: request.read.eventLog.ownerKey, jira: request.read.jiraOwnerField };
  const label = request.inputs.length === 1 ? basename(request.inputs[0]!) : `${request.inputs.length} inputs`;
  const draw = (pct: number, cases: number, events: number) =>
    progress.draw(() => progressText(label, pct, cases, events, performance.now() - started));
  /** The reader's items (from this thread or the reading one) into the analysis and the per-case files open now. */
  const consume = (batches: AsyncIterable<readonly ReadItem[]>) =>
    consumeItems(batches, {
      analysis,
      casesOut,
      eventsOut,
      businessDayMs,
      ownerFields,
      progress(bytesRead, bytesTotal, t) {
        draw(bytesTotal === 0 ? 0 : Math.min(100, Math.floor((bytesRead / bytesTotal) * 100)), t.cases, t.events);
      },
    });

  let tally: ItemTally | undefined;
  let threads = 1;
  let reruns = 0;
  let pipeline: Pipeline | undefined;
  let eventsDigest: FileDigest | undefined;
  let readDigests: Map<string, FileDigest> | undefined;
  // A CSV is read once, as if grouped by case; one that is not is read again in two passes, after
  // everything of the first read was dropped: the analysis, cases.csv and events.csv, the skips
  // (the tally is `consume`'s) and, on the pipeline, the reading thread (ADR 0017, "One pass").
  // `csvOnePass: false` in the request reads in two passes from the start (tests compare the two).
  const twoPasses: ReadOptions = { ...request.read, csvOnePass: false };
  let read: ReadOptions = request.read.csvOnePass === false ? twoPasses : { ...request.read, csvOnePass: true };
  const again = async () => {
    progress.clear();
    const stopping = pipeline;
    pipeline = undefined;
    await stopping?.stop();
    casesOut.close();
    eventsOut?.close();
    [casesOut, eventsOut] = openOutputs();
    analysis = createAnalysis(request.analysis);
    read = twoPasses;
  };
  // One input read on this thread: hashed as it is read (a retry's reads included: the first read
  // that reaches the end is hashed, once), not read again for run.json; its digest is collected with
  // the outputs' (the hashing thread may still be at its last steps when the reading ends).
  const inputDigest =
    request.inputs.length === 1 ? createInputDigest({ thread: hashes, path: request.inputs[0]! }) : undefined;
  const readHere = () => consume(readInputBatches(request.inputs, read, inputDigest));
  /** `attempt` once and, when the one-pass read of a CSV finds it is not grouped by case, again. */
  const onceOrTwice = async (attempt: () => Promise<ItemTally>): Promise<ItemTally> => {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof CsvNeedsTwoPasses) || read.csvOnePass !== true) throw error;
      await again();
      return await attempt();
    }
  };
  try {
    if (pipelined) {
      const path = request.inputs[0]!;
      const a = request.analysis;
      tally = await onceOrTwice(async () => {
        pipeline = startPipeline({
          path,
          read,
          ...(readerWritesEvents ? { eventsPath: staged.path('events.csv') } : {}),
          ownerFields,
          ...(a.since === undefined ? {} : { since: a.since }),
          ...(a.until === undefined ? {} : { until: a.until }),
          ...(request.pipelineFault === undefined ? {} : { fault: request.pipelineFault }),
        });
        const t = await consume(pipeline.batches);
        const digests = pipeline.result();
        eventsDigest = digests.events;
        readDigests = new Map([[path, digests.input]]);
        return t;
      });
      threads = 2;
    } else if (plan !== undefined) {
      threads = plan.jobs;
      const sharded = await analyseShards(plan, {
        analysis,
        analysisOptions: portableAnalysisOptions(request.analysis, request.slaMs),
        read: request.read,
        casesOut,
        eventsOut: eventsOut!,
        businessDayMs,
        ownerFields,
        staged,
        progress: draw,
      });
      if (sharded.overlap === true) {
        // Rows of one case in two shards (the file is not grouped by case), or a cut that a quote
        // which never closes may have moved: read it again on one thread.
        progress.clear();
        io.stderr(`baton analyze: ${label} ${sharded.why}: read again on one thread\n`);
        casesOut.close();
        eventsOut?.close();
        [casesOut, eventsOut] = openOutputs();
        analysis = createAnalysis(request.analysis);
        threads = 1;
        reruns = 1;
        // Most likely not grouped by case: straight to two passes.
        read = twoPasses;
      } else tally = sharded.tally;
    }
    tally ??= await onceOrTwice(readHere);
  } finally {
    progress.clear();
    try {
      casesOut.close();
    } finally {
      try {
        eventsOut?.close();
      } finally {
        await pipeline?.stop();
      }
    }
  }
  const { skipped, skippedTotal } = tally;

  const kpis = analysis.result();
  const examples = skipped.slice(0, 5).map(formatLocation);
  if (kpis.cases === 0) {
    throw new CliError(
      `nothing could be analysed in ${request.inputs.map((p) => basename(p)).join(', ')}: no case` +
        (skippedTotal > 0
          ? ` (${skippedTotal} record${skippedTotal === 1 ? '' : 's'} skipped, e.g.\n  ${examples.join('\n  ')})`
          : kpis.filter.excludedCases > 0
            ? ` within --since/--until (${kpis.filter.excludedCases} outside)`
            : ''),
    );
  }
  if (request.strict && skippedTotal > 0) {
    throw new CliError(
      `--strict: ${skippedTotal} record${skippedTotal === 1 ? '' : 's'} skipped, so nothing was written, e.g.\n  ${examples.join('\n  ')}`,
    );
  }
  await writeFile(staged.path('kpis.json'), `${JSON.stringify(kpis, null, 2)}\n`);
  await writeFile(staged.path('states.csv'), statesCsv(kpis));
  const elapsedMs = performance.now() - started;
  const meta: ReportMeta = {
    title: request.title,
    inputs: request.inputs.map((p) => basename(p)),
    generatedAt: formatTimestamp(request.now()),
    ...request.describe,
    skippedExamples: examples,
  };
  await writeFile(staged.path('report.html'), renderReport(kpis, meta));
  if (request.partialPath !== undefined)
    await writeFile(
      partialIn === 'out' ? staged.path(basename(request.partialPath)) : request.partialPath,
      `${JSON.stringify(analysis.partial())}\n`,
    );
  // Digests the hashing thread could not give (it failed) are left out: run.json hashes those files.
  const written = new Map<string, FileDigest>();
  const casesDigest = await casesOut.digest();
  if (casesDigest !== undefined) written.set('cases.csv', casesDigest);
  eventsDigest ??= await eventsOut!.digest();
  if (eventsDigest !== undefined) written.set('events.csv', eventsDigest);
  if (readDigests === undefined && inputDigest !== undefined) {
    const digest = await inputDigest.result();
    if (digest !== undefined) readDigests = new Map([[request.inputs[0]!, digest]]);
  }
  return {
    outcome: { kpis, files, skipped, skippedTotal, elapsedMs, threads, pipeline: pipelined, reruns },
    written,
    readDigests,
  };
}

// `int` and `fixed` write what `toLocaleString('en-US')` writes without starting ICU (~115 M instructions).
const fmt = (n: number | null, digits = 1) => (n === null ? '–' : fixed(n, digits));

/** The summary printed at the end: what was read, what was skipped, where each output is. */
export function formatSummary(outcome: AnalyzeOutcome, cwd: string): string {
  const k = outcome.kpis;
  const rel = (p: string) => {
    const r = relative(cwd, p);
    return r === '' || r.startsWith('..') ? p : r;
  };
  const lines = [
    `Analysed ${int(k.cases)} cases (${int(k.events)} events) in ${(outcome.elapsedMs / 1000).toFixed(1)} s.`,
    `  cycle time     median ${fmt(k.cycleTimeDays.p50)} days, p90 ${fmt(k.cycleTimeDays.p90)} days (business: median ${fmt(k.cycleTimeBusinessDays.p50)}, p90 ${fmt(k.cycleTimeBusinessDays.p90)} business days)`,
    `  handoffs       ${int(k.handoffs)} (${fmt(k.handoffsPerCase.mean, 2)} per case); ping-pong ${int(k.pingPongBounces)} bounces in ${int(k.pingPongCases)} cases`,
    `  overhead       ${int(k.overhead.totalMinutes / 60)} hours ≈ ${k.money.currency} ${int(k.money.total)}${k.money.perMonth === null ? '' : ` (${k.money.currency} ${int(k.money.perMonth)} a month)`}`,
  ];
  if (k.filter.excludedCases > 0)
    lines.push(`  filtered out   ${int(k.filter.excludedCases)} cases outside --since/--until`);
  lines.push(`  skipped        ${int(outcome.skippedTotal)} records`);
  for (const s of outcome.skipped.slice(0, 10)) lines.push(`    ${formatLocation(s)}`);
  if (outcome.skippedTotal > 10) lines.push(`    … ${outcome.skippedTotal - 10} more (see report.html)`);
  lines.push(
    '',
    `  report.html    ${rel(outcome.files.report)}`,
    `  kpis.json      ${rel(outcome.files.kpis)}`,
    `  cases.csv      ${rel(outcome.files.cases)}`,
    `  states.csv     ${rel(outcome.files.states)}`,
    `  events.csv     ${rel(outcome.files.events)}`,
    '',
  );
  return lines.join('\n');
}
