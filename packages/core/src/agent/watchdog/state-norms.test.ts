import { describe, expect, it } from 'vitest';
import { bpicTraces } from '../../../test/bpic-fixture.ts';
import { BPIC_WORKFLOW, charterOf } from '../../../test/charters.ts';
import { summarizeCase } from '../../analysis/summarize-case.ts';
import { compileCharter } from '../../charter/compile-charter.ts';
import type { CaseRecord } from '../../model/case.ts';
import type { CaseEvent } from '../../model/event.ts';
import { createWorkflowResolver } from '../../model/workflow.ts';
import { DEFAULT_CALENDAR } from '../../time/calendar.ts';
import { createStateNorms, StateNormsStateSchema } from './state-norms.ts';
import { createWatchdog, watchCaseOf } from './watchdog.ts';

const HOUR = 3_600_000;
/** Monday 2 November 2026, 09:00 UTC: the default calendar's business hours start. */
const MONDAY = Date.UTC(2026, 10, 2, 9);
const resolve = createWorkflowResolver({ states: { Triage: { phase: 'queue' }, Fixing: { phase: 'active' } } });

/** A case created in Triage, moved to Fixing after `triageH` hours, resolved after `fixH` more (all inside Monday's hours). */
function resolved(id: string, triageH: number, fixH: number, day = 0): CaseRecord {
  const t0 = MONDAY + day * 7 * 24 * HOUR;
  const ev = (at: number, kind: CaseEvent['kind'], state: string): CaseEvent => ({
    caseId: id,
    at,
    offsetMinutes: 0,
    kind,
    state,
    ...(kind === 'status' ? { field: 'status', to: state } : {}),
  });
  return {
    id,
    source: 'test',
    attributes: {},
    events: [
      ev(t0, 'created', 'Triage'),
      ev(t0 + triageH * HOUR, 'status', 'Fixing'),
      ev(t0 + (triageH + fixH) * HOUR, 'status', 'Done'),
    ],
  };
}

describe('per-state norms learned from resolved cases (p90 of time in state)', () => {
  it("is the p90 of each state's finished stays in business time, from core's time in state", () => {
    const learner = createStateNorms({ calendar: DEFAULT_CALENDAR, resolve });
    // Fixing takes 1..4 hours on twenty cases: p90 (type 7) of 1,1,…,4 is 4h; Triage is an hour each.
    for (let i = 0; i < 20; i++) learner.add(resolved(`C-${i}`, 1, 1 + (i % 4)));
    const norms = learner.norms();
    expect(norms.get('fixing')! / HOUR).toBeCloseTo(4, 1);
    expect(norms.get('triage')! / HOUR).toBeCloseTo(1, 1);
    // The done state is never a norm: it is not a stay anyone waits out.
    expect(norms.has('done')).toBe(false);
    expect(learner.cases).toBe(20);
    // The same figure core's analysis gives for a visit (business time, not wall time).
    const visit = summarizeCase(resolved('X', 1, 3), { calendar: DEFAULT_CALENDAR, resolve }).visits[1]!;
    expect(visit.state).toBe('Fixing');
    expect(visit.businessMs).toBe(3 * HOUR);
  });

  it('leaves out the last stay of a case that is still open and states with too few stays', () => {
    const learner = createStateNorms({ calendar: DEFAULT_CALENDAR, resolve, minSamples: 3 });
    const open = (id: string): CaseRecord => {
      const r = resolved(id, 2, 1);
      return { ...r, events: r.events.slice(0, 2) }; // in Fixing since, not left yet
    };
    for (const id of ['A', 'B', 'C']) learner.add(open(id));
    expect(learner.norms().get('triage')! / HOUR).toBeCloseTo(2, 1);
    expect(learner.norms().has('fixing')).toBe(false);
    expect(learner.samples().get('fixing')).toBeUndefined();
    learner.add(resolved('D', 2, 5));
    expect(learner.samples().get('fixing')).toBe(1);
    expect(learner.norms().has('fixing')).toBe(false);
  });

  it('never learns a norm shorter than the floor (a state cases leave at once)', () => {
    const learner = createStateNorms({ calendar: DEFAULT_CALENDAR, resolve, minSamples: 1 });
    learner.add(resolved('Q', 0.01, 1));
    expect(learner.norms().get('triage')).toBe(HOUR);
  });

  it('continues from its stored state: learning in steps is learning at once', () => {
    const all = Array.from({ length: 30 }, (_, i) => resolved(`C-${i}`, (i % 5) + 0.5, (i % 7) + 1, i % 3));
    const once = createStateNorms({ calendar: DEFAULT_CALENDAR, resolve });
    for (const r of all) once.add(r);
    const first = createStateNorms({ calendar: DEFAULT_CALENDAR, resolve });
    for (const r of all.slice(0, 13)) first.add(r);
    const stored = StateNormsStateSchema.parse(JSON.parse(JSON.stringify(first.state())));
    const second = createStateNorms({ calendar: DEFAULT_CALENDAR, resolve, from: stored });
    for (const r of all.slice(13)) second.add(r);
    expect(second.norms()).toEqual(once.norms());
    expect(second.cases).toBe(30);
  });

  it('refuses a stored state that is not one, naming the path', () => {
    const bad = StateNormsStateSchema.safeParse({ version: 1, cases: 2, states: [['fixing', { alpha: 0.005 }]] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path.slice(0, 3)).toEqual(['states', 0, 1]);
  });

  it("drives the watchdog's stall on real BPIC 2013 incidents, and a charter norm wins", () => {
    const traces = bpicTraces();
    const charter = charterOf({ workflow: BPIC_WORKFLOW });
    const c = compileCharter(charter);
    const learner = createStateNorms({ calendar: c.calendar, resolve: c.resolve, minSamples: 1 });
    for (const t of traces) learner.add(t);
    const norms = learner.norms();
    expect(norms.size).toBeGreaterThan(0);
    const trace = traces.find((t) => t.id === '1-467153946')!;
    const at = Date.parse('2011-03-01T12:00:00Z');
    const wc = watchCaseOf(trace, c, at);
    const stall = (dog: ReturnType<typeof createWatchdog>) =>
      dog.propose(wc, at).find((p) => p.rule === 'watchdog.stall');
    // Idle in "Wait - Implementation" since 7 February: beyond the one default norm (3 business days),
    // within what these incidents' stays there took (the learned p90, 337 business hours): no stall.
    expect(wc.state).toBe('Accepted/Wait - Implementation');
    expect(norms.get(wc.state!.toLowerCase())! / HOUR).toBeGreaterThan(300);
    expect(stall(createWatchdog(c))?.evidence.find((e) => e.label === 'norm')?.source).toBe('default');
    expect(stall(createWatchdog(c, { norms }))).toBeUndefined();
    // A charter norm for that state wins over the learned one.
    const own = charterOf({
      workflow: {
        ...BPIC_WORKFLOW,
        states: {
          ...BPIC_WORKFLOW.states,
          'Accepted/Wait - Implementation': { phase: 'waiting', waitingReason: 'internal', norm: '1d' },
        },
      },
    });
    expect(
      stall(createWatchdog(compileCharter(own), { norms }))?.evidence.find((e) => e.label === 'norm')?.source,
    ).toBe('charter');
  });
});
