import { adfFromText } from '@baton/jira-sim';
import { vi } from 'vitest';
import { onIssueEvent, watchdogTick } from '../src/index.ts';
import { DECISION_PROPERTY } from '../src/app/execute-decision.ts';
import { NOW } from './fixtures.ts';
import { issueEvent } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// What the live loop tests (missing information, Slack questions, quiet hours, the concierge) do to
// move the app along: file an issue through the real event handler, and run the watchdog at a time.

/** Monday 23 November 2026 (`NOW`) at hh:mm UTC, plus `days` (business hours Mon–Fri 09–17 UTC). */
export const at = (days: number, hh: number, mm = 0): number =>
  NOW + days * 86_400_000 + ((hh - 12) * 60 + mm) * 60_000;

/** The app's comments on the issue (those carrying its decision), as text. */
export const said = (h: ForgeHarness, key: string): string[] =>
  h.sim.store
    .get(key)
    .comments.filter((c) => c.properties.has(DECISION_PROPERTY))
    .map((c) => h.sim.store.commentText(c));

/** The watchdog's scheduled tick at `t` (only `Date` is faked: see `freezeTime`). */
export async function tickAt(t: number): Promise<void> {
  vi.setSystemTime(t);
  await watchdogTick();
}

/**
 * A customer (`u-cust`) files an SUP incident without its component ("Reports page is blank"), and
 * Jira tells the app (`avi:jira:created:issue`). Returns the issue's key.
 */
export async function fileIssue(h: ForgeHarness): Promise<string> {
  const issue = h.sim.store.create(
    {
      projectKey: 'SUP',
      issuetype: 'Incident',
      summary: 'Reports page is blank',
      description: adfFromText('Since this morning the reports page shows nothing.'),
    },
    'u-cust',
  );
  await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', issue.key, { atlassianId: 'u-cust' }));
  return issue.key;
}
