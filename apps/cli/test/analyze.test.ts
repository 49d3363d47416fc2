import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KpisSchema } from '@baton/core/analysis';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/run.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const JIRA_ISSUE = join(FIXTURES, 'jira', 'jira-to-matrix-issue.json');
const JIRA_SEARCH = join(FIXTURES, 'jira', 'jira-cli-search.json');
const APPCELERATOR = join(FIXTURES, 'jira-export', 'appcelerator-300.jsonl.gz');
const RUNNING_XES = join(FIXTURES, 'eventlogs', 'running-example.xes');

async function baton(args: string[], options: { interactive?: boolean; cwd?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    interactive: options.interactive ?? false,
    cwd: options.cwd ?? mkdtempSync(join(tmpdir(), 'baton-analyze-')),
  });
  return { code, out: out.join(''), err: err.join('') };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'baton-analyze-'));
}

const kpisIn = (dir: string) => KpisSchema.parse(JSON.parse(readFileSync(join(dir, 'kpis.json'), 'utf8')));

describe('baton analyze: Jira exports', () => {
  it('analyses several Jira inputs at once and keeps each source offset in events.csv', async () => {
    const dir = tempDir();
    const r = await baton(['analyze', JIRA_ISSUE, JIRA_SEARCH, APPCELERATOR, '--out', dir]);
    expect(r.code).toBe(0);
    const k = kpisIn(dir);
    expect(k.cases).toBeGreaterThanOrEqual(300);
    expect(k.sources).toEqual(expect.arrayContaining(['appcelerator-300.jsonl.gz', 'jira-to-matrix-issue.json']));
    expect(k.comments).toBeGreaterThan(900); // the sample holds 925 comments
    expect(k.statusChases).toBeGreaterThan(0);
    expect(k.overhead.communication.count + k.overhead.statusTracking.count).toBe(k.comments);
    const events = readFileSync(join(dir, 'events.csv'), 'utf8');
    // jira-to-matrix: a Moscow server, +0300; the created row keeps it.
    expect(events).toContain('BBCOM-1398,2018-12-05T14:32:11.571+03:00,created,');
    expect(events).toMatch(/\n[^,]+,[^,]+,owner,assignee,/);
    expect(events).not.toContain('org:resource');
    expect(r.out).toContain('report.html');
  });

  it('uses Jira status categories for the phases (done issues are done)', async () => {
    const dir = tempDir();
    expect((await baton(['analyze', APPCELERATOR, '--out', dir, '--quiet'])).code).toBe(0);
    const k = kpisIn(dir);
    const closed = Object.entries(k.states).filter(([name]) => /^(closed|resolved)$/i.test(name));
    expect(closed.length).toBeGreaterThan(0);
    for (const [, s] of closed) expect(s.phase).toBe('done');
  });
});

