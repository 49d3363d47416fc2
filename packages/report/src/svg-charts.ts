import { escapeHtml as esc } from './escape-html.ts';

// Inline SVG charts, drawn in TypeScript: no library, no network, text selectable and printable.
// Each chart is a fixed viewBox scaled to the column width by CSS.

const FONT = 'font-family="inherit" font-size="12"';

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * exp >= value) return m * exp;
  return 10 * exp;
}

function ticks(max: number, count = 4): number[] {
  return Array.from({ length: count + 1 }, (_, i) => (max * i) / count);
}

export function compact(n: number): string {
  if (n > 0 && n < 1) return String(Number(n.toPrecision(2)));
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 1 : 0);
}

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
  readonly color: string;
}

/** Vertical grouped bars: one group per label, one bar per series (e.g. wall vs business days). */
export function columnChart(opts: {
  readonly title: string;
  readonly labels: readonly string[];
  readonly series: readonly Series[];
  readonly xTitle: string;
  readonly yTitle: string;
  readonly format?: (n: number) => string;
  readonly width?: number;
  readonly height?: number;
}): string {
  const width = opts.width ?? 720;
  const height = opts.height ?? 260;
  const m = { top: 28, right: 12, bottom: 52, left: 52 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const max = niceMax(Math.max(0, ...opts.series.flatMap((s) => s.values)));
  const group = plotW / Math.max(1, opts.labels.length);
  const barW = Math.max(2, (group * 0.8) / Math.max(1, opts.series.length));
  const format = opts.format ?? compact;
  const y = (v: number) => m.top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  for (const t of ticks(max)) {
    parts.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e7eb"/>`);
    parts.push(
      `<text x="${m.left - 6}" y="${y(t) + 4}" text-anchor="end" fill="#6b7280" ${FONT}>${esc(format(t))}</text>`,
    );
  }
  opts.labels.forEach((label, i) => {
    const gx = m.left + i * group + group * 0.1;
    opts.series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      const h = (v / max) * plotH;
      parts.push(
        `<rect x="${(gx + j * barW).toFixed(1)}" y="${(m.top + plotH - h).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}" rx="1.5"><title>${esc(`${s.name}, ${label}: ${format(v)}`)}</title></rect>`,
      );
    });
    parts.push(
      `<text x="${(m.left + i * group + group / 2).toFixed(1)}" y="${m.top + plotH + 16}" text-anchor="middle" fill="#374151" ${FONT}>${esc(label)}</text>`,
    );
  });
  parts.push(
    `<line x1="${m.left}" x2="${width - m.right}" y1="${m.top + plotH}" y2="${m.top + plotH}" stroke="#9ca3af"/>`,
  );
  parts.push(
    `<text x="${m.left + plotW / 2}" y="${height - 8}" text-anchor="middle" fill="#6b7280" ${FONT}>${esc(opts.xTitle)}</text>`,
  );
  parts.push(`<text x="${m.left}" y="14" fill="#6b7280" ${FONT}>${esc(opts.yTitle)}</text>`);
  let lx = width - m.right;
  for (const s of [...opts.series].reverse()) {
    const w = s.name.length * 6.5 + 22;
    lx -= w;
    parts.push(
      `<rect x="${lx}" y="5" width="10" height="10" fill="${s.color}" rx="2"/><text x="${lx + 14}" y="14" fill="#374151" ${FONT}>${esc(s.name)}</text>`,
    );
  }
  return svg(width, height, opts.title, parts);
}

export interface BarRow {
  readonly label: string;
  readonly value: number;
  readonly color: string;
  /** Shown after the bar, e.g. "412 visits · median 1.2 d". */
  readonly note?: string;
}

