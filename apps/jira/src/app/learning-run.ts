import { RateLimitedError } from '@baton/jira';
import type { JiraIssue } from '@baton/jira';
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { RecordStore } from '../ports/record-store.ts';
import type { RouterTrainWorkItem, StateNormsWorkItem } from '../contracts/work-item.ts';
import type { AppDeps } from './app-deps.ts';

/**
 * A resumable run that learns from a project's resolved issues on the `baton-work` queue (the router
 * model's training, the watchdog's state norms): started once (or joined while one is going), read
 * page by page (JQL with `nextPageToken`, newest first) in steps that each checkpoint the search
 * position, and redone when its result is old. What a run learns, and how, is its own module's.
 */

/** The run as stored: its progress, for the steps and the admin page. */
export const LearningRunBaseSchema = z.object({
  runId: z.string(),
  projectKey: z.string(),
  reason: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  pagesDone: z.number().int().min(0),
  nextPageToken: z.string().nullable(),
  startedAt: z.number(),
  updatedAt: z.number(),
  error: z.string().optional(),
});
/** A run whose count of what it learned from is kept under `C` (`examples`, `cases`). */
export type LearningRun<C extends string> = z.infer<typeof LearningRunBaseSchema> & { [K in C]: number };

type LearningWorkItem = RouterTrainWorkItem | StateNormsWorkItem;

/** One kind of learning run: where it is stored, how it is queued, how far and how fast it reads. */
export interface LearningRunKind<C extends string> {
  /** The queue item that carries one step. */
  readonly kind: LearningWorkItem['kind'];
  /** The stored run's schema: the base plus the counter. */
  readonly schema: z.ZodType<LearningRun<C>>;
  /** The field that counts what the run learned from. */
  readonly counter: C;
  readonly runKey: (projectKey: string) => string;
  /** The issue fields a page asks for. */
  readonly fields: readonly string[];
  readonly pageSize: number;
  /** The run stops after this many issues read. */
  readonly maxIssues: number;
  /** A step reads another page only with this much of the invocation left. */
  readonly reserveMs: number;
  /** A run that has not moved for this long is presumed lost: a new one may start. */
  readonly staleMs: number;
  /** The schedule starts a new run when the last one ended this long ago. */
  readonly redoAfterMs: number;
}

/** What a step does with one page: read it, then (if the run is still its own) keep it. */
export interface PageRead {
  /** Issues read toward `maxIssues`. */
  readonly read: number;
  /** Issues the run learned from (added to its counter). */
  readonly counted: number;
  /** Stores what the page gave (the checkpoint's data); called only while the step still holds the run. */
  readonly keep: () => Promise<void>;
}

/** A step's reader, opened once per step: one page at a time, then the run's result after the last. */
export interface PageReader<C extends string> {
  readonly page: (issues: readonly JiraIssue[], run: LearningRun<C>) => Promise<PageRead>;
  readonly finish: (run: LearningRun<C>) => Promise<LearningRun<C>>;
}

/** The project's run as it stands, or undefined when none ever started (or it no longer loads). */
export async function getLearningRun<C extends string>(
  storage: RecordStore,
  spec: LearningRunKind<C>,
  projectKey: string,
): Promise<LearningRun<C> | undefined> {
  const r = spec.schema.safeParse(await storage.getJson(spec.runKey(projectKey)));
  return r.success ? r.data : undefined;
}

export const saveLearningRun = <C extends string>(
  storage: RecordStore,
  spec: LearningRunKind<C>,
  run: LearningRun<C>,
): Promise<void> => storage.putJson(spec.runKey(run.projectKey), spec.schema.parse(run));

const inProgress = (run: LearningRun<string>): boolean => run.status === 'queued' || run.status === 'running';

/**
 * Starts a run for the project on the queue, or joins the one in progress. `reason` is what asked
 * for it (the schedule, an admin, overrides), kept on the run for the admin page.
 */
