import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCharter } from '@baton/core';
import { parse, stringify } from 'yaml';
import type { DryRunResult } from '../src/contracts/dry-run.ts';
import { workConsumer } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import {
  ASSIST_ALL,
  invokeResolver,
  leastLoaded,
  saveCoreCharter,
  slaGoal,
  supCharter,
  WEEKDAYS_9_TO_5,
} from './fixtures.ts';
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

/**
 * The seeded project's charter: every status mapped, people to route to, goals, ladders; business
 * hours 09:00–17:00 at UTC+1 (`Etc/GMT-1`: POSIX signs are inverted), quiet from 19:00 to 08:00 there.
 */
const CHARTER = supCharter({
  calendars: {
    default: { timeZone: 'Etc/GMT-1', week: WEEKDAYS_9_TO_5 },
  },
  workflow: {
    norm: '1d',
    states: {
      'To Do': {
        phase: 'queue',
        norm: '1d',
        ready: [
          { kind: 'field', field: 'priority', label: 'priority set' },
          { kind: 'field', field: 'description', label: 'description written' },
        ],
      },
      'In Progress': { phase: 'active', norm: '1d' },
      'Waiting for customer': { phase: 'waiting', waitingReason: 'customer', norm: '1d' },
      Done: { phase: 'done', norm: '1d' },
    },
  },
  slaGoals: [
    slaGoal('first-response', '4h', { when: { priority: ['High', 'Highest'] } }),
    slaGoal('resolution', '2d', { warnAt: [0.5] }),
  ],
  escalation: {
    ladders: [
      {
        id: 'breach',
        goal: 'resolution',
        steps: [
          {
            slaConsumed: 1,
            do: 'notify-lead',
            message: '{case} "{title}": {state} for {idle}, owner {owner}',
            target: 'u-linus',
          },
        ],
      },
    ],
  },
  routing: {
    ...leastLoaded('u-ada', 'u-grace', 'u-linus'),
    classify: [{ field: 'components', label: 'SSO', keywords: ['sso', 'login', 'saml'] }],
  },
  autonomy: {
    default: 'off',
    kinds: { ...ASSIST_ALL, assign: 'automate', notify: 'automate', requestInfo: 'automate' },
  },
  confidence: { act: 0.6, suggest: 0 },
  caps: { maxNudgesPerCasePerDay: 1, quietHours: { from: '19:00', to: '08:00' }, quietOutsideBusinessHours: false },
});

type Row = {
  at: number;
  issueKey: string;
  pattern: string;
  rule: string;
  source: string;
  verdict: string;
  dispositionRule: string;
};
const byTime = (a: Row, b: Row): number =>
  a.at - b.at || a.issueKey.localeCompare(b.issueKey) || a.rule.localeCompare(b.rule);

/** `baton replay`'s decisions.csv, one row per decision (the reason, the last column, may hold commas). */
function replayRows(csv: string): Row[] {
  const [header, ...lines] = csv.trim().split('\n');
  expect(header).toBe('time,case,pattern,rule,source,action,disposition,disposition_rule,confidence,risk,reason');
  return lines.map((line) => {
    const [time, issueKey, pattern, rule, source, , verdict, dispositionRule] = line.split(',');
    return {
      at: Date.parse(time as string),
      issueKey: issueKey as string,
      pattern: pattern as string,
      rule: rule as string,
      source: source as string,
      verdict: verdict as string,
      dispositionRule: dispositionRule as string,
    };
  });
}

/** The app's dry run of SUP over 30 days, as the admin page starts it: on the queue, run by the consumer. */
async function dryRunRows(): Promise<{ rows: Row[]; from: number }> {
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
  await workConsumer(consumerEvent(h.queued.at(-1)?.body));
  const dry = (await createBatonStorage().getJson(`dryrun:${started.data.runId}`)) as DryRunResult;
  expect(dry.status).toBe('done');
  const rows = dry.decisions.map((d) => ({
    at: d.at,
    issueKey: d.issueKey,
    pattern: d.pattern ?? '',
    rule: d.rule ?? '',
    source: d.source ?? 'rules',
    verdict: d.verdict,
    dispositionRule: d.dispositionRule ?? '',
  }));
  return { rows, from: dry.from ?? 0 };
}

/** The same project through the command line: `baton pull` from the same Jira, once per test. */
async function pull(into: string): Promise<string> {
  const pulled = join(into, 'sup.jsonl.gz');
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
    { env: ENV },
  );
  return pulled;
}

/** `baton replay` of the pulled project under a charter file: its decisions from `from` on. */
async function replay(pulled: string, charterFile: string, out: string, from: number): Promise<Row[]> {
  await run(process.execPath, [BATON, 'replay', pulled, '--charter', charterFile, '--out', out], { env: ENV });
  return replayRows(readFileSync(join(out, 'decisions.csv'), 'utf8')).filter((r) => r.at >= from);
}

const ENV = { PATH: process.env.PATH ?? '', JIRA_PAT: APP_TOKEN, CI: '1' };
const EXAMPLES = join(import.meta.dirname, '..', '..', '..', 'examples', 'charters');

describe('the Jira dry run and `baton replay` on one seeded project', () => {
  it('make the same decisions for the same issues and charter', async () => {
    await saveCoreCharter(CHARTER);
    dir = mkdtempSync(join(tmpdir(), 'baton-dry-run-'));
    const dry = await dryRunRows();
    // `baton replay` under the same charter, written in core's YAML.
    const charterFile = join(dir, 'charter.yaml');
    writeFileSync(charterFile, stringify(CHARTER));
    const replayed = await replay(await pull(dir), charterFile, join(dir, 'out'), dry.from);
    expect(replayed.length).toBeGreaterThan(0);
    expect(dry.rows.sort(byTime)).toEqual(replayed.sort(byTime));
  }, 120_000);

  it('every examples/charters/*.yaml is saved byte for byte by the charter resolver and decides as `baton replay` does with the file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-examples-'));
    const pulled = await pull(dir);
    const files = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(2);
    let expected = 0;
    const decided: string[] = [];
    for (const file of files) {
      const yaml = readFileSync(join(EXAMPLES, file), 'utf8');
      const saved = (await invokeResolver(
        uiResolver as never,
        'saveCharter',
        { scope: 'global', yaml, expectedVersion: expected },
        'u-grace',
      )) as { ok: boolean; data?: { record: { version: number; yaml: string } }; error?: unknown };
      expect(saved, file).toMatchObject({ ok: true });
      expected = saved.data!.record.version;
      expect(saved.data!.record.yaml).toBe(yaml);
      const loaded = (await invokeResolver(uiResolver as never, 'getCharter', { scope: 'global' }, 'u-grace')) as {
        ok: true;
        data: { yaml: string; record: { charter: unknown } };
      };
      expect(loaded.data.yaml).toBe(yaml);
      const r = parseCharter(parse(yaml));
      expect(r.ok && loaded.data.record.charter).toEqual(r.ok ? r.value : 'core refused the example');
      // The charter in force for SUP is the example: the dry run decides as replay does with the file itself.
      const dry = await dryRunRows();
      const replayed = await replay(pulled, join(EXAMPLES, file), join(dir, `out-${file}`), dry.from);
      expect(dry.rows.sort(byTime), file).toEqual(replayed.sort(byTime));
      decided.push(`${file}: ${replayed.length}`);
    }
    // Not vacuous: each example decides something on the seeded project.
    expect(
      decided.every((d) => !d.endsWith(': 0')),
      decided.join('; '),
    ).toBe(true);
  }, 240_000);
});
