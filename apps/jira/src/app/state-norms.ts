import { createStateNorms, StateNormsStateSchema } from '@baton/core';
import type { StateCategoryHints } from '@baton/core';
import { mapIssue } from '@baton/jira';
import * as z from 'zod';
import { compileAtRunTime, hintStates } from './run-charter.ts';
import type { StoredStateNorms } from '../contracts/state-norms.ts';
import type { RecordStore } from '../ports/record-store.ts';
import type { StateNormsStore } from '../ports/state-norms-store.ts';
import type { StateNormsWorkItem } from '../contracts/work-item.ts';
import type { AppDeps } from './app-deps.ts';
import { charterFor, projectsInScope } from './charter-for.ts';
import {
  LearningRunBaseSchema,
  getLearningRun,
  runLearningStep,
  saveLearningRun,
  startLearningRun,
  startLearningRunIfDue,
} from './learning-run.ts';
import type { LearningRunKind } from './learning-run.ts';

/**
 * The watchdog's per-state norms for a project, learned from its resolved issues: core's
 * `createStateNorms` (the p90 of business time in each status, from core's time in state) over the
 * newest resolved issues and their status changes, on the `baton-work` queue in resumable steps;
 * the result kept in app storage and relearned weekly by the daily schedule. The charter's own
 * per-state `norm` wins over a learned one (core's watchdog decides that).
 */

/** Resolved issues per JQL page (Jira's page when fields are asked for), and per checkpoint. */
export const NORMS_PAGE_SIZE = 100;
/** The newest this many resolved issues are learned from: today's pace, not the project's first year. */
export const NORMS_MAX_ISSUES = 2000;
/**
 * A step reads another page only with this much of the consumer's 900 s left: a page is one search,
 * one bulk changelog read (a few pages of it) and one write of the learner, each of which may wait out a 429.
 */
export const NORMS_RESERVE_MS = 120_000;
/** A learning run that has not moved for this long is presumed lost: a new one may start. */
export const NORMS_STALE_MS = 30 * 60_000;
/** Learned again when the stored norms are older than this (the daily schedule asks, `relearnNormsIfDue`). */
export const NORMS_RELEARN_AFTER_MS = 7 * 86_400_000;
/** The fields a resolved issue's time in state needs: its status now and when it was created (the changelog says the rest). */
const NORM_FIELDS = ['status', 'created', 'project', 'issuetype', 'priority', 'resolutiondate'];

const key = {
  run: (projectKey: string) => `state-norms:${projectKey}:run`,
  learner: (projectKey: string, runId: string) => `state-norms:${projectKey}:${runId}:learner`,
};

const RunSchema = LearningRunBaseSchema.extend({ cases: z.number().int().min(0) });
export type StateNormsRun = z.infer<typeof RunSchema>;

/** Learning norms as a learning run: its stored run, queue item and how far each step reads. */
const LEARNING: LearningRunKind<'cases'> = {
  kind: 'state-norms',
  schema: RunSchema,
  counter: 'cases',
  runKey: key.run,
  fields: NORM_FIELDS,
  pageSize: NORMS_PAGE_SIZE,
  maxIssues: NORMS_MAX_ISSUES,
  reserveMs: NORMS_RESERVE_MS,
  staleMs: NORMS_STALE_MS,
  redoAfterMs: NORMS_RELEARN_AFTER_MS,
};

/** The project's learning run as it stands (the admin's progress), or undefined when none ever started. */
export const stateNormsRun = (storage: RecordStore, projectKey: string): Promise<StateNormsRun | undefined> =>
  getLearningRun(storage, LEARNING, projectKey);

/** The project's learned norms as stored (with their sample counts), or undefined when none were learned. */
export const storedStateNorms = (storage: StateNormsStore, projectKey: string): Promise<StoredStateNorms | undefined> =>
  storage.getStateNorms(projectKey);

const loaded = new Map<string, { runId: string; norms: ReadonlyMap<string, number> }>();

/**
 * The learned norms the watchdog uses for a project's issues (business ms per lower-cased status), or
 * undefined when none were learned yet (the charter's norms and `workflow.norm` apply). The same Map
 * object while the stored norms are the same, so the watchdog prepared for them is reused.
 */
export async function stateNormsFor(
  storage: StateNormsStore,
  projectKey: string,
): Promise<ReadonlyMap<string, number> | undefined> {
  const stored = await storedStateNorms(storage, projectKey);
  if (stored === undefined) return undefined;
  const hit = loaded.get(projectKey);
  if (hit !== undefined && hit.runId === stored.runId) return hit.norms;
  const norms = new Map(stored.norms.map(([state, ms]) => [state, ms] as const));
  loaded.set(projectKey, { runId: stored.runId, norms });
  return norms;
}

