import { jqlTimeFor } from '@baton/jira';
import { createAnalysis } from '@baton/core/analysis';
import { compileCharter, goalsFor, startOfLocalDay } from '@baton/core';
import type { Calendar, CaseRecord, StateCategoryHints } from '@baton/core';
import type { Costs } from '@baton/core/analysis';
import { JiraNotFoundError, RateLimitedError } from '@baton/jira';
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { Charter } from '@baton/core';
import { DashboardProgressSchema } from '../contracts/dashboard.ts';
import type { Dashboard, DashboardProgress } from '../contracts/dashboard.ts';
import type { DashboardStore } from '../ports/dashboard-store.ts';
import type { RecordStore } from '../ports/record-store.ts';
import type { DashboardWorkItem } from '../contracts/work-item.ts';
import type { AppDeps } from './app-deps.ts';
import { charterFor } from './charter-for.ts';
import { readIssue } from './read-issue.ts';
import { statusDirectory } from './status-directory.ts';

/** Issues per JQL page, and per checkpoint: a redelivered or continued item redoes at most one page. */
export const DASHBOARD_PAGE_SIZE = 50;
/**
 * A step starts another page only with this much of the consumer's 900 s left: a page is 50 issue
 * reads (plus bulk changelog calls), each of which may wait out a Retry-After of up to 10 s.
 */
export const DASHBOARD_STEP_RESERVE_MS = 240_000;
/** A refresh that has not moved for this long is presumed lost (its queue item dropped): a new one may start. */
export const DASHBOARD_STALE_MS = 30 * 60_000;
/** Progress is written every this many issues inside a page, so the page's counter moves. */
const PROGRESS_EVERY = 10;

const key = {
  run: (projectKey: string) => `dashboard:${projectKey}:run`,
  page: (projectKey: string, runId: string, page: number) => `dashboard:${projectKey}:${runId}:page:${page}`,
};

/** What a refresh keeps between steps: the progress the page sees plus where the search resumes. */
const RunSchema = DashboardProgressSchema.extend({
  /** The window's start, fixed when the refresh started: continuing steps search the same window. */
  from: z.number(),
  /** Search position after `pagesDone` pages; null before the first page and after the last. */
  nextPageToken: z.string().nullable(),
  /** Issues in the finished pages (`issuesRead` also counts the page being read). */
  committed: z.number().int(),
});
type Run = z.infer<typeof RunSchema>;

/** One finished page: its issues as core's case records, and the status categories Jira gave. */
const PageSchema = z.object({
  records: z.array(z.custom<CaseRecord>((v) => typeof v === 'object' && v !== null)),
  hints: z.array(z.tuple([z.string(), z.enum(['new', 'indeterminate', 'done'])])),
});
type Page = z.infer<typeof PageSchema>;

async function getRun(storage: RecordStore, projectKey: string): Promise<Run | undefined> {
  const r = RunSchema.safeParse(await storage.getJson(key.run(projectKey)));
  return r.success ? r.data : undefined;
}

const saveRun = (storage: RecordStore, run: Run): Promise<void> =>
  storage.putJson(key.run(run.projectKey), RunSchema.parse(run));

/** The last computed dashboard of a project, or null when none was computed yet. */
export const lastDashboard = async (storage: DashboardStore, projectKey: string): Promise<Dashboard | null> =>
  (await storage.getDashboard(projectKey)) ?? null;

/**
 * The project's current or last refresh as the page sees it, or null when none ever started. A refresh
 * that has not moved for `DASHBOARD_STALE_MS` (its queue item lost after the platform's retries) is
 * shown as failed, so the page offers Refresh again instead of waiting for ever.
 */
export async function dashboardProgress(
  storage: RecordStore,
  projectKey: string,
  now: number,
): Promise<DashboardProgress | null> {
  const run = await getRun(storage, projectKey);
  if (run === undefined) return null;
  if ((run.status === 'queued' || run.status === 'running') && now - run.updatedAt >= DASHBOARD_STALE_MS) {
    return DashboardProgressSchema.parse({
      ...run,
      status: 'failed',
      error: `the refresh stopped without finishing (no progress for ${DASHBOARD_STALE_MS / 60_000} minutes): press Refresh to start again`,
    });
  }
  return DashboardProgressSchema.parse(run);
}

/**
 * Starts a refresh of the project's dashboard on the queue, or joins the one already running for the
 * same window (two admins pressing Refresh start one analysis). Returns the refresh's progress.
 */
