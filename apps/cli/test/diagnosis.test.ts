import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KpisSchema, SKETCH_RELATIVE_ACCURACY, type Kpis } from '@baton/core/analysis';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/run.ts';

// Every figure of the diagnosis, computed a second way from what `baton analyze` wrote beside
// kpis.json (events.csv, cases.csv) on the bundled BPIC 2013 log, with code that shares nothing
// with core's: its own CSV parsing, state walk, quantiles and support-line reading.

const BPIC = join(import.meta.dirname, '..', 'data', 'bpic2013-incidents.xes.gz');
const DAY = 86_400_000;
const ALPHA = SKETCH_RELATIVE_ACCURACY;
/** Quantiles of the diagnosis come from mergeable sketches: within their relative error of the exact ones. */
const expectWithinSketch = (a: number | null, exact: number) =>
  expect(Math.abs(a! - exact)).toBeLessThanOrEqual(ALPHA * Math.abs(exact) + 1e-9);

function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (ch !== '\r') cell += ch;
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

/** Type-7 quantile, written again. */
function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
}

interface Walk {
  visits: Map<string, number[]>; // state → stay durations (days)
  visitedBy: Map<string, Set<string>>; // state → cases
  higherLineCases: Set<string>;
  higherLineEvents: number;
}

/** Stays per state from events.csv: a stay runs from the row that enters a state to the next that enters another (or the case's last row). */
function walk(events: Record<string, string>[]): Walk {
  const out: Walk = { visits: new Map(), visitedBy: new Map(), higherLineCases: new Set(), higherLineEvents: 0 };
  const line = (g: string) => (/3rd/.test(g) ? 3 : /2nd/.test(g) ? 2 : 1);
  const byCase = new Map<string, Record<string, string>[]>();
  for (const e of events) (byCase.get(e.case!) ?? byCase.set(e.case!, []).get(e.case!)!).push(e);
  for (const [id, rows] of byCase) {
    rows.sort((a, b) => Date.parse(a.at!) - Date.parse(b.at!));
    let state: string | undefined;
    let since = 0;
    let owner: string | undefined;
    for (const r of rows) {
      const at = Date.parse(r.at!);
      if (r.kind === 'owner') {
        if (owner !== undefined && r.to !== owner && line(r.to!) > line(owner)) {
          out.higherLineEvents++;
          out.higherLineCases.add(id);
        }
        owner = r.to;
      } else if (
        (r.kind === 'activity' || r.kind === 'created' || r.kind === 'status') &&
        r.to !== '' &&
        r.to !== state
      ) {
        if (state !== undefined) out.visits.get(state)!.push((at - since) / DAY);
        state = r.to!;
        since = at;
        if (!out.visits.has(state)) out.visits.set(state, []);
        (out.visitedBy.get(state) ?? out.visitedBy.set(state, new Set()).get(state)!).add(id);
      }
    }
    if (state !== undefined) out.visits.get(state)!.push((Date.parse(rows[rows.length - 1]!.at!) - since) / DAY);
  }
  return out;
}

let kpis: Kpis;
let cases: Record<string, string>[];
let w: Walk;
let report: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-diagnosis-'));
  const code = await runCli(['analyze', BPIC, '--owner', 'org:group', '--out', dir, '--quiet'], {
    stdout: () => undefined,
    stderr: () => undefined,
    interactive: false,
    cwd: '.',
  });
  expect(code).toBe(0);
  kpis = KpisSchema.parse(JSON.parse(readFileSync(join(dir, 'kpis.json'), 'utf8')));
  cases = parseCsv(readFileSync(join(dir, 'cases.csv'), 'utf8'));
  w = walk(parseCsv(readFileSync(join(dir, 'events.csv'), 'utf8')));
  report = readFileSync(join(dir, 'report.html'), 'utf8');
}, 240_000);

