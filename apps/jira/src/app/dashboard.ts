import { createAnalysis } from '@baton/core';
import type { CaseRecord } from '@baton/core';
import type { Dashboard } from '../contracts/dashboard.ts';
import { coreCalendar, parseDuration } from '../domain/app-calendar.ts';
import type { AppDeps } from './app-deps.ts';
import { charterFor } from './charter-for.ts';
import { readIssue } from './read-issue.ts';

/** Issues read per view: each is one Jira call with its changelog (one more per 100 histories past the first 100), inside the resolver's 25 seconds. */
export const DASHBOARD_MAX_ISSUES = 50;

/**
 * The coordination dashboard: core's analysis (the same KPIs as `baton analyze`) over the project's
 * issues updated in the last N days, with the project's calendar, workflow map and SLA goals.
 * The most recently updated issues first, at most `DASHBOARD_MAX_ISSUES`; `truncated` says so.
 */
export async function projectDashboard(deps: AppDeps, projectKey: string, days: number): Promise<Dashboard> {
  const charter = await charterFor(deps.storage, projectKey);
  const slaTargetMs = (record: CaseRecord): number | undefined => {
    const priority = record.attributes.priority;
    const goal = charter.slaGoals.find((g) => g.priorities.length === 0 || (typeof priority === 'string' && g.priorities.includes(priority)));
    return goal === undefined ? undefined : parseDuration(goal.target, charter.calendar);
  };
  const analysis = createAnalysis({ calendar: coreCalendar(charter.calendar), workflow: { states: charter.workflow }, slaTargetMs });
  const keys: string[] = [];
  let truncated = false;
  const jql = `project = "${projectKey}" AND updated >= -${days}d ORDER BY updated DESC`;
  for await (const i of deps.jira.searchAll({ jql, fields: ['updated'], maxResults: DASHBOARD_MAX_ISSUES })) {
    if (keys.length === DASHBOARD_MAX_ISSUES) {
      truncated = true;
      break;
    }
    if (i.key) keys.push(i.key);
  }
  for (const key of keys) {
    const issue = await readIssue(deps.jira, key, charter);
    analysis.addHints(issue.hints);
    analysis.add(issue.record);
  }
  return { projectKey, days, issues: keys.length, truncated, generatedAt: deps.now(), kpis: analysis.result() };
}
