import type { Decision } from '@baton/core';
import type { ModelClassifySummary } from '@baton/core/llm';
import type { ReplaySummary } from '@baton/core/replay';
import { traitsOf } from '@baton/core';
import { formatTimestamp } from '@baton/core/time';
import { REPORT_CSS } from '../report/report-css.ts';
import { barChart, columnChart, escapeHtml as esc, int, money } from '@baton/report';
import { wordedBy, type Worded, type WordingSummary } from './replay-wording.ts';

/** What the replay page shows besides the summary. */
export interface ReplayPageInput {
  readonly meta: {
    readonly inputs: readonly string[];
    readonly charter: { readonly file: string; readonly name: string; readonly version: number };
    readonly tick: string;
    readonly cases: number;
    readonly events: number;
    readonly ticks: number;
    readonly period: { readonly from: string; readonly to: string } | null;
    readonly patterns: readonly string[];
    /** The audit as read back from disk and verified with core's `verifyAudit`. */
    readonly audit: { readonly entries: number; readonly head: string; readonly verified: boolean };
    /** States the history uses that the charter's workflow does not name, with their events (mapped by name). */
    readonly unknownStates: Readonly<Record<string, number>>;
  };
  readonly summary: ReplaySummary;
  /** The first decisions that were not dropped, as examples. */
  readonly recent: readonly Decision[];
  /** Each example's message as worded (by the rules, or by the model when one was configured). */
  readonly worded: ReadonlyMap<string, Worded>;
  readonly wording: WordingSummary;
  /** The model's classification pass, when the charter let a model classify and one was given. */
  readonly modelClassify?: ModelClassifySummary | null;
  readonly skipExamples: readonly string[];
}

const DISPOSITION_COLORS: Record<string, string> = {
  act: '#15803d',
  suggest: '#1d4ed8',
  escalate: '#b45309',
  drop: '#9ca3af',
};
const DISPOSITIONS = ['act', 'suggest', 'escalate', 'drop'] as const;