/** Horizontal bars, one row per item, labels on the left: time in state, the four buckets. */
export function barChart(opts: {
  readonly title: string;
  readonly rows: readonly BarRow[];
  readonly format: (n: number) => string;
  readonly width?: number;
  readonly labelWidth?: number;
}): string {
  const width = opts.width ?? 720;
  const labelW = opts.labelWidth ?? 210;
  const noteW = 190;
  const rowH = 26;
  const height = opts.rows.length * rowH + 12;
  // Room after the longest bar for its value, so the value never runs into the note.
  const plotW = width - labelW - noteW - 84;
  const max = Math.max(1e-9, ...opts.rows.map((r) => r.value));
  const parts: string[] = [];
  opts.rows.forEach((r, i) => {
    const y = 6 + i * rowH;
    const w = Math.max(r.value > 0 ? 2 : 0, (r.value / max) * plotW);
    const label = r.label.length > 32 ? `${r.label.slice(0, 31)}…` : r.label;
    parts.push(
      `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end" fill="#111827" ${FONT}>${esc(label)}<title>${esc(r.label)}</title></text>`,
    );
    parts.push(
      `<rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 10}" fill="${r.color}" rx="2"><title>${esc(`${r.label}: ${opts.format(r.value)}`)}</title></rect>`,
    );
    parts.push(
      `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 16}" fill="#111827" font-weight="600" ${FONT}>${esc(opts.format(r.value))}</text>`,
    );
    if (r.note !== undefined)
      parts.push(`<text x="${width - noteW}" y="${y + 16}" fill="#6b7280" ${FONT}>${esc(r.note)}</text>`);
  });
  return svg(width, height, opts.title, parts);
}

export interface QuantileRow {
  readonly label: string;
  readonly color: string;
  readonly p10: number | null;
  readonly p25: number | null;
  readonly p50: number | null;
  readonly p75: number | null;
  readonly p90: number | null;
}

/**
 * Distributions side by side on a log axis: a whisker from p10 to p90, a box from p25 to p75 and
 * a mark at the median. A log axis because cycle times span minutes to years.
 */
export function quantileChart(opts: {
  readonly title: string;
  readonly rows: readonly QuantileRow[];
  readonly unit: string;
  readonly width?: number;
}): string {
  const width = opts.width ?? 720;
  const labelW = 150;
  const rowH = 44;
  const top = 10;
  const axisH = 34;
  const height = top + opts.rows.length * rowH + axisH;
  const values = opts.rows.flatMap((r) => [r.p10, r.p90]).filter((v): v is number => v !== null && v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.max(1e-3, Math.min(...values, 1))));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values, 1)));
  const plotW = width - labelW - 24;
  const x = (v: number) =>
    labelW + ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo) || 1)) * plotW;
  const parts: string[] = [];
  for (let d = lo; d <= hi * 1.0001; d *= 10) {
    parts.push(`<line x1="${x(d)}" x2="${x(d)}" y1="${top}" y2="${height - axisH + 4}" stroke="#e5e7eb"/>`);
    parts.push(
      `<text x="${x(d)}" y="${height - axisH + 18}" text-anchor="middle" fill="#6b7280" ${FONT}>${esc(compact(d))}</text>`,
    );
  }
  parts.push(
    `<text x="${labelW + plotW / 2}" y="${height - 4}" text-anchor="middle" fill="#6b7280" ${FONT}>${esc(opts.unit)} (log scale) — whisker p10–p90, box p25–p75, mark = median</text>`,
  );
  opts.rows.forEach((r, i) => {
    const cy = top + i * rowH + rowH / 2;
    parts.push(
      `<text x="${labelW - 10}" y="${cy + 4}" text-anchor="end" fill="#111827" ${FONT}>${esc(r.label)}</text>`,
    );
    if (r.p10 === null || r.p90 === null || r.p25 === null || r.p75 === null || r.p50 === null) {
      parts.push(`<text x="${labelW}" y="${cy + 4}" fill="#6b7280" ${FONT}>no cases</text>`);
      return;
    }
    parts.push(`<line x1="${x(r.p10)}" x2="${x(r.p90)}" y1="${cy}" y2="${cy}" stroke="${r.color}" stroke-width="2"/>`);
    parts.push(
      `<rect x="${x(r.p25)}" y="${cy - 10}" width="${Math.max(2, x(r.p75) - x(r.p25))}" height="20" fill="${r.color}" fill-opacity="0.25" stroke="${r.color}" rx="3"/>`,
    );
    parts.push(
      `<line x1="${x(r.p50)}" x2="${x(r.p50)}" y1="${cy - 13}" y2="${cy + 13}" stroke="${r.color}" stroke-width="3"><title>${esc(`median ${compact(r.p50)} ${opts.unit}`)}</title></line>`,
    );
  });
  return svg(width, height, opts.title, parts);
}

function svg(width: number, height: number, title: string, parts: readonly string[]): string {
  return `<svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>${parts.join('')}</svg>`;
}
