import type { MeasuredSavings } from '@baton/core/analysis';
import { escapeHtml as esc } from './escape-html.ts';
import { int, money, pct } from './format.ts';

// The measured return (core's `kpis.cohorts.savings`) as HTML, the same in the CLI's report.html and
// on the Jira dashboard: what an issue's coordination cost before and after, the difference with its
// interval, priced, and the second-order money when the costs price it.

const per = (n: number | null): string => (n === null ? '–' : n.toFixed(2));
const minutes = (n: number | null): string => (n === null ? '–' : `${n.toFixed(1)} min`);

/** "saved 12.3 min" / "cost 4.0 min more": a saving is the positive direction. */
function signedMinutes(saved: number): string {
  return saved >= 0 ? `saved ${minutes(saved)}` : `cost ${minutes(-saved)} more`;
}

function range(ci: readonly [number, number] | null, show: (n: number) => string): string {
  return ci === null ? '' : ` (95 % interval ${show(ci[0])} to ${show(ci[1])})`;
}

/** The measured savings: a headline with its interval, the buckets per issue, second-order money, a caveat. */
export function measuredSavingsHtml(s: MeasuredSavings, noun = 'issue'): string {
  const o = s.overheadMinutesPerCase;
  const cash = (n: number) => money(n, s.currency);
  if (o.saved === null || s.minutesSaved === null || s.money === null)
    return `<p class="muted" data-savings="none">Too few ${noun}s on one side of the date to measure savings (${int(s.casesBefore)} before, ${int(s.casesAfter)} after).</p>`;
  const headline = `<p data-savings="${o.saved >= 0 ? 'saved' : 'cost'}">Measured on ${int(s.casesAfter)} ${noun}s after against ${int(s.casesBefore)} before: coordination ${esc(signedMinutes(o.saved))} per ${noun}${esc(range(o.ci95, (n) => n.toFixed(1)))}; over the ${noun}s after, ${esc(int(s.minutesSaved / 60))} hours and <b>${esc(cash(s.money))}</b>${esc(range(s.moneyCi95, cash))}.</p>`;
  const rows = (
    [
      ['handoffs', s.perCase.handoffs],
      ['status checks', s.perCase.statusChecks],
      ['exceptions', s.perCase.exceptions],
      ['messages', s.perCase.messages],
    ] as const
  )
    .map(
      ([name, v]) =>
        `<tr><td>${name}</td><td class="num">${per(v.before)}</td><td class="num">${per(v.after)}</td></tr>`,
    )
    .join('');
  const table = `<table data-table="savings"><thead><tr><th>Per ${noun}</th><th class="num">before</th><th class="num">after</th></tr></thead><tbody>${rows}<tr><td>overhead minutes</td><td class="num">${minutes(o.before)}</td><td class="num">${minutes(o.after)}</td></tr></tbody></table>`;
  const second: string[] = [];
  const sla = s.secondOrder.slaPenalties;
  if (sla !== null)
    second.push(
      `<li data-second-order="sla">SLA penalties at ${esc(cash(sla.penaltyPerBreach))} a breach: breach rate ${pct(sla.breachRateBefore, 0)} before, ${pct(sla.breachRateAfter, 0)} after; ${sla.breachesAvoided === null ? '–' : esc(sla.breachesAvoided.toFixed(1))} breaches avoided over ${int(sla.endedAfter)} ${noun}s that ended${esc(range(sla.breachesAvoidedCi95, (n) => n.toFixed(1)))}: <b>${sla.money === null ? '–' : esc(cash(sla.money))}</b>.</li>`,
    );
  const reopens = s.secondOrder.reopens;
  if (reopens !== null)
    second.push(
      `<li data-second-order="reopens">Rework after reopens at ${esc(cash(reopens.costPerReopen))} a reopen: ${per(reopens.perCaseBefore)} reopens per ${noun} before, ${per(reopens.perCaseAfter)} after; ${reopens.reopensAvoided === null ? '–' : esc(reopens.reopensAvoided.toFixed(1))} avoided: <b>${reopens.money === null ? '–' : esc(cash(reopens.money))}</b>.</li>`,
    );
  const total =
    second.length === 0
      ? '<p class="muted" data-second-order="none">SLA penalties and reopen rework are not priced: give a penalty per breach and a cost per reopen to count them.</p>'
      : `<ul>${second.join('')}</ul><p data-savings-total>With second-order money: <b>${s.totalMoney === null ? '–' : esc(cash(s.totalMoney))}</b>.</p>`;
  return `${headline}${table}${total}<p class="muted">Measured, not estimated: the ${noun}s' own counts before and after, priced at the costs shown. An interval that holds 0 is no evidence of a change, and anything else that changed at the date counts too.</p>`;
}
