import './zod-jitless.ts';
import { view } from '@forge/bridge';
import {
  PHASE_COLORS,
  PHASE_NAMES,
  cycleTimeChart,
  days,
  escapeHtml as esc,
  handoffsChart,
  int,
  measuredSavingsHtml,
  money,
  overheadChart,
  pct,
  slaChart,
  stateTimeChart,
} from '@baton/report';
import type { Dashboard, DashboardProgress } from '../../contracts/dashboard.ts';
import type { TrustReport } from '../../contracts/trust.ts';
import { callResolver } from '../call-resolver.ts';

// The project's coordination dashboard (Custom UI, `jira:projectPage`): the last analysis at once,
// Refresh on the queue with "N issues read so far", then the KPIs and the same charts as the CLI's
// report, drawn by @baton/report from the same KPIs. Text from Jira (state names) is escaped.

/** How often the page asks for progress while a refresh runs. */
const POLL_MS = 1500;

interface State {
  projectKey: string;
  dashboard: Dashboard | null;
  progress: DashboardProgress | null;
  error: string | null;
  days: number;
  /** The go-live date the next refresh splits the issues at ('' for none). */
  goLive: string;
  /** The prices the next refresh uses: the last result's, else core's defaults. */
  costs: Prices;
  /** The project's trust per pattern and week (`getTrust`, read from the audit), or null while unread. */
  trust: TrustReport | null;
}

interface Prices {
  currency: string;
  loadedCostPerHour: number;
  minutesPerHandoff: number;
  minutesPerStatusCheck: number;
  minutesPerException: number;
  minutesPerMessage: number;
  /** Second-order prices: counted only when set (no default guess for a contract's penalty). */
  penaltyPerSlaBreach?: number;
  costPerReopen?: number;
}

/** Core's defaults (`DEFAULT_COSTS`), until a refresh was given others. */
const DEFAULT_PRICES: Prices = {
  currency: 'EUR',
  loadedCostPerHour: 60,
  minutesPerHandoff: 15,
  minutesPerStatusCheck: 5,
  minutesPerException: 30,
  minutesPerMessage: 3,
};

/** The form's price fields: id, label, and which price each sets. */
const PRICE_FIELDS: readonly {
  id: string;
  label: string;
  key: Exclude<keyof Prices, 'currency' | SecondOrderKey>;
}[] = [
  { id: 'cost-hour', label: 'Cost an hour', key: 'loadedCostPerHour' },
  { id: 'min-handoff', label: 'Minutes a handoff', key: 'minutesPerHandoff' },
  { id: 'min-status', label: 'Minutes a status check', key: 'minutesPerStatusCheck' },
  { id: 'min-exception', label: 'Minutes an exception', key: 'minutesPerException' },
  { id: 'min-message', label: 'Minutes a message', key: 'minutesPerMessage' },
];

type SecondOrderKey = 'penaltyPerSlaBreach' | 'costPerReopen';
/** The optional second-order prices, in the chosen currency: left empty, they are not counted. */
const SECOND_ORDER_FIELDS: readonly { id: string; label: string; key: SecondOrderKey }[] = [
  { id: 'penalty-breach', label: 'Penalty an SLA breach (optional)', key: 'penaltyPerSlaBreach' },
  { id: 'cost-reopen', label: 'Rework a reopen (optional)', key: 'costPerReopen' },
];

const running = (p: DashboardProgress | null): boolean =>
  p !== null && (p.status === 'queued' || p.status === 'running');
const when = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const swatch = (color: string): string =>
  `<svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" rx="2" fill="${color}"/></svg>`;

function card(id: string, label: string, value: string, sub: string): string {
  return `<div class="card" data-kpi="${id}"><div class="card-label">${esc(label)}</div><div class="card-value">${esc(value)}</div><div class="card-sub">${esc(sub)}</div></div>`;
}

function figure(id: string, caption: string, svg: string, extra = ''): string {
  return `<figure data-chart="${id}"><figcaption>${esc(caption)}</figcaption>${extra}${svg}</figure>`;
}

function statusLine(s: State): string {
  if (s.error !== null) return `<p class="status error" role="alert">${esc(s.error)}</p>`;
  const p = s.progress;
  if (p !== null && running(p)) {
    const note = p.note === undefined ? '' : ` (${esc(p.note)})`;
    return `<p class="status" role="status" data-progress="${p.issuesRead}">Refreshing: ${int(p.issuesRead)} issues read so far${note}…<progress></progress></p>`;
  }
  if (p?.status === 'failed')
    return `<p class="status error" role="alert">The last refresh failed: ${esc(p.error ?? 'unknown error')}</p>`;
  return '';
}

