import * as z from 'zod';
import { formatTimestamp } from '../time/timestamp.ts';
import type { Diagnosis } from './diagnosis-schema.ts';

const DAY = 86_400_000;
/** At most this many points in the WIP series: the bucket grows (1 day, 1 week, …) to keep it. */
const MAX_POINTS = 160;

// Per UTC day: [arrivals, departures, open delta, arrival slack ms, departure slack ms, cycle ms of departures].
const ARRIVALS = 0;
const DEPARTURES = 1;
const OPEN = 2;
const ARRIVAL_SLACK = 3;
const DEPARTURE_SLACK = 4;
const DEPARTED_CYCLE = 5;
const WIDTH = 6;

/**
 * The mergeable state of WIP: per UTC day (days since 1970) the cases that arrived and left, the
 * change in cases open at the day's start, and the parts of days they were open. Its size grows with
 * the days the log spans, not with its cases; partials of disjoint cases add up day by day.
 */
export const WipStateSchema = z.object({
  firstAt: z.number().nullable(),
  lastAt: z.number().nullable(),
  days: z
    .array(z.tuple([z.int(), z.int(), z.int(), z.int(), z.number(), z.number(), z.number()]))
    .describe('[day, arrivals, departures, open delta, arrival slack ms, departure slack ms, cycle ms of departures]'),
});
export type WipState = z.infer<typeof WipStateSchema>;

/**
 * Work in progress over time, from each case's interval (first event, last event) — the interval
 * cycle time measures, so Little's law compares like with like. Kept per day (`WipState`), so memory
 * does not grow with the cases and partial analyses merge: the series and Little's law are exact
 * for windows that start and end on UTC days.
 */
export function createWipTracker() {
  const days = new Map<number, Float64Array>();
  let firstAt = Infinity;
  let lastAt = -Infinity;
  // Days near the first one seen (a log's years) are also found by index: two to four lookups a case.
  const NEAR = 1 << 15;
  const near: (Float64Array | undefined)[] = new Array<Float64Array | undefined>(NEAR).fill(undefined);
  let base = Number.NaN;
  const row = (day: number) => {
    const k = day - base;
    let r = k >= 0 && k < NEAR ? near[k] : days.get(day);
    if (r !== undefined) return r;
    r = days.get(day);
    if (r === undefined) {
      r = new Float64Array(WIDTH);
      days.set(day, r);
    }
    if (Number.isNaN(base)) base = day - (NEAR >> 1);
    const j = day - base;
    if (j >= 0 && j < NEAR) near[j] = r;
    return r;
  };
  return {
    add(a: number, b: number): void {
      if (a < firstAt) firstAt = a;
      if (b > lastAt) lastAt = b;
      const da = Math.floor(a / DAY);
      const db = Math.floor(b / DAY);
      const arrival = row(da);
      arrival[ARRIVALS]!++;
      if (a > da * DAY) arrival[ARRIVAL_SLACK]! += (da + 1) * DAY - a;
      const departure = row(db);
      departure[DEPARTURES]!++;
      if (b > db * DAY) departure[DEPARTURE_SLACK]! += (db + 1) * DAY - b;
      departure[DEPARTED_CYCLE]! += b - a;
      // Open at a day's start t: a ≤ t < b, i.e. from day ⌈a⌉ to day ⌈b⌉ (excluded).
      const ca = Math.ceil(a / DAY);
      const cb = Math.ceil(b / DAY);
      if (ca < cb) {
        row(ca)[OPEN]!++;
        row(cb)[OPEN]!--;
      }
    },
    merge(state: WipState): void {
      if (state.firstAt !== null && state.firstAt < firstAt) firstAt = state.firstAt;
      if (state.lastAt !== null && state.lastAt > lastAt) lastAt = state.lastAt;
      for (const [day, ...values] of state.days) {
        const r = row(day);
        values.forEach((v, i) => (r[i] = r[i]! + v));
      }
    },
    state(): WipState {
      return {
        firstAt: Number.isFinite(firstAt) ? firstAt : null,
        lastAt: Number.isFinite(lastAt) ? lastAt : null,
        days: [...days]
          .sort((x, y) => x[0] - y[0])
          .map(([day, r]) => [day, r[0]!, r[1]!, r[2]!, r[3]!, r[4]!, r[5]!] as WipState['days'][number]),
      };
    },
    activeMonths(): Diagnosis['activeMonths'] {
      return activeMonthsOf(this.state());
    },
    result(): Diagnosis['wip'] {
      return wipOf(this.state());
    },
  };
}

/** The start of the day holding the value of 0-based rank `rank` among the counts in column `col`. */
function dayOfRank(days: WipState['days'], col: number, rank: number): number {
  let seen = 0;
  for (const d of days) {
    seen += d[col + 1]!;
    if (rank < seen) return d[0] * DAY;
  }
  return days[days.length - 1]![0] * DAY;
}

