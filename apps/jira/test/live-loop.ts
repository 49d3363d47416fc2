import { adfFromText } from '@baton/jira-sim';
import { vi } from 'vitest';
import { onIssueEvent, watchdogTick } from '../src/index.ts';
import { issueEvent } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// What the live loop tests (missing information, Slack questions, quiet hours, the concierge) do to
// move the app along: file an issue through the real event handler, and run the watchdog at a time.

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
