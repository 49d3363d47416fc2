import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ReplaySummarySchema, type ReplaySummary } from '@baton/core/replay';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/run.ts';
import { verifyAuditFile } from '../../src/commands/replay-audit.ts';

// Real histories: the bundled BPIC 2013 incident log (apps/cli/data, see its SOURCE.md) under the
// bundled example charter, and the 300-issue Appcelerator Jira sample (test/fixtures/jira-export)
// under examples/charters/jira.yaml.
const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const BPIC = join(ROOT, 'apps', 'cli', 'data', 'bpic2013-incidents.xes.gz');
const BPIC_CHARTER = join(ROOT, 'examples', 'charters', 'bpic2013-incidents.yaml');
const JIRA = join(ROOT, 'apps', 'cli', 'test', 'fixtures', 'jira-export', 'appcelerator-300.jsonl.gz');
const JIRA_CHARTER = join(ROOT, 'examples', 'charters', 'jira.yaml');
const COSTS = join(ROOT, 'apps', 'cli', 'test', 'fixtures', 'charters', 'costs.yaml');
const RECEIPT = join(ROOT, 'apps', 'cli', 'test', 'fixtures', 'eventlogs', 'receipt-40-cases.csv');

interface Run {
  readonly dir: string;
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function replay(args: readonly string[]): Promise<Run> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-replay-'));
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), interactive: false, cwd: '.' };
  const code = await runCli(['replay', ...args, '--out', dir], io);
  return { dir, code, out: out.join(''), err: err.join('') };
}

type Summary = ReplaySummary & {
  cases: number;
  patterns: string[];
  unknownStates: Record<string, number>;
  skippedRecords: number;
  audit: { entries: number };
};

async function summaryOf(r: Run): Promise<Summary> {
  const raw = JSON.parse(await readFile(join(r.dir, 'summary.json'), 'utf8')) as Summary;
  ReplaySummarySchema.parse(raw);
  return raw;
}

interface Row {
  time: string;
  case: string;
  pattern: string;
  rule: string;
  action: string;
  disposition: string;
}

/** decisions.csv rows (the fields these tests read come before the free-text reason). */
async function rowsOf(r: Run): Promise<Row[]> {
  const lines = (await readFile(join(r.dir, 'decisions.csv'), 'utf8')).trim().split('\n').slice(1);
  return lines.map((l) => {
    const [time, kase, pattern, rule, , action, disposition] = l.split(',') as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    return { time: time, case: kase, pattern, rule, action, disposition };
  });
}

const isNudge = (r: Row): boolean => r.disposition !== 'drop' && /^(notify|escalate to|request )/.test(r.action);

describe('baton replay on the bundled BPIC 2013 incident log (7,554 real incidents)', () => {
  let run: Run;
  let summary: Summary;
  let rows: Row[];
  beforeAll(async () => {
    run = await replay([BPIC, '--charter', BPIC_CHARTER, '--owner', 'org:group', '--costs', COSTS]);
    summary = await summaryOf(run);
    rows = await rowsOf(run);
  }, 300_000);

  it('runs every pattern at each event and tick, and writes what each decided', () => {
    expect(run.code).toBe(0);
    expect(run.err).toBe('');
    expect(summary.patterns).toEqual(['router', 'sla-clocks', 'watchdog', 'clerk', 'concierge']);
    for (const rule of [
      'router.due',
      'watchdog.sla',
      'watchdog.stall',
      'watchdog.ladder',
      'clerk.handoff',
      'concierge.update.internal',
    ])
      expect(summary.byRule[rule]).toBeGreaterThan(0);
    expect(rows.length).toBe(summary.decisions);
    expect(summary.audit.entries).toBe(summary.decisions);
  });

  it('is plausible: nudges bounded by the charter’s caps, a handful per case, not one per tick', () => {
    const perCaseDay = new Map<string, number>();
    const perCase = new Map<string, number>();
    for (const r of rows.filter(isNudge)) {
      const k = `${r.case}|${r.time.slice(0, 10)}`;
      perCaseDay.set(k, (perCaseDay.get(k) ?? 0) + 1);
      perCase.set(r.case, (perCase.get(r.case) ?? 0) + 1);
    }
    // maxNudgesPerCasePerDay: 1 in the bundled charter.
    expect(Math.max(...perCaseDay.values())).toBe(1);
    expect(summary.nudges).toEqual({
      total: [...perCase.values()].reduce((a, b) => a + b, 0),
      casesNudged: perCase.size,
      maxPerCase: Math.max(...perCase.values()),
      maxPerCaseDay: 1,
    });
    // Every nudge is a distinct firing: no case is nudged more often than it had open business days.
    expect(summary.nudges.total).toBeLessThan(summary.cases * 3);
    expect(summary.capsHit['perCaseDay']).toBeGreaterThan(0);
  });

  it('counts SLA breaches, a nudge before them or not, and the minutes saved under --costs', () => {
    expect(summary.breaches.total).toBeGreaterThan(0);
    expect(summary.breaches.precededByNudge + summary.breaches.notPreceded).toBe(summary.breaches.total);
    expect(summary.breaches.notPreceded).toBeGreaterThan(0);
    expect(summary.savings!.minutes).toBeGreaterThan(0);
    expect(Object.values(summary.byDay).reduce((n, d) => n + Object.values(d).reduce((a, b) => a + b, 0), 0)).toBe(
      summary.decisions,
    );
  });

  it('shows the figures on the page', async () => {
    const html = await readFile(join(run.dir, 'replay.html'), 'utf8');
    expect(html).toContain('busiest days');
    expect(html).toContain(`${summary.nudges.total.toLocaleString('en-US')}`);
    expect(html).toContain('preceded by a nudge');
    expect(html).toContain('Minutes saved');
    expect(html).toContain('read back and verified');
  });

  it('writes an audit that verifies as written', async () => {
    expect(await verifyAuditFile(join(run.dir, 'audit.jsonl'))).toMatchObject({ ok: true, entries: summary.decisions });
  });
});