function card(label: string, value: string, sub: string, tone = ''): string {
  return `<div class="card ${tone}"><div class="card-label">${esc(label)}</div><div class="card-value">${esc(value)}</div><div class="card-sub">${esc(sub)}</div></div>`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[], numeric: readonly number[] = []): string {
  const th = head.map((h, i) => `<th${numeric.includes(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  const body = rows
    .map(
      (r) => `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Decisions per month (days would be thousands of bars on a multi-year log), by disposition. */
function perMonth(s: ReplaySummary): { labels: string[]; values: Record<string, number[]> } {
  const months = new Map<string, Record<string, number>>();
  for (const [day, counts] of Object.entries(s.byDay)) {
    const m = months.get(day.slice(0, 7)) ?? {};
    for (const [k, v] of Object.entries(counts)) m[k] = (m[k] ?? 0) + v;
    months.set(day.slice(0, 7), m);
  }
  const labels = [...months.keys()].sort();
  const values: Record<string, number[]> = {};
  for (const d of DISPOSITIONS) values[d] = labels.map((l) => months.get(l)![d] ?? 0);
  return { labels, values };
}

function total(counts: Readonly<Record<string, number>>): number {
  let n = 0;
  for (const v of Object.values(counts)) n += v;
  return n;
}

/** Days with decisions, the median day and the busiest days: decisions per day without a thousand bars. */
function perDay(s: ReplaySummary): string {
  const days = Object.entries(s.byDay).map(([day, counts]) => ({ day, counts, n: total(counts) }));
  if (days.length === 0) return '';
  const sorted = days.map((d) => d.n).sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const busiest = [...days].sort((a, b) => b.n - a.n || a.day.localeCompare(b.day)).slice(0, 5);
  return `<p class="note">${int(days.length)} days with decisions; a median day has ${int(median)}, the busiest ${int(busiest[0]!.n)}.</p>${table(
    ['busiest days', 'decisions', ...DISPOSITIONS],
    busiest.map((d) => [d.day, int(d.n), ...DISPOSITIONS.map((k) => int(d.counts[k] ?? 0))]),
    [1, 2, 3, 4, 5],
  )}`;
}

/** The replay page: one self-contained HTML file in the analysis report's look (same CSS and charts). */
export function renderReplayPage(input: ReplayPageInput): string {
  const { meta, summary: s } = input;
  const acted = s.byDisposition['act'] ?? 0;
  const suggested = s.byDisposition['suggest'] ?? 0;
  const escalated = s.byDisposition['escalate'] ?? 0;
  const dropped = s.byDisposition['drop'] ?? 0;
  const cards = [
    card('Decisions', int(s.decisions), `${int(meta.events)} events · ${int(meta.ticks)} clock ticks`, 'accent'),
    card('Would act', int(acted), 'carried out and logged'),
    card('Suggested', int(suggested), `${int(escalated)} escalated to a person`),
    card('Held back', int(dropped), `caps, quiet hours, recent human touch`, dropped > 0 ? 'warn' : ''),
    card(
      'Nudges',
      int(s.nudges.total),
      `on ${int(s.nudges.casesNudged)} cases · at most ${int(s.nudges.maxPerCase)} on one case, ${int(s.nudges.maxPerCaseDay)} a day`,
    ),
  ].join('');
  const months = perMonth(s);
  const monthChart =
    months.labels.length === 0
      ? '<p class="note">No decisions.</p>'
      : columnChart({
          title: 'Decisions per month by disposition',
          labels: months.labels.map((l, i) => (i % Math.ceil(months.labels.length / 12) === 0 ? l : '')),
          series: DISPOSITIONS.map((d) => ({ name: d, values: months.values[d]!, color: DISPOSITION_COLORS[d]! })),
          xTitle: 'month',
          yTitle: 'decisions',
        });
  const ruleRows = Object.entries(s.byRule)
    .sort((a, b) => b[1] - a[1])
    .map(([rule, n]) => ({ label: rule, value: n, color: '#1d4ed8' }));
  const ruleChart = ruleRows.length === 0 ? '' : barChart({ title: 'Decisions per rule', rows: ruleRows, format: int });
  const patternRows = Object.entries(s.byPattern).map(([p, counts]) => [
    p,
    ...DISPOSITIONS.map((d) => int(counts[d] ?? 0)),
  ]);
  const caps = Object.entries(s.capsHit);
  const savings =
    s.savings === null
      ? '<p class="note">Run with <code>--costs costs.yaml</code> to estimate the coordination time these decisions would save.</p>'
      : `<div class="cards small">${card('Minutes saved', int(s.savings.minutes), `${s.savings.hours} hours`)}${card('Value', money(s.savings.money, s.savings.currency), 'at the loaded cost per hour')}</div>
<p class="note">Counted: ${esc(s.savings.basis)}. Assumptions per action:</p>${table(['action', 'saves'], Object.entries(s.savings.assumptions))}`;
  const examples = table(
    ['time', 'case', 'pattern', 'action', 'disposition', 'reason', 'message'],
    input.recent.map((d) => {
      const w = input.worded.get(d.id);
      return [
        formatTimestamp(d.at).slice(0, 16).replace('T', ' '),
        d.caseId,
        d.pattern,
        d.actions.map((a) => traitsOf(a).summary).join(' + '),
        d.disposition,
        d.reason,
        w === undefined ? '' : `${w.text.length > 600 ? `${w.text.slice(0, 600)}…` : w.text} [${wordedBy(w)}]`,
      ];
    }),
  );
  const wording = input.wording;
  const classified = input.modelClassify;
  const wordingNote =
    wording.model === null
      ? 'Messages are the rules&#39; templates (no language model configured).'
      : esc(
          `Messages worded by ${wording.model}: ${wording.worded} of ${wording.messages} by the model, ${wording.fellBack} fell back to the rules` +
            `${
              Object.keys(wording.reasons).length === 0
                ? ''
                : ` (${Object.entries(wording.reasons)
                    .map(([k, v]) => `${k}×${v}`)
                    .join(', ')})`
            }. ` +
            (classified == null
              ? 'The model words; it decided nothing.'
              : `The charter let it classify ${classified.fields.join(', ')}: ${classified.answered} of ${classified.asked} cases by the model, ${classified.fellBack} fell back to the keyword rules; its proposals are marked model-made (source model, beside router.classify and router.owner) and stay below the act line.`),
        );
  const period = meta.period === null ? '' : ` · ${meta.period.from.slice(0, 10)} – ${meta.period.to.slice(0, 10)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Baton replay — ${esc(meta.inputs.join(', '))}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<div class="eyebrow">Baton · replay: what the agent would have done</div>
<h1>${esc(int(s.decisions))} decisions on ${esc(int(meta.cases))} cases</h1>
<p class="subtitle">${esc(meta.inputs.join(', '))}${esc(period)} · charter ${esc(meta.charter.name)} (${esc(meta.charter.file)}, v${meta.charter.version}) · tick ${esc(meta.tick)}</p>
<nav><a href="#time">Over time</a><a href="#patterns">Patterns</a><a href="#caps">Caps and SLA</a><a href="#savings">Savings</a><a href="#examples">Examples</a><a href="#method">Method</a></nav>
</header>
<main>
<div class="cards">${cards}</div>
<section id="time"><h2>Decisions over time</h2><p class="lead">Every event and every business-time tick was shown to the patterns; the charter's gate chose each disposition.</p><figure>${monthChart}</figure>${perDay(s)}</section>
<section id="patterns"><h2>Patterns</h2>${table(['pattern', ...DISPOSITIONS], patternRows, [1, 2, 3, 4])}<figure>${ruleChart}</figure></section>
<section id="caps"><h2>Caps and SLA</h2>
${
  caps.length === 0
    ? '<p class="note">No cap was hit.</p>'
    : table(
        ['cap', 'decisions held back'],
        caps.map(([k, v]) => [k, int(v)]),
        [1],
      )
}
<p class="note">${s.customerFacing > 0 ? `${int(s.customerFacing)} customer-facing actions were proposed; none is carried out without a person unless the charter allows it.` : 'No customer-facing action was proposed.'}</p>
${
  s.breaches.total === 0
    ? '<p class="note">No SLA breach was observed (the charter defines no SLA goal, or none was breached).</p>'
    : `${table(['SLA breaches', 'preceded by a nudge', 'not preceded'], [[int(s.breaches.total), `${int(s.breaches.precededByNudge)} (${Math.round((s.breaches.precededByNudge / s.breaches.total) * 100)} %)`, int(s.breaches.notPreceded)]], [0, 1, 2])}
<p class="note">A breach is the moment a case's SLA clock crossed its target; it counts as preceded when a nudge on the case was acted or suggested before that moment.</p>`
}
</section>
<section id="savings"><h2>Coordination time saved</h2>${savings}</section>
<section id="examples"><h2>Example decisions</h2><p class="lead">The first decisions that were not held back. Every decision is in decisions.csv; the hash-chained audit.jsonl records each one.</p><p class="note">${wordingNote}</p>${examples}</section>
<section id="method"><h2>Method</h2><dl><dt>Inputs</dt><dd>${esc(meta.inputs.join(', '))}</dd><dt>Patterns</dt><dd>${esc(meta.patterns.join(', '))}</dd><dt>Clock</dt><dd>${esc(meta.tick === 'off' ? 'no ticks' : `a tick every ${meta.tick} of business time in the charter's default calendar`)}</dd><dt>Audit</dt><dd>audit.jsonl: ${esc(int(meta.audit.entries))} entries in core's hash chain, ${meta.audit.verified ? 'read back and verified' : 'not verified'}; head <code>${esc(meta.audit.head)}</code></dd></dl>
${
  Object.keys(meta.unknownStates).length === 0
    ? ''
    : `<p class="note">States not in the charter's workflow, mapped by their names: ${esc(
        Object.entries(meta.unknownStates)
          .map(([k, v]) => `${k} (seen ${int(v)} times)`)
          .join(', '),
      )}.</p>`
}
${input.skipExamples.length === 0 ? '' : `<ul class="skips">${input.skipExamples.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`}</section>
</main>
<footer>Generated by Baton from the data named above. Nothing was carried out: a replay only shows what the agent would have done.</footer>
</body>
</html>
`;
}
