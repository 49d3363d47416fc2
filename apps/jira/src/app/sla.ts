import {
  attributesAtCreation,
  compileCharter,
  computeClock,
  createWorkflowResolver,
  goalsFor,
  readClock,
} from '@baton/core';
import type { SlaReading } from '@baton/core';
import type { Charter } from '@baton/core';
import type { SlaClock } from '@baton/jira/issue-state';
import type { IssueFacts } from './issue-facts.ts';

/**
 * Core's reading in the states the panel, the badge, the extension and JQL show (`SLA_STATES`): past
 * its target a clock is breached whether it still runs or stopped; a clock stopped within it is met,
 * not paused (JQL's `batonSla = met` finds it, `= paused` only clocks a pause condition holds); a clock
 * whose start condition has not happened is not started, not on track.
 */
export function clockOf(r: SlaReading): SlaClock {
  const state: SlaClock['state'] = r.breached
    ? 'breached'
    : r.status === 'stopped'
      ? 'met'
      : r.status === 'paused'
        ? 'paused'
        : r.status === 'pending'
          ? 'not-started'
          : r.atRisk
            ? 'at-risk'
            : 'on-track';
  return { goal: r.goalId, state, targetMs: r.targetMs, elapsedMs: r.elapsedMs, dueAt: r.dueAt };
}

/**
 * The issue's SLA clocks at `now`, computed by core from the mapped history (events after `now`
 * are ignored, so a dry run can read the past): each goal of the charter that applies, started,
 * paused and stopped by its own conditions (status, phase, waiting reason, field), its field
 * conditions read from the values the issue was created with. Jira's status categories resolve
 * statuses the charter does not map.
 */
export function slaReadings(issue: IssueFacts, charter: Charter, now: number): SlaReading[] {
  const compiled = compileCharter(charter);
  const resolve = createWorkflowResolver({ states: charter.workflow.states }, issue.hints);
  const events = issue.record.events.filter((e) => e.at <= now);
  const atCreation = attributesAtCreation(issue.record);
  return goalsFor(compiled, issue.record).map((g) => readClock(g, computeClock(g, resolve, events, atCreation), now));
}

/**
 * The Jira fields the charter's SLA conditions name, so that reading an issue asks for them: a field
 * set when the issue was created has no changelog entry, and only the issue itself says it is set.
 */
export function slaFieldsOf(charter: Charter): string[] {
  const fields = new Set<string>();
  for (const g of charter.slaGoals)
    for (const c of [...g.start, ...g.pause, ...g.stop]) if (c.on === 'field') fields.add(c.field);
  return [...fields].sort();
}

export const slaClocks = (issue: IssueFacts, charter: Charter, now: number): SlaClock[] =>
  slaReadings(issue, charter, now).map(clockOf);
