import type { Diagnosis, Kpis } from '@baton/core/analysis';
import { columnChart, days, escapeHtml as esc, int, money, pct } from '@baton/report';

const CAUSE_NAMES: Record<string, string> = {
  'missing-data': 'missing data',
  'unclear-ownership': 'unclear ownership',
  'external-wait': 'waiting on another team or tool',
  'policy-ambiguity': 'policy ambiguity',
};

function table(head: readonly string[], rows: readonly (readonly string[])[], numericFrom = 1): string {
  const th = head.map((h, i) => `<th${i >= numericFrom ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  const tr = rows
    .map((r) => `<tr>${r.map((c, i) => `<td${i >= numericFrom ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

const fixed = (x: number | null, digits = 2) => (x === null ? '–' : x.toFixed(digits));

function chokePoints(d: Diagnosis): string {
  if (d.chokePoints.length === 0) return '<p class="note">No queue or waiting state in this history.</p>';
  const rows = d.chokePoints.map((c, i) => [
    `${i + 1}. ${c.state}`,
    days(c.totalDays),
    fixed(c.variation),
    c.slaRisk.rate === null ? '–' : `${pct(c.slaRisk.rate)} (×${fixed(c.slaRisk.lift, 1)})`,
    `${c.ranks.total} / ${c.ranks.variation} / ${c.ranks.slaRisk}`,
    c.likelyCause === null ? '–' : (CAUSE_NAMES[c.likelyCause] ?? c.likelyCause),
  ]);
  const evidence = d.chokePoints
    .map(
      (c) =>
        `<li><strong>${esc(c.state)}</strong>: ${c.causes
          .filter((x) => x.share > 0)
          .slice(0, 3)
          .map((x) => `${esc(CAUSE_NAMES[x.kind] ?? x.kind)} — ${esc(x.evidence)}`)
          .join('; ')}</li>`,
    )
    .join('');
  const basis =
    d.chokePoints[0]?.slaRisk.basis === 'sla-breach' ? 'SLA breaches' : 'cases in the cycle-time tail (> p90)';
  return (
    table(
      [
        'choke point',
        'total waiting',
        'variation (sd/mean)',
        `risk: ${basis}`,
        'ranks (total / variation / risk)',
        'likely cause',
      ],
      rows,
    ) + `<h3>Evidence for the cause</h3><ul class="findings">${evidence}</ul>`
  );
}

function escalations(d: Diagnosis): string {
  const e = d.escalations;
  const rows = e.reasons.map((r) => [r.reason, int(r.events), int(r.cases)]);
  return (
    `<p>${int(e.cases)} cases escalated (${e.rate === null ? '–' : pct(e.rate)} of cases).</p>` +
    (rows.length === 0 ? '' : table(['reason', 'escalations', 'cases'], rows))
  );
}

function wip(d: Diagnosis): string {
  const w = d.wip;
  const chart =
    w.series.length === 0
      ? ''
      : columnChart({
          title: `Cases open at the start of each ${w.bucketDays}-day period, with arrivals and departures in it`,
          labels: w.series.map((p) => p.at.slice(0, 10)),
          series: [
            { name: 'open', values: w.series.map((p) => p.wip), color: '#2563eb' },
            { name: 'arrived', values: w.series.map((p) => p.arrivals), color: '#9ca3af' },
            { name: 'left', values: w.series.map((p) => p.departures), color: '#16a34a' },
          ],
          xTitle: 'period start',
          yTitle: 'cases',
        });
  const l = w.littlesLaw;
  const law =
    l === null
      ? '<p class="note">Too short a history for Little\'s law.</p>'
      : `<p>From ${esc(l.from.slice(0, 10))} to ${esc(l.to.slice(0, 10))}: on average ${fixed(l.meanWip, 1)} cases open, ` +
        `${fixed(l.arrivalsPerDay, 1)} arriving and ${fixed(l.throughputPerDay, 1)} leaving a day. Little's law (WIP ÷ throughput) gives ` +
        `${l.littleCycleDays === null ? '–' : days(l.littleCycleDays)} per case; the cases that left took ${l.measuredCycleDays === null ? '–' : days(l.measuredCycleDays)} on average ` +
        `(ratio ${fixed(l.ratio)}: near 1 when the flow is steady, above 1 when work piles up).</p>`;
  return chart + law;
}

function recovery(d: Diagnosis): string {
  const rows = d.exceptionRecovery.map((r) => [
    r.kind,
    int(r.count),
    int(r.recovered),
    r.medianDays === null ? '–' : days(r.medianDays),
    r.p90Days === null ? '–' : days(r.p90Days),
  ]);
  const b = d.blockedOnInformation;
  return (
    (rows.length === 0 ? '' : table(['exception', 'count', 'recovered', 'median to recover', 'p90'], rows)) +
    `<p>${int(b.cases)} cases (${b.share === null ? '–' : pct(b.share)}) were blocked on missing information: ${esc(b.definition)}.</p>`
  );
}

function shortlist(d: Diagnosis, k: Kpis): string {
  if (d.shortlist.length === 0) return '<p class="note">No intervention: no choke point with a likely cause.</p>';
  const rows = d.shortlist.map((s, i) => [
    `${i + 1}. ${s.pattern} · ${s.level}`,
    s.state ?? 'all cases',
    int(Math.round(s.minutesPerMonth)),
    money(s.moneyPerMonth, k.money.currency),
    days(s.waitingDaysPerMonth),
    s.confidence,
  ]);
  const details = d.shortlist
    .map(
      (s) =>
        `<li>${esc(s.change)} <span class="note">Assumes ${esc(s.assumption)}. Confidence ${esc(s.confidence)}: ${esc(s.why)}.</span></li>`,
    )
    .join('');
  return (
    table(['intervention', 'where', 'minutes a month', 'a month', 'waiting removed a month', 'confidence'], rows) +
    `<ol class="findings">${details}</ol>`
  );
}

/** The workshop's diagnosis and intervention shortlist, drawn from `kpis.diagnosis`. */
export function diagnosisSections(k: Kpis): string {
  const d = k.diagnosis;
  if (d === undefined) return '';
  const lead = (text: string) => `<p class="lead">${text}</p>`;
  return (
    `<section id="diagnosis"><h2>Diagnosis</h2>` +
    lead(
      'Queue and waiting states ranked by total waiting, by how unpredictable a stay is and by how often cases that pass there end badly, each with the evidence for its likely cause.',
    ) +
    chokePoints(d) +
    `<h3>Escalations</h3>${escalations(d)}` +
    `<h3>Work in progress</h3>${wip(d)}` +
    `<h3>Exceptions: time to recover</h3>${recovery(d)}</section>` +
    `<section id="shortlist"><h2>Intervention shortlist</h2>` +
    lead(
      `For each state at the top of the diagnosis: the pattern and level their likely cause calls for, what it would change, and what it would save a month (${esc(k.money.currency)}, under the assumptions shown).`,
    ) +
    shortlist(d, k) +
    '</section>'
  );
}
