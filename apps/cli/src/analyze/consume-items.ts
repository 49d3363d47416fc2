import type { Analysis, CaseSummary } from '@baton/core/analysis';
import type { ReadItem, SkippedRecord } from '../readers/index.ts';
import type { ByteSink } from '../output/byte-sink.ts';
import { writeEventRows } from './event-rows.ts';

export const CASE_COLUMNS = [
  'case',
  'source',
  'first_event',
  'last_event',
  'events',
  'cycle_days',
  'cycle_business_days',
  'handoffs',
  'ping_pong_bounces',
  'status_chases',
  'comments',
  'waiting_days',
  'waiting_business_days',
  'reopened',
  'escalated',
  'final_state',
  'owners',
  'sla_due',
  'sla_outcome',
] as const;

const DAY = 86_400_000;
/** The numbers of a cases.csv row, from `events` to `escalated` (one array for every row). */
const caseNumbers = new Float64Array(11);

/** One row of cases.csv, as `csvRow` would write it: a call a cell or less, separators included. */
export function writeCaseRow(out: ByteSink, s: CaseSummary, businessDayMs: number): void {
  out.cell(s.id, 44);
  out.name(s.source, 44);
  out.timestamp(s.firstAt, s.firstOffsetMinutes, 44);
  out.timestamp(s.lastAt, s.lastOffsetMinutes, 44);
  const n = caseNumbers;
  n[0] = s.events;
  n[1] = s.cycleMs / DAY;
  n[2] = s.cycleBusinessMs / businessDayMs;
  n[3] = s.handoffs;
  n[4] = s.pingPongBounces;
  n[5] = s.statusChases;
  n[6] = s.comments;
  n[7] = s.waitingMs / DAY;
  n[8] = s.waitingBusinessMs / businessDayMs;
  n[9] = s.exceptions.reopened;
  n[10] = s.exceptions.escalated;
  out.numbers(n, 11, 44);
  if (s.finalState !== null) out.name(s.finalState, 44);
  else out.byte(44);
  out.joined(s.owners, ' > ', 44);
  if (s.sla.due !== null) out.timestamp(s.sla.due, s.firstOffsetMinutes, 44);
  else out.byte(44);
  if (s.sla.outcome !== 'none') out.name(s.sla.outcome, 10);
  else out.byte(10);
}

/** The skipped records kept as examples (the first ones, in input order). */
export const SKIPPED_EXAMPLES = 20;

/** What one reading of items counted: the whole input, or one shard of it. */
export interface ItemTally {
  /** The first `SKIPPED_EXAMPLES` skipped records, in order. */
  readonly skipped: SkippedRecord[];
  skippedTotal: number;
  cases: number;
  events: number;
}

export interface ConsumeContext {
  readonly analysis: Analysis;
  readonly casesOut: ByteSink;
  /** Where to write events.csv rows (none: another thread writes them). */
  readonly eventsOut: ByteSink | undefined;
  readonly businessDayMs: number;
  readonly ownerFields: { readonly eventLog: string; readonly jira: string };
  /** Called with the id of each case read, analysed or skipped whole (for the check that shards share no case). */
  readonly caseSeen?: (id: string) => void;
  /** Called for each progress item, with the tally so far. */
  readonly progress?: (bytesRead: number, bytesTotal: number, tally: ItemTally) => void;
}

/**
 * Analyses the items of a reader as they come: each case is added to the analysis and written to
 * cases.csv and events.csv, each skip counted (the first ones kept as examples).
 */
export async function consumeItems(
  batches: AsyncIterable<readonly ReadItem[]>,
  context: ConsumeContext,
): Promise<ItemTally> {
  const { analysis, casesOut, eventsOut, businessDayMs, ownerFields } = context;
  const tally: ItemTally = { skipped: [], skippedTotal: 0, cases: 0, events: 0 };
  for await (const batch of batches) {
    for (const item of batch) {
      switch (item.type) {
        case 'case': {
          context.caseSeen?.(item.record.id);
          // The analysis's own summary, rewritten by the next case: its row is written now, nothing keeps it.
          const summary = analysis.addTransient(item.record);
          if (summary === undefined) break;
          tally.cases++;
          tally.events += summary.events;
          writeCaseRow(casesOut, summary, businessDayMs);
          if (eventsOut !== undefined) writeEventRows(item.record, ownerFields, eventsOut);
          break;
        }
        case 'skip':
          if (typeof item.skipped.location.record === 'string') context.caseSeen?.(item.skipped.location.record);
          tally.skippedTotal++;
          analysis.addSkipped();
          if (tally.skipped.length < SKIPPED_EXAMPLES) tally.skipped.push(item.skipped);
          break;
        case 'hints':
          analysis.addHints(item.hints);
          break;
        case 'progress':
          context.progress?.(item.bytesRead, item.bytesTotal, tally);
          break;
      }
    }
  }
  return tally;
}
