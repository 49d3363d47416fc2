import {
  createJiraClient,
  fetchFromBaseUrl,
  JiraApiError,
  jiraAuthorization,
  type JiraAuth,
  type JiraClient,
  type JiraFetch,
  type JiraIssue,
} from '@baton/jira';
import { CliError, type CliIO } from '../command.ts';
import {
  appendPage,
  finishPull,
  pullFiles,
  readCheckpoint,
  resumePartial,
  startFresh,
  writeCheckpoint,
  type PullCheckpoint,
} from './pull-checkpoint.ts';
import { createPacer } from './pull-pacer.ts';

export interface PullRequest {
  /** The site's base URL, e.g. https://acme.atlassian.net. */
  readonly site: string;
  readonly jql: string;
  readonly auth: JiraAuth;
  /** The output file (`.jsonl.gz`). */
  readonly out: string;
  /** Ignore an earlier run's checkpoint and start over. */
  readonly restart?: boolean;
  /** Issues per search page (Jira may return fewer; default 100). */
  readonly pageSize?: number;
  /** Histories per bulk changelog page (default: Jira's). */
  readonly changelogPageSize?: number;
}

/** What the pull needs from the world; the command passes the real ones, tests their own. */
export interface PullDeps {
  readonly fetch: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
}

export interface PullOutcome {
  readonly resumed: boolean;
  readonly checkpoint: PullCheckpoint;
  /** Issues Jira served again that were already written (skipped). */
  readonly repeats: number;
  readonly retries: number;
}

/**
 * Pulls every issue the JQL matches, with its whole changelog (bulk changelogs, every page) and
 * every comment (the comment endpoint, every page, when the search embeds fewer than the total), into
 * a JSONL.gz of Jira REST issues that the readers take as they are. After each search page the
 * issues are appended and a checkpoint written, so a killed or failed run resumes where it stopped.
 */
export async function runPull(request: PullRequest, io: CliIO, deps: PullDeps): Promise<PullOutcome> {
  const files = pullFiles(request.out);
  const site = request.site.replace(/\/+$/, '');
  const earlier = request.restart ? undefined : await readCheckpoint(files);
  if (earlier !== undefined && (earlier.site !== site || earlier.jql !== request.jql)) {
    throw new CliError(
      `${files.checkpoint} belongs to another pull (${earlier.site}, JQL '${earlier.jql}'); use --restart to discard it`,
    );
  }
  let checkpoint: PullCheckpoint;
  let written: Set<string>;
  if (earlier === undefined) {
    await startFresh(files);
    checkpoint = {
      version: 1,
      site,
      jql: request.jql,
      nextPageToken: null,
      bytes: 0,
      pages: 0,
      issues: 0,
      histories: 0,
      comments: 0,
    };
    written = new Set();
  } else {
    written = await resumePartial(files, earlier);
    checkpoint = earlier;
    io.stderr(
      `pull: resuming after page ${earlier.pages} (${earlier.issues.toLocaleString('en-US')} issues written)\n`,
    );
  }

  let retries = 0;
  let lastStatus = 0;
  const base = fetchFromBaseUrl(site, deps.fetch, { headers: { Authorization: jiraAuthorization(request.auth) } });
  // Paced ahead of Jira Cloud's rate limits from its headers, so 429s are rare rather than routine.
  const pacer = createPacer({
    sleep: deps.sleep,
    now: deps.now,
    onSlowDown: (gapMs, said) =>
      io.stderr(`pull: Jira is near its rate limit (${said}); pacing requests ${(gapMs / 1000).toFixed(1)} s apart\n`),
  });
  const transport: JiraFetch = async (path, init) => {
    await pacer.beforeRequest();
    const res = await base(path, init);
    lastStatus = res.status;
    pacer.afterResponse(res.status, res.headers);
    return res;
  };
  const jira = createJiraClient({
    fetch: transport,
    now: deps.now,
    retry: {
      maxRetries: 8,
      baseDelayMs: 1_000,
      maxDelayMs: 60_000,
      // A pull can wait: Jira's Retry-After is honoured up to a quarter of an hour.
      maxRetryAfterMs: 15 * 60_000,
      sleep: async (ms) => {
        retries++;
        io.stderr(`pull: Jira answered ${lastStatus || 'nothing'}; retrying in ${(ms / 1000).toFixed(1)} s\n`);
        await deps.sleep(ms);
      },
    },
  });

  let repeats = 0;
  const first = earlier === undefined;
  // A personal access token is Data Center's: it has no search/jql and no bulk changelogs.
  const dataCenter = request.auth.kind === 'personal-access-token';
  try {
    // A checkpoint with no next page is a run that wrote every page but was stopped before renaming.
    let done = !first && checkpoint.nextPageToken === null;
    while (!done) {
      const result = await searchPage(jira, dataCenter, request, checkpoint.nextPageToken);
      const fresh = result.issues.filter((i) => !written.has(i.id));
      repeats += result.issues.length - fresh.length;
      const { lines, histories, comments } = await completeIssues(jira, fresh, {
        dataCenter,
        changelogPageSize: request.changelogPageSize,
      });
      const bytes = await appendPage(files, lines);
      for (const i of fresh) written.add(i.id);
      const next = result.next;
      checkpoint = {
        ...checkpoint,
        nextPageToken: next,
        bytes,
        pages: checkpoint.pages + 1,
        issues: checkpoint.issues + fresh.length,
        histories: checkpoint.histories + histories,
        comments: checkpoint.comments + comments,
      };
      await writeCheckpoint(files, checkpoint);
      done = next === null;
      io.stderr(
        `pull: page ${checkpoint.pages}: ${checkpoint.issues.toLocaleString('en-US')} issues, ` +
          `${checkpoint.histories.toLocaleString('en-US')} histories, ${checkpoint.comments.toLocaleString('en-US')} comments\n`,
      );
    }
  } catch (error) {
    if (error instanceof JiraApiError) {
      const stopped = `the pull stopped after page ${checkpoint.pages} (${checkpoint.issues.toLocaleString('en-US')} issues kept in ${files.partial})`;
      const hint =
        error.status === 401 || error.status === 403
          ? 'check the site, the account and its token'
          : error.status === 400 && checkpoint.nextPageToken !== null
            ? 'if the page token expired (Jira keeps them 7 days), run again with --restart'
            : 'run the same command again to resume';
      throw new CliError(`${error.message}\n${stopped}; ${hint}`);
    }
    throw error;
  }
  await finishPull(files);
  return { resumed: !first, checkpoint, repeats, retries };
}

