import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { businessTimeBetween, defineCalendar, parseCharter, parseDuration, roundUpDuration } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defineReadOptions, readInputs } from '../src/readers/index.ts';
import { cliWith } from './two-ways.ts';

const BPIC = join(import.meta.dirname, '..', 'data', 'bpic2013-incidents.xes.gz');
const APPCELERATOR = join(import.meta.dirname, 'fixtures', 'jira-export', 'appcelerator-300.jsonl.gz');
/** The charters the Jira app's test stores through its admin resolver: what this command writes, byte for byte. */
const STORED_BY_JIRA_APP = join(import.meta.dirname, '..', '..', 'jira', 'test', 'fixtures', 'recommended-charters');

const cli = cliWith({});
const baton = (args: string[]) => cli(args, '.');

describe('baton recommend', () => {
  it('writes a commented charter from BPIC 2013 that baton replay runs unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-recommend-'));
    const path = join(dir, 'charter.yaml');
    const r = await baton(['recommend', BPIC, '--owner', 'org:group', '--out', path]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('recommended a charter from 7,554 cases: 13 states');
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(readFileSync(join(STORED_BY_JIRA_APP, 'bpic2013.yaml'), 'utf8'));
    const parsed = parseCharter(parse(text));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const charter = parsed.value;
    expect(charter.autonomy.default).toBe('assist');
    expect(charter.workflow.states['Accepted/Wait - User']).toMatchObject({
      phase: 'waiting',
      waitingReason: 'customer',
    });
    // The resolution goal pauses while the user is asked, as the example charter's does.
    expect(charter.slaGoals[0]?.pause).toEqual([{ on: 'waiting', reasons: ['customer'] }]);

    // The queue's norm, computed a second way: p90 of the gaps between a case's consecutive events
    // while it sits in the queue, in the charter's own calendar, then rounded up.
    const cal = defineCalendar(charter.calendars['default']);
    if (!cal.ok) throw new Error('calendar');
    const gaps: number[] = [];
    for await (const item of readInputs([BPIC], defineReadOptions({ eventLog: { ownerKey: 'org:group' } }))) {
      if (item.type !== 'case') continue;
      const ev = item.record.events;
      for (let i = 0; i + 1 < ev.length; i++)
        if (ev[i]!.state === 'Queued/Awaiting Assignment' && ev[i + 1]!.at > ev[i]!.at)
          gaps.push(businessTimeBetween(cal.value, ev[i]!.at, ev[i + 1]!.at));
    }
    gaps.sort((a, b) => a - b);
    const pos = (gaps.length - 1) * 0.9;
    const p90 = gaps[Math.floor(pos)]! + (gaps[Math.ceil(pos)]! - gaps[Math.floor(pos)]!) * (pos - Math.floor(pos));
    expect(charter.workflow.states['Queued/Awaiting Assignment']?.norm).toBe(roundUpDuration(p90));
    expect(parseDuration(charter.workflow.states['Queued/Awaiting Assignment']?.norm ?? '')).toBeGreaterThanOrEqual(
      p90,
    );
    // …and the comment beside it names that figure.
    expect(text).toMatch(new RegExp(`norm: \\S+ # p90 of ${gaps.length.toLocaleString('en-US')} idle gaps here`));
    expect(text).toMatch(/target: \S+ # p85 of [\d,]+ resolved cases/);

    const replay = await baton([
      'replay',
      BPIC,
      '--charter',
      path,
      '--owner',
      'org:group',
      '--out',
      join(dir, 'replay'),
      '--tick',
      'off',
    ]);
    expect(replay.err).not.toContain('does not name');
    expect(replay.code).toBe(0);
    expect(replay.out).toContain('chain verified');
  }, 300_000);

  it('writes a charter from the Appcelerator Jira export: a team per component, replayed unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-recommend-'));
    const path = join(dir, 'charter.yaml');
    const r = await baton(['recommend', APPCELERATOR, '--out', path]);
    expect(r.code).toBe(0);
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(readFileSync(join(STORED_BY_JIRA_APP, 'appcelerator-300.yaml'), 'utf8'));
    const parsed = parseCharter(parse(text));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const iosRule = parsed.value.routing.ownership.find((o) => o.when['components'] === 'iOS');
    expect(iosRule?.team).toBe('iOS');
    expect(text).toMatch(/lead: \S+ # finished \d+ of \d+ components 'iOS' cases/);
    expect(parsed.value.scope.projects).toEqual(['AC', 'ALOY', 'DAEMON', 'MOD', 'TIMOB']);
    const replay = await baton([
      'replay',
      APPCELERATOR,
      '--charter',
      path,
      '--out',
      join(dir, 'replay'),
      '--tick',
      'off',
    ]);
    expect(replay.code).toBe(0);
  }, 300_000);

  it('refuses input with no cases, naming it, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-recommend-'));
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '{"not":"an issue"}\n');
    const r = await baton(['recommend', empty, '--out', join(dir, 'charter.yaml')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`no cases in ${empty}`);
    expect(() => readFileSync(join(dir, 'charter.yaml'))).toThrow();
    expect((await baton(['recommend', empty])).code).toBe(2);
  });
});
