import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ISSUE_PROPERTY_MAX_CHARS } from '../src/index.ts';
import {
  SLA_STATES,
  readIssueState,
  slaDisplay,
  slaRiskOf,
  worstClock,
  writeIssueState,
  type IssueState,
  type SlaClock,
  type Suggestion,
} from '../src/issue-state/issue-state.ts';

const clock = (goal: string, state: SlaClock['state'], dueAt: number | null = null): SlaClock => ({
  goal,
  state,
  targetMs: 8 * 3_600_000,
  elapsedMs: 3_600_000,
  dueAt,
});

/** A pending suggestion as the app stores it: core's decision, as the gate suggested it. */
const suggestion = (key: string, over: Partial<Suggestion['decision']> = {}): Suggestion => ({
  version: 2,
  key,
  summary: 'Assign to Ada',
  createdAt: 1,
  decision: {
    caseId: 'SUP-3',
    pattern: 'router',
    rule: 'router.owner',
    threshold: 'owner:candidates',
    actions: [{ kind: 'assign', to: 'u-ada' }],
    reason: 'least loaded',
    evidence: [],
    confidence: 0.7,
    risk: 'low',
    at: 1,
    id: key,
    idempotencyKey: key,
    disposition: 'suggest',
    dispositionRule: 'autonomy.assist:assign',
    because: { code: 'autonomy.assist', kind: 'assign' },
    ...over,
  },
});

const STATE: IssueState = {
  schema: 1,
  issueKey: 'SUP-3',
  updatedAt: Date.UTC(2026, 10, 23, 11, 0),
  phase: 'waiting',
  sla: [clock('First response 4h', 'on-track'), clock('Resolve 3d', 'at-risk', Date.UTC(2026, 10, 24, 17, 0))],
  suggestions: [suggestion('k1')],
  ready: [{ item: 'Report id', present: true }],
  recent: [{ key: 'k0', kind: 'nudge', outcome: 'executed', at: 2 }],
  packet: {
    summary: 'Customer needs a corrected invoice.',
    decisions: ['Reissue it'],
    openQuestions: ['Which VAT rate?'],
    links: [{ title: 'Tax table', url: 'https://wiki.example/tax' }],
    nextOwner: 'u-ada',
    definitionOfReady: [{ item: 'Invoice number', present: false }],
    risks: [],
  },
};

/** What the writer derives from STATE's clocks for JQL: the worst state, and the goals breached and at risk. */
const DERIVED = { slaState: 'at-risk', slaBreached: [], slaAtRisk: ['Resolve 3d'] } as const;