export async function startDashboardRefresh(
  deps: AppDeps,
  projectKey: string,
  days: number,
  options: { readonly goLive?: string; readonly costs?: Costs } = {},
): Promise<DashboardProgress> {
  const { goLive, costs } = options;
  const now = deps.now();
  const current = await getRun(deps.storage, projectKey);
  if (
    current !== undefined &&
    (current.status === 'queued' || current.status === 'running') &&
    current.days === days &&
    current.goLive === goLive &&
    JSON.stringify(current.costs) === JSON.stringify(costs) &&
    now - current.updatedAt < DASHBOARD_STALE_MS
  ) {
    return DashboardProgressSchema.parse(current);
  }
  const run: Run = {
    runId: randomUUID(),
    projectKey,
    days,
    ...(goLive === undefined ? {} : { goLive }),
    ...(costs === undefined ? {} : { costs }),
    status: 'queued',
    issuesRead: 0,
    pagesDone: 0,
    startedAt: now,
    updatedAt: now,
    from: now - days * 86_400_000,
    nextPageToken: null,
    committed: 0,
  };
  await saveRun(deps.storage, run);
  await deps.queue.push([{ kind: 'dashboard', runId: run.runId, projectKey, page: 0 }]);
  return DashboardProgressSchema.parse(run);
}

/** Case records keep what core's analysis reads: the title and description stay in Jira. */
function forAnalysis(record: CaseRecord): CaseRecord {
  const { title: _title, description: _description, ...kept } = record;
  return kept;
}

/**
 * The instant a go-live date starts: midnight in the calendar's time zone, the team's day (before,
 * 00:00 UTC: in Berlin an issue opened at 00:30 on the go-live day counted as before it).
 */
export function goLiveAt(goLive: string, calendar: Calendar): number {
  const at = startOfLocalDay(calendar, goLive);
  // GoLiveSchema admits only dates that exist, so this is a programmer error.
  if (at === undefined) throw new Error(`go-live date ${goLive} is not a date`);
  return at;
}

/**
 * Core's analysis with the project's calendar, workflow map and SLA goals, and the issues split at the
 * go-live date when one is set (`kpis.cohorts`, with bootstrap intervals and a rank test).
 */
function analysisFor(charter: Charter, goLive?: string, costs?: Costs) {
  const compiled = compileCharter(charter);
  // The first goal that applies to the case (core's `goalsFor`, in the charter's order).
  const slaTargetMs = (record: CaseRecord): number | undefined => goalsFor(compiled, record)[0]?.targetMs;
  return createAnalysis({
    calendar: compiled.calendar,
    workflow: { states: charter.workflow.states },
    slaTargetMs,
    ...(goLive === undefined ? {} : { cohort: goLiveAt(goLive, compiled.calendar) }),
    ...(costs === undefined ? {} : { costs }),
  });
}

/**
 * Core's coordination analysis over pages of case records, in the order they were read: the same
 * KPIs `baton analyze` computes, with the charter's calendar, workflow map and SLA goals.
 */
export function analysePages(
  charter: Charter,
  pages: readonly Page[],
  goLive?: string,
  costs?: Costs,
): Dashboard['kpis'] {
  const analysis = analysisFor(charter, goLive, costs);
  for (const p of pages) {
    analysis.addHints(new Map(p.hints) as StateCategoryHints);
    for (const r of p.records) analysis.add(r);
  }
  return analysis.result();
}

/**
 * One step of a refresh (a `dashboard` queue item): reads pages of the project's issues updated in
 * the window (JQL with `nextPageToken`, each issue with its whole changelog), stores each finished
 * page and the search position in KVS, and goes on while the invocation has time; then pushes the
 * next step. The last step analyses every stored page and stores the result with when it was
 * computed. A stale or duplicate delivery (another refresh started, or this page already done)
 * does nothing; a copy running at the same time stops at its next write once the other has moved
 * the refresh on (each write first checks the stored refresh is still at this step's page). A long
 * `Retry-After` from Jira is rethrown for the queue to redeliver the same step after it; the
 * progress says so meanwhile.
 */
