import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CharterSchema } from '../src/contracts/charter.ts';
import type { CharterInput } from '../src/contracts/charter.ts';
import type { DryRunResult } from '../src/contracts/dry-run.ts';
import { migrateAppCharter } from '../src/domain/charter-migration.ts';
import { workConsumer } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { invokeResolver, saveCharter } from './fixtures.ts';
import { APP_TOKEN, consumerEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { uiResolver } from '../src/index.ts';

const run = promisify(execFile);
const BATON = join(import.meta.dirname, '..', '..', 'cli', 'bin', 'baton.mjs');

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});
let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The seeded project's charter in the app's stored dialect: every status mapped, people to route to, goals, ladders. */
const CHARTER: CharterInput = {
  projects: ['SUP'],
  autonomy: { assign: 'automate', nudge: 'automate', escalate: 'assist', comment: 'assist', setField: 'assist' },
  minConfidenceToAct: 0.6,
  calendar: { utcOffsetMinutes: 60, workdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
  slaGoals: [
    { name: 'first-response', priorities: ['High', 'Highest'], target: '4h' },
    { name: 'resolution', target: '2d', atRiskAt: 0.5 },
  ],
  watchdog: { staleAfter: '1d' },
  caps: { nudgesPerIssuePerDay: 1, quietHours: { start: '19:00', end: '08:00' } },
  workflow: {
    'To Do': { phase: 'queue', ready: ['priority', 'description'] },
    'In Progress': { phase: 'active' },
    'Waiting for customer': { phase: 'waiting', waitingReason: 'customer' },
    Done: { phase: 'done' },
  },
  routing: {
    candidates: ['u-ada', 'u-grace', 'u-linus'],
    classify: [{ field: 'components', value: 'SSO', keywords: ['sso', 'login', 'saml'] }],
  },
  escalation: {
    lead: 'u-linus',
    ladders: [{ name: 'breach', goal: 'resolution', steps: [{ slaConsumed: 1, do: 'notify-lead' }] }],
  },
};

type Row = { at: number; issueKey: string; pattern: string; rule: string; verdict: string; dispositionRule: string };
const byTime = (a: Row, b: Row): number =>
  a.at - b.at || a.issueKey.localeCompare(b.issueKey) || a.rule.localeCompare(b.rule);

/** `baton replay`'s decisions.csv, one row per decision (the reason, the last column, may hold commas). */
function replayRows(csv: string): Row[] {
  const [header, ...lines] = csv.trim().split('\n');
  expect(header).toBe('time,case,pattern,rule,action,disposition,disposition_rule,confidence,risk,reason');
  return lines.map((line) => {
    const [time, issueKey, pattern, rule, , verdict, dispositionRule] = line.split(',');
    return {
      at: Date.parse(time as string),
      issueKey: issueKey as string,
      pattern: pattern as string,
      rule: rule as string,
      verdict: verdict as string,
      dispositionRule: dispositionRule as string,
    };
  });
}

describe('the Jira dry run and `baton replay` on one seeded project', () => {
  it('make the same decisions for the same issues and charter', async () => {
    await saveCharter(CHARTER);
    dir = mkdtempSync(join(tmpdir(), 'baton-dry-run-'));

    // The app's dry run, as the admin page starts it: on the queue, run by the consumer.
    const started = (await invokeResolver(
      uiResolver as never,
      'startDryRun',
      { projectKey: 'SUP', days: 30 },
      'u-grace',
    )) as {
      ok: true;
      data: { runId: string };
    };
    expect(started.ok).toBe(true);
    await workConsumer(consumerEvent(h.queued[0]?.body));
    const dry = (await createBatonStorage().getJson(`dryrun:${started.data.runId}`)) as DryRunResult;
    expect(dry.status).toBe('done');

    // The same project through the command line: `baton pull` from the same Jira, then `baton replay`
    // under the same charter, written in core's YAML.
    const charterFile = join(dir, 'charter.yaml');
    writeFileSync(charterFile, stringify(migrateAppCharter(CharterSchema.parse(CHARTER))));
    const env = { PATH: process.env.PATH ?? '', JIRA_PAT: APP_TOKEN, CI: '1' };
    const pulled = join(dir, 'sup.jsonl.gz');
    await run(
      process.execPath,
      [
        BATON,
        'pull',
        '--site',
        h.sim.url,
        '--pat-env',
        'JIRA_PAT',
        '--jql',
        'project = SUP ORDER BY created ASC',
        '--out',
        pulled,
      ],
      { env },
    );
    await run(process.execPath, [BATON, 'replay', pulled, '--charter', charterFile, '--out', join(dir, 'out')], {
      env,
    });
    const replayed = replayRows(readFileSync(join(dir, 'out', 'decisions.csv'), 'utf8')).filter(
      (r) => r.at >= (dry.from ?? 0),
    );

    const fromDryRun: Row[] = dry.decisions.map((d) => ({
      at: d.at,
      issueKey: d.issueKey,
      pattern: d.pattern ?? '',
      rule: d.rule ?? '',
      verdict: d.verdict,
      dispositionRule: d.dispositionRule ?? '',
    }));
    expect(replayed.length).toBeGreaterThan(0);
    expect(fromDryRun.sort(byTime)).toEqual(replayed.sort(byTime));
  }, 120_000);
});
