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
/** Days a WIP tracker first keeps in one array (about 3 years), and at most (about 180 years). */
const FIRST_SPAN = 1 << 10;
const NEAR_SPAN = 1 << 16;

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
  let firstAt = Infinity;
  let lastAt = -Infinity;
  // Days from `base` to `base + span` (excluded) in one array, `WIDTH` numbers a day, grown as the
  // cases reach further (to `NEAR_SPAN` days at most): a case's two to four rows are found by index
  // and side by side, where a row object per day was a pointer to chase (and a cache miss) each.
  // `touched` marks the days that have a row (a day's numbers can add up to zeros). Days beyond are
  // rows of their own in `far` (a log's stray dates).
  let base = Number.NaN;
  let span = 0;
  let flat = new Float64Array(0);
  let touched = new Uint8Array(0);
  const far = new Map<number, Float64Array>();
  const regrow = (from: number, to: number): void => {
    const next = new Float64Array((to - from) * WIDTH);
    const nextTouched = new Uint8Array(to - from);
    if (span > 0) {
      next.set(flat, (base - from) * WIDTH);
      nextTouched.set(touched, base - from);
    }
    base = from;
    span = to - from;
    flat = next;
    touched = nextTouched;
  };
  /** Adds `v` to column `col` of day `day`'s row (made when new). */
  const bump = (day: number, col: number, v: number): void => {
    const k = day - base;
    if (k >= 0 && k < span) {
      touched[k] = 1;
      const i = k * WIDTH + col;
      flat[i] = flat[i]! + v;
    } else bumpOutside(day, col, v);
  };
  const bumpOutside = (day: number, col: number, v: number): void => {
    if (span < NEAR_SPAN && Number.isSafeInteger(day)) {
      if (span === 0) regrow(day - (FIRST_SPAN >> 1), day + (FIRST_SPAN >> 1));
      else {
        const lo = Math.min(base, day);
        const hi = Math.max(base + span, day + 1);
        const size = Math.min(NEAR_SPAN, Math.max(2 * span, hi - lo));
        // Grown towards the day, as far as it may; a day still out of reach gets a row in `far`.
        if (day < base) regrow(base + span - size, base + span);
        else regrow(base, base + size);
      }
      return bump(day, col, v);
    }
    let r = far.get(day);
    if (r === undefined) {
      r = new Float64Array(WIDTH);
      far.set(day, r);
    }
    r[col] = r[col]! + v;
  };
  return {
    add(a: number, b: number): void {
      if (a < firstAt) firstAt = a;
      if (b > lastAt) lastAt = b;
      const da = Math.floor(a / DAY);
      const db = Math.floor(b / DAY);
      bump(da, ARRIVALS, 1);
      if (a > da * DAY) bump(da, ARRIVAL_SLACK, (da + 1) * DAY - a);
      bump(db, DEPARTURES, 1);
      if (b > db * DAY) bump(db, DEPARTURE_SLACK, (db + 1) * DAY - b);
      bump(db, DEPARTED_CYCLE, b - a);
      // Open at a day's start t: a ≤ t < b, i.e. from day ⌈a⌉ to day ⌈b⌉ (excluded).
      const ca = Math.ceil(a / DAY);
      const cb = Math.ceil(b / DAY);
      if (ca < cb) {
        bump(ca, OPEN, 1);
        bump(cb, OPEN, -1);
      }
    },
    merge(state: WipState): void {
      if (state.firstAt !== null && state.firstAt < firstAt) firstAt = state.firstAt;
      if (state.lastAt !== null && state.lastAt > lastAt) lastAt = state.lastAt;
      for (const [day, ...values] of state.days) values.forEach((v, i) => bump(day, i, v));
    },
    state(): WipState {
      return {
        firstAt: Number.isFinite(firstAt) ? firstAt : null,
        lastAt: Number.isFinite(lastAt) ? lastAt : null,
        days: rows(),
      };
    },
    activeMonths(): Diagnosis['activeMonths'] {
      return activeMonthsOf(this.state());
    },
    result(): Diagnosis['wip'] {
      return wipOf(this.state());
    },
  };

  /** Every day with a row, in ascending order. */
  function rows(): WipState['days'] {
    const out: WipState['days'] = [];
    const row = (day: number, r: Float64Array, o: number) =>
      out.push([day, r[o]!, r[o + 1]!, r[o + 2]!, r[o + 3]!, r[o + 4]!, r[o + 5]!]);
    for (let k = 0; k < span; k++) if (touched[k] === 1) row(base + k, flat, k * WIDTH);
    if (far.size > 0) {
      for (const [day, r] of far) row(day, r, 0);
      out.sort((x, y) => x[0] - y[0]);
    }
    return out;
  }
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
