import { createWatchdog, watchCaseOf } from '@baton/core';
import type { CompiledCharter, Proposal, Watchdog, WatchCase } from '@baton/core';
import type { Charter } from '@baton/core';
import type { SlaClock } from '@baton/jira/issue-state';
import { compileAtRunTime, hintStates } from './run-charter.ts';
import { proposalForJira } from './jira-proposal.ts';
import type { IssueFacts } from './issue-facts.ts';

/** The actor name `readIssue` gives the app's own events, so that they never count as a person's. */
export const AGENT_ACTOR = 'baton';

/**
 * The watchdog's per-state norms learned from the project's history (business ms per lower-cased
 * status, `app/state-norms.ts`), or undefined when none were learned. A charter state's `norm` wins.
 */
export type LearnedNorms = ReadonlyMap<string, number> | undefined;

const NONE = new Map<string, number>();
const dogs = new WeakMap<CompiledCharter, WeakMap<ReadonlyMap<string, number>, Watchdog>>();
/** One watchdog per compiled charter and norms (the same objects come back while neither changes). */
function watchdogOf(c: CompiledCharter, norms: LearnedNorms): Watchdog {
  const byNorms = dogs.get(c) ?? new WeakMap<ReadonlyMap<string, number>, Watchdog>();
  dogs.set(c, byNorms);
  const n = norms ?? NONE;
  let dog = byNorms.get(n);
  if (dog === undefined) {
    dog = createWatchdog(c, norms === undefined ? {} : { norms });
    byNorms.set(n, dog);
  }
  return dog;
}

/** Core's charter for this issue: the charter, plus the issue's statuses resolved with Jira's categories. */
export const charterForIssue = (issue: IssueFacts, charter: Charter): CompiledCharter =>
  compileAtRunTime(charter, { states: hintStates(charter, issue.hints) });

/**
 * The issue as core's watchdog keeps it (state, owner, idle, SLA clocks advanced over its events),
 * at `now`. This is what the app stores per issue for the due-time index.
 */
export function watchCaseFor(issue: IssueFacts, charter: Charter, now: number, nudgesToday = 0): WatchCase {
  return { ...watchCaseOf(issue.record, charterForIssue(issue, charter), now, new Set(), AGENT_ACTOR), nudgesToday };
}

/**
 * Core's watchdog on one issue: a stall nudge once per visit of a state idle beyond
 * its norm (the charter state's, else the one learned from history, else `workflow.norm`), SLA warnings
 * and breaches to the owner. The `sla` argument is kept for callers that already computed the clocks;
 * core reads them from the WatchCase.
 */
export function watchdogDecisions(
  issue: IssueFacts,
  _sla: readonly SlaClock[],
  charter: Charter,
  now: number,
  nudgesToday = 0,
  norms?: LearnedNorms,
): Proposal[] {
  return watchCaseDecisions(
    watchCaseFor(issue, charter, now, nudgesToday),
    charterForIssue(issue, charter),
    now,
    norms,
  );
}

/**
 * Core's watchdog on a stored WatchCase (no Jira read): what the due-time index brings back. Its
 * proposals, before the gate: the app gates each once, with the caps as they stand in app storage.
 */
export function watchCaseDecisions(
  wc: WatchCase,
  compiled: CompiledCharter,
  now: number,
  norms?: LearnedNorms,
): Proposal[] {
  return watchdogOf(compiled, norms)
    .propose(wc, now)
    .flatMap((p) => proposalForJira(p, { timeZone: compiled.calendar.timeZone }) ?? []);
}

/**
 * When core's watchdog could decide something new on this case though nothing changes in Jira (core's
 * `nextDueAt`: an SLA line, the stall, a ladder step, quiet hours ending, a capped nudge the next day).
 * `settled` are the thresholds of decisions already executed, suggested or dropped for good: only what
 * is deferred (quiet hours, caps, a recent touch) or still to come counts.
 */
export function watchdogDueAt(
  wc: WatchCase,
  compiled: CompiledCharter,
  now: number,
  settled: Iterable<string>,
  norms?: LearnedNorms,
): number | null {
  return watchdogOf(compiled, norms).nextDueAt({ ...wc, takenSteps: new Set([...wc.takenSteps, ...settled]) }, now);
}
