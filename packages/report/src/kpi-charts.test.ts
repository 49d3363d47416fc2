import { createAnalysis } from '@baton/core/analysis';
import type { CaseRecord } from '@baton/core';
import { describe, expect, it } from 'vitest';
import {
  barChart,
  columnChart,
  cycleTimeChart,
  escapeHtml,
  handoffsChart,
  overheadChart,
  slaChart,
  stateTimeChart,
} from './index.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 5, 9);

/** A few cases through To Do → Waiting → In Progress → Done, with owners, built with core's analysis. */
function kpis(withTarget: boolean) {
  const record = (id: string, owners: string[], waitH: number): CaseRecord => ({
    id,
    source: 'test',
    attributes: {},
    events: [
      { at: T0, kind: 'created' as const, state: 'To Do' },
      ...owners.map((o, i) => ({ at: T0 + (i + 1) * H, kind: 'owner' as const, to: o })),
      { at: T0 + 5 * H, kind: 'status' as const, from: 'To Do', to: 'Waiting for <customer>' },
      { at: T0 + (5 + waitH) * H, kind: 'status' as const, from: 'Waiting for <customer>', to: 'In Progress' },
      { at: T0 + (8 + waitH) * H, kind: 'status' as const, from: 'In Progress', to: 'Done' },
    ].map((e) => ({ ...e, caseId: id, offsetMinutes: 0, actor: 'u' })),
  });
  const a = createAnalysis({
    workflow: { states: { 'Waiting for <customer>': { phase: 'waiting' }, Done: { phase: 'done' } } },
    ...(withTarget ? { slaTargetMs: () => 8 * H } : {}),
  });
  a.add(record('A-1', ['ada'], 2));
  a.add(record('A-2', ['ada', 'bob', 'ada'], 30));
  a.add(record('A-3', [], 0));
  return a.result();
}
const bars = (svg: string) => (svg.match(/<rect [^>]*rx="2"><title>/g) ?? []).length;

describe('charts of the KPIs', () => {
  it('draws one bar per open state, none for done states, and escapes state names', () => {
    const k = kpis(true);
    const drawn = stateTimeChart(k)!;
    const open = Object.values(k.states).filter((s) => s.phase !== 'done').length;
    expect(open).toBe(3);
    expect(drawn.bars).toBe(open);
    expect(bars(drawn.svg)).toBe(open);
    expect(drawn.doneDays).toBe(k.states.Done?.totalDays ?? 0);
    expect(drawn.svg).toContain('Waiting for &lt;customer&gt;');
    expect(drawn.svg).not.toContain('<customer>');
  });

  it('draws the cycle-time and handoff histograms with one column per bin and series', () => {
    const k = kpis(true);
    const columns = (svg: string) => (svg.match(/<rect [^>]*rx="1.5">/g) ?? []).length;
    expect(columns(cycleTimeChart(k))).toBe(2 * k.cycleTimeHistogram.edgesDays.length);
    expect(columns(handoffsChart(k))).toBe(k.handoffsHistogram.length);
  });

  it('draws SLA outcomes only when a case had a target, and the four overhead buckets', () => {
    expect(slaChart(kpis(false))).toBeUndefined();
    expect(bars(slaChart(kpis(true))!)).toBe(3);
    expect(bars(overheadChart(kpis(true)))).toBe(4);
  });
});

describe('SVG charts', () => {
  it('scale bars to the largest value and keep a zero bar empty', () => {
    const svg = barChart({
      title: 't',
      rows: [
        { label: 'a', value: 10, color: '#000' },
        { label: 'b', value: 0, color: '#000' },
      ],
      format: String,
      width: 720,
      labelWidth: 210,
    });
    const widths = [...svg.matchAll(/<rect x="210" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([720 - 210 - 190 - 84, 0]);
  });

  it('escape every text it is given', () => {
    const svg = columnChart({
      title: '"x" & <y>',
      labels: ['<a>'],
      series: [{ name: "b'", values: [1], color: '#000' }],
      xTitle: '',
      yTitle: '',
    });
    expect(svg).not.toMatch(/<a>|<y>/);
    expect(svg).toContain(escapeHtml('"x" & <y>'));
  });
});