/** What Jira gives back: the JSON the app PUT. */
const throughJira = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('baton.state: one schema, written by the app and read by the extension', () => {
  it('reads back exactly what was written, with the SLA state for JQL derived from the clocks', () => {
    expect(readIssueState(throughJira(writeIssueState(STATE)))).toEqual({ ...STATE, ...DERIVED });
  });

  it('reads back an escalated suggestion with its rule and evidence; a state without one still reads', () => {
    const escalated: IssueState = {
      ...STATE,
      suggestions: [
        ...STATE.suggestions,
        suggestion('k2', {
          disposition: 'escalate',
          dispositionRule: 'risk.high',
          because: { code: 'risk.escalateAt', risk: 'high' },
          evidence: [{ label: 'candidates', value: 'u-ada', source: 'skills+load' }],
          // Two actions: every one of them is kept.
          actions: [
            { kind: 'assign', to: 'u-ada' },
            { kind: 'setField', field: 'priority', value: 'High' },
          ],
        }),
      ],
    };
    expect(readIssueState(throughJira(writeIssueState(escalated)))).toEqual({ ...escalated, ...DERIVED });
    const bad = suggestion('k3', { because: { code: 'risk.escalateAt' } as never });
    expect(() => writeIssueState({ ...STATE, suggestions: [bad] })).toThrow(/because/);
    const acted = suggestion('k4', { disposition: 'act' });
    expect(() => writeIssueState({ ...STATE, suggestions: [acted] })).toThrow(/disposition/);
  });

  it('writes slaState as the worst clock, `none` without clocks, whatever the caller put there', () => {
    expect(writeIssueState({ ...STATE, sla: [], slaState: 'breached' }).slaState).toBe('none');
    const breached = { ...(STATE.sla[0] as (typeof STATE.sla)[number]), goal: 'b', state: 'breached' as const };
    expect(writeIssueState({ ...STATE, sla: [...STATE.sla, breached] }).slaState).toBe('breached');
  });

  it('lists the goals breached and at risk by id, whatever the caller put there, so each is searchable', () => {
    const breached = { ...(STATE.sla[0] as (typeof STATE.sla)[number]), goal: 'respond', state: 'breached' as const };
    const written = writeIssueState({ ...STATE, sla: [...STATE.sla, breached], slaBreached: ['Resolve 3d'] });
    expect(written).toMatchObject({ slaBreached: ['respond'], slaAtRisk: ['Resolve 3d'] });
    expect(writeIssueState({ ...STATE, sla: [] })).toMatchObject({ slaBreached: [], slaAtRisk: [] });
    // A reader of a state with a malformed list drops the list, not the state.
    expect(readIssueState({ ...throughJira(written)!, slaBreached: 'respond' })).toMatchObject({ issueKey: 'SUP-3' });
  });

  it('reads back any valid state the writer accepts (property, bounded)', () => {
    const text = fc.string({ maxLength: 40 });
    const arbClock = fc.record({
      goal: text,
      state: fc.constantFrom(...SLA_STATES),
      targetMs: fc.nat(),
      elapsedMs: fc.nat(),
      dueAt: fc.option(fc.nat(), { nil: null }),
    });
    const item = fc.record({ item: text, present: fc.boolean() });
    const arbState = fc.record({
      schema: fc.constant(1 as const),
      issueKey: text,
      updatedAt: fc.nat(),
      phase: fc.option(text, { nil: null }),
      sla: fc.array(arbClock, { maxLength: 4 }),
      suggestions: fc.array(
        fc
          .record({
            key: text.filter((k) => k !== ''),
            summary: text,
            reason: text.filter((r) => r !== ''),
            confidence: fc.double({ min: 0, max: 1, noNaN: true }),
            risk: fc.constantFrom('low' as const, 'medium' as const, 'high' as const),
            to: text.filter((t) => t !== ''),
          })
          .map(({ key, summary, reason, confidence, risk, to }) => ({
            ...suggestion(key, { reason, confidence, risk, actions: [{ kind: 'notify', to, message: reason }] }),
            summary,
          })),
        { maxLength: 3 },
      ),
      ready: fc.array(item, { maxLength: 3 }),
      recent: fc.array(fc.record({ key: text, kind: text, outcome: text, at: fc.nat() }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(arbState, (s) => {
        const written = writeIssueState(s);
        expect(readIssueState(throughJira(written))).toEqual(throughJira(written));
      }),
      { numRuns: 200, interruptAfterTimeLimit: 5_000 },
    );
  });

  it('keeps a large state under Jira’s property limit, and it still reads', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ key: `k${i}`, kind: 'nudge', outcome: 'executed', at: i }));
    const written = writeIssueState({
      ...STATE,
      recent: many,
      packet: { ...STATE.packet!, summary: 'x'.repeat(20_000) },
    });
    expect(JSON.stringify(written).length).toBeLessThanOrEqual(ISSUE_PROPERTY_MAX_CHARS);
    expect(readIssueState(throughJira(written))?.sla).toEqual(STATE.sla);
  });

  it('refuses to write a state that breaks the schema, naming the field', () => {
    expect(() => writeIssueState({ ...STATE, sla: [{ ...clock('g', 'on-track'), state: 'late' as never }] })).toThrow(
      /sla/,
    );
  });

  it('reads leniently: unknown fields are ignored, a malformed part is dropped, not shown wrong', () => {
    const raw = throughJira(STATE) as Record<string, unknown>;
    const read = readIssueState({
      ...raw,
      addedLater: { anything: true },
      sla: [{ goal: 'broken', state: 'late' }, ...(raw['sla'] as unknown[])],
      packet: { summary: 42 },
      ready: 'not a list',
    });
    expect(read?.sla).toEqual(STATE.sla);
    expect(read?.packet).toBeUndefined();
    expect(read?.ready).toEqual([]);
    expect(read?.suggestions).toEqual(STATE.suggestions);
  });

  it('reads nothing from a state of a version it does not know, or from no state', () => {
    expect(readIssueState({ ...STATE, schema: 2 })).toBeUndefined();
    expect(readIssueState({ version: 1, sla: { state: 'at-risk' } })).toBeUndefined();
    expect(readIssueState(undefined)).toBeUndefined();
    expect(readIssueState(null)).toBeUndefined();
  });

  it("reads an issue's clocks as core's one SLA risk: a met or paused clock is ok, none only without clocks", () => {
    expect(slaRiskOf([])).toBe('none');
    expect(slaRiskOf([clock('a', 'on-track')])).toBe('ok');
    expect(slaRiskOf([clock('a', 'paused')])).toBe('ok');
    expect(slaRiskOf([clock('a', 'met'), clock('b', 'at-risk')])).toBe('at-risk');
    expect(slaRiskOf([clock('a', 'met'), clock('b', 'breached'), clock('c', 'on-track')])).toBe('breached');
  });

  it('shows the clock closest to trouble, with its words and due instant', () => {
    expect(worstClock(STATE.sla)?.goal).toBe('Resolve 3d');
    expect(worstClock([clock('a', 'paused'), clock('b', 'breached'), clock('c', 'at-risk')])?.goal).toBe('b');
    expect(worstClock([])).toBeUndefined();
    expect(slaDisplay(worstClock(STATE.sla)!)).toEqual({
      state: 'at-risk',
      label: 'At risk · Resolve 3d · due 2026-11-24T17:00:00.000Z',
      dueAt: '2026-11-24T17:00:00.000Z',
    });
    expect(slaDisplay(clock('First response 4h', 'paused'))).toEqual({
      state: 'paused',
      label: 'Paused · First response 4h',
      dueAt: null,
    });
  });
});