/** The prices behind the money figures, shown with them so a reader can judge them. */
function assumptions(k: Dashboard['kpis']): string {
  const m = k.money;
  const min = (n: number) => `${n.toLocaleString('en-US')} min`;
  return `<p class="muted" data-assumptions>Priced at ${esc(money(m.loadedCostPerHour, m.currency))} an hour: ${min(m.minutesPerHandoff)} a handoff, ${min(m.minutesPerStatusCheck)} a status check, ${min(m.minutesPerException)} an exception, ${min(m.minutesPerMessage)} a message.</p>`;
}

function kpiSection(d: Dashboard): string {
  const k = d.kpis;
  const hpd = k.calendar.businessDayHours;
  const cards = [
    card('issues', 'Issues analysed', int(d.issues), `updated in the last ${d.days === 1 ? 'day' : `${d.days} days`}`),
    card(
      'cycle',
      'Cycle time, median',
      days(k.cycleTimeDays.p50),
      `p90 ${days(k.cycleTimeDays.p90)}; business ${days(k.cycleTimeBusinessDays.p50, hpd)}`,
    ),
    card(
      'handoffs',
      'Handoffs per issue',
      k.handoffsPerCase.mean === null ? '–' : k.handoffsPerCase.mean.toFixed(1),
      `${int(k.handoffs)} handoffs; ${pct(k.reassignmentRate, 0)} reassigned`,
    ),
    card('ping-pong', 'Ping-pong', int(k.pingPongCases), `issues bounced back (${int(k.pingPongBounces)} bounces)`),
    card('chases', 'Status chases', int(k.statusChases), `in ${int(k.statusChaseCases)} issues`),
    card(
      'exceptions',
      'Exceptions',
      pct(k.exceptions.rate, 0),
      `${int(k.exceptions.reopened)} reopened, ${int(k.exceptions.waiting)} waits, ${int(k.exceptions.escalated)} escalations`,
    ),
    card(
      'sla',
      'SLA breach rate',
      pct(k.sla.breachRate, 0),
      `${int(k.sla.met)} met, ${int(k.sla.breached)} breached, ${int(k.sla.open)} open`,
    ),
    card(
      'overhead',
      'Coordination overhead',
      money(k.money.total, k.money.currency),
      `${int(k.overhead.totalMinutes / 60)} hours${k.money.perMonth === null ? '' : `; ${money(k.money.perMonth, k.money.currency)} a month`}`,
    ),
  ];
  const states = stateTimeChart(k);
  const legend = `<div class="legend">${(['queue', 'waiting', 'active'] as const).map((p) => `<span class="key">${swatch(PHASE_COLORS[p])}${esc(PHASE_NAMES[p])}</span>`).join('')}</div>`;
  const sla = slaChart(k);
  const charts = [
    states === undefined ? '' : figure('states', 'Where work waits: total time in each state', states.svg, legend),
    figure('cycle', 'Cycle time', cycleTimeChart(k)),
    figure('handoffs', 'Handoffs per issue', handoffsChart(k)),
    sla === undefined ? '' : figure('sla', 'SLA outcomes', sla),
    figure('overhead', 'What coordination costs', overheadChart(k), assumptions(k)),
  ];
  const chokes =
    k.chokePoints.length === 0
      ? '<p class="muted">Nothing waited.</p>'
      : `<table data-table="choke-points"><thead><tr><th>State</th><th>Phase</th><th class="num">Visits</th><th class="num">Total</th><th class="num">Median visit</th><th class="num">Share of waiting</th></tr></thead><tbody>${k.chokePoints
          .map(
            (c) =>
              `<tr><td>${esc(c.state)}</td><td>${esc(PHASE_NAMES[c.phase])}</td><td class="num">${int(c.visits)}</td><td class="num">${esc(days(c.totalDays))}</td><td class="num">${esc(days(c.medianDays))}</td><td class="num">${pct(c.share, 0)}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<p class="muted" data-computed="${d.generatedAt}">${int(d.issues)} issues, ${int(k.events)} events; computed ${when(d.generatedAt)} UTC.</p>
<div class="cards">${cards.join('')}</div>
<h2>Flow</h2><div class="charts">${charts.join('')}</div>
<h2>Choke points: where work waits</h2>${chokes}
${cohortSection(d)}`;
}

const signed = (n: number | null): string =>
  n === null ? '–' : `${n > 0 ? '+' : n < 0 ? '−' : ''}${days(Math.abs(n))}`;

/** Before and after the go-live date: each cohort's cycle time, and the change with its uncertainty. */
function cohortSection(d: Dashboard): string {
  const c = d.kpis.cohorts;
  if (d.goLive === undefined || c === null || c === undefined) return '';
  const row = (label: string, k: typeof c.before) =>
    `<tr><td>${esc(label)}</td><td class="num">${int(k.cases)}</td><td class="num">${esc(days(k.cycleTimeDays.p50))}</td><td class="num">${esc(days(k.cycleTimeDays.p90))}</td><td class="num">${pct(k.slaBreachRate, 0)}</td></tr>`;
  const m = c.comparison;
  const change = (name: string, q: NonNullable<typeof m>['median']) =>
    `${name} ${signed(q.difference)}${q.ci95 === null ? '' : ` (95 % interval ${signed(q.ci95[0])} to ${signed(q.ci95[1])})`}`;
  const test =
    m === undefined || m.rankTest.pValue === null
      ? ''
      : `; rank test p = ${m.rankTest.pValue < 0.001 ? '< 0.001' : m.rankTest.pValue.toFixed(3)}, a random issue after takes longer than one before ${pct(m.rankTest.probabilityAfterLonger, 0)} of the time`;
  const summary =
    m === undefined
      ? '<p class="muted">Too few issues on one side to compare.</p>'
      : `<p data-cohort-change>Cycle time after − before: ${esc(change('median', m.median))}; ${esc(change('p90', m.p90))}${esc(test)}.</p>`;
  const zone = d.kpis.calendar.timeZone;
  const savings =
    c.savings === undefined
      ? ''
      : `<h2>The return, measured</h2><section data-section="savings">${measuredSavingsHtml(c.savings)}</section>`;
  return `<h2>Before and after ${esc(d.goLive)}</h2>
<p class="muted" data-golive-zone>Split at midnight ${esc(zone)} (the charter's calendar) on ${esc(d.goLive)}.</p>
<table data-table="cohorts"><thead><tr><th>Issues created</th><th class="num">Issues</th><th class="num">Median cycle</th><th class="num">p90 cycle</th><th class="num">SLA breached</th></tr></thead><tbody>${row(`before ${d.goLive}`, c.before)}${row(`from ${d.goLive}`, c.after)}</tbody></table>
${summary}
${savings}`;
}

const share = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)} %`);

/** Trust for the team: per pattern, how often people accept the agent and how often what they finally did differs (drift). */
function trustSection(t: TrustReport | null): string {
  if (t === null) return '';
  const patterns = Object.entries(t.patterns);
  const rows = patterns
    .map(
      ([p, x]) =>
        `<tr data-trust="${esc(p)}"><td>${esc(p)}</td><td class="num">${int(x.decisions)}</td><td class="num">${int(x.acted)}</td><td class="num">${share(x.acceptanceRate)}</td><td class="num">${int(x.overridden)}</td><td class="num">${share(x.drift)} (${int(x.drifted)} of ${int(x.finals)})</td></tr>`,
    )
    .join('');
  const weeks = t.weeks
    .map((w) => {
      const lines = Object.entries(w.patterns).map(
        ([p, x]) => `${p} accepted ${share(x.acceptanceRate)}, drift ${share(x.drift)}`,
      );
      return `<li>Week of ${esc(w.week)}: ${esc(lines.length === 0 ? 'no decisions' : lines.join('; '))}</li>`;
    })
    .join('');
  return `<h2>Trust</h2>
${
  patterns.length === 0
    ? '<p class="muted" data-trust-empty>No decisions in the audit yet.</p>'
    : `<table data-table="trust"><thead><tr><th>Pattern</th><th class="num">Decisions</th><th class="num">Acted</th><th class="num">Accepted</th><th class="num">Overridden</th><th class="num">Drift (final actions that differ)</th></tr></thead><tbody>${rows}</tbody></table>`
}
<ul data-trust-weeks>${weeks}</ul>`;
}

function priceFields(p: Prices): string {
  const currency = `<label for="cost-currency">Currency<input id="cost-currency" name="cost-currency" required pattern="[A-Z]{3}" maxlength="3" value="${esc(p.currency)}"></label>`;
  return (
    currency +
    PRICE_FIELDS.map(
      (f) =>
        `<label for="${f.id}">${esc(f.label)}<input id="${f.id}" name="${f.id}" type="number" min="0" max="${f.key === 'loadedCostPerHour' ? 1_000_000 : 10_000}" step="any" required value="${p[f.key]}"></label>`,
    ).join('') +
    SECOND_ORDER_FIELDS.map(
      (f) =>
        `<label for="${f.id}">${esc(f.label)}<input id="${f.id}" name="${f.id}" type="number" min="0" step="any" value="${p[f.key] ?? ''}"></label>`,
    ).join('')
  );
}

function readPrices(root: HTMLElement): Prices {
  const value = (id: string) => root.querySelector<HTMLInputElement>(`#${id}`)?.value ?? '';
  const prices: Prices = { ...DEFAULT_PRICES, currency: value('cost-currency') };
  for (const f of PRICE_FIELDS) prices[f.key] = Number(value(f.id));
  for (const f of SECOND_ORDER_FIELDS) if (value(f.id).trim() !== '') prices[f.key] = Number(value(f.id));
  return prices;
}

function render(root: HTMLElement, s: State, onRefresh: (days: number, goLive: string, costs: Prices) => void): void {
  const body =
    s.dashboard === null
      ? '<p class="muted" data-empty>No analysis yet: choose a window and press Refresh.</p>'
      : kpiSection(s.dashboard);
  root.innerHTML = `<h1>Coordination dashboard — ${esc(s.projectKey)}</h1>
<p class="muted">Where work waits, handoffs, status chasing and SLA outcomes over every issue of the project updated in the window.</p>
<form class="controls"><label for="days">Issues updated in the last N days (1–90)<input id="days" name="days" type="number" min="1" max="90" required value="${s.days}"></label><label for="golive">Go-live date (optional: issues created before and after it compared)<input id="golive" name="golive" type="date" value="${esc(s.goLive)}"></label>${priceFields(s.costs)}<button type="submit"${running(s.progress) ? ' disabled' : ''}>Refresh</button></form>
${statusLine(s)}${body}${trustSection(s.trust)}`;
  root.setAttribute('aria-busy', running(s.progress) ? 'true' : 'false');
  root.querySelector('form')?.addEventListener('submit', (e) => {
    e.preventDefault();
    const input = root.querySelector<HTMLInputElement>('#days');
    const goLive = root.querySelector<HTMLInputElement>('#golive')?.value ?? '';
    const form = root.querySelector('form');
    if (form?.reportValidity() !== false) onRefresh(Number(input?.value), goLive, readPrices(root));
  });
}

const ProjectContext = (c: unknown): string | undefined => {
  const key = (c as { extension?: { project?: { key?: unknown } } } | null)?.extension?.project?.key;
  return typeof key === 'string' ? key : undefined;
};

async function start(root: HTMLElement): Promise<void> {
  const projectKey = ProjectContext(await view.getContext());
  if (projectKey === undefined) {
    root.innerHTML = '<p class="status error" role="alert">Open this page from a Jira project.</p>';
    return;
  }
  const s: State = {
    projectKey,
    dashboard: null,
    progress: null,
    error: null,
    days: 30,
    goLive: '',
    costs: DEFAULT_PRICES,
    trust: null,
  };
  let timer: ReturnType<typeof setTimeout> | undefined;

  const show = () => render(root, s, (days, goLive, costs) => void refresh(days, goLive, costs));
  const load = async () => {
    const [r, trust] = await Promise.all([
      callResolver('getDashboard', { projectKey }),
      callResolver('getTrust', { projectKey, weeks: 8 }),
    ]);
    if (trust.status === 'ok') s.trust = trust.data;
    if (r.status === 'ok') {
      s.dashboard = r.data.dashboard;
      s.progress = r.data.progress;
      s.error = null;
      if (s.dashboard !== null) {
        s.days = s.dashboard.days;
        s.goLive = s.dashboard.goLive ?? '';
        const {
          currency,
          loadedCostPerHour,
          minutesPerHandoff,
          minutesPerStatusCheck,
          minutesPerException,
          minutesPerMessage,
        } = s.dashboard.kpis.money;
        const second = s.dashboard.kpis.cohorts?.savings?.secondOrder;
        s.costs = {
          currency,
          loadedCostPerHour,
          minutesPerHandoff,
          minutesPerStatusCheck,
          minutesPerException,
          minutesPerMessage,
          ...(second?.slaPenalties ? { penaltyPerSlaBreach: second.slaPenalties.penaltyPerBreach } : {}),
          ...(second?.reopens ? { costPerReopen: second.reopens.costPerReopen } : {}),
        };
      }
    } else if (r.status === 'error') s.error = r.message;
    show();
    poll();
  };
  const poll = () => {
    clearTimeout(timer);
    if (!running(s.progress)) return;
    timer = setTimeout(() => {
      void callResolver('getDashboardProgress', { projectKey }).then(async (r) => {
        if (r.status === 'error') {
          s.error = r.message;
          show();
        } else if (r.status === 'ok' && r.data.progress?.status === 'done') await load();
        else if (r.status === 'ok') {
          s.progress = r.data.progress;
          show();
          poll();
        }
      });
    }, POLL_MS);
  };
  const refresh = async (days: number, goLive: string, costs: Prices) => {
    s.days = days;
    s.goLive = goLive;
    s.costs = costs;
    s.error = null;
    const r = await callResolver('startDashboard', {
      projectKey,
      days,
      costs,
      ...(goLive === '' ? {} : { goLive }),
    });
    if (r.status === 'ok') s.progress = r.data.progress;
    else if (r.status === 'error') s.error = r.message;
    show();
    poll();
  };
  await load();
}

const root = document.getElementById('app');
if (root !== null) void start(root);
