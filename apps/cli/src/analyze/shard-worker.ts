// The entry point of an `analyze` worker thread (dist/analyze-worker.mjs when built): analyses one
// shard of an input (see run-shards.ts) and sends back its exact analysis state, its tally and
// where it ended; its case and event rows go to two part files that the main thread appends.
import { closeSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { createAnalysis } from '@baton/core/analysis';
import { CliError } from '../command.ts';
import { type ByteSink, createByteSink } from '../output/byte-sink.ts';
import { caseIdHashes } from '../readers/case-ids.ts';
import { readCsvShard } from '../readers/csv-reader.ts';
import { readXesShard, type XesShardEnd } from '../readers/xes-reader.ts';
import type { XesShardScan } from '../readers/xes-shards.ts';
import { consumeItems } from './consume-items.ts';
import { analysisOptionsOf, businessDayMsOf, type ShardMessage, type ShardTask } from './shard-task.ts';

const post = (message: ShardMessage, transfer?: readonly ArrayBuffer[]) =>
  parentPort!.postMessage(message, transfer as ArrayBuffer[] | undefined);

/**
 * A sink on a part file, not hashed (the main thread hashes the joined file as it appends the part:
 * hashing here too was wasted).
 */
function createPartSink(path: string): ByteSink {
  const fd = openSync(path, 'w');
  let open = true;
  const sink = createByteSink((chunk) => {
    let done = 0;
    while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done);
  });
  return {
    ...sink,
    close() {
      if (!open) return;
      open = false;
      try {
        sink.close();
      } finally {
        closeSync(fd);
      }
    },
  };
}

async function runShard(task: ShardTask): Promise<void> {
  if (task.exitAtStart !== undefined) process.exit(task.exitAtStart);
  const analysis = createAnalysis(analysisOptionsOf(task.analysis));
  const casesOut = createPartSink(task.casesPath);
  const eventsOut = createPartSink(task.eventsPath);
  const scan: XesShardScan = { headerLines: 0, started: false };
  let end: XesShardEnd | undefined;
  let lastPost = 0;
  const range = task.range;
  // CSV: the hashes of the case ids read, two int32 an id, in a growing array.
  let ids = range.format === 'csv' ? new Int32Array(1 << 16) : undefined;
  let idCount = 0;
  const caseSeen = (id: string) => {
    if (ids === undefined) return;
    if (idCount * 2 + 2 > ids.length) {
      const bigger = new Int32Array(ids.length * 2);
      bigger.set(ids);
      ids = bigger;
    }
    caseIdHashes(id, ids, idCount * 2);
    idCount++;
  };
  try {
    const tally = await consumeItems(
      range.format === 'xes'
        ? readXesShard(task.path, task.read, range.xes, scan, (e) => {
            end = e;
          })
        : readCsvShard(task.path, task.read, range.csv),
      {
        analysis,
        casesOut,
        eventsOut,
        businessDayMs: businessDayMsOf(task.analysis),
        ownerFields: { eventLog: task.read.eventLog.ownerKey, jira: task.read.jiraOwnerField },
        caseSeen,
        progress(bytesRead, _total, t) {
          const now = performance.now();
          if (now - lastPost < 50) return;
          lastPost = now;
          post({ type: 'progress', bytesRead, cases: t.cases, events: t.events });
        },
      },
    );
    casesOut.close();
    eventsOut.close();
    if (range.format === 'csv') scan.started = true;
    // A view of the ids read (not a copy: its buffer is transferred whole).
    const caseIds = ids?.subarray(0, idCount * 2);
    post(
      {
        type: 'done',
        state: analysis.exactState(),
        skipped: tally.skipped,
        skippedTotal: tally.skippedTotal,
        cases: tally.cases,
        events: tally.events,
        scan,
        end,
        caseIds,
      },
      caseIds === undefined ? undefined : [caseIds.buffer],
    );
  } finally {
    casesOut.close();
    eventsOut.close();
  }
}

runShard(workerData as ShardTask).catch((error: unknown) => {
  post({
    type: 'error',
    message: error instanceof Error ? error.message : String(error),
    exitCode: error instanceof CliError ? error.exitCode : undefined,
    ...(error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {}),
  });
});
