import type { DailyReport } from '../contracts/daily-report.ts';
import { IssueStateSchema, ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { trustScore } from '../domain/trust-score.ts';
import type { AppDeps } from './app-deps.ts';

/**
 * The daily operational report for a project: what the agent saw and did in the last 24 hours,
 * which clocks are at risk or breached, and who must act next (pending suggestions).
 */
export async function dailyReport(deps: AppDeps, projectKey: string): Promise<DailyReport> {
  const now = deps.now();
  const since = now - 86_400_000;
  const { entries } = await deps.storage.queryAudit({ since, limit: 100 });
  const mine = entries.filter((e) => e.issueKey.startsWith(`${projectKey}-`));
  const atRisk: DailyReport['atRisk'] = [];
  const mustActNext: DailyReport['mustActNext'] = [];
  const jql = `project = "${projectKey}" AND statusCategory != Done ORDER BY updated DESC`;
  let n = 0;
  for await (const issue of deps.jira.searchAll({
    jql,
    fields: ['assignee'],
    properties: [ISSUE_STATE_PROPERTY],
    maxResults: 100,
  })) {
    if (++n > 200) break;
    const state = IssueStateSchema.safeParse(issue.properties?.[ISSUE_STATE_PROPERTY]);
    if (!state.success) continue;
    for (const c of state.data.sla)
      if (c.state === 'at-risk' || c.state === 'breached')
        atRisk.push({ issueKey: state.data.issueKey, goal: c.goal, state: c.state, dueAt: c.dueAt });
    const assignee =
      (issue.fields?.assignee as { displayName?: string } | null | undefined)?.displayName ?? 'the team lead';
    for (const s of state.data.suggestions)
      mustActNext.push({ issueKey: state.data.issueKey, who: assignee, why: s.summary });
  }
  return {
    projectKey,
    generatedAt: now,
    changed: mine.map((e) => ({ issueKey: e.issueKey, what: `${e.kind}: ${e.outcome}` })),
    atRisk,
    mustActNext,
    trust: trustScore(mine),
  };
}
