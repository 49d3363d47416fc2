// The entry point of the reading thread of a pipelined `analyze` (dist/analyze-reader.mjs when
// built; see pipeline.ts): reads one XES or CSV input, hashes its bytes as it reads them, writes
// events.csv and sends the cases to the analysing thread as columns.
import { parentPort, workerData } from 'node:worker_threads';
import type { CaseRecord } from '@baton/core';
import { CliError } from '../command.ts';
import { createFileByteSink } from '../output/byte-sink.ts';
import { csvRow } from '../output/csv.ts';
import { digestFile } from '../output/run-manifest.ts';
import { CsvNeedsTwoPasses } from '../readers/csv-reader.ts';
import { readInputBatches } from '../readers/read-inputs.ts';
import { createInputDigest } from '../readers/input-digest.ts';
import { arrayBuffers, type CaseBatch, createCaseEncoder } from './case-columns.ts';
import { EVENT_COLUMNS, writeEventRows } from './event-rows.ts';
import type { PipelineControl, PipelineMessage, PipelineTask } from './pipeline-task.ts';

/** Events (and other items) in a batch: large enough that a message costs little, small enough to overlap. */
const BATCH_EVENTS = 16_384;
/**
 * Batches sent and not yet taken by the analysing thread: the queue between the threads. When it is
 * full the reader waits, so a slow analysis cannot make this thread hold the whole file.
 */
const MAX_IN_FLIGHT = 4;

const port = parentPort!;
const post = (message: PipelineMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

class Stopped extends Error {}

let inFlight = 0;
let stopping = false;
let wake: (() => void) | undefined;
const encoder = createCaseEncoder();
port.on('message', (m: PipelineControl) => {
  if (m.type === 'ack') {
    inFlight--;
    encoder.giveBack(m.arrays);
  } else stopping = true;
  const w = wake;
  wake = undefined;
  w?.();
});

/** Waits for room in the queue (or a stop). */
async function room(): Promise<void> {
  while (inFlight >= MAX_IN_FLIGHT && !stopping) await new Promise<void>((resolve) => (wake = resolve));
  if (stopping) throw new Stopped();
}

/** Whether the analysis keeps a case (`createAnalysis().add`): it has events and its first is within --since/--until. */
function kept(record: CaseRecord, since: number | undefined, until: number | undefined): boolean {
  const events = record.events;
  if (events.length === 0) return false;
  let first = Infinity;
  for (let i = 0; i < events.length; i++) if (events[i]!.at < first) first = events[i]!.at;
  return !((since !== undefined && first < since) || (until !== undefined && first >= until));
}

async function run(task: PipelineTask): Promise<void> {
  const digest = createInputDigest();
  const eventsOut = task.eventsPath === undefined ? undefined : createFileByteSink(task.eventsPath);
  let sent = 0;
  const send = async (batch: CaseBatch) => {
    await room();
    const fault = task.fault;
    if (fault !== undefined && sent >= fault.after) {
      if (fault.how === 'throw') throw new CliError('a planted failure of the reading thread', 2);
      if (fault.how === 'exit') process.exit(7);
      if (fault.how === 'uncaught')
        setImmediate(() => {
          throw new Error('a planted uncaught error');
        });
    }
    sent++;
    inFlight++;
    post({ type: 'batch', batch }, arrayBuffers(batch.arrays));
  };
  // A thread ended by `process.exit` runs no `finally`: close the file all the same.
  process.on('exit', () => eventsOut?.close());
  try {
    eventsOut?.raw(csvRow(EVENT_COLUMNS));
    const { since, until, ownerFields } = task;
    for await (const batch of readInputBatches([task.path], task.read, digest)) {
      for (const item of batch) {
        if (item.type === 'case') {
          if (eventsOut !== undefined && kept(item.record, since, until))
            writeEventRows(item.record, ownerFields, eventsOut);
          encoder.addCase(item.record);
        } else encoder.addItem(item);
      }
      if (stopping) throw new Stopped();
      if (encoder.size >= BATCH_EVENTS) await send(encoder.take());
    }
    if (encoder.size > 0) await send(encoder.take());
    eventsOut?.close();
    post({ type: 'done', events: await eventsOut?.digest(), input: (await digest.result()) ?? digestFile(task.path) });
  } finally {
    eventsOut?.close();
  }
}

run(workerData as PipelineTask).catch((error: unknown) => {
  if (error instanceof Stopped) {
    post({ type: 'stopped' });
    return;
  }
  post({
    type: 'error',
    message: error instanceof Error ? error.message : String(error),
    exitCode: error instanceof CliError ? error.exitCode : undefined,
    ...(error instanceof CsvNeedsTwoPasses ? { twoPasses: true as const } : {}),
    ...(error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {}),
  });
});
