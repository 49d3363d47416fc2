import type { IssueFacts } from './issue-facts.ts';

/**
 * The issue as it stood at instant `t`, rebuilt from its history: for replaying the past in a dry
 * run. `undefined` before the issue existed.
 */
export function factsAt(issue: IssueFacts, t: number): IssueFacts | undefined {
  if (t < issue.created) return undefined;
  const statusChanges = issue.statusChanges.filter((c) => c.at <= t);
  const lastStatus = statusChanges.at(-1);
  const firstFuture = issue.statusChanges.find((c) => c.at > t);
  const assigneeChanges = issue.assigneeChanges.filter((c) => c.at <= t);
  const firstFutureAssignee = issue.assigneeChanges.find((c) => c.at > t);
  const activity = issue.humanActivity.filter((a) => a <= t);
  return {
    ...issue,
    // Before the first recorded change the issue sat in the state it left then; with no changes, in today's.
    status: lastStatus?.to ?? (firstFuture ? 'initial' : issue.status),
    phase: lastStatus?.phase ?? (firstFuture ? 'queue' : issue.phase),
    statusCategory: lastStatus ? (lastStatus.phase === 'done' ? 'done' : 'indeterminate') : firstFuture ? 'new' : issue.statusCategory,
    assignee: assigneeChanges.at(-1)?.to ?? (firstFutureAssignee ? null : issue.assignee),
    statusChanges,
    assigneeChanges,
    humanActivity: activity,
    lastHumanActivityAt: Math.max(issue.created, ...activity),
    updated: Math.min(issue.updated, t),
  };
}
