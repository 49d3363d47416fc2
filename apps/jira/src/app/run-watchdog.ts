import { jqlTimeFor } from '@baton/jira';
import { JiraNotFoundError, RateLimitedError } from '@baton/jira';
import type { AppDeps } from './app-deps.ts';
import { projectsInScope } from './charter-for.ts';
import { evaluateIssue, evaluateWatched } from './evaluate-issue.ts';
import type { Sweep, WatchdogCheckpoint } from '../contracts/watchdog-cursor.ts';
import { DUE_PAGE } from '../ports/watchdog-store.ts';
import { nextSweepPage, startSweep } from './watchdog-sweep.ts';
import { SWEEP_ALL_KEY } from './state-norms.ts';
import { missingInfoIsDue } from './missing-info.ts';
import { conciergeIsDue } from './concierge-on-change.ts';

/** JQL compares dates to the minute and search lags writes: re-read a little of the past each tick. */
export const CURSOR_OVERLAP_MS = 3 * 60_000;
/** A page with more issues than this goes to the queue instead of being evaluated inline. */
export const INLINE_LIMIT = 20;
export const FAN_OUT_BATCH = 25;
/** Stop starting new work when less than this is left of the invocation (each step takes a few calls). */
export const SAFETY_MS = 5_000;

export interface WatchdogReport {
  resumed: boolean;
  /** Issues this invocation took from the sweep's pages and from the due-time index. */
  candidates: number;
  evaluated: string[];
  fannedOut: number;
  complete: boolean;
  stoppedBecause?: 'time' | 'rate-limited';
  /** The tick's JQL sweep as it stands: `open` is the first one (with Jira's approximate count). */
  sweep?: Pick<Sweep, 'kind' | 'estimated' | 'taken'>;
}

class Stop extends Error {
  constructor(readonly why: 'time' | 'rate-limited') {
    super(why);
  }
}

/**
 * One watchdog tick. The first sweeps every open issue once (the baseline that fills the due index);
 * after that, only issues updated since the cursor (JQL) plus those the due-time index says fell due,
 * so the Jira calls grow with what changed, not with the number of open issues. The sweep is paged by
 * key and checkpointed per page and per inline issue, in a value of the same few fields whatever the
 * project's size: a tick cut short by its time limit or a 429 resumes where it stopped on the next
 * tick, across as many invocations as it takes; effects are keyed, so nothing repeats.
 */
