import {
  buildDailyReport,
  createWorkflowResolver,
  type CaseRecord,
  type Charter,
  type DailyReport as CoreDailyReport,
  type SlaRisk,
  type StateCategoryHints,
} from '@baton/core';
import { JiraNotFoundError, jqlTimeFor } from '@baton/jira';
import { IssueStateSchema, ISSUE_STATE_PROPERTY, slaRiskOf } from '@baton/jira/issue-state';
import type { AppDeps } from './app-deps.ts';
import { charterFor } from './charter-for.ts';
import { readIssue } from './read-issue.ts';
import { statusDirectory } from './status-directory.ts';

export const DAY_MS = 86_400_000;
/** Issues read per project for a report (each with its changelog): the busiest 100 of the day. */
export const REPORT_ISSUES_PER_PROJECT = 100;

/** What a project's report is built from: its cases over the window, the workflow hints Jira gave, its charter. */
export interface ProjectCases {
  readonly projectKey: string;
  readonly charter: Charter;
  readonly records: CaseRecord[];
  readonly hints: StateCategoryHints;
  /** The worst SLA clock of each case now, from the `baton.state` property the app writes. */
  readonly sla: ReadonlyMap<string, SlaRisk>;
}

/**
 * One project's cases for a report over (`from`, now]: a JQL query of that project alone (open issues
 * and those updated since `from`, busiest first), each issue read with its whole changelog. An issue
 * deleted meanwhile is left out.
 */
export async function projectCases(deps: AppDeps, projectKey: string, from: number): Promise<ProjectCases> {
  const charter = await charterFor(deps.storage, projectKey);
  const since = (await jqlTimeFor(deps.jira))(from);
  const jql = `project = "${projectKey}" AND (statusCategory != Done OR updated >= "${since}") ORDER BY updated DESC`;
  const found = await deps.jira.searchJql({
    jql,
    fields: ['updated'],
    properties: [ISSUE_STATE_PROPERTY],
    maxResults: REPORT_ISSUES_PER_PROJECT,
  });
  const records: CaseRecord[] = [];
  const hints: StateCategoryHints = new Map();
  const sla = new Map<string, SlaRisk>();
  const statuses = statusDirectory(deps);
  for (const issue of found.issues) {
    if (!issue.key) continue;
    const state = IssueStateSchema.safeParse(issue.properties?.[ISSUE_STATE_PROPERTY]);
    if (state.success) sla.set(issue.key, slaRiskOf(state.data.sla));
    try {
      const facts = await readIssue(deps.jira, issue.key, charter, statuses);
      records.push(facts.record);
      for (const [s, c] of facts.hints) if (!hints.has(s)) hints.set(s, c);
    } catch (e) {
      if (!(e instanceof JiraNotFoundError)) throw e;
    }
  }
  return { projectKey, charter, records, hints, sla };
}

/**
 * Core's daily report (what changed, what is at risk, who acts next) over cases read by `projectCases`,
 * for the 24 hours up to `to`. SLA risk is the app's clocks' verdict now; at the window's start it is
 * taken as it was not known (`none`), so a clock that turned at-risk shows as a change.
 */
export function reportOf(cases: readonly ProjectCases[], to: number): CoreDailyReport {
  const hints: StateCategoryHints = new Map();
  let states = {};
  const sla = new Map<string, SlaRisk>();
  for (const c of cases) {
    states = { ...states, ...c.charter.workflow.states };
    for (const [s, k] of c.hints) if (!hints.has(s)) hints.set(s, k);
    for (const [k, v] of c.sla) sla.set(k, v);
  }
  return buildDailyReport(
    cases.flatMap((c) => c.records),
    {
      from: to - DAY_MS,
      to,
      resolve: createWorkflowResolver({ states }, hints),
      slaAt: (caseId, at) => (at === to ? (sla.get(caseId) ?? 'none') : 'none'),
    },
  );
}

/** One project's daily report now: per-project queries, core's `buildDailyReport`. */
export async function projectDailyReport(
  deps: AppDeps,
  projectKey: string,
): Promise<{ report: CoreDailyReport; cases: ProjectCases }> {
  const to = deps.now();
  const cases = await projectCases(deps, projectKey, to - DAY_MS);
  return { report: reportOf([cases], to), cases };
}