export async function runDashboardStep(deps: AppDeps, item: DashboardWorkItem): Promise<DashboardProgress | undefined> {
  const run = await getRun(deps.storage, item.projectKey);
  if (
    run === undefined ||
    run.runId !== item.runId ||
    run.pagesDone !== item.page ||
    run.status === 'done' ||
    run.status === 'failed'
  )
    return undefined;
  const charter = await charterFor(deps.storage, item.projectKey);
  const stamp = (await jqlTimeFor(deps.jira))(run.from);
  const jql = `project = "${item.projectKey}" AND updated >= "${stamp}" ORDER BY created ASC`;
  run.status = 'running';
  run.issuesRead = run.committed;
  run.updatedAt = deps.now();
  delete run.note;
  const statuses = statusDirectory(deps);
  try {
    for (;;) {
      const found = await deps.jira.searchJql({
        jql,
        fields: ['updated'],
        maxResults: DASHBOARD_PAGE_SIZE,
        ...(run.nextPageToken === null ? {} : { nextPageToken: run.nextPageToken }),
      });
      const page: Page = { records: [], hints: [] };
      const hints: StateCategoryHints = new Map();
      for (const issue of found.issues) {
        if (!issue.key) continue;
        try {
          const facts = await readIssue(deps.jira, issue.key, charter, statuses);
          page.records.push(forAnalysis(facts.record));
          for (const [s, c] of facts.hints) if (!hints.has(s)) hints.set(s, c);
        } catch (e) {
          // Deleted since the search: not part of the window any more.
          if (!(e instanceof JiraNotFoundError)) throw e;
          continue;
        }
        run.issuesRead = run.committed + page.records.length;
        if (page.records.length % PROGRESS_EVERY === 0) {
          if (!(await stillAt(deps.storage, run))) return undefined;
          await saveRun(deps.storage, { ...run, updatedAt: deps.now() });
        }
      }
      page.hints = [...hints];
      // At-least-once: a copy of this step may have finished this page (or the whole refresh) meanwhile.
      if (!(await stillAt(deps.storage, run))) return undefined;
      await deps.storage.putLargeJson(key.page(item.projectKey, run.runId, run.pagesDone), page);
      const last = found.isLast === true || !found.nextPageToken;
      Object.assign(run, {
        pagesDone: run.pagesDone + 1,
        committed: run.committed + page.records.length,
        nextPageToken: last ? null : found.nextPageToken,
        updatedAt: deps.now(),
      });
      run.issuesRead = run.committed;
      await saveRun(deps.storage, run);
      if (last) return await finish(deps, run, charter);
      if (deps.remainingMs() < DASHBOARD_STEP_RESERVE_MS) {
        await deps.queue.push([
          { kind: 'dashboard', runId: run.runId, projectKey: item.projectKey, page: run.pagesDone },
        ]);
        return DashboardProgressSchema.parse(run);
      }
    }
  } catch (e) {
    if (e instanceof RateLimitedError) {
      if (await stillAt(deps.storage, run))
        await saveRun(deps.storage, {
          ...run,
          issuesRead: run.committed,
          note: `Jira asked Baton to slow down: resuming in ${e.retryAfter ?? 30} s`,
          updatedAt: deps.now(),
        });
      throw e;
    }
    const stored = await getRun(deps.storage, run.projectKey);
    if (stored?.runId === run.runId && stored.status === 'done') return DashboardProgressSchema.parse(stored); // another copy finished it
    const failed: Run = {
      ...run,
      status: 'failed',
      error: e instanceof Error ? e.message : String(e),
      updatedAt: deps.now(),
    };
    await saveRun(deps.storage, failed);
    return DashboardProgressSchema.parse(failed);
  }
}

/** Whether the stored refresh is still the one this step holds, at the same page (no other copy moved it on). */
async function stillAt(storage: RecordStore, run: Run): Promise<boolean> {
  const stored = await getRun(storage, run.projectKey);
  return (
    stored !== undefined &&
    stored.runId === run.runId &&
    stored.pagesDone === run.pagesDone &&
    stored.status !== 'done' &&
    stored.status !== 'failed'
  );
}

async function finish(deps: AppDeps, run: Run, charter: Charter): Promise<DashboardProgress> {
  const pages: Page[] = [];
  for (let i = 0; i < run.pagesDone; i++) {
    const page = PageSchema.safeParse(await deps.storage.getLargeJson(key.page(run.projectKey, run.runId, i)));
    if (!page.success) {
      // A copy of this step finished first and removed the pages: its result stands.
      const stored = await getRun(deps.storage, run.projectKey);
      if (stored?.runId === run.runId && stored.status === 'done') return DashboardProgressSchema.parse(stored);
      throw new Error(`dashboard refresh ${run.runId}: page ${i} is missing from storage`);
    }
    pages.push(page.data);
  }
  const dashboard: Dashboard = {
    projectKey: run.projectKey,
    days: run.days,
    ...(run.goLive === undefined ? {} : { goLive: run.goLive }),
    runId: run.runId,
    issues: run.committed,
    generatedAt: deps.now(),
    kpis: analysePages(charter, pages, run.goLive, run.costs),
  };
  await deps.storage.putDashboard(dashboard);
  const done: Run = { ...run, status: 'done', updatedAt: dashboard.generatedAt };
  await saveRun(deps.storage, done);
  for (let i = 0; i < run.pagesDone; i++) await deps.storage.deleteLargeJson(key.page(run.projectKey, run.runId, i));
  return DashboardProgressSchema.parse(done);
}
