import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { CliError } from '../command.ts';
import { CsvNeedsTwoPasses } from '../readers/csv-reader.ts';
import { detectFormat } from '../readers/detect-format.ts';
import type { ReadItem, ReadOptions } from '../readers/types.ts';
import { contentSizeHint } from '../readers/xes-shards.ts';
import { arrayBuffers, createCaseDecoder } from './case-columns.ts';
import type { Digest, PipelineControl, PipelineMessage, PipelineTask } from './pipeline-task.ts';
import { startAnalyzeThread } from './worker-script.ts';

/**
 * Off unless asked for (`BATON_PIPELINE_MIN_BYTES`): measured on the idle 2-core machine, reading on a
 * second thread took 0.99× the wall time on road-traffic CSV, 1.06× on its XES and 1.08× on BPIC
 * 2014 CSV, for 1.23–1.32× the CPU and 30 MiB more memory. V8's own helper threads (concurrent GC
 * and compilation) already keep the second core about half busy during a one-thread run, and
 * encoding and rebuilding the cases costs what the overlap saves (ADR 0025, "Measured idle").
 */
export const DEFAULT_PIPELINE_MIN_BYTES = Number.POSITIVE_INFINITY;

/**
 * Whether one input is read on a thread of its own while this one analyses it: a single XES or CSV
 * input (plain or gzipped) of at least `minBytes` of content, on a machine with two cores or more.
 */
export async function pipelineFits(
  inputs: readonly string[],
  read: ReadOptions,
  minBytes: number,
): Promise<'xes' | 'csv' | undefined> {
  if (inputs.length !== 1 || availableParallelism() < 2) return undefined;
  const path = inputs[0]!;
  try {
    const format = await detectFormat(path, read.format);
    if (format !== 'xes' && format !== 'csv') return undefined;
    return (await contentSizeHint(path)) >= minBytes ? format : undefined;
  } catch {
    // The one-thread reader reports what is wrong with the file.
    return undefined;
  }
}

export interface Pipeline {
  /** The reader's items, in its order, as the analysis takes them (with back-pressure). */
  readonly batches: AsyncIterable<readonly ReadItem[]>;
  /** After `batches` ended: the digests of events.csv (as written, if the thread wrote it) and of the input (as read). */
  result(): { readonly events: Digest | undefined; readonly input: Digest };
  /** Ends the reading thread (asking it to stop first, so that it closes what it opened). */
  stop(): Promise<void>;
}

/**
 * Starts the reading thread: it reads, hashes the input, writes events.csv and sends cases in
 * batches of columns (case-columns.ts); this thread rebuilds the records. An error the reader
 * reports comes back as the error one thread would have thrown (a `CliError` keeps its message and
 * exit code); a thread that dies (an uncaught error, `process.exit`) fails the run with a message
 * naming the input.
 */
export function startPipeline(task: PipelineTask): Pipeline {
  const worker = startAnalyzeThread('pipeline-worker.ts', 'analyze-reader.mjs', task);
  const name = basename(task.path);
  const queue: PipelineMessage[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let finished: Extract<PipelineMessage, { type: 'done' }> | undefined;
  let ended = false;
  let exited = false;
  let onExit: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  worker.on('message', (m: PipelineMessage) => {
    queue.push(m);
    if (m.type === 'done' || m.type === 'error' || m.type === 'stopped') ended = true;
    notify();
  });
  worker.on('error', (error) => {
    failure ??= new CliError(`reading ${name} on another thread failed: ${error.message}`);
    notify();
  });
  worker.on('exit', (code) => {
    exited = true;
    if (!ended) failure ??= new CliError(`the thread reading ${name} stopped (exit code ${code}) before it finished`);
    notify();
    onExit?.();
  });
  const control = (m: PipelineControl) => worker.postMessage(m, m.type === 'ack' ? arrayBuffers(m.arrays) : undefined);

  async function next(): Promise<PipelineMessage> {
    for (;;) {
      // Messages sent before a failure are taken first: they are what the thread did before it.
      const m = queue.shift();
      if (m !== undefined) return m;
      if (failure !== undefined) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }

  async function* batches(): AsyncGenerator<readonly ReadItem[]> {
    const decoder = createCaseDecoder();
    for (;;) {
      const m = await next();
      switch (m.type) {
        case 'batch':
          yield* decoder.decode(m.batch);
          control({ type: 'ack', arrays: m.batch.arrays });
          break;
        case 'done':
          finished = m;
          return;
        case 'error': {
          if (m.twoPasses === true) throw new CsvNeedsTwoPasses(m.message);
          const error = m.exitCode === undefined ? new Error(m.message) : new CliError(m.message, m.exitCode);
          if (m.exitCode === undefined && m.stack !== undefined) error.stack = m.stack;
          throw error;
        }
        case 'stopped':
          throw new CliError(`the thread reading ${name} stopped before it finished`);
      }
    }
  }

  return {
    batches: batches(),
    result() {
      if (finished === undefined) throw new Error('the reading thread has not finished');
      return { events: finished.events, input: finished.input };
    },
    async stop() {
      if (exited) return;
      if (!ended) {
        // Asked to stop, the thread closes events.csv and says so; past a second it is ended anyway.
        const gone = new Promise<void>((resolve) => (onExit = resolve));
        control({ type: 'stop' });
        let timer: ReturnType<typeof setTimeout> | undefined;
        const stopped = (async () => {
          while (!ended && !exited) await new Promise<void>((resolve) => (wake = resolve));
        })();
        await Promise.race([stopped, gone, new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)))]);
        clearTimeout(timer);
      }
      await worker.terminate();
    },
  };
}