function countOf(days: WipState['days'], col: number): number {
  let n = 0;
  for (const d of days) n += d[col + 1]!;
  return n;
}

/** The WIP series and Little's law from the state (`result` of a tracker whose state is at hand). */
export function wipOf(state: WipState): Diagnosis['wip'] {
  const { days } = state;
  if (state.firstAt === null || state.lastAt === null || days.length === 0)
    return { bucketDays: 1, series: [], littlesLaw: null };
  const from = state.firstAt;
  const to = state.lastAt;
  const span = Math.max(to - from, DAY);
  const bucketDays = [1, 7, 14, 28, 91, 182, 364].find((d) => span / (d * DAY) <= MAX_POINTS) ?? 728;
  const originDay = Math.floor(from / DAY);
  const n = Math.ceil((to - originDay * DAY + 1) / (bucketDays * DAY));
  const arrivals = new Array<number>(n).fill(0);
  const departures = new Array<number>(n).fill(0);
  const open = new Array<number>(n).fill(0);
  let running = 0;
  let k = 0;
  for (const d of days) {
    const bucket = Math.min(n - 1, Math.floor((d[0] - originDay) / bucketDays));
    // Cases open at each bucket start before this day: the running sum of the deltas so far.
    while (k < n && originDay + k * bucketDays < d[0]) open[k++] = running;
    arrivals[bucket]! += d[ARRIVALS + 1]!;
    departures[bucket]! += d[DEPARTURES + 1]!;
    running += d[OPEN + 1]!;
  }
  while (k < n) open[k++] = running;
  const series = arrivals.map((arr, i) => ({
    at: formatTimestamp((originDay + i * bucketDays) * DAY),
    wip: open[i]!,
    arrivals: arr,
    departures: departures[i]!,
  }));
  return { bucketDays, series, littlesLaw: littlesLaw(days) };
}

function littlesLaw(days: WipState['days']): Diagnosis['wip']['littlesLaw'] {
  // The window where the flow is steady: from the day of the 10th percentile of arrivals to the end
  // of the day of the 90th percentile of departures (a few very old or very late cases would
  // otherwise stretch it over empty years). Whole UTC days, so that it can be read from day counts.
  const n = countOf(days, ARRIVALS);
  const lo = dayOfRank(days, ARRIVALS, Math.floor((n - 1) * 0.1));
  const hi = dayOfRank(days, DEPARTURES, Math.ceil((n - 1) * 0.9)) + DAY;
  const window = hi - lo;
  if (!(window > 0) || n === 0) return null;
  let area = 0;
  let departed = 0;
  let arrived = 0;
  let cycleSum = 0;
  let open = 0;
  let previous: number | undefined;
  for (const d of days) {
    const start = d[0] * DAY;
    // Whole days with no row between the previous row and this one: `open` cases all day.
    if (previous !== undefined) {
      const gapFrom = Math.max(previous + DAY, lo);
      const gapTo = Math.min(start, hi);
      if (gapTo > gapFrom) area += open * (gapTo - gapFrom);
    }
    open += d[OPEN + 1]!;
    if (start >= lo && start < hi) {
      area += open * DAY + d[ARRIVAL_SLACK + 1]! - d[DEPARTURE_SLACK + 1]!;
      departed += d[DEPARTURES + 1]!;
      cycleSum += d[DEPARTED_CYCLE + 1]!;
      arrived += d[ARRIVALS + 1]!;
    }
    previous = start;
  }
  const meanWip = area / window;
  const windowDays = window / DAY;
  const throughput = departed / windowDays;
  const little = throughput === 0 ? null : meanWip / throughput;
  const measured = departed === 0 ? null : cycleSum / departed / DAY;
  return {
    from: formatTimestamp(lo),
    to: formatTimestamp(hi),
    meanWip,
    throughputPerDay: throughput,
    arrivalsPerDay: arrived / windowDays,
    littleCycleDays: little,
    measuredCycleDays: measured,
    ratio: little === null || measured === null || measured === 0 ? null : little / measured,
  };
}

/**
 * The span in which the cases came and went: from the day of the 5th percentile of first events to
 * the end of the day of the 95th percentile of last events, in 30.44-day months.
 */
export function activeMonthsOf(state: WipState): Diagnosis['activeMonths'] {
  const n = countOf(state.days, ARRIVALS);
  if (n === 0) return { from: null, to: null, months: 0 };
  const lo = dayOfRank(state.days, ARRIVALS, Math.floor((n - 1) * 0.05));
  const hi = dayOfRank(state.days, DEPARTURES, Math.ceil((n - 1) * 0.95)) + DAY;
  return { from: formatTimestamp(lo), to: formatTimestamp(hi), months: Math.max(hi - lo, DAY) / (30.4375 * DAY) };
}