/**
 * Each issue of a search page made whole: `changelog` with every history (bulk changelogs, all
 * pages, oldest first) and `fields.comment` with every comment. One JSON line per issue.
 */
/**
 * One search page and the cursor of the next: Cloud's `nextPageToken` (search/jql), or Data
 * Center's next `startAt` as text (`/rest/api/2/search`, which reports `total` and gives whole
 * changelogs with `expand=changelog`). `null` after the last page.
 */
async function searchPage(
  jira: JiraClient,
  dataCenter: boolean,
  request: PullRequest,
  cursor: string | null,
): Promise<{ issues: JiraIssue[]; next: string | null }> {
  if (!dataCenter) {
    const page = await jira.searchJql({
      jql: request.jql,
      fields: ['*all'],
      maxResults: request.pageSize ?? 100,
      ...(cursor === null ? {} : { nextPageToken: cursor }),
    });
    return { issues: page.issues, next: page.isLast === true ? null : (page.nextPageToken ?? null) };
  }
  const startAt = cursor === null ? 0 : Number(cursor);
  const page = await jira.searchStartAt({
    jql: request.jql,
    startAt,
    maxResults: request.pageSize ?? 100,
    fields: ['*all'],
    expand: ['changelog'],
  });
  const after = page.startAt + page.issues.length;
  return { issues: page.issues, next: page.issues.length === 0 || after >= page.total ? null : String(after) };
}

async function completeIssues(
  jira: JiraClient,
  issues: readonly JiraIssue[],
  options: { dataCenter: boolean; changelogPageSize: number | undefined },
): Promise<{ lines: string[]; histories: number; comments: number }> {
  if (issues.length === 0) return { lines: [], histories: 0, comments: 0 };
  const { dataCenter, changelogPageSize } = options;
  const logs = dataCenter
    ? new Map(issues.map((i) => [i.id, (i.changelog?.histories ?? []) as unknown[]]))
    : await jira.bulkChangelogs(
        issues.map((i) => i.id),
        undefined,
        changelogPageSize === undefined ? {} : { maxResults: changelogPageSize },
      );
  let histories = 0;
  let comments = 0;
  const lines: string[] = [];
  for (const issue of issues) {
    const fields = { ...(issue.fields ?? {}) };
    const embedded = fields['comment'] as { comments?: unknown[]; total?: number } | undefined;
    const complete =
      embedded !== undefined &&
      Array.isArray(embedded.comments) &&
      (embedded.total === undefined || embedded.total <= embedded.comments.length);
    const all = complete
      ? (embedded.comments as unknown[])
      : await jira.listComments(issue.key ?? issue.id, dataCenter ? { restVersion: 2 } : {});
    fields['comment'] = { comments: all, maxResults: all.length, total: all.length, startAt: 0 };
    const h = logs.get(issue.id) ?? [];
    histories += h.length;
    comments += all.length;
    const { changelog: _embedded, ...rest } = issue;
    lines.push(
      JSON.stringify({
        ...rest,
        fields,
        changelog: { startAt: 0, maxResults: h.length, total: h.length, histories: h },
      }),
    );
  }
  return { lines, histories, comments };
}