describe('baton replay on a real Jira export (300 Appcelerator issues, no changelog)', () => {
  it('routes (classify, owner, due date, missing information) and watches, under the Jira example charter', async () => {
    const r = await replay([JIRA, '--charter', JIRA_CHARTER]);
    expect(r.code).toBe(0);
    const s = await summaryOf(r);
    for (const rule of ['router.classify', 'router.owner', 'router.due', 'router.ready.request', 'watchdog.stall'])
      expect(s.byRule[rule]).toBeGreaterThan(0);
    const rows = await rowsOf(r);
    // setField is `automate` in jira.yaml: due dates are set; asking a reporter is customer-facing, so suggested.
    expect(rows.filter((x) => x.rule === 'router.due').every((x) => x.disposition === 'act')).toBe(true);
    expect(
      rows
        .filter((x) => x.rule === 'router.ready.request' && x.disposition !== 'drop')
        .every((x) => x.disposition === 'suggest'),
    ).toBe(true);
    const owners = rows.filter((x) => x.rule === 'router.owner').map((x) => x.action);
    expect(new Set(owners)).toEqual(new Set(['assign to hknoechel', 'assign to shossain']));
  });
});

describe('baton replay failure paths on real inputs', () => {
  it('an invalid charter is refused whole with every problem by path, and nothing is written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-charter-'));
    const doc = parse(await readFile(BPIC_CHARTER, 'utf8')) as {
      slaGoals: { target: string }[];
      escalation: { ladders: { goal?: string }[] };
    };
    doc.slaGoals[0]!.target = 'five days';
    doc.escalation.ladders[0]!.goal = 'nope';
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, stringify(doc));
    const r = await replay([RECEIPT, '--charter', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is invalid (2 problems)');
    expect(r.err).toContain("slaGoals[0].target: expected a duration like '8h' or '3d'");
    expect(r.err).toContain('escalation.ladders[0].goal');
    await expect(readFile(join(r.dir, 'decisions.csv'), 'utf8')).rejects.toThrow();
  });

  it('states the charter does not name are reported (stderr and summary) and mapped by name; nothing is lost', async () => {
    const doc = parse(await readFile(BPIC_CHARTER, 'utf8')) as { workflow: { states: Record<string, unknown> } };
    delete doc.workflow.states['Accepted/Wait - User'];
    const dir = await mkdtemp(join(tmpdir(), 'baton-charter-'));
    const partial = join(dir, 'partial.yaml');
    await writeFile(partial, stringify(doc));
    const r = await replay([JIRA, '--charter', JIRA_CHARTER]);
    expect(r.err).toBe('');
    const receipt = await replay([RECEIPT, '--charter', partial]);
    expect(receipt.code).toBe(0);
    expect(receipt.err).toMatch(
      /^replay: \d+ states of the history are not in the charter's workflow and were mapped by name: 'Confirmation of receipt' \(seen 45 times\)/,
    );
    const s = await summaryOf(receipt);
    expect(s.unknownStates['Confirmation of receipt']).toBe(45);
    expect(s.cases).toBe(40);
  });

  it('records with missing fields are skipped by file and line, the rest is replayed', async () => {
    const lines = gunzipSync(await readFile(JIRA))
      .toString('utf8')
      .trim()
      .split('\n')
      .slice(0, 20);
    const noCreated = JSON.parse(lines[3]!) as { fields: Record<string, unknown> };
    delete noCreated.fields['created'];
    lines[3] = JSON.stringify(noCreated);
    lines[5] = '{"key": "TIMOB-1", "fields": ';
    const dir = await mkdtemp(join(tmpdir(), 'baton-jira-'));
    const file = join(dir, 'broken.jsonl');
    await writeFile(file, `${lines.join('\n')}\n`);
    const r = await replay([file, '--charter', JIRA_CHARTER]);
    expect(r.code).toBe(0);
    const s = await summaryOf(r);
    expect(s.cases).toBe(18);
    expect(s.skippedRecords).toBe(2);
    expect(r.err).toMatch(
      /^replay: 2 records skipped, e\.g\. broken\.jsonl:4 \(record TIMOB-\d+\) field 'fields\.created': /,
    );
    const html = await readFile(join(r.dir, 'replay.html'), 'utf8');
    expect(html).toContain('broken.jsonl:4 (record');
    expect(html).toContain('broken.jsonl:6: malformed JSON');
  });
});
