import { createWriteStream, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { once } from 'node:events';
import YAML from 'yaml';
import {
  compileCharter,
  createRuleClassifier,
  formatIssue,
  parseCharter,
  parseDuration,
  stateAfter,
  traitsOf,
  type CaseEvent,
  type CaseRecord,
  type Charter,
  type CompiledCharter,
  type Decision,
} from '@baton/core';
import { formatTimestamp } from '@baton/core/time';
import { defineCosts, type Costs } from '@baton/core/analysis';
import {
  classifyCasesWithLanguageModel,
  createModelAssistedClassifier,
  type LanguageModel,
  type ModelClassifySummary,
} from '@baton/core/llm';
import {
  ALL_REPLAY_PATTERNS,
  createRouterPattern,
  createReplayEngine,
  createReplaySummary,
  replayTimeline,
  type ReplayPattern,
  type ReplaySummary,
} from '@baton/core/replay';
import { CliError, type CliIO } from '../command.ts';
import { formatLocation } from '../analyze/run-analysis.ts';
import { readConfigText } from '../analyze/load-config-file.ts';
import { defineReadOptions, readInputs, type EventLogOptions } from '../readers/index.ts';
import { createReplayAudit, verifyAuditFile } from './replay-audit.ts';
import { renderReplayPage } from './replay-html.ts';
import { csvCell } from '../output/csv.ts';
import { prepareOutputDir, type ReadFile } from '../output/output-target.ts';
import { manifestOptions, writeRunManifest } from '../output/run-manifest.ts';
import { createStagedOutput, MANIFEST, type StagedOutput } from '../output/staged-output.ts';
import { wordExamples, type WordingSummary } from './replay-wording.ts';

/** Example decisions on the page (and, with a model, the messages it words). */
const EXAMPLES = 60;

export interface ReplayRunOptions {
  readonly inputs: readonly string[];
  readonly charterPath: string;
  readonly outDir: string;
  readonly costsPath?: string;
  /** Business time between clock ticks (`1h`, `4h`, `1d`), or `off`. */
  readonly tick: string;
  readonly eventLog?: Partial<EventLogOptions>;
  /** The patterns to run; the CLI passes every pattern core has. */
  readonly patterns?: readonly ReplayPattern[];
  /**
   * A language model: it words the page's example messages after the decisions are written, and,
   * only where the charter's `routing.modelClassify` lets it, classifies each case once up front.
   */
  readonly model?: LanguageModel;
  /** `--strict`: a skipped record fails the run (exit 1) and nothing is written. */
  readonly strict?: boolean;
  /** The HMAC key the audit's seal is signed with (`--key-env`); unsigned without. */
  readonly auditKey?: string;
  /** The command-line options, recorded in run.json (file options by name only). */
  readonly recordedOptions?: Readonly<Record<string, unknown>>;
  /** The wall clock for run.json's completion time (tests pin it). */
  readonly now?: () => number;
}

export interface ReplayRunResult {
  readonly cases: number;
  readonly events: number;
  readonly ticks: number;
  readonly decisions: number;
  readonly skipped: number;
  readonly seconds: number;
  readonly summary: ReplaySummary;
  /** The audit as read back from disk and verified. */
  readonly audit: { readonly entries: number; readonly head: string; readonly signed: boolean };
  readonly wording: WordingSummary;
  /** The model's classification pass; `null` when the charter does not let a model classify or no model was given. */
  readonly modelClassify: ModelClassifySummary | null;
  readonly files: readonly string[];
}

/** The files `replay` writes into `--out`. */
export const REPLAY_OUTPUTS = ['decisions.csv', 'audit.jsonl', 'summary.json', 'replay.html'] as const;

/** Every pattern the replay runs: all of core's (router, SLA clocks, watchdog, clerk, concierge). */
export const REPLAY_PATTERNS: readonly ReplayPattern[] = ALL_REPLAY_PATTERNS;

async function readDocument(path: string, what: string): Promise<unknown> {
  const text = await readConfigText(path, `the ${what}`);
  try {
    return path.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (error) {
    throw new CliError(
      `the ${what} ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
}

/** Reads and validates a charter file; an invalid one is refused with every problem by path. */
export async function loadCharter(path: string): Promise<Charter> {
  const parsed = parseCharter(await readDocument(path, 'charter'));
  if (!parsed.ok) {
    const list = parsed.issues.map((i) => `  ${formatIssue(i)}`).join('\n');
    throw new CliError(
      `the charter ${path} is invalid (${parsed.issues.length} problem${parsed.issues.length === 1 ? '' : 's'}):\n${list}`,
    );
  }
  return parsed.value;
}

async function loadCosts(path: string): Promise<Costs> {
  const parsed = defineCosts(await readDocument(path, 'costs file'));
  if (!parsed.ok)
    throw new CliError(
      `the costs file ${path} is invalid:\n${parsed.issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`,
    );
  return parsed.value;
}

export const DECISIONS_CSV_HEADER =
  'time,case,pattern,rule,source,action,disposition,disposition_rule,confidence,risk,reason\n';

function csvRow(d: Decision, actions: readonly string[]): string {
  return (
    [
      formatTimestamp(d.at),
      d.caseId,
      d.pattern,
      d.rule,
      d.source ?? 'rules',
      actions.join(' + '),
      d.disposition,
      d.dispositionRule,
      d.confidence.toFixed(2),
      d.risk,
      d.reason.replace(/\s+/g, ' '),
    ]
      .map(csvCell)
      .join(',') + '\n'
  );
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

/** States the history's events use that the charter's workflow does not name, with their event counts. */
export function statesOutsideCharter(cases: readonly CaseRecord[], charter: CompiledCharter): Record<string, number> {
  // State names come from the data: counted in a Map, so 'constructor' or '__proto__' count like any other.
  const seen = new Map<string, number>();
  if (charter.states.size === 0) return {};
  const count = (s: string) => {
    if (!charter.states.has(s.toLowerCase())) seen.set(s, (seen.get(s) ?? 0) + 1);
  };
  for (const c of cases) {
    for (const e of c.events) {
      const s = stateAfter(e);
      if (s !== undefined && s !== null) count(s);
    }
    if (c.state != null) count(c.state);
  }
  // Object.fromEntries defines own properties: '__proto__' stays a key, not the prototype.
  return Object.fromEntries(seen);
}

/**
 * Replays a history: reads the inputs, merges every case's events in time order, feeds them and the
 * business-time clock ticks to the engine, and writes decisions.csv, audit.jsonl, summary.json and
 * replay.html into `outDir`.
 */
export async function runReplay(
  options: ReplayRunOptions,
  io: CliIO,
  clock: () => number = () => performance.now(),
): Promise<ReplayRunResult> {
  const started = clock();
  // Checked before anything is read or written: no output may land on a file this run reads.
  const reads: ReadFile[] = [
    ...options.inputs.map((path) => ({ path, role: 'input' })),
    { path: options.charterPath, role: 'charter' },
    ...(options.costsPath === undefined ? [] : [{ path: options.costsPath, role: 'costs file' }]),
  ];
  const outDir = await prepareOutputDir(options.outDir, io.cwd, [...REPLAY_OUTPUTS, MANIFEST], reads);
  const staged = await createStagedOutput(outDir);
  try {
    const result = await replayInto(staged, options, io, clock, started);
    await writeRunManifest(staged, {
      command: 'replay',
      reads,
      options: manifestOptions(options.recordedOptions ?? {}, ['charter', 'costs', 'llm-cache']),
      outputs: REPLAY_OUTPUTS,
      completedAt: options.now?.() ?? Date.now(),
      extra: { cases: result.cases, decisions: result.decisions, audit: result.audit },
    });
    await staged.commit([...REPLAY_OUTPUTS, MANIFEST]);
    return result;
  } catch (error) {
    await staged.abort();
    throw error;
  }
}

async function replayInto(
  staged: StagedOutput,
  options: ReplayRunOptions,
  io: CliIO,
  clock: () => number,
  started: number,
): Promise<ReplayRunResult> {
  const charter = await loadCharter(options.charterPath);
  const costs = options.costsPath === undefined ? null : await loadCosts(options.costsPath);
  const tickMs = options.tick === 'off' || options.tick === '0' ? null : parseDuration(options.tick);
  if (tickMs === undefined || tickMs === 0)
    throw new CliError(
      `--tick: expected a business-time duration like '1h', '4h' or '1d', or 'off'; got '${options.tick}'`,
      2,
    );
  const compiled = compileCharter(charter);

  const cases: CaseRecord[] = [];
  let skipped = 0;
  const skipExamples: string[] = [];
  const readOptions = defineReadOptions(options.eventLog === undefined ? {} : { eventLog: options.eventLog });
  for await (const item of readInputs(options.inputs, readOptions)) {
    if (item.type === 'case') cases.push(item.record);
    else if (item.type === 'skip') {
      skipped++;
      if (skipExamples.length < 5)
        skipExamples.push(
          formatLocation({
            ...item.skipped,
            location: { ...item.skipped.location, file: basename(item.skipped.location.file) },
          }),
        );
    } else if (item.type === 'progress' && io.interactive) {
      io.status?.(`replay: reading ${Math.round((item.bytesRead / Math.max(1, item.bytesTotal)) * 100)}%`);
    }
  }
  if (cases.length === 0)
    throw new CliError(
      `no cases in ${options.inputs.join(', ')}${skipped > 0 ? ` (${skipped} records skipped, e.g. ${skipExamples[0]})` : ''}`,
    );
  if (skipped > 0) io.stderr(`replay: ${skipped} record${skipped === 1 ? '' : 's'} skipped, e.g. ${skipExamples[0]}\n`);
  if (options.strict === true && skipped > 0)
    throw new CliError(`--strict: ${skipped} record${skipped === 1 ? '' : 's'} skipped, so nothing was written`);

  // All cases' events merged by time; ties keep the order of the inputs, then of the case.
  const timeline: CaseEvent[] = [];
  for (const c of cases) for (const e of c.events) timeline.push(e);
  timeline.sort((a, b) => a.at - b.at);
  const unknownStates = statesOutsideCharter(cases, compiled);
  const unknown = Object.entries(unknownStates);
  if (unknown.length > 0) {
    io.stderr(
      `replay: ${unknown.length} state${unknown.length === 1 ? '' : 's'} of the history ${unknown.length === 1 ? 'is' : 'are'} not in the charter's workflow and ${unknown.length === 1 ? 'was' : 'were'} mapped by name: ` +
        `${unknown
          .slice(0, 5)
          .map(([k, v]) => `'${k}' (seen ${v} times)`)
          .join(', ')}${unknown.length > 5 ? ', …' : ''}\n`,
    );
  }

  // Where the charter lets a model classify: one call per case and field on its creation text, before
  // the (synchronous) engine runs; the router reads the answers through its classifier port.
  const setting = charter.routing.modelClassify;
  const classified =
    options.model !== undefined && setting.enabled
      ? await classifyCasesWithLanguageModel(options.model, cases, compiled)
      : null;
  if (options.model === undefined && setting.enabled)
    io.stderr(
      `replay: the charter lets a model classify (${setting.fields.join(', ')}), but no --llm was given: the keyword rules classify\n`,
    );
  const patterns = (options.patterns ?? REPLAY_PATTERNS).map((p) =>
    classified !== null && p.id === 'router'
      ? createRouterPattern({
          classifier: (c) => createModelAssistedClassifier(createRuleClassifier(c), classified.predictions),
        })
      : p,
  );

  const summary = createReplaySummary(costs);
  const engine = createReplayEngine({
    charter: compiled,
    patterns,
    onObservation: (o) => {
      if (o.kind === 'sla.breach') summary.addBreach({ caseId: o.caseId, goal: o.goal, at: o.at });
    },
  });
  for (const c of cases) engine.addCase(c);

  const csv = createWriteStream(staged.path('decisions.csv'));
  const auditStream = createWriteStream(staged.path('audit.jsonl'));
  const audit = createReplayAudit(options.auditKey);
  const recent: Decision[] = [];
  await write(csv, DECISIONS_CSV_HEADER);

  let decisions = 0;
  const record = async (list: readonly Decision[]): Promise<void> => {
    for (const d of list) {
      decisions++;
      const actions = d.actions.map((a) => traitsOf(a).summary);
      await write(csv, csvRow(d, actions));
      await write(auditStream, audit.line(d));
      summary.add(d);
      if (d.disposition !== 'drop' && recent.length < EXAMPLES) recent.push(d);
    }
  };

  const step = Math.max(1, Math.floor(timeline.length / 200));
  let shown = 0;
  for (const { decisions: batch, events } of replayTimeline(engine, timeline, {
    calendar: compiled.calendar,
    tickMs,
  })) {
    await record(batch);
    if (io.interactive && events - shown >= step) {
      shown = events;
      io.status?.(
        `replay: ${events.toLocaleString('en-US')} / ${timeline.length.toLocaleString('en-US')} events, ${decisions.toLocaleString('en-US')} decisions`,
      );
    }
  }
  if (io.interactive) io.status?.('');
  await write(auditStream, audit.sealLine());
  await close(csv);
  await close(auditStream);
  // Read back what was written: the file on disk, not the chain in memory, is what a reader gets.
  const auditPath = staged.path('audit.jsonl');
  const check = await verifyAuditFile(auditPath, {
    expectedHead: audit.head,
    ...(options.auditKey === undefined ? {} : { key: options.auditKey }),
  });
  if (!check.ok) throw new CliError(`the audit audit.jsonl does not verify at line ${check.line}: ${check.problem}`);
  if (check.entries !== decisions || check.head !== audit.head) {
    throw new CliError(
      `the audit ${auditPath} holds ${check.entries} entries ending in ${check.head.slice(0, 12)}…, expected ${decisions} ending in ${audit.head.slice(0, 12)}…`,
    );
  }

  const built = summary.build();
  const seconds = (clock() - started) / 1000;
  const stats = engine.stats;
  const meta = {
    inputs: options.inputs.map((p) => basename(p)),
    charter: { file: basename(options.charterPath), name: charter.name, version: charter.version },
    tick: tickMs === null ? 'off' : options.tick,
    cases: cases.length,
    events: stats.events,
    duplicateEvents: stats.duplicateEvents,
    skippedRecords: skipped,
    outOfScopeCases: stats.outOfScope,
    ticks: stats.ticks,
    proposals: stats.proposals,
    repeatedFirings: stats.repeats,
    heldBack: stats.heldBack,
    unknownStates,
    period:
      timeline.length === 0
        ? null
        : { from: formatTimestamp(timeline[0]!.at), to: formatTimestamp(timeline.at(-1)!.at) },
    patterns: patterns.map((p) => p.id),
    audit: { entries: check.entries, head: check.head, verified: true, signed: check.seal === 'signed' },
  };
  // Wording comes last, after every decision is written and the audit verified: it cannot touch them.
  const examples = recent.slice(0, EXAMPLES);
  const wording = await wordExamples(options.model, examples);
  await writeFile(
    staged.path('summary.json'),
    `${JSON.stringify({ ...meta, ...built, wording: wording.summary, modelClassify: classified?.summary ?? null }, null, 2)}\n`,
  );
  await writeFile(
    staged.path('replay.html'),
    renderReplayPage({
      meta,
      summary: built,
      recent: examples,
      worded: wording.worded,
      wording: wording.summary,
      modelClassify: classified?.summary ?? null,
      skipExamples,
    }),
  );
  return {
    cases: cases.length,
    events: stats.events,
    ticks: stats.ticks,
    decisions,
    skipped,
    seconds,
    summary: built,
    audit: { entries: check.entries, head: check.head, signed: check.seal === 'signed' },
    wording: wording.summary,
    modelClassify: classified?.summary ?? null,
    files: REPLAY_OUTPUTS.map((f) => staged.finalPath(f)),
  };
}
