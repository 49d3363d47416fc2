import type { Cohort, CohortComparison, Kpis } from '@baton/core/analysis';
import {
  PHASE_COLORS,
  PHASE_NAMES,
  binLabels,
  columnChart,
  cycleTimeChart,
  date,
  days,
  escapeHtml as esc,
  handoffsChart,
  int,
  measuredSavingsHtml,
  money,
  overheadChart,
  pct,
  quantileChart,
  slaChart,
  stateTimeChart,
} from '@baton/report';
import { diagnosisSections } from './diagnosis-section.ts';
import { REPORT_CSS } from './report-css.ts';

/** What the report says about how it was made (shown under "Data and method"). */
export interface ReportMeta {
  readonly title: string;
  readonly inputs: readonly string[];
  readonly generatedAt: string;
  readonly owner: string;
  readonly calendar: string;
  readonly workflow: string;
  readonly costs: string;
  readonly sla: string;
  readonly skippedExamples: readonly string[];
}

const BEFORE = '#6b7280';
const AFTER = '#7c3aed';

function card(label: string, value: string, sub: string, tone = ''): string {
  return `<div class="card ${tone}"><div class="card-label">${esc(label)}</div><div class="card-value">${esc(value)}</div><div class="card-sub">${esc(sub)}</div></div>`;
}