export async function runWatchdog(deps: AppDeps): Promise<WatchdogReport> {
  const { storage } = deps;
  const cursor = await storage.getCursor();
  const resumed = cursor.checkpoint !== null;
  // Until the tick has started (its first Jira calls can meet a 429), an empty checkpoint.
  let cp: WatchdogCheckpoint = cursor.checkpoint ?? {
    tickStartedAt: deps.now(),
    sweep: null,
    page: null,
    duePending: false,
  };
  const report: WatchdogReport = { resumed, candidates: 0, evaluated: [], fannedOut: 0, complete: false };
  const save = async (next: WatchdogCheckpoint): Promise<void> => {
    cp = next;
    await storage.setCursor({ since: cursor.since, checkpoint: next });
  };
  const withSweep = (): WatchdogReport =>
    cp.sweep === null
      ? report
      : { ...report, sweep: { kind: cp.sweep.kind, estimated: cp.sweep.estimated, taken: cp.sweep.taken } };
  const checkTime = (): void => {
    if (deps.remainingMs() < SAFETY_MS) throw new Stop('time');
  };
  const evaluate = async (key: string, watched: boolean): Promise<void> => {
    checkTime();
    try {
      // Unchanged issues whose clock or idle time fell due: core's watchdog over the stored WatchCase;
      // one whose missing-information step or held update fell due is read from Jira (missing-info.ts:
      // readiness again; concierge-on-change.ts: the update proposed again).
      const loop =
        watched &&
        ((await missingInfoIsDue(storage, key, deps.now())) || (await conciergeIsDue(storage, key, deps.now())));
      await (loop
        ? evaluateIssue(deps, key, { route: false })
        : watched
          ? evaluateWatched(deps, key)
          : evaluateIssue(deps, key));
    } catch (e) {
      if (!(e instanceof JiraNotFoundError)) throw e;
      await storage.setDue(key, null); // deleted or moved out of reach
    }
    report.evaluated.push(key);
  };

  try {
    if (cursor.checkpoint === null) await save(await startTick(deps, cursor.since));
    for (;;) {
      if (cp.page !== null) {
        const done = new Set(cp.page.done);
        for (const key of cp.page.keys.filter((k) => !done.has(k))) {
          await evaluate(key, false);
          done.add(key);
          await save({ ...cp, page: { keys: cp.page.keys, done: [...done] } });
        }
        await save({ ...cp, page: null });
      } else if (cp.sweep !== null) {
        checkTime();
        const page = await nextSweepPage(deps.jira, cp.sweep);
        if (page === null) {
          await save({ ...cp, sweep: null });
          continue;
        }
        report.candidates += page.keys.length;
        const sweep = page.sweep.project < page.sweep.projects.length ? page.sweep : null;
        if (page.keys.length > INLINE_LIMIT) {
          const batches = [];
          for (let i = 0; i < page.keys.length; i += FAN_OUT_BATCH)
            batches.push({
              kind: 'evaluate' as const,
              keys: page.keys.slice(i, i + FAN_OUT_BATCH),
              reason: 'watchdog',
            });
          // Pushed before the checkpoint moves: an invocation cut between the two pushes the page again (keyed, harmless).
          await deps.queue.push(batches);
          report.fannedOut += batches.length;
          await save({ ...cp, sweep });
        } else await save({ ...cp, sweep, page: { keys: page.keys, done: [] } });
      } else if (cp.duePending) {
        // Every evaluation moves its row past `now` (or removes it), so the query shrinks to nothing;
        // the index itself is the checkpoint.
        checkTime();
        const rows = await storage.dueBefore(cp.tickStartedAt + 1, DUE_PAGE);
        const seen = new Set(report.evaluated);
        const fresh = rows.filter((r) => !seen.has(r.issueKey));
        report.candidates += fresh.length;
        // A row that stays due after its evaluation would come back forever: leave it for the next tick.
        if (fresh.length === 0) await save({ ...cp, duePending: false });
        for (const r of fresh) await evaluate(r.issueKey, true);
      } else break;
    }
  } catch (e) {
    if (e instanceof Stop) return { ...withSweep(), stoppedBecause: e.why };
    if (e instanceof RateLimitedError) return { ...withSweep(), stoppedBecause: 'rate-limited' };
    throw e;
  }
  await storage.setCursor({ since: cp.tickStartedAt, checkpoint: null });
  return { ...report, complete: true };
}

/**
 * A new tick: the sweep over the projects in scope (the first of open issues, or of what changed), then
 * the due index. Every open issue is swept again when something asked for it (`SWEEP_ALL_KEY`: norms
 * that got shorter make due times computed under the old ones too late); the request is taken once.
 */
async function startTick(deps: AppDeps, since: number | null): Promise<WatchdogCheckpoint> {
  const tickStartedAt = deps.now();
  const projects = await projectsInScope(deps.storage);
  if (projects.length === 0) return { tickStartedAt, sweep: null, page: null, duePending: false };
  const sweepAll = (await deps.storage.getJson(SWEEP_ALL_KEY)) !== undefined;
  if (sweepAll) await deps.storage.deleteJson(SWEEP_ALL_KEY);
  const updatedSince = since === null || sweepAll ? null : (await jqlTimeFor(deps.jira))(since - CURSOR_OVERLAP_MS);
  return { tickStartedAt, sweep: await startSweep(deps.jira, projects, updatedSince), page: null, duePending: true };
}
