import type { JiraAuth } from '@baton/jira';
import { CliError, defineCommand, type CliIO } from '../command.ts';
import { prepareOutputFile } from '../output/output-target.ts';
import { runPull } from './pull-run.ts';

const HELP = `Usage: baton pull --site <url> --jql "<query>" --out <file.jsonl.gz> (--email <address> | --pat-env <VAR>)

Pulls a Jira site's history: every issue the JQL matches, with its whole changelog and every
comment, into a JSONL.gz (one Jira REST issue a line) that analyze, replay, route-eval and
recommend read as it is.

  Jira Cloud        --email you@example.com, and the API token in JIRA_API_TOKEN (asked for on a
                    terminal when unset; https://id.atlassian.com/manage-profile/security/api-tokens)
  Jira Data Center  --pat-env VAR: the name of the variable that holds a personal access token

Pages POST /rest/api/3/search/jql with nextPageToken, fetches histories with
POST /rest/api/3/changelog/bulkfetch (every page) and comments with GET /issue/{key}/comment when
the search embeds fewer than the issue has. Waits as long as Jira's Retry-After asks (up to 15 min)
on 429, backs off with jitter on 5xx and lost connections. After every page the issues are written
to <out>.partial and <out>.checkpoint.json is replaced: run the same command again after an
interruption and it resumes after the last whole page, fetching nothing twice. The token is never
printed, logged or written.

Options:
  --site <url>           the site, e.g. https://acme.atlassian.net
  --jql <query>          which issues, e.g. "project = SUP AND created >= -365d ORDER BY created ASC"
  --out <file>           the output (.jsonl.gz)
  --email <address>      Jira Cloud: the account the API token belongs to
  --pat-env <VAR>        Jira Data Center: the environment variable holding a personal access token
  --page-size <n>        issues per search page (default 100; Jira may send fewer)
  --restart              discard an earlier run's checkpoint and start over
  --replace              replace the file at --out when the pull ends (without it an existing
                         file is refused: it is never overwritten by mistake)

Example:
  JIRA_API_TOKEN=... baton pull --site https://acme.atlassian.net --email me@acme.com \\
    --jql "project = SUP ORDER BY created ASC" --out sup.jsonl.gz
`;

async function authOf(values: Record<string, unknown>, io: CliIO): Promise<JiraAuth> {
  const email = values['email'];
  const patEnv = values['pat-env'];
  if (typeof email === 'string' && typeof patEnv === 'string') {
    throw new CliError('give either --email (Jira Cloud API token) or --pat-env (Data Center), not both', 2);
  }
  if (typeof patEnv === 'string') {
    const token = io.secretEnv?.(patEnv);
    if (token === undefined) throw new CliError(`--pat-env ${patEnv}: the variable ${patEnv} is not set`, 2);
    return { kind: 'personal-access-token', token };
  }
  if (typeof email !== 'string') {
    throw new CliError('how to sign in: --email <address> (Jira Cloud) or --pat-env <VAR> (Data Center)', 2);
  }
  let apiToken = io.env?.JIRA_API_TOKEN;
  if (apiToken === undefined && io.promptSecret !== undefined) {
    apiToken = (await io.promptSecret(`API token for ${email}: `)) || undefined;
  }
  if (apiToken === undefined) {
    throw new CliError('no API token: set JIRA_API_TOKEN (or run on a terminal to be asked for it)', 2);
  }
  return { kind: 'cloud-api-token', email, apiToken };
}

export const pullCommand = defineCommand({
  name: 'pull',
  summary: "pull a Jira site's issues, changelogs and comments into a JSONL.gz",
  help: HELP,
  options: {
    site: { type: 'string' },
    jql: { type: 'string' },
    out: { type: 'string' },
    email: { type: 'string' },
    'pat-env': { type: 'string' },
    'page-size': { type: 'string' },
    restart: { type: 'boolean', default: false },
    replace: { type: 'boolean', default: false },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new CliError(`unexpected argument '${positionals[0]}'\n\n${HELP}`, 2);
    const site = values['site'];
    const jql = values['jql'];
    const out = values['out'];
    if (typeof site !== 'string') throw new CliError('--site <url> is required', 2);
    if (!URL.canParse(site) || !/^https?:$/.test(new URL(site).protocol)) {
      throw new CliError(`--site '${site}' is not an http(s) URL`, 2);
    }
    if (typeof jql !== 'string' || jql.trim() === '') throw new CliError('--jql "<query>" is required', 2);
    if (typeof out !== 'string') throw new CliError('--out <file.jsonl.gz> is required', 2);
    const pageSize = values['page-size'] === undefined ? undefined : Number(values['page-size']);
    if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 5000)) {
      throw new CliError(`--page-size '${String(values['page-size'])}' is not a whole number from 1 to 5000`, 2);
    }
    // The output guard of every command: never an empty name, a directory or someone's file.
    const outPath = await prepareOutputFile(out, io.cwd, { label: '--out', replace: values['replace'] === true });
    const auth = await authOf(values, io);
    const outcome = await runPull(
      {
        site,
        jql,
        auth,
        out: outPath,
        restart: values['restart'] === true,
        ...(pageSize === undefined ? {} : { pageSize }),
      },
      io,
      { fetch, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: Date.now },
    );
    const c = outcome.checkpoint;
    io.stdout(
      `pulled ${c.issues.toLocaleString('en-US')} issues (${c.histories.toLocaleString('en-US')} histories, ` +
        `${c.comments.toLocaleString('en-US')} comments) in ${c.pages} pages${outcome.resumed ? ', resumed' : ''} → ${out}\n`,
    );
    return 0;
  },
});
