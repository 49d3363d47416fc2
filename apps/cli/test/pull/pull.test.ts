import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startJiraSim, type JiraSim } from '@baton/jira-sim';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/command.ts';
import { runPull, type PullDeps } from '../../src/commands/pull-run.ts';
import { defineReadOptions } from '../../src/readers/read-options.ts';
import { readInputs } from '../../src/readers/read-inputs.ts';
import { runCli } from '../../src/run.ts';
import { collect } from '../readers/collect.ts';
import { PULL_EMAIL, PULL_JQL, PULL_PAT, PULL_TOKEN, pullSeed } from './pull-seed.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baton.mjs');
const BASIC = Buffer.from(`${PULL_EMAIL}:${PULL_TOKEN}`).toString('base64');

let sim: JiraSim | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
  proxy = undefined;
});

async function startSim(): Promise<JiraSim> {
  sim = await startJiraSim({
    seed: pullSeed(),
    clock: () => Date.UTC(2026, 2, 1),
    auth: { basic: { [`${PULL_EMAIL}:${PULL_TOKEN}`]: 'u-lead' }, tokens: { [PULL_PAT]: 'u-lead' } },
    // The search embeds at most 20 comments of an issue: OPS-2's other 110 need the comment endpoint.
    limits: { embeddedComments: 20 },
  });
  return sim;
}

function capture(env: Record<string, string> = {}): { io: CliIO; text: () => string } {
  const all: string[] = [];
  return {
    io: {
      stdout: (t) => all.push(t),
      stderr: (t) => all.push(t),
      interactive: false,
      cwd: '.',
      env: { JIRA_API_TOKEN: PULL_TOKEN, ...env },
      secretEnv: (name) => (name === 'JIRA_PAT' ? PULL_PAT : undefined),
    },
    text: () => all.join(''),
  };
}

const sleeps: number[] = [];
const deps: PullDeps = { fetch, sleep: async (ms) => void sleeps.push(ms), now: () => Date.UTC(2026, 2, 1) };

interface PulledIssue {
  id: string;
  key: string;
  fields: { comment: { comments: { body: unknown }[]; total: number } };
  changelog: { histories: { id: string; created: string }[]; total: number };
}
const linesOf = (path: string): PulledIssue[] =>
  gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as PulledIssue);

const ALL_KEYS = Array.from({ length: 23 }, (_, i) => `OPS-${i + 1}`);

/** Neither the token nor the Authorization value built from it appears in `text`. */
function expectNoSecret(text: string): void {
  expect(text).not.toContain(PULL_TOKEN);
  expect(text).not.toContain(BASIC);
  expect(text).not.toContain(PULL_PAT);
}

