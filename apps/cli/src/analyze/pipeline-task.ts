import type { ReadOptions } from '../readers/index.ts';
import type { CaseArrays, CaseBatch } from './case-columns.ts';

/** What the reading thread of a pipelined `analyze` is asked to do (see pipeline.ts). */
export interface PipelineTask {
  readonly path: string;
  readonly read: ReadOptions;
  /**
   * Where to write events.csv (in the staging directory); none: the analysing thread writes it. The
   * reading thread writes it for CSV; for XES, whose reading costs more, the analysing thread does,
   * so that the two threads' shares stay even (ADR 0025).
   */
  readonly eventsPath?: string;
  readonly ownerFields: { readonly eventLog: string; readonly jira: string };
  /** `--since` / `--until`: a case whose first event is outside them has no rows in events.csv. */
  readonly since?: number;
  readonly until?: number;
  /** Tests only (no option sets it): make the thread fail after sending this many batches. */
  readonly fault?: PipelineFault;
}

/** How a test makes the reading thread fail: an error it reports, `process.exit`, an uncaught error. */
export interface PipelineFault {
  readonly after: number;
  readonly how: 'throw' | 'exit' | 'uncaught';
}

/** A file's size and SHA-256 (run.json's format). */
export interface Digest {
  readonly bytes: number;
  readonly sha256: string;
}

/** What the reading thread sends, in order. */
export type PipelineMessage =
  | { readonly type: 'batch'; readonly batch: CaseBatch }
  | { readonly type: 'done'; readonly events: Digest | undefined; readonly input: Digest }
  | {
      readonly type: 'error';
      readonly message: string;
      readonly exitCode: 1 | 2 | undefined;
      readonly stack?: string;
      /** The one-pass read of a CSV found it not grouped by case (`CsvNeedsTwoPasses`): read it again. */
      readonly twoPasses?: true;
    }
  | { readonly type: 'stopped' };

/** What the analysing thread sends back: a batch was taken (room for another; its arrays to fill again), or stop now. */
export type PipelineControl = { readonly type: 'ack'; readonly arrays: CaseArrays } | { readonly type: 'stop' };
