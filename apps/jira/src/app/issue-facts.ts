import type { CaseRecord, Phase, StateCategoryHints } from '@baton/core';

/**
 * What the app's rules need to know about one issue, read from Jira (never from an event payload):
 * core's case record (from `@baton/jira`'s `mapIssue`) plus the summaries the rules read often.
 */
export interface IssueFacts {
  key: string;
  projectKey: string;
  summary: string;
  status: string;
  statusCategory: 'new' | 'indeterminate' | 'done';
  phase: Phase;
  assignee: string | null;
  reporter: string | null;
  priority: string | null;
  created: number;
  updated: number;
  /** Status changes, oldest first, with the phase entered. */
  statusChanges: { at: number; to: string; phase: Phase }[];
  /** Last time a person (not the app) did something on the issue. */
  lastHumanActivityAt: number;
  /** Every instant a person did something (history or comment), oldest first: lets a dry run replay the past. */
  humanActivity: number[];
  /** Assignee changes, oldest first. */
  assigneeChanges: { at: number; to: string | null }[];
  labels: string[];
  /** The issue as core's case: created, status, owner, field and comment events in time order. */
  record: CaseRecord;
  /** Jira's status categories, for statuses the charter's workflow map does not name. */
  hints: StateCategoryHints;
}

/**
 * The case without the app's own comments (actor `baton`, see `readIssue`): what core's readiness
 * check reads. The agent's words are never evidence that an issue is ready: a nudge quoting a title
 * with "approved" in it, or linking the issue it is about, must not tick an item off.
 */
export function withoutAgentComments(record: CaseRecord, agentActor: string): CaseRecord {
  return { ...record, events: record.events.filter((e) => !(e.kind === 'comment' && e.actor === agentActor)) };
}