describe('diagnosis on BPIC 2013, each figure computed a second way', () => {
  it('ranks choke points whose totals, spread and tail risk the events give again', () => {
    const d = kpis.diagnosis!;
    expect(d.chokePoints.map((c) => c.state)).toEqual([
      'Accepted/Wait - User',
      'Queued/Awaiting Assignment',
      'Accepted/Wait',
      'Accepted/Wait - Implementation',
      'Accepted/Wait - Vendor',
    ]);
    const tail = quantile(
      cases.map((c) => Number(c.cycle_days)),
      0.9,
    );
    const cycleOf = new Map(cases.map((c) => [c.case!, Number(c.cycle_days)]));
    for (const c of d.chokePoints) {
      const stays = w.visits.get(c.state)!;
      expect(stays.length).toBe(c.visits);
      const total = stays.reduce((a, b) => a + b, 0);
      expect(c.totalDays).toBeCloseTo(total, 3);
      const mean = total / stays.length;
      const sd = Math.sqrt(stays.reduce((a, b) => a + (b - mean) ** 2, 0) / (stays.length - 1));
      expect(c.variation).toBeCloseTo(sd / mean, 6);
      const visitors = [...w.visitedBy.get(c.state)!];
      expect(c.slaRisk.basis).toBe('long-tail');
      expect(c.slaRisk.cases).toBe(visitors.length);
      // The tail and the cycles are read from sketches: cases within the relative error of the tail
      // may count either way, none further off.
      const above = (t: number) => visitors.filter((id) => cycleOf.get(id)! > t).length / visitors.length;
      expect(c.slaRisk.rate).toBeGreaterThanOrEqual(above((tail * (1 + ALPHA)) / (1 - ALPHA)) - 1e-9);
      expect(c.slaRisk.rate).toBeLessThanOrEqual(above((tail * (1 - ALPHA)) / (1 + ALPHA)) + 1e-9);
      expectWithinSketch(c.medianDays, quantile(stays, 0.5));
      expectWithinSketch(c.p90Days, quantile(stays, 0.9));
    }
    expect(d.chokePoints.map((c) => c.likelyCause)).toEqual([
      'missing-data',
      'unclear-ownership',
      'policy-ambiguity',
      'external-wait',
      'external-wait',
    ]);
  });

  it('counts escalations to a higher support line as the owner rows show them', () => {
    const e = kpis.diagnosis!.escalations;
    const higher = e.reasons.find((r) => r.reason === 'handed to a higher support line')!;
    expect(higher.events).toBe(w.higherLineEvents);
    expect(higher.cases).toBe(w.higherLineCases.size);
    expect(e.rate).toBeCloseTo(w.higherLineCases.size / kpis.cases, 9);
  });

  it("measures WIP by sampling the cases' intervals every hour, and Little's law from cases.csv", () => {
    const l = kpis.diagnosis!.wip.littlesLaw!;
    const iv = cases.map((c) => [Date.parse(c.first_event!), Date.parse(c.last_event!)] as const);
    const lo = Date.parse(l.from);
    const hi = Date.parse(l.to);
    let samples = 0;
    let open = 0;
    for (let t = lo; t < hi; t += 3_600_000) {
      samples++;
      for (const [a, b] of iv) if (a <= t && t < b) open++;
    }
    expect(open / samples).toBeCloseTo(l.meanWip, -1); // hourly sampling vs the exact integral: within ±5 cases of ~2,300
    expect(Math.abs(open / samples - l.meanWip) / l.meanWip).toBeLessThan(0.005);
    const left = cases.filter((c) => Date.parse(c.last_event!) >= lo && Date.parse(c.last_event!) < hi);
    expect(l.throughputPerDay).toBeCloseTo(left.length / ((hi - lo) / DAY), 6);
    const measured = left.reduce((s, c) => s + Number(c.cycle_days), 0) / left.length;
    expect(l.measuredCycleDays).toBeCloseTo(measured, 4);
    expect(l.ratio).toBeGreaterThan(0.5);
    expect(l.ratio).toBeLessThan(1.5);
    // The series: open cases at a bucket start, counted directly.
    const series = kpis.diagnosis!.wip.series;
    const mid = series[Math.floor(series.length * 0.95)]!;
    const t = Date.parse(mid.at);
    expect(mid.wip).toBe(iv.filter(([a, b]) => a <= t && t < b).length);
    expect(series.reduce((s, p) => s + p.arrivals, 0)).toBe(cases.length);
  });

  it('times recovery from waiting on the customer, and counts cases blocked on information', () => {
    const d = kpis.diagnosis!;
    const customerStates = Object.entries(kpis.states)
      .filter(([, s]) => s.phase === 'waiting' && s.waitingReason === 'customer')
      .map(([name]) => name);
    expect(customerStates.sort()).toEqual(['Accepted/Wait - Customer', 'Accepted/Wait - User']);
    const stays = customerStates.flatMap((s) => w.visits.get(s)!);
    const r = d.exceptionRecovery.find((x) => x.kind === 'waiting-customer')!;
    expect(r.count).toBe(stays.length);
    expectWithinSketch(r.medianDays, quantile(stays, 0.5));
    expectWithinSketch(r.p90Days, quantile(stays, 0.9));
    expect(r.meanDays).toBeCloseTo(stays.reduce((a, b) => a + b, 0) / stays.length, 6);
    const blocked = new Set(customerStates.flatMap((s) => [...w.visitedBy.get(s)!]));
    expect(d.blockedOnInformation.cases).toBe(blocked.size);
    expect(d.blockedOnInformation.share).toBeCloseTo(blocked.size / kpis.cases, 9);
  });

  it('prices the shortlist from the counts and the stated assumptions', () => {
    const d = kpis.diagnosis!;
    const firsts = cases.map((c) => Date.parse(c.first_event!));
    const lasts = cases.map((c) => Date.parse(c.last_event!));
    // Whole UTC days (the WIP state is kept per day): from the day of the 5th percentile of first
    // events to the end of the day of the 95th percentile of last events.
    const from = Date.parse(d.activeMonths.from!);
    const to = Date.parse(d.activeMonths.to!);
    expect(from % DAY).toBe(0);
    expect(Math.abs(quantile(firsts, 0.05) - from)).toBeLessThanOrEqual(DAY);
    expect(Math.abs(quantile(lasts, 0.95) - (to - DAY))).toBeLessThanOrEqual(DAY);
    const months = d.activeMonths.months;
    expect(months).toBeCloseTo((to - from) / (30.4375 * DAY), 9);
    const ask = d.shortlist.find((s) => s.state === 'Accepted/Wait - User')!;
    expect(ask).toMatchObject({ pattern: 'router', level: 'automate' });
    const expected = (w.visits.get('Accepted/Wait - User')!.length / months) * (1 / 3) * kpis.money.minutesPerException;
    expect(ask.minutesPerMonth).toBeCloseTo(expected, 6);
    expect(ask.moneyPerMonth).toBeCloseTo((expected / 60) * kpis.money.loadedCostPerHour, 6);
    const waited = w.visits.get('Accepted/Wait - User')!.reduce((a, b) => a + b, 0);
    expect(ask.waitingDaysPerMonth).toBeCloseTo(waited / months / 3, 3);
    expect(d.shortlist.map((s) => s.minutesPerMonth)).toEqual(
      [...d.shortlist.map((s) => s.minutesPerMonth)].sort((a, b) => b - a),
    );
  });

  it('shows the diagnosis and the shortlist in the report', () => {
    expect(report).toContain('<section id="diagnosis"><h2>Diagnosis</h2>');
    expect(report).toContain('<section id="shortlist"><h2>Intervention shortlist</h2>');
    expect(report).toContain("Little's law (WIP ÷ throughput)");
    expect(report).toContain('handed to a higher support line');
    expect(report).toMatch(/router · automate/);
  });
});
