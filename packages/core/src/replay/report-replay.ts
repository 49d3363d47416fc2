import * as z from 'zod';
import type { Costs } from '../analysis/costs.ts';
import { formatTimestamp } from '../time/timestamp.ts';
import { traitsOf, type ActionKind } from '../decision/action.ts';
import type { Decision, GateRuleCode } from '../decision/decision.ts';

/**
 * What a replay found, for `summary.json` and the replay page: decisions per day and per pattern,
 * dispositions, caps hit, SLA breaches that a nudge preceded or not, and the coordination minutes
 * the decisions would have saved if carried out. Built incrementally (`add`) so that a replay of
 * hundreds of thousands of events never holds every decision in memory twice.
 */

/** An SLA breach the clocks observed during the replay. */
/** The caps a replay counts, by the gate rule that applied them. */
const CAP_NAMES: Partial<Record<GateRuleCode, string>> = {
  'caps.recentTouch': 'recentTouch',
  'caps.quietHours': 'quietHours',
  'caps.perCaseDay': 'perCaseDay',
  'caps.perPersonDay': 'perPersonDay',
};

export interface ReplayBreach {
  readonly caseId: string;
  readonly goal: string;
  readonly at: number;
}

// What an action saves when carried out, as a share of one of the analysis's cost items. Modest on
// purpose and printed next to the figure: an update spares a status check, a handoff packet half a
// handoff, a request for missing information half an exception.
const SAVES: Record<
  ActionKind,
  { item: 'minutesPerHandoff' | 'minutesPerStatusCheck' | 'minutesPerException' | 'minutesPerMessage'; share: number }
> = {
  assign: { item: 'minutesPerHandoff', share: 0.5 },
  comment: { item: 'minutesPerStatusCheck', share: 1 },
  transition: { item: 'minutesPerMessage', share: 1 },
  setField: { item: 'minutesPerMessage', share: 1 },
  addLabel: { item: 'minutesPerMessage', share: 0.5 },
  requestInfo: { item: 'minutesPerException', share: 0.5 },
  notify: { item: 'minutesPerStatusCheck', share: 1 },
  escalate: { item: 'minutesPerException', share: 0.5 },
};

const Counts = z.record(z.string(), z.number().int().min(0));

export const ReplaySummarySchema = z.object({
  decisions: z.number().int().min(0),
  byDisposition: Counts,
  byPattern: z.record(z.string(), Counts),
  byRule: Counts,
  /** `YYYY-MM-DD` (UTC) → decisions that day, by disposition. */
  byDay: z.record(z.string(), Counts),
  capsHit: Counts,
  /** Nudges (notify, escalate, request info) acted or suggested: how hard the agent would lean on people. */
  nudges: z.object({
    total: z.number().int().min(0),
    casesNudged: z.number().int().min(0),
    maxPerCase: z.number().int().min(0),
    /** The most nudges one case got on one UTC day (the charter's per-case cap bounds it). */
    maxPerCaseDay: z.number().int().min(0),
  }),
  customerFacing: z.number().int().min(0),
  breaches: z.object({
    total: z.number().int().min(0),
    precededByNudge: z.number().int().min(0),
    notPreceded: z.number().int().min(0),
  }),
  savings: z
    .object({
      minutes: z.number().min(0),
      hours: z.number().min(0),
      money: z.number().min(0),
      currency: z.string(),
      /** Counted: decisions acted or suggested (as if every suggestion were accepted). */
      basis: z.string(),
      assumptions: z.record(z.string(), z.string()),
    })
    .nullable(),
});
export type ReplaySummary = z.infer<typeof ReplaySummarySchema>;

export interface ReplaySummaryBuilder {
  add(decision: Decision): void;
  addBreach(breach: ReplayBreach): void;
  build(): ReplaySummary;
}

// A loop, not Math.max(...values): a long replay has more cases than a call takes arguments.
function maxOf(values: Iterable<number>): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}

const bump = (m: Record<string, number>, k: string, n = 1) => {
  m[k] = (m[k] ?? 0) + n;
};

/** Starts a summary; pass the costs (`--costs`) to estimate the minutes saved. */
export function createReplaySummary(costs: Costs | null = null): ReplaySummaryBuilder {
  let decisions = 0;
  let customerFacing = 0;
  let minutes = 0;
  const byDisposition: Record<string, number> = {};
  const byPattern: Record<string, Record<string, number>> = {};
  const byRule: Record<string, number> = {};
  const byDay: Record<string, Record<string, number>> = {};
  const capsHit: Record<string, number> = {};
  // Per case, the time of its first nudge that was acted or suggested: a breach after it was preceded.
  const firstNudge = new Map<string, number>();
  const nudgesPerCase = new Map<string, number>();
  const nudgesPerCaseDay = new Map<string, number>();
  let nudges = 0;
  const breaches: ReplayBreach[] = [];
  return {
    add(d) {
      decisions++;
      bump(byDisposition, d.disposition);
      bump((byPattern[d.pattern] ??= {}), d.disposition);
      bump(byRule, d.rule);
      bump((byDay[formatTimestamp(d.at).slice(0, 10)] ??= {}), d.disposition);
      const cap = d.because === undefined ? undefined : CAP_NAMES[d.because.code];
      if (cap !== undefined) bump(capsHit, cap);
      const counted = d.disposition === 'act' || d.disposition === 'suggest';
      let nudged = false;
      for (const a of d.actions) {
        const t = traitsOf(a);
        if (t.customerFacing) customerFacing++;
        if (!counted) continue;
        if (t.nudge) nudged = true;
        if (t.nudge && !firstNudge.has(d.caseId)) firstNudge.set(d.caseId, d.at);
        if (costs !== null) minutes += costs[SAVES[a.kind].item] * SAVES[a.kind].share;
      }
      if (nudged) {
        nudges++;
        nudgesPerCase.set(d.caseId, (nudgesPerCase.get(d.caseId) ?? 0) + 1);
        const k = `${d.caseId}|${formatTimestamp(d.at).slice(0, 10)}`;
        nudgesPerCaseDay.set(k, (nudgesPerCaseDay.get(k) ?? 0) + 1);
      }
    },
    addBreach(b) {
      breaches.push(b);
    },
    build() {
      let preceded = 0;
      for (const b of breaches) {
        const n = firstNudge.get(b.caseId);
        if (n !== undefined && n <= b.at) preceded++;
      }
      const days = Object.fromEntries(Object.entries(byDay).sort(([a], [b]) => a.localeCompare(b)));
      return {
        decisions,
        byDisposition,
        byPattern,
        byRule,
        byDay: days,
        capsHit,
        nudges: {
          total: nudges,
          casesNudged: nudgesPerCase.size,
          maxPerCase: maxOf(nudgesPerCase.values()),
          maxPerCaseDay: maxOf(nudgesPerCaseDay.values()),
        },
        customerFacing,
        breaches: { total: breaches.length, precededByNudge: preceded, notPreceded: breaches.length - preceded },
        savings:
          costs === null
            ? null
            : {
                minutes: Math.round(minutes),
                hours: Math.round((minutes / 60) * 10) / 10,
                money: Math.round((minutes / 60) * costs.loadedCostPerHour),
                currency: costs.currency,
                basis: 'decisions acted or suggested, as if every suggestion were accepted',
                assumptions: Object.fromEntries(
                  Object.entries(SAVES).map(([kind, s]) => [
                    kind,
                    `${s.share} × ${s.item} (${costs[s.item] * s.share} min)`,
                  ]),
                ),
              },
      };
    },
  };
}