function section(id: string, title: string, lead: string, body: string): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>${lead === '' ? '' : `<p class="lead">${lead}</p>`}${body}</section>`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[], numericFrom = 1): string {
  const th = head.map((h, i) => `<th${i >= numericFrom ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  const tr = rows
    .map((r) => `<tr>${r.map((c, i) => `<td${i >= numericFrom ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

function note(text: string): string {
  return `<p class="note">${esc(text)}</p>`;
}

function waitingShare(k: Kpis): number | null {
  const total = Object.values(k.phases).reduce((s, p) => s + p.totalDays, 0) - k.phases.done.totalDays;
  return total <= 0 ? null : (k.phases.queue.totalDays + k.phases.waiting.totalDays) / total;
}

function findings(k: Kpis): string[] {
  const out: string[] = [];
  const share = waitingShare(k);
  const top = k.chokePoints[0];
  if (share !== null && top !== undefined) {
    out.push(
      `Open cases spend <b>${pct(share, 0)}</b> of their time queued or waiting rather than being worked. The biggest choke point is <b>${esc(top.state)}</b>: ${pct(top.share, 0)} of all waiting time, ${int(top.visits)} visits, median ${esc(days(top.medianDays))} per visit.`,
    );
  }
  if (k.cycleTimeDays.p50 !== null && k.cycleTimeDays.p90 !== null) {
    out.push(
      `Half of the cases finish within <b>${esc(days(k.cycleTimeDays.p50))}</b>, but the slowest 10% take longer than <b>${esc(days(k.cycleTimeDays.p90))}</b> — the long tail is where customers wait.`,
    );
  }
  if (k.cases > 0) {
    const pair = k.pingPongPairs[0];
    out.push(
      `<b>${pct(k.reassignmentRate, 0)}</b> of cases changed owner at least once (${int(k.handoffs)} handoffs), and <b>${pct(k.pingPongCases / k.cases, 0)}</b> bounced back to an owner they had already left${pair === undefined ? '' : ` — most often between <b>${esc(pair.a)}</b> and <b>${esc(pair.b)}</b> (${int(pair.bounces)} bounces)`}.`,
    );
  }
  if (k.money.perMonth !== null && k.overhead.totalMinutes > 0) {
    out.push(
      `At the stated assumptions, coordination overhead costs about <b>${esc(money(k.money.perMonth, k.money.currency))} a month</b> (${esc(money(k.money.total, k.money.currency))} over the ${k.money.months.toFixed(1)} months analysed).`,
    );
  }
  return out;
}

function headline(k: Kpis): string {
  const share = waitingShare(k);
  const cards = [
    card('Cases analysed', int(k.cases), `${int(k.events)} events · ${date(k.period.from)} – ${date(k.period.to)}`),
    card(
      'Median cycle time',
      days(k.cycleTimeDays.p50),
      `p90 ${days(k.cycleTimeDays.p90)} · mean ${days(k.cycleTimeDays.mean)}`,
      'accent',
    ),
    card(
      'Median, business time',
      days(k.cycleTimeBusinessDays.p50, k.calendar.businessDayHours),
      `p90 ${days(k.cycleTimeBusinessDays.p90, k.calendar.businessDayHours)} · business days of ${k.calendar.businessDayHours} h`,
    ),
    card(
      'Time queued or waiting',
      pct(share, 0),
      'of the time before a case is done',
      share !== null && share > 0.5 ? 'warn' : '',
    ),
    card(
      'Handoffs per case',
      k.handoffsPerCase.mean === null ? '–' : k.handoffsPerCase.mean.toFixed(2),
      `${pct(k.reassignmentRate, 0)} of cases reassigned`,
    ),
    card(
      'Ping-pong cases',
      int(k.pingPongCases),
      `${k.cases === 0 ? '–' : pct(k.pingPongCases / k.cases, 0)} of cases · ${int(k.pingPongBounces)} bounces`,
      'warn',
    ),
    card(
      'SLA breach rate',
      k.sla.casesWithTarget === 0 ? 'n/a' : pct(k.sla.breachRate, 0),
      k.sla.casesWithTarget === 0
        ? 'no due dates or SLA target'
        : `${int(k.sla.breached)} of ${int(k.sla.met + k.sla.breached)} resolved cases`,
    ),
    card(
      'Overhead per month',
      money(k.money.perMonth, k.money.currency),
      `${int(k.overhead.totalMinutes / 60)} hours in total`,
      'accent',
    ),
  ];
  return `<div class="cards">${cards.join('')}</div>`;
}

function statesSection(k: Kpis): string {
  // Done states hold closed work (e.g. resolved, waiting to be closed): counted in cycle time, but
  // not where coordination happens, so they are summed in a note instead of drawn.
  const drawn = stateTimeChart(k);
  if (drawn === undefined) return section('states', 'Where work waits', '', note('No open states in this data.'));
  const { svg: chart, doneDays } = drawn;
  const legend = (['queue', 'waiting', 'active'] as const)
    .map((p) => `<span class="key"><i style="background:${PHASE_COLORS[p]}"></i>${esc(PHASE_NAMES[p])}</span>`)
    .join('');
  const choke =
    k.chokePoints.length === 0
      ? note('No queue or waiting states in this data.')
      : table(
          ['#', 'Choke point (state)', 'phase', 'visits', 'total time', 'median visit', 'share of waiting'],
          k.chokePoints.map((c, i) => [
            String(i + 1),
            c.state,
            PHASE_NAMES[c.phase],
            int(c.visits),
            days(c.totalDays),
            days(c.medianDays),
            pct(c.share, 0),
          ]),
          3,
        );
  return section(
    'states',
    'Where work waits',
    'Total time held in each state across all cases (time × volume). Queued and waiting states are where an agent can help: nobody is working the case.',
    `<div class="legend">${legend}</div><figure>${chart}</figure>${doneDays > 0 ? note(`Not drawn: ${int(doneDays)} days that cases spent in done states (resolved but not yet closed, for example); they count in cycle time.`) : ''}<h3>Choke points</h3>${choke}`,
  );
}

function cycleSection(k: Kpis): string {
  const chart = cycleTimeChart(k);
  const d = (x: Kpis['cycleTimeDays'], h: number) => [
    days(x.p10, h),
    days(x.p25, h),
    days(x.p50, h),
    days(x.p75, h),
    days(x.p90, h),
    days(x.mean, h),
  ];
  const quantiles = table(
    ['', 'p10', 'p25', 'median', 'p75', 'p90', 'mean'],
    [
      ['wall clock', ...d(k.cycleTimeDays, 24)],
      ['business time', ...d(k.cycleTimeBusinessDays, k.calendar.businessDayHours)],
    ],
  );
  return section(
    'cycle',
    'Cycle time',
    `From a case's first to its last event, over the ${int(k.cycleTimeDays.count)} cases with at least two events. Business time counts only the calendar's working hours (${esc(k.calendar.timeZone)}); a business day is ${k.calendar.businessDayHours} working hours.`,
    `<figure>${chart}</figure>${quantiles}`,
  );
}

function handoffSection(k: Kpis): string {
  const chart = handoffsChart(k);
  const pairs =
    k.pingPongPairs.length === 0
      ? note('No ping-pong: no case went back to an owner it had just left.')
      : table(
          ['Owners bouncing work between them', 'bounces'],
          k.pingPongPairs.map((p) => [`${p.a} ↔ ${p.b}`, int(p.bounces)]),
        );
  const stats = `<div class="cards small">${card('Handoffs', int(k.handoffs), `median ${k.handoffsPerCase.p50 ?? '–'} · p90 ${k.handoffsPerCase.p90 ?? '–'} per case`)}${card('Ping-pong bounces', int(k.pingPongBounces), `in ${int(k.pingPongCases)} cases`, 'warn')}${card('Reassigned cases', pct(k.reassignmentRate, 0), 'at least one handoff')}</div>`;
  return section(
    'handoffs',
    'Handoffs and ping-pong',
    'Every change of owner costs a re-read of the history; a bounce (A → B → A) means the work came back to where it was.',
    `${stats}<figure>${chart}</figure><h3>Who bounces work</h3>${pairs}`,
  );
}

function chaseAndExceptions(k: Kpis): string {
  const chase =
    k.comments === 0
      ? note(
          'This source has no comments or messages (event logs record state changes, not conversation), so status chasing cannot be measured from it. Jira exports with comments are scanned for requests such as “any update?” or “what is the ETA?”.',
        )
      : `<div class="cards small">${card('Status chases', int(k.statusChases), `${pct(k.statusChases / k.comments, 1)} of ${int(k.comments)} comments`, 'warn')}${card('Cases chased', int(k.statusChaseCases), `${k.cases === 0 ? '–' : pct(k.statusChaseCases / k.cases, 0)} of cases`)}</div>`;
  const e = k.exceptions;
  const exceptions = `<div class="cards small">${card('Cases with exceptions', int(e.cases), `${pct(e.rate, 0)} of cases`, 'warn')}${card('Reopened', int(e.reopened), 'done, then reopened')}${card('Waits / blocks', int(e.waiting), `median ${days(e.waitingDays.p50)} waiting per case`)}${card('Escalated', int(e.escalated), 'escalation state or urgent priority')}</div>`;
  return (
    section('chasing', 'Status chasing', 'Comments whose point is to ask where the work stands.', chase) +
    section(
      'exceptions',
      'Exceptions',
      'Work that left the happy path: reopened, put on hold or blocked, escalated.',
      exceptions,
    )
  );
}

function slaSection(k: Kpis): string {
  const s = k.sla;
  const chart = slaChart(k);
  if (chart === undefined) {
    return section(
      'sla',
      'SLA breaches',
      '',
      note(
        'No due dates or SLA goals in this data. Run with --sla 5d (a target in business time) to measure breaches against a target.',
      ),
    );
  }
  return section(
    'sla',
    'SLA breaches',
    `${int(s.casesWithTarget)} cases had a due date or an SLA target; <b>${pct(s.breachRate, 1)}</b> of the resolved ones were resolved late.`,
    `<figure>${chart}</figure>`,
  );
}

function costSection(k: Kpis): string {
  const o = k.overhead;
  const m = k.money;
  const chart = overheadChart(k);
  const assumptions = table(
    ['Assumption', 'value'],
    [
      ['minutes per handoff', String(m.minutesPerHandoff)],
      ['minutes per status check', String(m.minutesPerStatusCheck)],
      ['minutes per exception', String(m.minutesPerException)],
      ['minutes per message', String(m.minutesPerMessage)],
      ['loaded cost per hour', money(m.loadedCostPerHour, m.currency)],
      ['period analysed', `${m.months.toFixed(1)} months`],
    ],
  );
  const figures = `<div class="cards small">${card('Overhead, whole period', money(m.total, m.currency), `${int(o.totalMinutes / 60)} hours`, 'accent')}${card('Per month', money(m.perMonth, m.currency), 'total ÷ months analysed', 'accent')}</div>`;
  return section(
    'cost',
    'What coordination costs',
    'Each bucket is a count from the data times the minutes it takes a person; money = hours × loaded cost per hour. The assumptions are printed so they can be challenged: pass --costs with your own.',
    `${figures}<figure>${chart}</figure><div class="formula">money = (handoffs × ${m.minutesPerHandoff} + status checks × ${m.minutesPerStatusCheck} + exceptions × ${m.minutesPerException} + messages × ${m.minutesPerMessage}) min ÷ 60 × ${esc(money(m.loadedCostPerHour, m.currency))}/h</div><h3>Assumptions</h3>${assumptions}`,
  );
}

function cohortSection(k: Kpis): string {
  const c = k.cohorts;
  if (c === null) {
    return section(
      'cohorts',
      'Before and after',
      '',
      note(
        'Run with --cohort <date> (for example the day an agent went live) to compare the cases first seen before it with those after it, as distributions.',
      ),
    );
  }
  // The cohort date is midnight in the calendar's zone: shown as that day there.
  const day = date(c.date, k.calendar.timeZone);
  const rows = (pick: (x: Cohort) => Cohort['cycleTimeDays']) => [
    { label: `before ${day}`, color: BEFORE, ...pick(c.before) },
    { label: `from ${day}`, color: AFTER, ...pick(c.after) },
  ];
  const share = (x: Cohort, which: 'wall' | 'business') => {
    const total = x.histogram[which].reduce((a, b) => a + b, 0);
    return x.histogram[which].map((n) => (total === 0 ? 0 : (n / total) * 100));
  };
  const hist = columnChart({
    title: 'Cycle-time distribution before and after',
    labels: binLabels(c.before.histogram.edgesDays),
    series: [
      { name: `before (${int(c.before.cases)} cases)`, values: share(c.before, 'wall'), color: BEFORE },
      { name: `after (${int(c.after.cases)} cases)`, values: share(c.after, 'wall'), color: AFTER },
    ],
    xTitle: 'cycle time (wall-clock days)',
    yTitle: '% of the cohort’s cases',
    format: (v) => `${Math.round(v)}%`,
  });
  const comparison = table(
    ['', 'before', 'after'],
    [
      ['cases', int(c.before.cases), int(c.after.cases)],
      ['median cycle time', days(c.before.cycleTimeDays.p50), days(c.after.cycleTimeDays.p50)],
      ['p90 cycle time', days(c.before.cycleTimeDays.p90), days(c.after.cycleTimeDays.p90)],
      [
        'median business time',
        days(c.before.cycleTimeBusinessDays.p50, k.calendar.businessDayHours),
        days(c.after.cycleTimeBusinessDays.p50, k.calendar.businessDayHours),
      ],
      ['handoffs per case', c.before.handoffsPerCase?.toFixed(2) ?? '–', c.after.handoffsPerCase?.toFixed(2) ?? '–'],
      ['ping-pong cases', pct(c.before.pingPongCaseRate, 0), pct(c.after.pingPongCaseRate, 0)],
      ['cases with exceptions', pct(c.before.exceptionCaseRate, 0), pct(c.after.exceptionCaseRate, 0)],
      ['SLA breach rate', pct(c.before.slaBreachRate, 0), pct(c.after.slaBreachRate, 0)],
    ],
  );
  const uncertainty = c.comparison === undefined ? '' : cohortUncertainty(c.comparison);
  const savings =
    c.savings === undefined ? '' : `<h3>What it saved, measured</h3>${measuredSavingsHtml(c.savings, 'case')}`;
  return section(
    'cohorts',
    'Before and after',
    `Cases first seen before ${esc(day)} (midnight, ${esc(k.calendar.timeZone)}) against those first seen on or after it, compared as whole distributions rather than averages.`,
    `<figure>${quantileChart({ title: 'Cycle time, wall clock', rows: rows((x) => x.cycleTimeDays), unit: 'days' })}</figure><figure>${quantileChart({ title: 'Cycle time, business time', rows: rows((x) => x.cycleTimeBusinessDays), unit: 'business days' })}</figure><figure>${hist}</figure>${comparison}${uncertainty}${savings}`,
  );
}

function cohortUncertainty(u: CohortComparison): string {
  const signed = (d: number | null) => (d === null ? '–' : `${d < 0 ? '−' : '+'}${days(Math.abs(d))}`);
  const ci = (x: CohortComparison['median']) =>
    x.ci95 === null ? '–' : `${signed(x.ci95[0])} to ${signed(x.ci95[1])}`;
  const r = u.rankTest;
  const p = r.pValue === null ? '–' : r.pValue < 0.001 ? '< 0.001' : r.pValue.toFixed(3);
  return (
    '<h3>How sure</h3>' +
    table(
      ['change (after − before)', 'difference', '95 % interval'],
      [
        ['median cycle time', signed(u.median.difference), ci(u.median)],
        ['p90 cycle time', signed(u.p90.difference), ci(u.p90)],
      ],
    ) +
    `<p>Rank test (Mann–Whitney): a random case from after takes longer than a random one from before with probability ${r.probabilityAfterLonger === null ? '–' : pct(r.probabilityAfterLonger, 0)} (p = ${esc(p)}, two-sided).</p>` +
    note(
      `Intervals: ${u.resamples.toLocaleString('en-US')} bootstrap resamples of each cohort (seed ${u.seed}); an interval that holds 0 is no evidence of a change. Cases still open when the history ends count with the time seen so far, which shortens the later cohort.`,
    )
  );
}

const DEFINITIONS: readonly (readonly [string, string])[] = [
  ['Case', 'One piece of work: a Jira issue or an event-log trace.'],
  [
    'Cycle time',
    'Last event − first event of a case (a Jira case starts at its creation). Only cases with at least two events count.',
  ],
  [
    'Business time',
    'Only the calendar’s working hours count (time zone, weekly hours and holidays; daylight saving handled). A business day is the calendar’s average working day.',
  ],
  [
    'Owner sequence',
    'The owners of a case’s events in time order, empty owners dropped and consecutive repeats collapsed.',
  ],
  ['Handoff', 'A change of owner: a case has (owner sequence length − 1) handoffs.'],
  [
    'Ping-pong bounce',
    'Owners A, B, A at three consecutive positions of the owner sequence. A ping-pong case has at least one.',
  ],
  [
    'Time in state',
    'From the event that entered a state to the next change of state; the last state runs to the case’s last event. A visit is one entry into a state.',
  ],
  [
    'Phase',
    'Each state is queued, being worked, waiting/blocked or done, from the workflow map (Jira status categories and state names by default).',
  ],
  ['Choke point', 'A queued or waiting state, ranked by the total time cases held in it (time × volume).'],
  [
    'Status chase',
    'A comment that asks where the work stands (“any update?”, “what is the ETA?”), quoted text ignored.',
  ],
  [
    'Exception',
    'A reopening (done → not done), an entry into a waiting/blocked state, or an escalation (an escalation state or the priority raised to urgent).',
  ],
  [
    'SLA outcome',
    'Due = the case’s due date, else first event + the SLA target in business time. Met if the case was done by then; breached if later, or still open after it.',
  ],
  [
    'Four buckets',
    'Handoffs, status tracking (status chases), exceptions and communication (other messages), each priced at the minutes per item in the costs config.',
  ],
  [
    'Quantiles',
    'p50 is the median, p90 the value 90% of cases stay under; linear interpolation between closest ranks.',
  ],
];

function methodSection(k: Kpis, meta: ReportMeta): string {
  const rows: [string, string][] = [
    ['inputs', meta.inputs.join(', ')],
    ['owner', meta.owner],
    ['calendar', meta.calendar],
    ['workflow map', meta.workflow],
    ['costs', meta.costs],
    ['SLA', meta.sla],
    [
      'filter',
      k.filter.since === null && k.filter.until === null
        ? 'none'
        : `first event in [${k.filter.since ?? '…'}, ${k.filter.until ?? '…'}) — ${int(k.filter.excludedCases)} cases left out`,
    ],
    [
      'skipped records',
      `${int(k.skipped)}${k.skipped === 0 ? '' : ' (malformed records, reported and left out of every figure)'}`,
    ],
    ['generated', `${meta.generatedAt} by baton analyze`],
  ];
  const skipped =
    meta.skippedExamples.length === 0
      ? ''
      : `<ul class="skips">${meta.skippedExamples.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`;
  const defs = DEFINITIONS.map(([t, d]) => `<dt>${esc(t)}</dt><dd>${esc(d)}</dd>`).join('');
  return (
    section('definitions', 'Definitions', '', `<dl>${defs}</dl>`) +
    section(
      'method',
      'Data and method',
      '',
      `${table(['', ''], rows, 2)}${skipped}<p class="note">The same figures are in kpis.json (schema: docs/kpis.schema.json); per-case rows in cases.csv, per-state rows in states.csv, the normalised events in events.csv.</p>`,
    )
  );
}

/** The whole report: one self-contained HTML file (inline CSS and SVG, no scripts, no network). */
export function renderReport(k: Kpis, meta: ReportMeta): string {
  const list = findings(k);
  const keyFindings =
    list.length === 0
      ? ''
      : `<section id="findings"><h2>Key findings</h2><ul class="findings">${list.map((f) => `<li>${f}</li>`).join('')}</ul></section>`;
  const nav = [
    ['states', 'Where work waits'],
    ['diagnosis', 'Diagnosis'],
    ['shortlist', 'Shortlist'],
    ['cycle', 'Cycle time'],
    ['handoffs', 'Handoffs'],
    ['chasing', 'Status chasing'],
    ['exceptions', 'Exceptions'],
    ['sla', 'SLA'],
    ['cost', 'Cost'],
    ['cohorts', 'Before / after'],
    ['definitions', 'Definitions'],
  ]
    .map(([id, label]) => `<a href="#${id}">${esc(label)}</a>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(meta.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<div class="eyebrow">Baton · workflow coordination analysis</div>
<h1>${esc(meta.title)}</h1>
<p class="subtitle">${esc(int(k.cases))} cases from ${esc(meta.inputs.join(', '))} · ${esc(date(k.period.from))} – ${esc(date(k.period.to))} · owner: ${esc(meta.owner)}</p>
<nav>${nav}</nav>
</header>
<main>
${headline(k)}
${keyFindings}
${statesSection(k)}
${diagnosisSections(k)}
${cycleSection(k)}
${handoffSection(k)}
${chaseAndExceptions(k)}
${slaSection(k)}
${costSection(k)}
${cohortSection(k)}
${methodSection(k, meta)}
</main>
<footer>Generated ${esc(meta.generatedAt)} by Baton. Figures are computed from the data named above; money figures rest on the assumptions shown.</footer>
</body>
</html>
`;
}
