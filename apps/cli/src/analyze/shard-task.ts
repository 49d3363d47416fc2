import { type CalendarDefinition, defineCalendar, DEFAULT_CALENDAR, workingDayMs, type WorkflowMap } from '@baton/core';
import type { AnalysisOptions, Costs, ExactAnalysisState } from '@baton/core/analysis';
import type { ReadOptions, SkippedRecord } from '../readers/index.ts';
import type { XesShardEnd } from '../readers/xes-reader.ts';
import type { XesShardRange, XesShardScan } from '../readers/xes-shards.ts';

/** The analysis options as data (a calendar without its engine, the SLA as a number): what a worker is sent. */
export interface PortableAnalysisOptions {
  readonly calendar?: CalendarDefinition;
  readonly workflow?: WorkflowMap;
  readonly costs?: Costs;
  readonly since?: number;
  readonly until?: number;
  readonly cohort?: number;
  readonly slaMs?: number;
}

export function portableAnalysisOptions(options: AnalysisOptions, slaMs: number | undefined): PortableAnalysisOptions {
  const c = options.calendar;
  return {
    ...(c === undefined ? {} : { calendar: { timeZone: c.timeZone, week: c.week, holidays: c.holidays } }),
    ...(options.workflow === undefined ? {} : { workflow: options.workflow }),
    ...(options.costs === undefined ? {} : { costs: options.costs }),
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.until === undefined ? {} : { until: options.until }),
    ...(options.cohort === undefined ? {} : { cohort: options.cohort }),
    ...(slaMs === undefined ? {} : { slaMs }),
  };
}

/** The analysis options again, in the worker: the same as the main thread's. */
export function analysisOptionsOf(p: PortableAnalysisOptions): AnalysisOptions {
  let calendar = undefined;
  if (p.calendar !== undefined) {
    const r = defineCalendar(p.calendar);
    if (!r.ok) throw new Error('the calendar sent to the worker is invalid');
    calendar = r.value;
  }
  const slaMs = p.slaMs;
  return {
    ...(calendar === undefined ? {} : { calendar }),
    ...(p.workflow === undefined ? {} : { workflow: p.workflow }),
    ...(p.costs === undefined ? {} : { costs: p.costs }),
    ...(p.since === undefined ? {} : { since: p.since }),
    ...(p.until === undefined ? {} : { until: p.until }),
    ...(p.cohort === undefined ? {} : { cohort: p.cohort }),
    ...(slaMs === undefined ? {} : { slaTargetMs: () => slaMs }),
  };
}

export function businessDayMsOf(p: PortableAnalysisOptions): number {
  return workingDayMs(p.calendar ?? DEFAULT_CALENDAR);
}

/** Which bytes of a CSV file a shard reads: the header, then [from, to). */
export interface CsvShardRange {
  readonly headerEnd: number;
  readonly from: number;
  readonly to: number;
}

/** What a worker is asked to do: analyse one shard of one input, writing its rows to two part files. */
export interface ShardTask {
  readonly path: string;
  readonly read: ReadOptions;
  readonly analysis: PortableAnalysisOptions;
  readonly range:
    { readonly format: 'xes'; readonly xes: XesShardRange } | { readonly format: 'csv'; readonly csv: CsvShardRange };
  readonly casesPath: string;
  readonly eventsPath: string;
  /** Tests only (no option sets it): the worker ends its thread with `process.exit` as it starts. */
  readonly exitAtStart?: number;
}

/** What a worker sends back. */
export type ShardMessage =
  | { readonly type: 'progress'; readonly bytesRead: number; readonly cases: number; readonly events: number }
  | {
      readonly type: 'done';
      readonly state: ExactAnalysisState;
      readonly skipped: SkippedRecord[];
      readonly skippedTotal: number;
      readonly cases: number;
      readonly events: number;
      readonly scan: XesShardScan;
      readonly end: XesShardEnd | undefined;
      /** CSV: the two 32-bit hashes of each case id read (`caseIdHashes`), for the check that shards share no case. */
      readonly caseIds: Int32Array | undefined;
    }
  | { readonly type: 'error'; readonly message: string; readonly exitCode: 1 | 2 | undefined; readonly stack?: string };
