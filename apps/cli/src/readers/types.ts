import type { CaseRecord, StateCategoryHints } from '@baton/core';
import type { RawTap } from './input-digest.ts';

/** Where a problem sits in an input: the file, and the line, record index or XML element. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly record?: number | string;
  readonly field?: string;
}

/** A record the reader could not use: reported, counted in the summary, skipped. */
export interface SkippedRecord {
  readonly code: string;
  readonly location: SourceLocation;
  /** What was expected, said plainly. */
  readonly message: string;
}

/** What a reader yields, in order: cases as they complete, skips as they happen. */
export type ReadItem =
  | { readonly type: 'case'; readonly record: CaseRecord }
  | { readonly type: 'skip'; readonly skipped: SkippedRecord }
  /** Jira status categories seen, to derive the default workflow map. */
  | { readonly type: 'hints'; readonly hints: StateCategoryHints }
  /** Progress in bytes of the (compressed) file read so far. */
  | { readonly type: 'progress'; readonly bytesRead: number; readonly bytesTotal: number };

export const INPUT_FORMATS = ['jira', 'xes', 'csv'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** How to read an event log's columns/attributes; defaults follow the XES / pm4py convention. */
export interface EventLogOptions {
  readonly caseKey: string; // case:concept:name
  readonly activityKey: string; // concept:name
  readonly timestampKey: string; // time:timestamp
  readonly ownerKey: string; // org:resource (or org:group with --owner)
  readonly dueKey?: string; // e.g. case:deadline
  /** Append a lifecycle sub-status to the activity (BPIC 2013: "Accepted/Wait - User"). */
  readonly lifecycleKey?: string; // lifecycle:transition
}

export interface ReadOptions {
  readonly format?: InputFormat;
  readonly eventLog: EventLogOptions;
  /** Which attribute is the owner for Jira inputs: `assignee` (default) or another field id. */
  readonly jiraOwnerField: string;
  /**
   * Read a CSV once, as if grouped by case, rather than in two passes. A file that is not (or cannot
   * be read to its end) makes the read throw `CsvNeedsTwoPasses`: the caller then drops everything the
   * read handed on and reads again without this option.
   */
  readonly csvOnePass?: boolean;
}

export type Reader = (path: string, options: ReadOptions) => AsyncIterable<ReadItem>;

/**
 * A reader that hands items on in batches (those of one chunk of input): one await per batch
 * rather than per case, which is what async iteration costs on the hot path. `tap`, when given,
 * sees the file's raw bytes as they are read (XES and CSV; see `readBytes`).
 */
export type BatchReader = (path: string, options: ReadOptions, tap?: RawTap) => AsyncIterable<readonly ReadItem[]>;

/** The items of a batch reader one by one. */
export function oneByOne(reader: BatchReader): Reader {
  return async function* (path, options) {
    for await (const batch of reader(path, options)) yield* batch;
  };
}
