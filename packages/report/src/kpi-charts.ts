import type { Phase } from '@baton/core';
import type { Kpis } from '@baton/core/analysis';
import { int, days } from './format.ts';
import { barChart, columnChart } from './svg-charts.ts';

// The charts of core's KPIs, drawn the same wherever the analysis is shown: the CLI's report.html
// and the Forge app's dashboard page call these with the same `Kpis`.

/** One colour per workflow phase, in every chart and legend. */
export const PHASE_COLORS: Readonly<Record<Phase, string>> = {
  queue: '#d97706',
  waiting: '#dc2626',
  active: '#2563eb',
  done: '#9ca3af',
};

/** How a person reads each phase. */
export const PHASE_NAMES: Readonly<Record<Phase, string>> = {
  queue: 'queued',
  waiting: 'waiting / blocked',
  active: 'being worked',
  done: 'done',
};

/** Wall-clock and business-time series colours. */
export const WALL = '#1d4ed8';
export const BUSINESS = '#0d9488';

/** Labels of core's cycle-time histogram bins: "<¼", "¼–1", …, "365+". */
export function binLabels(edges: readonly number[]): string[] {
  const n = (v: number) => (v === 0.25 ? '¼' : String(v));
  return edges.map((e, i) =>
    i === edges.length - 1 ? `${n(e)}+` : i === 0 ? `<${n(edges[1]!)}` : `${n(e)}–${n(edges[i + 1]!)}`,
  );
}

/**
 * Total time cases spent in each open state (time × volume), one bar per state, coloured by phase;
 * at most 14 states, in the KPIs' order. Done states hold closed work and are not drawn: their days
 * come back as `doneDays`. `undefined` when no open state was seen.
 */
export function stateTimeChart(k: Kpis): { svg: string; bars: number; doneDays: number } | undefined {
  const entries = Object.entries(k.states).filter(([, s]) => s.phase !== 'done');
  const doneDays = Object.values(k.states)
    .filter((s) => s.phase === 'done')
    .reduce((sum, s) => sum + s.totalDays, 0);
  if (entries.length === 0) return undefined;
  const rows = entries.slice(0, 14).map(([name, s]) => ({
    label: name,
    value: s.totalDays,
    color: PHASE_COLORS[s.phase],
    note: `${int(s.visits)} visits · median ${days(s.medianDays)}`,
  }));
  return {
    svg: barChart({
      title: 'Total time cases spent in each state',
      rows,
      format: (v) => `${int(v)} d`,
      labelWidth: 230,
    }),
    bars: rows.length,
    doneDays,
  };
}

/** Core's cycle-time histogram, wall clock beside business time. */
export function cycleTimeChart(k: Kpis): string {
  const h = k.cycleTimeHistogram;
  return columnChart({
    title: 'Cycle-time distribution',
    labels: binLabels(h.edgesDays),
    series: [
      { name: 'wall-clock days', values: h.wall, color: WALL },
      { name: 'business days', values: h.business, color: BUSINESS },
    ],
    xTitle: 'cycle time (days; business days count only working hours)',
    yTitle: 'cases',
  });
}

/** How many cases had 0, 1, …, 10+ handoffs. */
export function handoffsChart(k: Kpis): string {
  const labels = k.handoffsHistogram.map((_, i) => (i === k.handoffsHistogram.length - 1 ? `${i}+` : String(i)));
  return columnChart({
    title: 'Handoffs per case',
    labels,
    series: [{ name: 'cases', values: k.handoffsHistogram, color: '#4f46e5' }],
    xTitle: 'handoffs in the case',
    yTitle: 'cases',
    height: 220,
  });
}

/** SLA outcomes: met, breached, open; `undefined` when no case had a target. */
export function slaChart(k: Kpis): string | undefined {
  const s = k.sla;
  if (s.casesWithTarget === 0) return undefined;
  return barChart({
    title: 'SLA outcomes',
    rows: [
      { label: 'met', value: s.met, color: '#16a34a' },
      { label: 'breached', value: s.breached, color: '#dc2626' },
      { label: 'open, within target so far', value: s.open, color: '#9ca3af' },
    ],
    format: int,
  });
}

/** The four buckets of coordination overhead, in hours, each with its count × minutes. */
export function overheadChart(k: Kpis): string {
  const o = k.overhead;
  const m = k.money;
  const rows = [
    {
      label: 'Handoffs',
      value: o.handoffs.minutes / 60,
      color: '#4f46e5',
      note: `${int(o.handoffs.count)} × ${m.minutesPerHandoff} min`,
    },
    {
      label: 'Status tracking',
      value: o.statusTracking.minutes / 60,
      color: '#d97706',
      note: `${int(o.statusTracking.count)} × ${m.minutesPerStatusCheck} min`,
    },
    {
      label: 'Exceptions',
      value: o.exceptions.minutes / 60,
      color: '#dc2626',
      note: `${int(o.exceptions.count)} × ${m.minutesPerException} min`,
    },
    {
      label: 'Communication',
      value: o.communication.minutes / 60,
      color: '#0d9488',
      note: `${int(o.communication.count)} × ${m.minutesPerMessage} min`,
    },
  ];
  return barChart({
    title: 'The four buckets of coordination overhead (hours)',
    rows,
    format: (v) => `${int(v)} h`,
    labelWidth: 150,
  });
}
