import { compileCharter, traitsOf } from '@baton/core';
import { ALL_REPLAY_PATTERNS, createReplayEngine, replayTimeline } from '@baton/core/replay';
import type { CaseEvent, CaseRecord, Charter, Decision } from '@baton/core';
import { jqlTimeFor } from '@baton/jira';
import type { DryRunResult } from '../contracts/dry-run.ts';
import { factsAt } from './facts-at.ts';
import type { AppDeps } from './app-deps.ts';
import { charterFor } from './charter-for.ts';
import { readIssue } from './read-issue.ts';
import { statusDirectory } from './status-directory.ts';

/** Business time between clock ticks: `baton replay`'s default `--tick 1h`. */
const TICK_MS = 3_600_000;
const MAX_ISSUES = 200;
/** Decisions kept in the stored result (KVS's value limit); `counts` count them all. */
const MAX_STORED = 500;
export const dryRunKey = (runId: string): string => `dryrun:${runId}`;

/** One decision of the replay as the dry run shows it. */
export const dryRunDecision = (d: Decision): DryRunResult['decisions'][number] => ({
  key: d.idempotencyKey,
  issueKey: d.caseId,
  pattern: d.pattern,
  rule: d.rule,
  ...(d.source === undefined ? {} : { source: d.source }),
  kind: d.actions.map((a) => a.kind).join('+'),
  at: d.at,
  summary: d.actions.map((a) => traitsOf(a).summary).join(' + '),
  verdict: d.disposition,
  dispositionRule: d.dispositionRule,
});

/**
 * Replays the project's history through the charter with core's replay engine, as `baton replay`
 * does with the same charter: every pattern at each event and on an
 * hourly business-time tick, every proposal through the charter's gate with the caps as they stood
 * then. The issues updated in the last N days are read whole (changelog and comments, in creation
 * order, like `baton pull`); the decisions made in those N days are what the agent would have done.
 * Reads only; writes nothing to Jira.
 */
export async function runDryRun(
  deps: AppDeps,
  req: { runId: string; projectKey: string; days: number; charter?: Charter },
): Promise<DryRunResult> {
  const now = deps.now();
  const from = now - req.days * 86_400_000;
  const charter = req.charter ?? (await charterFor(deps.storage, req.projectKey));
  const result: DryRunResult = {
    runId: req.runId,
    projectKey: req.projectKey,
    days: req.days,
    from,
    status: 'running',
    issues: 0,
    unassignedAtCreation: 0,
    decisions: [],
    counts: [],
  };
  await deps.storage.putJson(dryRunKey(req.runId), result);
  try {
    const keys: string[] = [];
    const jql = `project = "${req.projectKey}" AND updated >= "${(await jqlTimeFor(deps.jira))(from)}" ORDER BY created ASC`;
    for await (const i of deps.jira.searchAll({ jql, fields: ['created'], maxResults: 100 })) {
      if (i.key) keys.push(i.key);
      if (keys.length >= MAX_ISSUES) break;
    }
    const cases: CaseRecord[] = [];
    for (const key of keys) {
      const issue = await readIssue(deps.jira, key, charter, statusDirectory(deps));
      result.issues++;
      if (
        issue.created >= from &&
        (issue.assigneeChanges[0]?.at ?? Infinity) > issue.created + 60_000 &&
        factsAt(issue, issue.created)?.assignee === null
      ) {
        result.unassignedAtCreation++;
      }
      cases.push(issue.record);
    }
    const compiled = compileCharter(charter);
    const engine = createReplayEngine({ charter: compiled, patterns: ALL_REPLAY_PATTERNS });
    for (const c of cases) engine.addCase(c);
    // All cases' events merged by time; ties keep the order the issues were read in.
    const timeline: CaseEvent[] = cases.flatMap((c) => c.events).sort((a, b) => a.at - b.at);
    for (const step of replayTimeline(engine, timeline, { calendar: compiled.calendar, tickMs: TICK_MS })) {
      for (const d of step.decisions) {
        if (d.at < from) continue;
        const row = dryRunDecision(d);
        result.decisions.push(row);
        const c = result.counts.find(
          (x) => x.pattern === row.pattern && x.kind === row.kind && x.verdict === row.verdict,
        );
        if (c === undefined) result.counts.push({ pattern: d.pattern, kind: row.kind, verdict: row.verdict, n: 1 });
        else c.n++;
      }
    }
    result.status = 'done';
  } catch (e) {
    result.status = 'failed';
    result.error = e instanceof Error ? e.message : String(e);
  }
  await deps.storage.putJson(dryRunKey(req.runId), { ...result, decisions: result.decisions.slice(0, MAX_STORED) });
  return result;
}
