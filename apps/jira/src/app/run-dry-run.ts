import { jqlTimeFor } from './jql-time.ts';
import type { DryRunResult } from '../contracts/dry-run.ts';
import type { Charter } from '../contracts/charter.ts';
import { factsAt } from '../domain/facts-at.ts';
import { gateDecision } from '../domain/gate.ts';
import { slaClocks } from '../domain/sla.ts';
import { watchdogDecisions } from '../domain/watchdog-rules.ts';
import type { AppDeps } from './app-deps.ts';
import { utcDay } from './audit-entry.ts';
import { charterFor } from './charter-for.ts';
import { readIssue } from './read-issue.ts';

const SAMPLE_MS = 3_600_000;
const MAX_ISSUES = 200;
export const dryRunKey = (runId: string): string => `dryrun:${runId}`;

/**
 * Replays the last N days of a project through the charter, as if the agent had been on: samples
 * every issue's past hourly, collects the watchdog's decisions and what the charter would have done
 * with each (act, suggest, defer, drop). Reads only; writes nothing to Jira.
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
    status: 'running',
    issues: 0,
    unassignedAtCreation: 0,
    decisions: [],
    counts: {},
  };
  await deps.storage.putJson(dryRunKey(req.runId), result);
  try {
    const keys: string[] = [];
    const jql = `project = "${req.projectKey}" AND updated >= "${(await jqlTimeFor(deps.jira))(from)}" ORDER BY created ASC`;
    for await (const i of deps.jira.searchAll({ jql, fields: ['created'], maxResults: 100 })) {
      if (i.key) keys.push(i.key);
      if (keys.length >= MAX_ISSUES) break;
    }
    const seen = new Set<string>();
    const nudges = new Map<string, number>();
    for (const key of keys) {
      const issue = await readIssue(deps.jira, key, charter);
      result.issues++;
      if (
        issue.created >= from &&
        (issue.assigneeChanges[0]?.at ?? Infinity) > issue.created + 60_000 &&
        factsAt(issue, issue.created)?.assignee === null
      ) {
        result.unassignedAtCreation++;
      }
      for (let t = Math.max(from, issue.created); t <= now; t += SAMPLE_MS) {
        const past = factsAt(issue, t);
        if (!past) continue;
        for (const d of watchdogDecisions(past, slaClocks(past, charter, t), charter, t)) {
          if (seen.has(d.key)) continue;
          const dayKey = `${d.issueKey}:${utcDay(t)}`;
          const gate = gateDecision(d, charter, { now: t, nudgesToday: nudges.get(dayKey) ?? 0 });
          if (gate.verdict === 'defer') continue; // it would be tried again later: sample on
          seen.add(d.key);
          if (gate.verdict === 'act' && (d.kind === 'nudge' || d.kind === 'escalate' || d.kind === 'comment'))
            nudges.set(dayKey, (nudges.get(dayKey) ?? 0) + 1);
          result.decisions.push({
            key: d.key,
            issueKey: d.issueKey,
            pattern: d.pattern,
            kind: d.kind,
            at: t,
            summary: d.summary,
            verdict: gate.verdict,
          });
          const c = `${d.kind}:${gate.verdict}`;
          result.counts[c] = (result.counts[c] ?? 0) + 1;
        }
      }
    }
    result.status = 'done';
  } catch (e) {
    result.status = 'failed';
    result.error = e instanceof Error ? e.message : String(e);
  }
  // Keep the stored result inside KVS's value limit.
  const stored = { ...result, decisions: result.decisions.slice(0, 500) };
  await deps.storage.putJson(dryRunKey(req.runId), stored);
  return result;
}
