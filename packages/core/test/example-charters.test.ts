import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createWatchdog, formatIssue, parseCharter, routeCase, slaClocks, watchCaseOf } from '../src/index.ts';
import { fixtureCase } from './appcelerator-cases.ts';
import { bpicTraces } from './bpic-fixture.ts';

// The bundled example charters (repo-root examples/charters), parsed as the CLI does: YAML → object → parseCharter.
const load = (name: string): unknown =>
  parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'examples', 'charters', name), 'utf8'));

describe('bundled example charters', () => {
  it('bpic2013-incidents.yaml is valid and drives the watchdog on a real incident', () => {
    const r = parseCharter(load('bpic2013-incidents.yaml'));
    if (!r.ok) throw new Error(r.issues.map(formatIssue).join('\n'));
    const trace = bpicTraces().find((t) => t.id === '1-467153946')!;
    const now = Date.parse('2011-03-01T12:00:00Z');
    const clocks = slaClocks(trace, r.value, now);
    expect(clocks.map((c) => [c.goalId, c.status, c.breached])).toEqual([
      ['resolution', 'running', true],
      ['first-response', 'stopped', false],
    ]);
    const ds = createWatchdog(r.value).evaluate(watchCaseOf(trace, r.value, now), now);
    expect(ds.map((d) => d.threshold)).toContain('ladder:resolution:1');
    expect(ds.find((d) => d.threshold === 'ladder:resolution:1')!.actions[0]).toMatchObject({
      kind: 'escalate',
      to: 'O3-lead',
    });
  });

  it('jira.yaml is valid and routes a real Appcelerator issue', () => {
    const r = parseCharter(load('jira.yaml'));
    if (!r.ok) throw new Error(r.issues.map(formatIssue).join('\n'));
    const issue = fixtureCase('TIMOB-18064');
    const fresh = { ...issue, events: issue.events.slice(0, 1), state: 'Open', owner: null };
    const ds = routeCase(fresh, r.value, { now: Date.parse('2014-11-21T18:00:00Z') });
    expect(ds.map((d) => [d.rule, d.disposition])).toEqual([
      ['router.classify', 'suggest'], // one keyword: 0.7, below the act line even under `automate`
      ['router.owner', 'suggest'],
      ['router.due', 'act'], // setField is `automate` in this charter
      ['router.ready.request', 'suggest'], // customer-facing: a person approves
    ]);
  });

  it('rejects a broken copy with every problem listed', () => {
    const doc = load('jira.yaml') as { slaGoals: { target: string }[]; routing: { ownership: { team: string }[] } };
    doc.slaGoals[1]!.target = 'two weeks';
    doc.routing.ownership[0]!.team = 'mobile';
    const r = parseCharter(doc);
    expect(!r.ok && r.issues.map(formatIssue)).toEqual([
      "slaGoals[1].target: expected a duration like '8h' or '3d'",
      "routing.ownership[0].team: unknown team 'mobile'",
    ]);
  });
});
