import type { SlaRisk } from '@baton/core';

/**
 * SLA display state, shared by the Jira app's panel and badge and the extension's overlay. No zod
 * here: the extension's content scripts import it and stay small (their messages use zod/mini).
 */

/**
 * The states of one SLA clock, as the app computes them from core's reading and everyone shows them
 * (the panel, the badge, the extension, and JQL through the indexed `slaState`): a running clock is
 * `on-track` or `at-risk`, a clock past its target `breached` (running or stopped), a clock a pause
 * condition holds `paused`, a clock stopped within its target `met` (JSM's "completed", not breached),
 * and a clock whose start condition has not happened yet `not-started` (JSM shows no clock until then).
 * A state added here is additive: a reader built before it drops that one clock (its lenient schema)
 * and keeps the rest, so `baton.state` keeps its version.
 */
export const SLA_STATES = ['on-track', 'at-risk', 'breached', 'paused', 'met', 'not-started'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** How a person reads each state. */
export const SLA_WORDS: Readonly<Record<SlaState, string>> = {
  'on-track': 'On track',
  'at-risk': 'At risk',
  breached: 'Breached',
  paused: 'Paused',
  met: 'Met',
  'not-started': 'Not started',
};

/**
 * An issue's clocks as core's one-word SLA risk (its packet, snapshot and report read it): the worst
 * clock's — `ok` for a clock on track, paused, met or not started, `none` only when no goal applies.
 */
export function slaRiskOf(clocks: readonly Pick<ClockLike, 'state'>[]): SlaRisk {
  const worst = worstClock(clocks.map((c) => ({ goal: '', state: c.state, dueAt: null })));
  if (worst === undefined) return 'none';
  return worst.state === 'breached' || worst.state === 'at-risk' ? worst.state : 'ok';
}

/** The part of a stored clock (`baton.state`'s `sla[]`) a display needs. */
export interface ClockLike {
  readonly goal: string;
  readonly state: SlaState;
  /** Epoch ms; null when the clock does not run. */
  readonly dueAt: number | null;
}

const SEVERITY: Readonly<Record<SlaState, number>> = {
  breached: 5,
  'at-risk': 4,
  'on-track': 3,
  paused: 2,
  'not-started': 1,
  met: 0,
};

/** The clock closest to trouble (the one a badge shows when an issue has several goals). */
export function worstClock<C extends ClockLike>(clocks: readonly C[]): C | undefined {
  return [...clocks].sort((a, b) => SEVERITY[b.state] - SEVERITY[a.state])[0];
}

/** One SLA as a person is shown it: its state, a label and the due instant (ISO), or null when it has none. */
export interface SlaDisplay {
  readonly state: SlaState;
  readonly label: string;
  readonly dueAt: string | null;
}

/** The display of a clock: `At risk · Resolve in 3d · due 2026-11-24T17:00:00.000Z`. */
export function slaDisplay(clock: ClockLike): SlaDisplay {
  const dueAt = clock.dueAt === null ? null : new Date(clock.dueAt).toISOString();
  const label = [SLA_WORDS[clock.state], clock.goal, dueAt === null ? undefined : `due ${dueAt}`]
    .filter((t): t is string => t !== undefined && t !== '')
    .join(' · ');
  return { state: clock.state, label, dueAt };
}
