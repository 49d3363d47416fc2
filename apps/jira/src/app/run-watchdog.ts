import { jqlTimeFor } from './jql-time.ts';
import { JiraNotFoundError, RateLimitedError } from '@baton/jira';
import type { AppDeps } from './app-deps.ts';
import { projectsInScope } from './charter-for.ts';
import { evaluateIssue, evaluateWatched } from './evaluate-issue.ts';

/** JQL compares dates to the minute and search lags writes: re-read a little of the past each tick. */
export const CURSOR_OVERLAP_MS = 3 * 60_000;
/** More changed issues than this in one tick go to the queue instead of being handled inline. */
export const INLINE_LIMIT = 20;
export const FAN_OUT_BATCH = 25;
/** Stop starting new issues when less than this is left of the invocation (each takes a few calls). */
export const SAFETY_MS = 5_000;
const TICK_MS = 5 * 60_000;

export interface WatchdogReport {
  resumed: boolean;
  candidates: number;
  evaluated: string[];
  fannedOut: number;
  complete: boolean;
  stoppedBecause?: 'time' | 'rate-limited';
}

/**
 * One watchdog tick. Incremental: after a first baseline sweep of open issues, only issues updated since the cursor (JQL) plus issues whose
 * clocks cross a threshold before the next tick (the due index), so the Jira calls grow with what
 * changed, not with the number of open issues. Checkpointed after every issue: a tick cut short
 * by the time limit or a 429 resumes where it stopped, and effects are keyed, so nothing repeats.
 */
export async function runWatchdog(deps: AppDeps): Promise<WatchdogReport> {
  const { storage, jira } = deps;
  const cursor = await storage.getCursor();
  let cp = cursor.checkpoint;
  const resumed = cp !== null;
  if (cp === null) {
    const tickStartedAt = deps.now();
    const projects = await projectsInScope(storage);
    const keys = new Set<string>();
    const dueOnly = new Set<string>();
    if (projects.length > 0) {
      const inProjects = `project in (${projects.map((p) => `"${p}"`).join(', ')})`;
      // The first tick sweeps every open issue once (the baseline that fills the due index);
      // after that only what changed since the cursor.
      const jql =
        cursor.since === null
          ? `${inProjects} AND statusCategory != Done ORDER BY updated ASC`
          : `${inProjects} AND updated >= "${(await jqlTimeFor(jira))(cursor.since - CURSOR_OVERLAP_MS)}" ORDER BY updated ASC`;
      for await (const issue of jira.searchAll({ jql, fields: ['updated'], maxResults: 100 }))
        if (issue.key) keys.add(issue.key);
      const changed = new Set(keys);
      for (const d of await storage.dueBefore(tickStartedAt + TICK_MS, 500)) {
        keys.add(d.issueKey);
        if (!changed.has(d.issueKey)) dueOnly.add(d.issueKey);
      }
    }
    cp = { tickStartedAt, keys: [...keys].sort(), done: [], dueOnly: [...dueOnly].sort() };
    await storage.setCursor({ since: cursor.since, checkpoint: cp });
  }
  const report: WatchdogReport = { resumed, candidates: cp.keys.length, evaluated: [], fannedOut: 0, complete: false };
  const done = new Set(cp.done);
  const pending = cp.keys.filter((k) => !done.has(k));
  const watched = new Set(cp.dueOnly);

  if (pending.length > INLINE_LIMIT) {
    const batches = [];
    for (let i = 0; i < pending.length; i += FAN_OUT_BATCH)
      batches.push({ kind: 'evaluate' as const, keys: pending.slice(i, i + FAN_OUT_BATCH), reason: 'watchdog' });
    await deps.queue.push(batches);
    report.fannedOut = batches.length;
  } else {
    for (const key of pending) {
      if (deps.remainingMs() < SAFETY_MS) return { ...report, stoppedBecause: 'time' };
      try {
        // Unchanged issues whose clock or idle time fell due: core's watchdog over the stored WatchCase.
        await (watched.has(key) ? evaluateWatched(deps, key) : evaluateIssue(deps, key));
      } catch (e) {
        if (e instanceof RateLimitedError) return { ...report, stoppedBecause: 'rate-limited' };
        if (!(e instanceof JiraNotFoundError)) throw e;
        await storage.setDue(key, null); // deleted or moved out of reach
      }
      done.add(key);
      report.evaluated.push(key);
      await storage.setCursor({ since: cursor.since, checkpoint: { ...cp, done: [...done] } });
    }
  }
  await storage.setCursor({ since: cp.tickStartedAt, checkpoint: null });
  return { ...report, complete: true };
}