describe('baton analyze: options', () => {
  it('reads calendar, costs and workflow files (JSON and YAML) and applies --sla, --since, --cohort', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'calendar.yaml'),
      'timeZone: Europe/Amsterdam\nweek:\n  mon: [["08:00", "16:00"]]\n  tue: [["08:00", "16:00"]]\n  wed: [["08:00", "16:00"]]\n  thu: [["08:00", "16:00"]]\n  fri: [["08:00", "12:00"]]\nholidays: ["2010-12-25"]\n',
    );
    writeFileSync(
      join(dir, 'costs.json'),
      JSON.stringify({ minutesPerHandoff: 20, loadedCostPerHour: 100, currency: 'USD' }),
    );
    writeFileSync(
      join(dir, 'workflow.yml'),
      'states:\n  "check ticket":\n    phase: waiting\n    waitingReason: internal\n',
    );
    const r = await baton(
      [
        'analyze',
        RUNNING_XES,
        '--out',
        join(dir, 'out'),
        '--calendar',
        'calendar.yaml',
        '--costs',
        'costs.json',
        '--workflow',
        'workflow.yml',
        '--sla',
        '2d',
        '--cohort',
        '2011-01-01',
        '--since',
        '2010-01-01',
      ],
      { cwd: dir },
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const k = kpisIn(join(dir, 'out'));
    expect(k.cases).toBe(6);
    expect(k.events).toBe(42);
    expect(k.calendar).toEqual({ timeZone: 'Europe/Amsterdam', businessDayHours: 7.2 });
    expect(k.money).toMatchObject({
      currency: 'USD',
      loadedCostPerHour: 100,
      minutesPerHandoff: 20,
      minutesPerStatusCheck: 5,
    });
    expect(k.overhead.handoffs.minutes).toBe(k.handoffs * 20);
    expect(k.states['check ticket']).toMatchObject({ phase: 'waiting', waitingReason: 'internal' });
    expect(k.sla.casesWithTarget).toBe(6);
    expect(k.cohorts).not.toBeNull();
    // A bare date is the calendar's day: midnight in Amsterdam (UTC+1 in January), not UTC's.
    expect(k.filter.since).toBe('2009-12-31T23:00:00.000Z');
    expect(k.cohorts?.date).toBe('2010-12-31T23:00:00.000Z');
    const report = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(report).toContain('calendar.yaml (Europe/Amsterdam)');
    expect(report).toContain('$100');
  });

  it('splits cohorts at the go-live date in the calendar’s time zone, at a zone boundary', async () => {
    // Two cases 60 minutes apart around midnight in Berlin (UTC+1): the first is 28 February there,
    // the second 1 March. Read as UTC midnight (as before), both fell before a 2026-03-01 go-live.
    const dir = tempDir();
    const csv = join(dir, 'log.csv');
    writeFileSync(
      csv,
      'case:concept:name,concept:name,time:timestamp,org:resource\n' +
        'A,Open,2026-02-28T22:30:00Z,ann\nA,Done,2026-03-02T09:00:00Z,bob\n' +
        'B,Open,2026-02-28T23:30:00Z,ann\nB,Done,2026-03-03T09:00:00Z,bob\n',
    );
    writeFileSync(join(dir, 'berlin.yaml'), 'timeZone: Europe/Berlin\nweek:\n  mon: [["09:00", "17:00"]]\n');
    const berlin = await baton(
      ['analyze', csv, '--out', join(dir, 'b'), '--calendar', 'berlin.yaml', '--cohort', '2026-03-01'],
      { cwd: dir },
    );
    expect(berlin.code).toBe(0);
    const k = kpisIn(join(dir, 'b'));
    expect(k.cohorts).toMatchObject({ date: '2026-02-28T23:00:00.000Z', before: { cases: 1 }, after: { cases: 1 } });
    // The report names the team's day and zone, and shows what the cohorts measured.
    const report = readFileSync(join(dir, 'b', 'report.html'), 'utf8');
    expect(report).toContain('first seen before 1 Mar 2026 (midnight, Europe/Berlin)');
    expect(report).toContain('from 1 Mar 2026');
    expect(report).toContain('What it saved, measured');
    // Without a calendar the day is UTC's; an explicit instant is taken as given.
    await baton(['analyze', csv, '--out', join(dir, 'u'), '--cohort', '2026-03-01'], { cwd: dir });
    expect(kpisIn(join(dir, 'u')).cohorts).toMatchObject({ before: { cases: 2 }, after: { cases: 0 } });
    await baton(
      ['analyze', csv, '--out', join(dir, 'i'), '--calendar', 'berlin.yaml', '--cohort', '2026-02-28T23:45:00Z'],
      { cwd: dir },
    );
    expect(kpisIn(join(dir, 'i')).cohorts).toMatchObject({ before: { cases: 2 }, after: { cases: 0 } });
  });

  it('draws progress on a TTY and stays quiet with --quiet', async () => {
    const tty = await baton(['analyze', APPCELERATOR, '--out', tempDir()], { interactive: true });
    expect(tty.err).toMatch(/reading appcelerator-300\.jsonl\.gz\s+\d+%/);
    const quiet = await baton(['analyze', APPCELERATOR, '--out', tempDir(), '--quiet'], { interactive: true });
    expect(quiet).toMatchObject({ code: 0, out: '', err: '' });
  });

  it('escapes data text in the report (ticket text is data, never markup)', async () => {
    const dir = tempDir();
    const evil = join(dir, 'evil.csv');
    writeFileSync(
      evil,
      'case:concept:name,concept:name,time:timestamp,org:resource\n' +
        'C1,<script>alert(1)</script>,2024-03-04T09:00:00+01:00,<img src=x onerror=alert(2)>\n' +
        'C1,Done,2024-03-05T09:00:00+01:00,bob\n',
    );
    expect((await baton(['analyze', evil, '--out', dir, '--quiet'])).code).toBe(0);
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(report).not.toContain('<script');
    expect(report).not.toContain('<img');
    expect(report).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('baton analyze: failures name the file and the field', () => {
  it('a calendar with a bad time zone and bad hours', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'cal.json'),
      JSON.stringify({ timeZone: 'Europe/Atlantis', week: { mon: [['9:00', '17:00']] } }),
    );
    const r = await baton(['analyze', RUNNING_XES, '--calendar', 'cal.json', '--out', join(dir, 'o')], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`calendar file ${join(dir, 'cal.json')} is invalid:`);
    expect(r.err).toContain('timeZone: expected an IANA time zone name');
    expect(r.err).toContain("week.mon[0][0]: expected a time of day 'HH:MM'");
  });

  it('a costs file with a wrong type and an unknown field', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'costs.yaml'), 'minutesPerHandoff: fifteen\ncurrency: euro\nhourlyRate: 50\n');
    const r = await baton(['analyze', RUNNING_XES, '--costs', 'costs.yaml', '--out', join(dir, 'o')], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.err).toContain('costs file');
    expect(r.err).toContain('costs.yaml is invalid');
    expect(r.err).toMatch(/minutesPerHandoff: .*number/);
    expect(r.err).toContain('currency: expected an ISO 4217 currency code');
    expect(r.err).toContain('hourlyRate');
  });

  it('a workflow file with an unknown phase, and one that is not YAML', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'wf.yaml'), 'states:\n  Review:\n    phase: pending\n');
    const bad = await baton(['analyze', RUNNING_XES, '--workflow', 'wf.yaml', '--out', join(dir, 'o')], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/workflow file .*wf\.yaml is invalid:\n\s+states\.Review\.phase: /);
    writeFileSync(join(dir, 'broken.yaml'), 'states:\n  Review: [phase: waiting\n');
    const broken = await baton(['analyze', RUNNING_XES, '--workflow', 'broken.yaml', '--out', join(dir, 'o')], {
      cwd: dir,
    });
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/workflow file .*broken\.yaml:\d+:\d+: not valid YAML/);
  });

  it('a missing config file, a missing input, bad dates and formats', async () => {
    const dir = tempDir();
    expect((await baton(['analyze', RUNNING_XES, '--costs', 'nope.json'], { cwd: dir })).err).toContain(
      `costs file ${join(dir, 'nope.json')}: no such file`,
    );
    expect((await baton(['analyze', 'missing.xes'], { cwd: dir })).err).toContain('input missing.xes: no such file');
    const since = await baton(['analyze', RUNNING_XES, '--since', 'last tuesday'], { cwd: dir });
    expect(since).toMatchObject({ code: 2 });
    expect(since.err).toContain("--since: expected a date like 2024-01-31 or an ISO 8601 time, got 'last tuesday'");
    expect(
      (await baton(['analyze', RUNNING_XES, '--since', '2024-02-01', '--until', '2024-01-01'], { cwd: dir })).err,
    ).toContain('--until: expected a date after --since');
    expect((await baton(['analyze', RUNNING_XES, '--sla', 'soon'], { cwd: dir })).err).toContain(
      "--sla: expected a business-time target like 8h or 5d, got 'soon'",
    );
    expect((await baton(['analyze', RUNNING_XES, '--format', 'xml'], { cwd: dir })).err).toContain(
      "--format: expected one of jira, xes, csv, got 'xml'",
    );
    expect((await baton(['analyze'], { cwd: dir })).code).toBe(2);
  });

  it('reports malformed records with their location and counts them, without changing the good ones', async () => {
    const dir = tempDir();
    const csv = join(dir, 'log.csv');
    writeFileSync(
      csv,
      'case:concept:name,concept:name,time:timestamp,org:resource\n' +
        'A,Open,2024-03-04T09:00:00Z,ann\nA,Done,2024-03-05T09:00:00Z,bob\n' +
        'B,Open,not a time,ann\nB,Done,2024-03-05T09:00:00Z,bob\n',
    );
    const r = await baton(['analyze', csv, '--out', join(dir, 'o')], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/skipped {8}1 records\n {4}.*log\.csv:4/);
    const k = kpisIn(join(dir, 'o'));
    expect(k).toMatchObject({ cases: 1, skipped: 1, handoffs: 1 });
    expect(k.cycleTimeDays.p50).toBe(1);
  });
});
