import type { Phase } from '@baton/core';
import type { IssueFacts } from './issue-facts.ts';

/**
 * The issue as it stood at instant `t`, rebuilt from core's case record (events up to `t`, each
 * carrying the state and owner after it): for replaying the past in a dry run. `undefined` before
 * the issue existed. Phases come from the issue's own resolved statuses (the map `readIssue` used).
 */
export function factsAt(issue: IssueFacts, t: number): IssueFacts | undefined {
  if (t < issue.created) return undefined;
  const events = issue.record.events.filter((e) => e.at <= t);
  const last = events.at(-1);
  const phases = new Map<string, Phase>([
    [issue.status, issue.phase],
    ...issue.statusChanges.map((c) => [c.to, c.phase] as const),
  ]);
  const status = last?.state ?? issue.status;
  const phase = phases.get(status) ?? 'queue';
  const humanActivity = issue.humanActivity.filter((a) => a <= t);
  return {
    ...issue,
    status,
    phase,
    statusCategory: phase === 'done' ? 'done' : phase === 'queue' ? 'new' : 'indeterminate',
    assignee: last?.owner ?? null,
    statusChanges: issue.statusChanges.filter((c) => c.at <= t),
    assigneeChanges: issue.assigneeChanges.filter((c) => c.at <= t),
    humanActivity,
    lastHumanActivityAt: Math.max(issue.created, ...humanActivity),
    updated: Math.min(issue.updated, t),
    record: { ...issue.record, events, state: status, owner: last?.owner ?? null },
  };
}
