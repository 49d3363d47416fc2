import { formatTimestamp } from '../time/timestamp.ts';
import type { Diagnosis } from './diagnosis-schema.ts';
import { quantileSorted, Sample } from './stats.ts';

const DAY = 86_400_000;
/** At most this many points in the WIP series: the bucket grows (1 day, 1 week, …) to keep it. */
const MAX_POINTS = 160;

/**
 * Work in progress over time, from each case's interval (first event, last event) — the interval
 * cycle time measures, so Little's law compares like with like.
 */
export function createWipTracker() {
  const starts = new Sample();
  const ends = new Sample();
  return {
    add(firstAt: number, lastAt: number): void {
      starts.push(firstAt);
      ends.push(lastAt);
    },
    activeMonths: () => activeMonthsOf(starts.values(), ends.values()),
    result(): Diagnosis['wip'] {
      const s = Float64Array.from(starts.values());
      const e = Float64Array.from(ends.values());
      if (s.length === 0) return { bucketDays: 1, series: [], littlesLaw: null };
      const from = s.reduce((a, b) => Math.min(a, b), Infinity);
      const to = e.reduce((a, b) => Math.max(a, b), -Infinity);
      const span = Math.max(to - from, DAY);
      const bucketDays = [1, 7, 14, 28, 91, 182, 364].find((d) => span / (d * DAY) <= MAX_POINTS) ?? 728;
      const bucket = bucketDays * DAY;
      const origin = Math.floor(from / DAY) * DAY;
      const n = Math.ceil((to - origin + 1) / bucket);
      const arrivals = new Array<number>(n).fill(0);
      const departures = new Array<number>(n).fill(0);
      // Open at t: first ≤ t < last. A difference array over bucket starts counts it in O(cases + buckets).
      const open = new Array<number>(n + 1).fill(0);
      for (let i = 0; i < s.length; i++) {
        const a = s[i]!;
        const b = e[i]!;
        arrivals[Math.min(n - 1, Math.floor((a - origin) / bucket))]!++;
        departures[Math.min(n - 1, Math.floor((b - origin) / bucket))]!++;
        const firstStart = Math.ceil((a - origin) / bucket); // first bucket start ≥ a
        const lastStart = Math.ceil((b - origin) / bucket); // first bucket start ≥ b (excluded)
        if (firstStart < lastStart) {
          open[firstStart]!++;
          open[lastStart]!--;
        }
      }
      let running = 0;
      const series = arrivals.map((arr, k) => {
        running += open[k]!;
        return { at: formatTimestamp(origin + k * bucket), wip: running, arrivals: arr, departures: departures[k]! };
      });
      return { bucketDays, series, littlesLaw: littlesLaw(s, e) };
    },
  };
}

function littlesLaw(s: Float64Array, e: Float64Array): Diagnosis['wip']['littlesLaw'] {
  // The window where the flow is steady: from the 10th percentile of arrivals to the 90th of
  // departures (a few very old or very late cases would otherwise stretch it over empty years).
  const lo = quantileSorted(Float64Array.from(s).sort(), 0.1) ?? 0;
  const hi = quantileSorted(Float64Array.from(e).sort(), 0.9) ?? 0;
  const window = hi - lo;
  if (!(window > 0)) return null;
  let area = 0;
  let departed = 0;
  let arrived = 0;
  let cycleSum = 0;
  for (let i = 0; i < s.length; i++) {
    const a = s[i]!;
    const b = e[i]!;
    area += Math.max(0, Math.min(b, hi) - Math.max(a, lo));
    if (b >= lo && b < hi) {
      departed++;
      cycleSum += b - a;
    }
    if (a >= lo && a < hi) arrived++;
  }
  const meanWip = area / window;
  const days = window / DAY;
  const throughput = departed / days;
  const little = throughput === 0 ? null : meanWip / throughput;
  const measured = departed === 0 ? null : cycleSum / departed / DAY;
  return {
    from: formatTimestamp(lo),
    to: formatTimestamp(hi),
    meanWip,
    throughputPerDay: throughput,
    arrivalsPerDay: arrived / days,
    littleCycleDays: little,
    measuredCycleDays: measured,
    ratio: little === null || measured === null || measured === 0 ? null : little / measured,
  };
}

/** The span in which the cases came and went (p5 of first events to p95 of last events), in 30.44-day months. */
export function activeMonthsOf(starts: Float64Array, ends: Float64Array): Diagnosis['activeMonths'] {
  const lo = quantileSorted(Float64Array.from(starts).sort(), 0.05);
  const hi = quantileSorted(Float64Array.from(ends).sort(), 0.95);
  if (lo === null || hi === null) return { from: null, to: null, months: 0 };
  return { from: formatTimestamp(lo), to: formatTimestamp(hi), months: Math.max(hi - lo, DAY) / (30.4375 * DAY) };
}