describe('baton pull against the Jira stand-in', () => {
  it('pages search/jql, bulk changelogs over 100 histories and comments past the embedded ones, into what the readers take', async () => {
    const s = await startSim();
    const dir = mkdtempSync(join(tmpdir(), 'baton-pull-'));
    const out = join(dir, 'ops.jsonl.gz');
    const c = capture();
    const outcome = await runPull(
      {
        site: s.url,
        jql: PULL_JQL,
        auth: { kind: 'cloud-api-token', email: PULL_EMAIL, apiToken: PULL_TOKEN },
        out,
        pageSize: 5,
        changelogPageSize: 100,
      },
      c.io,
      deps,
    );
    const issues = linesOf(out);
    expect(issues.map((i) => i.key)).toEqual(ALL_KEYS);
    expect(outcome.checkpoint.pages).toBe(5);
    expect(existsSync(`${out}.partial`) || existsSync(`${out}.checkpoint.json`)).toBe(false);

    // Every history of OPS-1, in the store's order, though Jira embeds 100 and pages bulk changelogs by 100.
    const ops1 = issues[0] as PulledIssue;
    const stored = s.store.get('OPS-1').histories.map((h) => h.id);
    expect(ops1.changelog.histories.map((h) => h.id)).toEqual(stored);
    expect(stored).toHaveLength(250);
    const bulk = s.requestsTo('/rest/api/3/changelog/bulkfetch', 'POST');
    expect(
      bulk.filter((r) => (r.body as { nextPageToken?: string }).nextPageToken !== undefined).length,
    ).toBeGreaterThan(1);
    expect(bulk.every((r) => (r.body as { maxResults: number }).maxResults === 100)).toBe(true);

    // OPS-2: 20 comments embedded, all 130 pulled through the comment endpoint's pages.
    const ops2 = issues[1] as PulledIssue;
    expect(ops2.fields.comment.comments).toHaveLength(130);
    expect(ops2.fields.comment.total).toBe(130);
    expect(s.requestsTo('/rest/api/3/issue/OPS-2/comment', 'GET')).toHaveLength(2);
    // Only OPS-2 needed the comment endpoint: the others' embedded lists were whole.
    expect(s.requestsTo('/rest/api/3/issue/', 'GET').filter((r) => r.path.endsWith('/comment'))).toHaveLength(2);

    // Cloud basic auth with the token, and the search paged by nextPageToken (5 pages of 5).
    const searches = s.requestsTo('/rest/api/3/search/jql', 'POST');
    expect(searches).toHaveLength(5);
    expect(searches.every((r) => r.actor === 'u-lead')).toBe(true);

    // What analyze, replay and route-eval read: every issue a case, every history and comment an event.
    const read = await collect(readInputs([out], defineReadOptions()));
    expect(read.skips).toEqual([]);
    expect(read.cases.map((k) => k.id)).toEqual(ALL_KEYS);
    const case1 = read.cases[0];
    expect(case1?.events.filter((e) => e.kind === 'status')).toHaveLength(250);
    expect(read.cases[1]?.events.filter((e) => e.kind === 'comment')).toHaveLength(130);

    expectNoSecret(c.text());
    expectNoSecret(gunzipSync(readFileSync(out)).toString('utf8'));
  });

  it("waits as long as a 429's Retry-After asks and backs off on 5xx, losing nothing", async () => {
    const s = await startSim();
    const out = join(mkdtempSync(join(tmpdir(), 'baton-pull-')), 'ops.jsonl.gz');
    s.fail({ status: 429, retryAfter: 7, path: '/rest/api/3/search/jql', times: 2 });
    s.fail({ status: 503, path: '/rest/api/3/changelog/bulkfetch', times: 1 });
    sleeps.length = 0;
    const c = capture();
    const outcome = await runPull(
      {
        site: s.url,
        jql: PULL_JQL,
        auth: { kind: 'cloud-api-token', email: PULL_EMAIL, apiToken: PULL_TOKEN },
        out,
        pageSize: 10,
      },
      c.io,
      deps,
    );
    expect(sleeps.slice(0, 2)).toEqual([7000, 7000]);
    expect(sleeps[2]).toBeLessThanOrEqual(1000); // first backoff after a 5xx: full jitter up to 1 s
    expect(outcome.retries).toBe(3);
    expect(c.text()).toContain('Jira answered 429; retrying in 7.0 s');
    expect(c.text()).toContain('Jira answered 503');
    expect(linesOf(out).map((i) => i.key)).toEqual(ALL_KEYS);
  });

  it("paces itself from Jira's rate-limit headers: every issue pulled and not one 429", async () => {
    // Jira Cloud's burst limit, 4 requests a second per endpoint, on a clock the pull's waits move.
    let now = Date.UTC(2026, 2, 1);
    sim = await startJiraSim({
      seed: pullSeed(),
      clock: () => now,
      auth: { basic: { [`${PULL_EMAIL}:${PULL_TOKEN}`]: 'u-lead' } },
      limits: { embeddedComments: 20 },
      rateLimit: { limit: 4, windowMs: 1_000 },
    });
    const waits: number[] = [];
    const paced: PullDeps = {
      fetch,
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    };
    const out = join(mkdtempSync(join(tmpdir(), 'baton-pull-')), 'ops.jsonl.gz');
    const c = capture();
    const outcome = await runPull(
      {
        site: sim.url,
        jql: PULL_JQL,
        auth: { kind: 'cloud-api-token', email: PULL_EMAIL, apiToken: PULL_TOKEN },
        out,
        pageSize: 5,
        changelogPageSize: 100,
      },
      c.io,
      paced,
    );
    expect(linesOf(out).map((i) => i.key)).toEqual(ALL_KEYS);
    // Before, the pull asked as fast as it could and met a 429 on every endpoint it used more than 4 times a second.
    expect(sim.requests.filter((r) => r.status === 429).map((r) => r.path)).toEqual([]);
    expect(outcome.retries).toBe(0);
    expect(waits.length).toBeGreaterThan(0);
    expect(c.text()).toContain(
      'pull: Jira is near its rate limit (X-RateLimit-Remaining 0 of 4); pacing requests 1.0 s apart',
    );
  });

  it('resumes a killed run after its last whole page: no issue twice, none missing, no page fetched again', async () => {
    const s = await startSim();
    const dir = mkdtempSync(join(tmpdir(), 'baton-pull-'));
    const out = join(dir, 'ops.jsonl.gz');
    // A proxy that lets two search pages through and holds the third: the run is killed while waiting.
    let searches = 0;
    let held: () => void = () => undefined;
    const heldNow = new Promise<void>((r) => (held = r));
    proxy = createServer((req, res) => {
      if (req.url?.startsWith('/rest/api/3/search/jql') && ++searches === 3) {
        held();
        return; // never answered
      }
      const upstream = httpRequest(`${s.url}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy?.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

    const child = spawn(
      process.execPath,
      [BIN, 'pull', '--site', proxyUrl, '--email', PULL_EMAIL, '--jql', PULL_JQL, '--out', out, '--page-size', '5'],
      { env: { PATH: process.env.PATH ?? '', JIRA_API_TOKEN: PULL_TOKEN, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let childOutput = '';
    child.stdout.on('data', (d: Buffer) => (childOutput += d.toString()));
    child.stderr.on('data', (d: Buffer) => (childOutput += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await heldNow;
    child.kill('SIGKILL');
    expect(await exited).toBeNull();

    const checkpoint = JSON.parse(readFileSync(`${out}.checkpoint.json`, 'utf8')) as { pages: number; issues: number };
    expect(checkpoint).toMatchObject({ pages: 2, issues: 10 });
    expect(existsSync(out)).toBe(false);
    // A page written after the checkpoint and never recorded (a kill between the two writes): dropped on resume.
    appendFileSync(`${out}.partial`, readFileSync(`${out}.partial`).subarray(0, 40));

    const before = s.requestsTo('/rest/api/3/search/jql').length;
    const c = capture();
    const code = await runCli(
      ['pull', '--site', proxyUrl, '--email', PULL_EMAIL, '--jql', PULL_JQL, '--out', out, '--page-size', '5'],
      c.io,
    );
    expect(code).toBe(0);
    expect(c.text()).toContain('resuming after page 2 (10 issues written)');
    const resumed = s.requestsTo('/rest/api/3/search/jql').slice(before);
    // The resumed run starts from the checkpoint's token: the first two pages are not asked for again.
    expect(resumed).toHaveLength(3);
    expect(resumed.every((r) => typeof (r.body as { nextPageToken?: unknown }).nextPageToken === 'string')).toBe(true);
    const keys = linesOf(out).map((i) => i.key);
    expect(keys).toEqual(ALL_KEYS);
    expect(new Set(keys).size).toBe(keys.length);

    expectNoSecret(childOutput);
    expectNoSecret(c.text());
    expect(existsSync(`${out}.checkpoint.json`)).toBe(false);
  });

  it('pulls from Data Center with a personal access token: /rest/api/2/search by startAt, whole changelogs, comments paged, resumable', async () => {
    const s = await startSim();
    const out = join(mkdtempSync(join(tmpdir(), 'baton-pull-')), 'ops.jsonl.gz');
    // The third page waits an hour (longer than a pull waits): the run stops after two pages, and resumes.
    let searches = 0;
    const stopThird: PullDeps = {
      ...deps,
      fetch: async (url, init) => {
        if (String(url).includes('/rest/api/2/search') && ++searches === 3)
          return new Response('{"errorMessages":["Rate limit exceeded."]}', {
            status: 429,
            headers: { 'retry-after': '3600' },
          });
        return fetch(url, init);
      },
    };
    const auth = { kind: 'personal-access-token', token: PULL_PAT } as const;
    const c = capture();
    await expect(runPull({ site: s.url, jql: PULL_JQL, auth, out, pageSize: 10 }, c.io, stopThird)).rejects.toThrow(
      /stopped after page 2 \(20 issues/,
    );
    const code = await runCli(
      ['pull', '--site', s.url, '--pat-env', 'JIRA_PAT', '--jql', PULL_JQL, '--out', out, '--page-size', '10'],
      c.io,
    );
    expect(code).toBe(0);
    const searchesSeen = s.requestsTo('/rest/api/2/search', 'POST');
    expect(searchesSeen.map((r) => (r.body as { startAt: number }).startAt)).toEqual([0, 10, 20]);
    expect(searchesSeen.every((r) => r.headers['authorization'] === `Bearer ${PULL_PAT}`)).toBe(true);
    expect(s.requestsTo('/rest/api/3/')).toEqual([]);
    const issues = linesOf(out);
    expect(issues.map((i) => i.key)).toEqual(ALL_KEYS);
    expect(issues[0]?.changelog.histories.map((h) => h.id)).toEqual(s.store.get('OPS-1').histories.map((h) => h.id));
    expect(issues[1]?.fields.comment.comments).toHaveLength(130);
    // 20 embedded; all 130 through the comment endpoint, 100 a page.
    expect(s.requestsTo('/rest/api/2/issue/OPS-2/comment', 'GET')).toHaveLength(2);
    const read = await collect(readInputs([out], defineReadOptions()));
    expect(read.skips).toEqual([]);
    expect(read.cases[1]?.events.filter((e) => e.kind === 'comment')).toHaveLength(130);
    expectNoSecret(c.text());
  });

  it('refuses a wrong token with a hint, printing no token, and keeps no half output', async () => {
    const s = await startSim();
    const out = join(mkdtempSync(join(tmpdir(), 'baton-pull-')), 'ops.jsonl.gz');
    const c = capture({ JIRA_API_TOKEN: 'wrong-token-5678' });
    const code = await runCli(['pull', '--site', s.url, '--email', PULL_EMAIL, '--jql', PULL_JQL, '--out', out], c.io);
    expect(code).toBe(1);
    expect(c.text()).toContain('401');
    expect(c.text()).toContain('check the site, the account and its token');
    expect(c.text()).not.toContain('wrong-token-5678');
    expect(existsSync(out)).toBe(false);
  });

  it('says how to sign in when no token is set and there is no terminal to ask on', async () => {
    const c = capture();
    const io = { ...c.io, env: {} };
    const code = await runCli(
      ['pull', '--site', 'https://x.example', '--email', PULL_EMAIL, '--jql', PULL_JQL, '--out', 'o.jsonl.gz'],
      io,
    );
    expect(code).toBe(2);
    expect(c.text()).toContain('no API token: set JIRA_API_TOKEN');
  });

  it("stops on a Retry-After longer than it waits, keeps the pages it has, and refuses another pull's checkpoint", async () => {
    const s = await startSim();
    const out = join(mkdtempSync(join(tmpdir(), 'baton-pull-')), 'ops.jsonl.gz');
    const auth = { kind: 'cloud-api-token', email: PULL_EMAIL, apiToken: PULL_TOKEN } as const;
    let searches = 0;
    const failSecond: PullDeps = {
      ...deps,
      fetch: async (url, init) => {
        if (String(url).includes('/search/jql') && ++searches === 2)
          return new Response('{"errorMessages":["Rate limit exceeded."]}', {
            status: 429,
            headers: { 'retry-after': '3600' },
          });
        return fetch(url, init);
      },
    };
    const c = capture();
    await expect(runPull({ site: s.url, jql: PULL_JQL, auth, out, pageSize: 5 }, c.io, failSecond)).rejects.toThrow(
      /429.*\nthe pull stopped after page 1 \(5 issues kept in .*ops\.jsonl\.gz\.partial\); run the same command again to resume/s,
    );
    await expect(runPull({ site: s.url, jql: 'project = OPS AND key = OPS-1', auth, out }, c.io, deps)).rejects.toThrow(
      /belongs to another pull .*use --restart/,
    );
    const fresh = await runPull(
      { site: s.url, jql: 'project = OPS AND key = OPS-1', auth, out, restart: true },
      c.io,
      deps,
    );
    expect(fresh.resumed).toBe(false);
    expect(linesOf(out).map((i) => i.key)).toEqual(['OPS-1']);
  });
});

describe('baton pull --out goes through the output guard', () => {
  const pull = (out: string, cwd: string, ...extra: string[]) => {
    const c = capture();
    const args = ['pull', '--site', 'http://127.0.0.1:9', '--email', PULL_EMAIL, '--jql', PULL_JQL, '--out', out];
    return runCli([...args, ...extra], { ...c.io, cwd }).then((code) => ({ code, text: c.text() }));
  };

  it('never replaces an existing file unless --replace is given', async () => {
    const s = await startSim();
    const dir = mkdtempSync(join(tmpdir(), 'baton-pull-'));
    // A user's earlier export (or any file) at --out: before, the pull renamed its output over it.
    const out = join(dir, 'sup.jsonl.gz');
    writeFileSync(out, 'my export');
    const refused = await pull(out, dir);
    expect(refused.code).toBe(2);
    expect(refused.text).toContain(`--out ${out} already exists; it would be replaced`);
    expect(readFileSync(out, 'utf8')).toBe('my export');
    expect(readdirSync(dir)).toEqual(['sup.jsonl.gz']);
    expect(s.requestsTo('/rest/api/3/search/jql')).toHaveLength(0);

    const c = capture();
    const args = ['pull', '--site', s.url, '--email', PULL_EMAIL, '--jql', PULL_JQL, '--out', out, '--replace'];
    expect(await runCli(args, { ...c.io, cwd: dir })).toBe(0);
    expect(linesOf(out).map((i) => i.key)).toEqual(ALL_KEYS);
  });

  it('refuses an empty --out and a directory, and fails at once under /proc', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-pull-'));
    const empty = await pull('', dir);
    expect(empty.code).toBe(2);
    expect(empty.text).toContain('--out: expected a file name, got an empty value');
    const folder = await pull(dir, dir);
    expect(folder.code).toBe(2);
    expect(folder.text).toContain('is a directory');
    expect(readdirSync(dir)).toEqual([]);
    // Before, mkdir({ recursive: true }) looped for ever on a path under /proc.
    const proc = await pull('/proc/baton-x/y/sup.jsonl.gz', dir);
    expect(proc.code).not.toBe(0);
    expect(proc.text).toContain('cannot create the directory /proc/baton-x');
  });
});
