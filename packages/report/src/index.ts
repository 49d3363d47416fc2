// The public surface of @baton/report: SVG charts, the KPI charts, number formats and HTML escaping.
export { barChart, columnChart, compact, quantileChart } from './svg-charts.ts';
export type { BarRow, QuantileRow, Series } from './svg-charts.ts';
export {
  BUSINESS,
  PHASE_COLORS,
  PHASE_NAMES,
  WALL,
  binLabels,
  cycleTimeChart,
  handoffsChart,
  overheadChart,
  slaChart,
  stateTimeChart,
} from './kpi-charts.ts';
export { date, days, fixed, int, money, pct } from './format.ts';
export { escapeHtml } from './escape-html.ts';
export { measuredSavingsHtml } from './savings-html.ts';
