import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bpicTraces } from '../../test/bpic-fixture.ts';
import { fixtureCase } from '../../test/appcelerator-cases.ts';
import { compileCharter } from '../charter/compile-charter.ts';
import { DEFAULT_CHARTER } from '../charter/default-charter.ts';
import { CharterSchema } from '../charter/charter-schema.ts';
import type { CaseEvent } from '../model/event.ts';
import type { CaseRecord } from '../model/case.ts';
import { clerkPattern } from './patterns/clerk-pattern.ts';
import { conciergePattern } from './patterns/concierge-pattern.ts';
import { worthPushing } from '../agent/concierge/concierge-proposals.ts';
import type { Decision } from '../decision/decision.ts';
import { createReplayEngine } from './replay.ts';

const patterns = [clerkPattern, conciergePattern];

function timeline(cases: readonly CaseRecord[]): CaseEvent[] {
  return cases.flatMap((c) => c.events).sort((a, b) => a.at - b.at);
}

function replay(cases: readonly CaseRecord[], events: readonly CaseEvent[], charter = compileCharter(DEFAULT_CHARTER)) {
  const engine = createReplayEngine({ charter, patterns });
  for (const c of cases) engine.addCase(c);
  const decisions: Decision[] = [];
  for (const e of events) decisions.push(...engine.event(e));
  return { engine, decisions };
}

describe('createReplayEngine on real BPIC 2013 incidents', () => {
  const cases = bpicTraces();
  const events = timeline(cases);

  it('hands over a packet at every change of owner and updates on meaningful changes, all suggested under the default charter', () => {
    const { decisions, engine } = replay(cases, events);
    const handoffs = decisions.filter((d) => d.rule === 'clerk.handoff');
    // Owner (support group) changes after the first event: 5 in the first trace, 9 in the second.
    expect(handoffs.map((d) => d.caseId).filter((id) => id === '1-364285768')).toHaveLength(5);
    expect(handoffs.length).toBe(14);
    expect(decisions.some((d) => d.rule === 'concierge.update.customer')).toBe(true);
    expect(new Set(decisions.map((d) => d.disposition))).toEqual(new Set(['suggest']));
    expect(engine.stats.events).toBe(57);
    const first = handoffs[0]!;
    expect(first.actions[0]).toMatchObject({ kind: 'comment', audience: 'internal' });
    expect(first.reason).toMatch(/^handoff V30 → V5 3rd/);
  });

  it('is idempotent: the same events again yield no new decisions', () => {
    const { engine, decisions } = replay(cases, events);
    const again: Decision[] = [];
    for (const e of events) again.push(...engine.event(e));
    expect(decisions.length).toBeGreaterThan(0);
    expect(again).toEqual([]);
    expect(engine.stats.duplicateEvents).toBe(events.length);
  });

  it('is idempotent at any point: a prefix replayed, then the whole history, decides exactly what one pass does (property)', () => {
    const once = replay(cases, events).decisions.map((d) => d.id);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: events.length }), (k) => {
        const engine = createReplayEngine({ charter: compileCharter(DEFAULT_CHARTER), patterns });
        for (const c of cases) engine.addCase(c);
        const ids: string[] = [];
        for (const e of events.slice(0, k)) ids.push(...engine.event(e).map((d) => d.id));
        for (const e of events) ids.push(...engine.event(e).map((d) => d.id));
        expect(ids).toEqual(once);
      }),
      { numRuns: 20 },
    );
  });

  it('acts where the charter allows it: internal comments automated, customer comments still suggested', () => {
    const charter = compileCharter(CharterSchema.parse({ version: 2, autonomy: { kinds: { comment: 'automate' } } }));
    const { decisions } = replay(cases, events, charter);
    const internal = decisions.filter((d) => d.actions[0]!.kind === 'comment' && d.actions[0]!.audience === 'internal');
    const customer = decisions.filter((d) => d.actions[0]!.kind === 'comment' && d.actions[0]!.audience === 'customer');
    expect(internal.every((d) => d.disposition === 'act')).toBe(true);
    expect(customer.length).toBeGreaterThan(0);
    expect(customer.every((d) => d.disposition === 'suggest' && d.dispositionRule === 'risk.customerFacing')).toBe(
      true,
    );
  });

  it('leaves out-of-scope cases alone and off autonomy drops everything', () => {
    const scoped = compileCharter(CharterSchema.parse({ version: 2, scope: { projects: ['NOPE'] } }));
    expect(replay(cases, events, scoped).decisions).toEqual([]);
    const off = compileCharter(CharterSchema.parse({ version: 2, autonomy: { default: 'off' } }));
    expect(new Set(replay(cases, events, off).decisions.map((d) => d.disposition))).toEqual(new Set(['drop']));
  });

  it('failure path: an event of a case it was not given is a programmer error', () => {
    const engine = createReplayEngine({ charter: compileCharter(DEFAULT_CHARTER), patterns });
    expect(() => engine.event(events[0]!)).toThrow(/unregistered case/);
  });

  it('reads comments of Jira-shaped cases: a handoff packet carries the open questions', () => {
    const issue = fixtureCase('TIMOB-18064');
    const t = issue.events.at(-1)!.at + 1000;
    const withHandoff: CaseRecord = {
      ...issue,
      events: [
        ...issue.events,
        { caseId: issue.id, at: t, offsetMinutes: 0, kind: 'owner', to: 'mlangston' },
        { caseId: issue.id, at: t + 1000, offsetMinutes: 0, kind: 'owner', from: 'mlangston', to: 'vduggal' },
      ],
    };
    const { decisions } = replay([withHandoff], withHandoff.events);
    const handoff = decisions.find((d) => d.rule === 'clerk.handoff')!;
    expect(handoff.reason).toContain('2 open questions');
    expect(handoff.actions[0]).toMatchObject({ kind: 'comment', audience: 'internal' });
  });
});

describe('worthPushing', () => {
  it('pushes blockers, resolution, dates and unassignment, not state names, queue↔work moves or handoffs', () => {
    expect(worthPushing({ kind: 'state', from: 'A', to: 'B' })).toBe(false);
    expect(worthPushing({ kind: 'phase', from: 'queue', to: 'active' })).toBe(false);
    expect(worthPushing({ kind: 'owner', from: 'V30', to: 'V5 3rd' })).toBe(false);
    expect(worthPushing({ kind: 'phase', from: 'active', to: 'done' })).toBe(true);
    expect(worthPushing({ kind: 'blocked', from: null, to: 'waiting:customer' })).toBe(true);
    expect(worthPushing({ kind: 'owner', from: 'V30', to: null })).toBe(true);
    expect(worthPushing({ kind: 'due', from: null, to: '2011-02-04' })).toBe(true);
  });
});
