import type { CaseSummary } from '@baton/core/analysis';
import { createAnalysis } from '@baton/core/analysis';
import { DEFAULT_CALENDAR, workingDayMs } from '@baton/core';
import { formatTimestamp } from '@baton/core/time';
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createByteSink } from '../output/byte-sink.ts';
import { csvRow } from '../output/csv.ts';
import { defineReadOptions, readInputs } from '../readers/index.ts';
import { CASE_COLUMNS, writeCaseRow } from './consume-items.ts';

const BPIC2013 = join(import.meta.dirname, '..', '..', 'data', 'bpic2013-incidents.xes.gz');
const DAY = 86_400_000;

/** The row of cases.csv as csvRow writes it, cell by cell (`CASE_COLUMNS`). */
function expectedRow(s: CaseSummary, businessDayMs: number): string {
  return csvRow([
    s.id,
    s.source,
    formatTimestamp(s.firstAt, s.firstOffsetMinutes),
    formatTimestamp(s.lastAt, s.lastOffsetMinutes),
    s.events,
    s.cycleMs / DAY,
    s.cycleBusinessMs / businessDayMs,
    s.handoffs,
    s.pingPongBounces,
    s.statusChases,
    s.comments,
    s.waitingMs / DAY,
    s.waitingBusinessMs / businessDayMs,
    s.exceptions.reopened,
    s.exceptions.escalated,
    s.finalState ?? '',
    s.owners.join(' > '),
    s.sla.due === null ? '' : formatTimestamp(s.sla.due, s.firstOffsetMinutes),
    s.sla.outcome === 'none' ? '' : s.sla.outcome,
  ]);
}

/** A sink over memory with a small buffer (rows straddle flushes), and what it wrote. */
function memorySink() {
  const chunks: Buffer[] = [];
  const sink = createByteSink((b) => chunks.push(Buffer.from(b)), 64, 8);
  const text = () => {
    sink.close();
    return Buffer.concat(chunks.splice(0)).toString('utf8');
  };
  return { sink, text };
}

describe('writeCaseRow', () => {
  it('writes the cells csvRow writes, owners joined with the formula guard and quotes over the whole', () => {
    const { sink, text } = memorySink();
    const name = fc.oneof(
      fc.constantFrom('ann', 'bob', '561', '=x', '-3', '-x', '+1', '@a', 'a,b', 'say "hi"', 'Österreich', '', '-'),
      fc.string(),
    );
    const instant = fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 });
    const offset = fc.constantFrom(0, 60, 120, -330);
    const count = fc.oneof(fc.nat({ max: 12 }), fc.nat());
    const ms = fc.oneof(fc.nat({ max: 1e12 }), fc.double({ min: -1e17, max: 1e17, noNaN: true }));
    const summary = fc.record({
      id: name,
      source: name,
      events: count,
      firstAt: instant,
      firstOffsetMinutes: offset,
      lastAt: instant,
      lastOffsetMinutes: offset,
      cycleMs: ms,
      cycleBusinessMs: ms,
      owners: fc.array(name, { maxLength: 4 }),
      handoffs: count,
      pingPongBounces: count,
      comments: count,
      statusChases: count,
      visits: fc.constant([]),
      finalState: fc.option(name),
      waitingMs: ms,
      waitingBusinessMs: ms,
      exceptions: fc.record({ reopened: count, waiting: count, escalated: count }),
      sla: fc.record({
        due: fc.option(instant),
        resolvedAt: fc.constant(null),
        outcome: fc.constantFrom('met', 'breached', 'open', 'none'),
      }),
    }) as fc.Arbitrary<CaseSummary>;
    fc.assert(
      fc.property(fc.array(summary, { maxLength: 5 }), fc.constantFrom(DAY / 3, 28_800_000), (summaries, day) => {
        for (const s of summaries) writeCaseRow(sink, s, day);
        expect(text()).toBe(summaries.map((s) => expectedRow(s, day)).join(''));
      }),
      { numRuns: 1000, seed: 23 },
    );
    expect(CASE_COLUMNS).toHaveLength(19);
  });

  it('writes the same bytes as csvRow on every case of a real log (with owners)', async () => {
    const { sink, text } = memorySink();
    const analysis = createAnalysis();
    const businessDayMs = workingDayMs(DEFAULT_CALENDAR);
    let cases = 0;
    let handedOff = 0;
    for await (const item of readInputs([BPIC2013], defineReadOptions({ eventLog: { ownerKey: 'org:group' } }))) {
      if (item.type !== 'case') continue;
      const s = analysis.addTransient(item.record);
      if (s === undefined) continue;
      cases++;
      if (s.owners.length > 1) handedOff++;
      writeCaseRow(sink, s, businessDayMs);
      expect(text()).toBe(expectedRow(s, businessDayMs));
    }
    expect(cases).toBe(7554);
    expect(handedOff).toBeGreaterThan(1000);
  });
});