export async function startLearningRun<C extends string>(
  deps: AppDeps,
  spec: LearningRunKind<C>,
  projectKey: string,
  reason: string,
): Promise<LearningRun<C>> {
  const now = deps.now();
  const current = await getLearningRun(deps.storage, spec, projectKey);
  if (current !== undefined && inProgress(current) && now - current.updatedAt < spec.staleMs) return current;
  const run = spec.schema.parse({
    runId: randomUUID(),
    projectKey,
    reason,
    status: 'queued',
    pagesDone: 0,
    nextPageToken: null,
    [spec.counter]: 0,
    startedAt: now,
    updatedAt: now,
  });
  await saveLearningRun(deps.storage, spec, run);
  await deps.queue.push([{ kind: spec.kind, runId: run.runId, projectKey, page: 0 }]);
  return run;
}

/**
 * The schedule's question: a run for the project when none ended within `redoAfterMs`, unless one
 * is going. A done run is its result's age; a failed one waits for the next period too. Returns the
 * run it started, if any.
 */
export async function startLearningRunIfDue<C extends string>(
  deps: AppDeps,
  spec: LearningRunKind<C>,
  projectKey: string,
): Promise<LearningRun<C> | undefined> {
  const now = deps.now();
  const run = await getLearningRun(deps.storage, spec, projectKey);
  if (run !== undefined) {
    if (inProgress(run) && now - run.updatedAt < spec.staleMs) return undefined;
    if (!inProgress(run) && now - run.updatedAt < spec.redoAfterMs) return undefined;
  }
  return startLearningRun(deps, spec, projectKey, 'schedule');
}

/** Whether the stored run is still the one this step holds, at the same page (no other copy moved it on). */
async function stillAt<C extends string>(
  storage: RecordStore,
  spec: LearningRunKind<C>,
  run: LearningRun<C>,
): Promise<boolean> {
  const stored = await getLearningRun(storage, spec, run.projectKey);
  return (
    stored !== undefined &&
    stored.runId === run.runId &&
    stored.pagesDone === run.pagesDone &&
    stored.status !== 'done' &&
    stored.status !== 'failed'
  );
}

/**
 * One step of a run (its queue item): reads pages of the project's resolved issues, keeps each page
 * and the search position (the checkpoint), and goes on while the invocation has `reserveMs` left;
 * then pushes the next step. After the last page (Jira's last, or `maxIssues` read) the reader's
 * `finish` gives the run's result. A stale or duplicate delivery does nothing; a `Retry-After` from
 * Jira is rethrown for the queue to redeliver the step; any other error fails the run, with its message.
 */
export async function runLearningStep<C extends string>(
  deps: AppDeps,
  spec: LearningRunKind<C>,
  item: LearningWorkItem,
  open: (run: LearningRun<C>) => Promise<PageReader<C>>,
): Promise<LearningRun<C> | undefined> {
  const run = await getLearningRun(deps.storage, spec, item.projectKey);
  if (run === undefined || run.runId !== item.runId || run.pagesDone !== item.page) return undefined;
  if (run.status === 'done' || run.status === 'failed') return undefined;
  const jql = `project = "${item.projectKey}" AND statusCategory = Done ORDER BY created DESC`;
  run.status = 'running';
  try {
    const reader = await open(run);
    for (;;) {
      const found = await deps.jira.searchJql({
        jql,
        fields: [...spec.fields],
        maxResults: spec.pageSize,
        ...(run.nextPageToken === null ? {} : { nextPageToken: run.nextPageToken }),
      });
      const page = await reader.page(found.issues, run);
      if (!(await stillAt(deps.storage, spec, run))) return undefined;
      await page.keep();
      const last = found.isLast === true || !found.nextPageToken || run[spec.counter] + page.read >= spec.maxIssues;
      Object.assign(run, {
        pagesDone: run.pagesDone + 1,
        [spec.counter]: run[spec.counter] + page.counted,
        nextPageToken: last ? null : found.nextPageToken,
        updatedAt: deps.now(),
      });
      await saveLearningRun(deps.storage, spec, run);
      if (last) return await reader.finish(run);
      if (deps.remainingMs() < spec.reserveMs) {
        await deps.queue.push([
          { kind: spec.kind, runId: run.runId, projectKey: item.projectKey, page: run.pagesDone },
        ]);
        return run;
      }
    }
  } catch (e) {
    if (e instanceof RateLimitedError) throw e;
    const failed = {
      ...run,
      status: 'failed' as const,
      error: e instanceof Error ? e.message : String(e),
      updatedAt: deps.now(),
    };
    await saveLearningRun(deps.storage, spec, failed);
    return failed;
  }
}