/** Starts learning the project's norms on the queue, or joins the run in progress. */
export const startStateNormsLearning = (deps: AppDeps, projectKey: string, reason: string): Promise<StateNormsRun> =>
  startLearningRun(deps, LEARNING, projectKey, reason);

/**
 * One step of a learning run (a `state-norms` queue item, `runLearningStep`): reads each page's status
 * changes (`changelog/bulkfetch`, one call a page), adds each issue to core's learner (newest first, up
 * to `NORMS_MAX_ISSUES`) and stores the learner after every page. The last step stores the norms.
 */
export const runStateNormsStep = (deps: AppDeps, item: StateNormsWorkItem): Promise<StateNormsRun | undefined> =>
  runLearningStep(deps, LEARNING, item, async (run) => {
    const charter = await charterFor(deps.storage, run.projectKey);
    // Jira's categories for the project's statuses: a status the charter does not name is `done` or not by them.
    const hints: StateCategoryHints = new Map();
    for (const s of await deps.jira.projectStatuses(run.projectKey)) {
      const k = s.statusCategory.key;
      hints.set(s.name, k === 'new' || k === 'done' ? k : 'indeterminate');
    }
    const compiled = compileAtRunTime(charter, { states: hintStates(charter, hints) });
    const stored = StateNormsStateSchema.safeParse(
      await deps.storage.getLargeJson(key.learner(run.projectKey, run.runId)),
    );
    if (run.pagesDone > 0 && !stored.success)
      throw new Error(`state norms ${run.runId}: the learner of ${run.pagesDone} pages is missing from storage`);
    const learner = createStateNorms({
      calendar: compiled.calendar,
      resolve: compiled.resolve,
      ...(stored.success ? { from: stored.data } : {}),
    });
    return {
      page: async (found, run) => {
        const issues = found.slice(0, NORMS_MAX_ISSUES - run.cases);
        const changelogs =
          issues.length === 0
            ? new Map<string, unknown[]>()
            : await deps.jira.bulkChangelogs(
                issues.map((i) => i.id),
                ['status'],
              );
        let added = 0;
        for (const issue of issues) {
          const mapped = mapIssue(
            { ...issue, changelog: { histories: changelogs.get(issue.id) ?? [] } },
            { source: 'jira:forge' },
          );
          // An issue Jira returns without what a case needs (no creation time) teaches nothing: skipped, not fatal.
          if (!mapped.ok) continue;
          learner.add(mapped.value.record);
          added++;
        }
        const keep = () => deps.storage.putLargeJson(key.learner(run.projectKey, run.runId), learner.state());
        return { read: issues.length, counted: added, keep };
      },
      finish: (run) => finish(deps, run, learner.norms(), learner.samples()),
    };
  });

/**
 * Stores the learned norms; when one got shorter (or a state got its first), asks the watchdog for a
 * sweep of every open issue, since due times computed under the old norms would come too late.
 */
async function finish(
  deps: AppDeps,
  run: StateNormsRun,
  norms: ReadonlyMap<string, number>,
  samples: ReadonlyMap<string, number>,
): Promise<StateNormsRun> {
  const now = deps.now();
  const before = await storedStateNorms(deps.storage, run.projectKey);
  const old = new Map(before?.norms.map(([s, ms]) => [s, ms]) ?? []);
  const stored: StoredStateNorms = {
    projectKey: run.projectKey,
    learnedAt: now,
    runId: run.runId,
    cases: run.cases,
    norms: [...norms].sort(([a], [b]) => (a < b ? -1 : 1)).map(([s, ms]) => [s, ms, samples.get(s) ?? 1]),
  };
  await deps.storage.putStateNorms(stored);
  if ([...norms].some(([s, ms]) => ms < (old.get(s) ?? Infinity)))
    await deps.storage.putJson(SWEEP_ALL_KEY, { at: now });
  const done: StateNormsRun = { ...run, status: 'done', updatedAt: now };
  await saveLearningRun(deps.storage, LEARNING, done);
  await deps.storage.deleteLargeJson(key.learner(run.projectKey, run.runId));
  return done;
}

/** Set when the watchdog's next tick must look at every open issue again (its due times may be too late). */
export const SWEEP_ALL_KEY = 'watchdog:sweep-all';

/**
 * The schedule's question: learning for the project when it has no norms or norms older than
 * `NORMS_RELEARN_AFTER_MS`, unless a run is going. Returns the run it started, if any.
 */
export const relearnNormsIfDue = (deps: AppDeps, projectKey: string): Promise<StateNormsRun | undefined> =>
  startLearningRunIfDue(deps, LEARNING, projectKey);

/** The daily schedule's part: `relearnNormsIfDue` for every project in the charter's scope. */
export async function relearnStateNorms(deps: AppDeps): Promise<void> {
  for (const projectKey of await projectsInScope(deps.storage)) await relearnNormsIfDue(deps, projectKey);
}
