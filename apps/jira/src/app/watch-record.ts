import type { SlaClockState, StateMapping, WatchCase } from '@baton/core';
import { PhaseSchema, WaitingReasonSchema } from '@baton/core';
import * as z from 'zod';
import type { Charter } from '@baton/core';
import { hintStates } from './run-charter.ts';
import type { IssueFacts } from './issue-facts.ts';
import { charterForIssue, watchCaseFor } from './watchdog-rules.ts';

/**
 * What the app keeps per issue in KVS for the watchdog: core's WatchCase (state, owner, idle
 * anchors, SLA clocks advanced over the issue's events) as of the last time the app read the issue,
 * plus what is needed to rebuild core's charter for it. A tick that reaches an issue only through
 * the due-time index evaluates this instead of reading the issue and its changelog again.
 */
const ClockStateSchema = z.looseObject({
  goalId: z.string(),
  status: z.enum(['pending', 'running', 'paused', 'stopped']),
  startedAt: z.number().nullable(),
  stoppedAt: z.number().nullable(),
  elapsedMs: z.number(),
  runningSince: z.number().nullable(),
  pauses: z.array(z.tuple([z.number(), z.number().nullable()])),
  caseState: z.string().nullable(),
  fields: z.record(z.string(), z.string().nullable()),
  lastEventAt: z.number().nullable(),
});

export const WatchRecordSchema = z.object({
  version: z.literal(1),
  caseId: z.string(),
  title: z.string().optional(),
  state: z.string().nullable(),
  owner: z.string().nullable(),
  enteredStateAt: z.number(),
  lastActivityAt: z.number(),
  lastHumanActivityAt: z.number().nullable(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])),
  /** Goal ids in core's order when the clocks were computed: a changed charter makes the record stale. */
  goals: z.array(z.string()),
  clocks: z.array(ClockStateSchema.nullable()),
  states: z.record(z.string(), z.object({ phase: PhaseSchema, waitingReason: WaitingReasonSchema.optional() })),
  /**
   * The saved charter the record was computed under, as its version tag (`charterVersionFor`: `SUP@4`,
   * `global@2`, `default`), not the charter itself: a record stays small, and a newer version means a fresh read.
   */
  charterVersion: z.string(),
});
export type WatchRecord = z.infer<typeof WatchRecordSchema>;

export const watchRecordKey = (issueKey: string): string => `watch:${issueKey}`;

export function watchRecordOf(issue: IssueFacts, charter: Charter, now: number, charterVersion: string): WatchRecord {
  const wc = watchCaseFor(issue, charter, now);
  return {
    version: 1,
    caseId: wc.caseId,
    ...(wc.title === undefined ? {} : { title: wc.title }),
    state: wc.state,
    owner: wc.owner,
    enteredStateAt: wc.enteredStateAt,
    lastActivityAt: wc.lastActivityAt,
    lastHumanActivityAt: wc.lastHumanActivityAt,
    attributes: { ...wc.attributes },
    goals: charterForIssue(issue, charter).goals.map((g) => g.id),
    clocks: wc.clocks.map((c) =>
      c === null
        ? null
        : { ...c, pauses: c.pauses.map(([a, b]) => [a, b] as [number, number | null]), fields: { ...c.fields } },
    ),
    states: hintStates(charter, issue.hints) as Record<string, StateMapping>,
    charterVersion,
  };
}

/** The stored record as core's WatchCase (steps taken live in the effect ledger, not here). */
export function watchCaseOfRecord(r: WatchRecord, nudgesToday: number): WatchCase {
  return {
    caseId: r.caseId,
    ...(r.title === undefined ? {} : { title: r.title }),
    state: r.state,
    owner: r.owner,
    enteredStateAt: r.enteredStateAt,
    lastActivityAt: r.lastActivityAt,
    lastHumanActivityAt: r.lastHumanActivityAt,
    attributes: r.attributes,
    clocks: r.clocks as (SlaClockState | null)[],
    takenSteps: new Set(),
    nudgesToday,
  };
}
