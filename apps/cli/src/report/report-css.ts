// The report's stylesheet, inline so the file is self-contained. System fonts only (no downloads);
// print rules keep sections and charts whole on a page.
export const REPORT_CSS = `
:root { --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --bg: #f8fafc; --accent: #1d4ed8; --warn: #b45309; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.55 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif; }
header { background: #0f172a; color: #f8fafc; padding: 36px max(24px, calc((100vw - 1040px) / 2)) 0; }
.eyebrow { text-transform: uppercase; letter-spacing: .12em; font-size: 12px; color: #93c5fd; font-weight: 600; }
h1 { font-size: 30px; line-height: 1.2; margin: 6px 0 8px; font-weight: 700; letter-spacing: -.01em; }
.subtitle { margin: 0; color: #cbd5e1; }
nav { display: flex; flex-wrap: wrap; gap: 4px 18px; margin-top: 22px; padding: 12px 0; border-top: 1px solid #1e293b; }
nav a { color: #cbd5e1; text-decoration: none; font-size: 13px; }
nav a:hover { color: #fff; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 24px 8px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 22px 26px; margin: 0 0 20px; }
h2 { font-size: 20px; margin: 0 0 6px; letter-spacing: -.005em; }
h3 { font-size: 15px; margin: 22px 0 8px; color: #374151; }
.lead { color: #374151; margin: 0 0 14px; max-width: 80ch; }
.note { color: var(--muted); font-size: 14px; margin: 6px 0; max-width: 80ch; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin: 0 0 20px; }
.cards.small { grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); margin: 4px 0 14px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; border-top: 3px solid #cbd5e1; }
.card.accent { border-top-color: var(--accent); }
.card.warn { border-top-color: #f59e0b; }
.card-label { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); font-weight: 600; }
.card-value { font-size: 26px; font-weight: 700; margin: 4px 0 2px; font-variant-numeric: tabular-nums; letter-spacing: -.01em; }
.cards.small .card-value { font-size: 21px; }
.card-sub { font-size: 13px; color: var(--muted); }
.findings { margin: 0; padding-left: 20px; }
.findings li { margin: 6px 0; max-width: 85ch; }
figure { margin: 8px 0 12px; }
svg.chart { display: block; width: 100%; height: auto; max-width: 100%; }
.legend { display: flex; gap: 16px; font-size: 13px; color: #374151; flex-wrap: wrap; }
.key i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 6px 0 4px; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #f9fafb; }
.formula { font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; background: #f1f5f9; border-radius: 6px; padding: 10px 12px; margin: 6px 0 4px; color: #334155; }
dl { display: grid; grid-template-columns: 170px 1fr; gap: 6px 18px; margin: 0; }
dt { font-weight: 600; }
dd { margin: 0; color: #374151; }
.skips { font: 12px/1.5 ui-monospace, Menlo, Consolas, monospace; color: var(--muted); }
footer { max-width: 1040px; margin: 0 auto; padding: 8px 24px 40px; color: var(--muted); font-size: 13px; }
@media (max-width: 800px) { .cards { grid-template-columns: repeat(2, 1fr); } dl { grid-template-columns: 1fr; } }
@media print {
  body { background: #fff; font-size: 12px; }
  header { background: #fff; color: var(--ink); padding: 0 0 8px; border-bottom: 2px solid var(--ink); }
  .eyebrow { color: var(--muted); } .subtitle { color: #374151; }
  nav { display: none; }
  main { max-width: none; padding: 12px 0 0; }
  section, .card { border-color: #d1d5db; box-shadow: none; }
  section, figure, table, .cards { break-inside: avoid; }
  @page { margin: 14mm; }
}
`;
