import { describe, expect, it } from 'vitest';
import { bpicTraces } from '../../../test/bpic-fixture.ts';
import { createWorkflowResolver } from '../../model/workflow.ts';
import { parseTimestamp } from '../../time/timestamp.ts';
import {
  buildDailyReport,
  DailyReportSchema,
  renderDailyReportMarkdown,
  renderDailyReportText,
} from './report-daily.ts';

const resolve = createWorkflowResolver();
const t = (s: string) => parseTimestamp(s)!.at;
const cases = bpicTraces();

describe('buildDailyReport on real BPIC 2013 incidents', () => {
  it('reports the day a case was opened and went to Wait - User: what changed, at risk, who acts next', () => {
    const r = buildDailyReport(cases, { from: t('2011-01-31T00:00:00Z'), to: t('2011-02-01T00:00:00Z'), resolve });
    expect(DailyReportSchema.parse(r)).toEqual(r);
    expect(r.changed).toEqual([
      {
        caseId: '1-467153946',
        title: null,
        changes: [
          { kind: 'phase', from: null, to: 'waiting' },
          { kind: 'state', from: null, to: 'Accepted/Wait - User' },
          { kind: 'owner', from: null, to: 'N52 2nd' },
          { kind: 'blocked', from: null, to: 'waiting:customer' },
        ],
      },
    ]);
    // The other incident (1-364285768) sits in a queue since 2010: idle, so at risk.
    expect(r.atRisk.map((a) => [a.caseId, a.reasons])).toEqual([
      ['1-364285768', ['idle 286 days']],
      ['1-467153946', ['blocked (waiting:customer)']],
    ]);
    expect(r.actNext.map((a) => a.who)).toEqual(['the customer', 'V5 3rd']);
    expect(r.totals).toEqual({ open: 2, created: 1, changed: 1, atRisk: 2, closedInPeriod: 0 });
  });

  it('counts a case closed in the period and leaves it out of the risks', () => {
    const r = buildDailyReport(cases, { from: t('2012-05-15T00:00:00Z'), to: t('2012-05-16T00:00:00Z'), resolve });
    expect(r.totals).toEqual({ open: 0, created: 0, changed: 1, atRisk: 0, closedInPeriod: 1 });
    expect(r.changed[0]!.changes[0]).toEqual({ kind: 'phase', from: 'queue', to: 'done' });
    expect(r.atRisk).toEqual([]);
  });

  it('renders Markdown and text with the same facts', () => {
    const r = buildDailyReport(cases, { from: t('2011-01-31T00:00:00Z'), to: t('2011-02-01T00:00:00Z'), resolve });
    const md = renderDailyReportMarkdown(r);
    expect(md).toContain('## At risk');
    expect(md).toContain('| 1-467153946 | medium | N52 2nd | blocked (waiting:customer) |');
    expect(renderDailyReportText(r)).toContain('[medium] 1-364285768 (V5 3rd): idle 286 days');
  });

  it('failure path: a period before any event and no cases give an empty report, not an error', () => {
    const r = buildDailyReport(cases, { from: 0, to: 1, resolve });
    expect(r.totals).toEqual({ open: 0, created: 0, changed: 0, atRisk: 0, closedInPeriod: 0 });
    expect(renderDailyReportMarkdown(buildDailyReport([], { from: 0, to: 1, resolve }))).toContain(
      'Nothing meaningful changed.',
    );
  });
});
