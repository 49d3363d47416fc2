import type { Costs } from './costs.ts';

/** What coordination overhead is counted from, for a case or for many. */
export interface OverheadCounts {
  readonly handoffs: number;
  readonly statusChases: number;
  /** Exception events: reopens, entries into waiting states and escalations. */
  readonly exceptions: number;
  /** Every comment; the status chases among them are priced once, as status tracking. */
  readonly comments: number;
}

/**
 * The four buckets of coordination overhead: counts × minutes each (from the costs). The one
 * definition behind `kpis.overhead`, each cohort's overhead per case and the measured savings.
 */
export function overheadBuckets(c: OverheadCounts, costs: Costs) {
  const messages = c.comments - c.statusChases;
  const buckets = {
    handoffs: { count: c.handoffs, minutes: c.handoffs * costs.minutesPerHandoff },
    statusTracking: { count: c.statusChases, minutes: c.statusChases * costs.minutesPerStatusCheck },
    exceptions: { count: c.exceptions, minutes: c.exceptions * costs.minutesPerException },
    communication: { count: messages, minutes: messages * costs.minutesPerMessage },
  };
  return { ...buckets, totalMinutes: overheadMinutes(c, costs) };
}

/** The minutes of `overheadBuckets`, summed (allocation-free: it runs once per case). */
export function overheadMinutes(c: OverheadCounts, costs: Costs): number {
  return (
    c.handoffs * costs.minutesPerHandoff +
    c.statusChases * costs.minutesPerStatusCheck +
    c.exceptions * costs.minutesPerException +
    (c.comments - c.statusChases) * costs.minutesPerMessage
  );
}
