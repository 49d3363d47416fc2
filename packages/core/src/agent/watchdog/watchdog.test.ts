import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bpicTraces } from '../../../test/bpic-fixture.ts';
import { createWatchdog, watchCaseOf } from './watchdog.ts';
import { BPIC_WORKFLOW, charterOf } from '../../../test/charters.ts';

const bpic = charterOf({
  workflow: BPIC_WORKFLOW,
  slaGoals: [{ id: 'resolution', target: '5d', pause: [{ on: 'waiting', reasons: ['customer'] }] }],
  routing: { teams: [{ id: 'O3 3rd', lead: 'o3-lead' }] },
  escalation: {
    ladders: [
      {
        id: 'resolution',
        goal: 'resolution',
        steps: [
          {
            slaConsumed: 0.75,
            do: 'nudge-owner',
            message: '{case} ({state}) is at 75 % of its SLA; blocking: {blocking}',
          },
          { slaConsumed: 1, do: 'notify-lead', message: '{case} breached: {stakes}' },
        ],
      },
    ],
  },
  caps: { maxNudgesPerCasePerDay: 5 },
});

const trace = bpicTraces().find((t) => t.id === '1-467153946')!;
// Tuesday 1 March 2011, noon UTC: the incident has sat in "Wait - Implementation" with O3 3rd since 7 February.
const NOW = Date.parse('2011-03-01T12:00:00Z');

describe('watchdog on a real BPIC 2013 incident', () => {
  const dog = createWatchdog(bpic, { norms: new Map([['Accepted/Wait - Implementation', 16 * 3_600_000]]) });

  it('nudges on the stall, the SLA breach and the ladder step, each with its context', () => {
    const wc = watchCaseOf(trace, bpic, NOW);
    expect(wc.state).toBe('Accepted/Wait - Implementation');
    expect(wc.owner).toBe('O3 3rd');
    const ds = dog.evaluate(wc, NOW);
    expect(ds.map((d) => d.rule)).toEqual(['watchdog.stall', 'watchdog.sla', 'watchdog.ladder']);
    const [stall, sla, ladder] = ds as [(typeof ds)[0], (typeof ds)[0], (typeof ds)[0]];
    expect(stall.actions[0]).toMatchObject({ kind: 'notify', to: 'O3 3rd' });
    const message = (stall.actions[0] as { message: string }).message;
    expect(message).toContain('idle in Accepted/Wait - Implementation');
    expect(message).toContain('Blocking: waiting on internal');
    expect(stall.evidence.find((e) => e.label === 'in state since')?.value).toBe('2011-02-07 11:38');
    expect(sla.threshold).toBe('sla:resolution:breach');
    // Breached: the highest crossed step of the ladder goes to the team's lead, not the 75 % nudge.
    expect(ladder.actions[0]).toEqual({
      kind: 'escalate',
      to: 'o3-lead',
      message: expect.stringContaining('1-467153946 breached'),
    });
    expect(ladder.threshold).toBe('ladder:resolution:1');
    expect(ds.every((d) => d.disposition === 'suggest')).toBe(true);
  });

  it('nudges on the breach of a goal with no warning line (warnAt: [])', () => {
    const noWarn = charterOf({
      workflow: BPIC_WORKFLOW,
      slaGoals: [{ id: 'resolution', target: '5d', warnAt: [], pause: [{ on: 'waiting', reasons: ['customer'] }] }],
    });
    const quiet = createWatchdog(noWarn);
    const ds = quiet.evaluate(watchCaseOf(trace, noWarn, NOW), NOW).filter((d) => d.rule === 'watchdog.sla');
    expect(ds.map((d) => d.threshold)).toEqual(['sla:resolution:breach']);
    // A day before the target (the incident waits on implementation from 7 February): nothing yet, and the
    // breach is the case's next due time, with no event in between.
    const early = Date.parse('2011-02-08T12:00:00Z');
    const wc = watchCaseOf(trace, noWarn, early);
    expect(quiet.evaluate(wc, early)).toEqual([]);
    const due = quiet.nextDueAt(wc, early);
    expect(due).not.toBeNull();
    expect(quiet.evaluate(wc, due!).map((d) => d.threshold)).toEqual(['sla:resolution:breach']);
  });

  it('never repeats a step already taken, and re-evaluating yields the same ids', () => {
    const first = dog.evaluate(watchCaseOf(trace, bpic, NOW), NOW);
    const again = dog.evaluate(watchCaseOf(trace, bpic, NOW + 3_600_000), NOW + 3_600_000);
    expect(again.map((d) => d.id)).toEqual(first.map((d) => d.id));
    const taken = new Set(first.map((d) => d.threshold));
    expect(dog.evaluate(watchCaseOf(trace, bpic, NOW, taken), NOW)).toEqual([]);
  });

  it('stays silent on closed cases, outside business hours and right after a person touched the case', () => {
    expect(
      dog.evaluate(watchCaseOf(trace, bpic, Date.parse('2012-06-01T12:00:00Z')), Date.parse('2012-06-01T12:00:00Z')),
    ).toEqual([]);
    const saturday = Date.parse('2011-03-05T12:00:00Z');
    expect(
      dog.evaluate(watchCaseOf(trace, bpic, saturday), saturday).every((d) => d.dispositionRule === 'caps.quietHours'),
    ).toBe(true);
    // 9 March 10:27Z: Åse touched it at 10:08Z.
    const touched = Date.parse('2011-03-09T10:30:00Z');
    const ds = dog.evaluate(watchCaseOf(trace, bpic, touched), touched);
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.every((d) => d.disposition === 'drop' && d.dispositionRule === 'caps.recentTouch')).toBe(true);
  });

  it('lists the people its texts name by id (owner, the reporter waited on, the lead), for a caller to name', () => {
    const wc = { ...watchCaseOf(trace, bpic, NOW), attributes: { reporter: 'prashant_saini_1' } };
    const [stall, , ladder] = dog.propose(wc, NOW);
    expect((stall!.actions[0] as { message: string }).message).toContain('waiting: prashant_saini_1');
    expect(stall!.people).toEqual(['O3 3rd', 'prashant_saini_1', 'o3-lead']);
    expect(ladder!.actions[0]).toMatchObject({ kind: 'escalate', to: 'o3-lead' });
    expect(ladder!.people).toContain('O3 3rd');
  });

  it('caps nudges per person across a run', () => {
    const capped = charterOf({ ...bpic, version: 2, caps: { maxNudgesPerPersonPerDay: 1, maxNudgesPerCasePerDay: 5 } });
    const wc = watchCaseOf(trace, capped, NOW);
    const ds = createWatchdog(capped).run([wc, { ...wc, caseId: 'copy' }], NOW);
    expect(ds.filter((d) => d.disposition !== 'drop' && d.actions.some((a) => a.kind === 'notify'))).toHaveLength(1);
    expect(ds.some((d) => d.dispositionRule === 'caps.perPersonDay')).toBe(true);
  });

  it('splits into checks: stall + idle and sla together propose what all checks propose, ungated', () => {
    const wc = watchCaseOf(trace, bpic, NOW);
    const norms = new Map([['Accepted/Wait - Implementation', 16 * 3_600_000]]);
    const all = createWatchdog(bpic, { norms }).propose(wc, NOW);
    const stall = createWatchdog(bpic, { norms, checks: ['stall', 'idle'] }).propose(wc, NOW);
    const sla = createWatchdog(bpic, { norms, checks: ['sla'] }).propose(wc, NOW);
    expect(stall.map((p) => p.rule)).toEqual(['watchdog.stall']);
    expect(sla.map((p) => p.rule)).toEqual(['watchdog.sla', 'watchdog.ladder']);
    expect([...stall, ...sla]).toEqual(all);
    // Proposals carry no disposition: the gate has not seen them.
    expect(all.every((p) => !('disposition' in p))).toBe(true);
    expect(stall[0]!.evidence.find((e) => e.label === 'norm')).toEqual({
      label: 'norm',
      value: '2d',
      source: 'history:p90',
    });
  });

  it("falls back to the charter's workflow.norm for a state with no norm of its own; history's p90 wins over it", () => {
    const wc = watchCaseOf(trace, bpic, NOW);
    const withNorm = (norm: string) => charterOf({ ...bpic, version: 2, workflow: { ...bpic.workflow, norm } });
    const stalls = (c: ReturnType<typeof charterOf>, norms?: Map<string, number>) =>
      createWatchdog(c, norms === undefined ? {} : { norms })
        .propose(wc, NOW)
        .filter((p) => p.rule === 'watchdog.stall');
    // Idle since 7 February: about 16 business days.
    expect(stalls(withNorm('6w'))).toEqual([]);
    expect(stalls(withNorm('2d'))[0]!.evidence.find((e) => e.label === 'norm')).toEqual({
      label: 'norm',
      value: '2d',
      source: 'charter',
    });
    expect(stalls(bpic)[0]!.evidence.find((e) => e.label === 'norm')).toMatchObject({ value: '3d', source: 'default' });
    const history = new Map([['Accepted/Wait - Implementation', 16 * 3_600_000]]);
    expect(stalls(withNorm('6w'), history)[0]!.evidence.find((e) => e.label === 'norm')).toMatchObject({
      source: 'history:p90',
    });
  });

  it('ignores a case in an unknown state with no owner rather than nudging nobody', () => {
    const wc = { ...watchCaseOf(trace, bpic, NOW), owner: null };
    expect(dog.evaluate(wc, NOW).filter((d) => d.rule === 'watchdog.stall')).toEqual([]);
  });
});

describe('watchdog idempotency (fast-check)', () => {
  const dog = createWatchdog(bpic);
  const start = trace.events[0]!.at;
  const end = trace.events[trace.events.length - 1]!.at;

  it('re-evaluating the same events yields no new decision ids once their steps are taken', () => {
    fc.assert(
      fc.property(fc.integer({ min: start, max: end }), fc.integer({ min: 0, max: 4 * 3_600_000 }), (now, later) => {
        const first = dog.evaluate(watchCaseOf(trace, bpic, now), now);
        const twice = dog.evaluate(watchCaseOf(trace, bpic, now), now);
        expect(twice.map((d) => d.id)).toEqual(first.map((d) => d.id));
        const taken = new Set(first.filter((d) => d.disposition !== 'drop').map((d) => d.threshold));
        const seen = new Set(first.map((d) => d.id));
        // No event happened in between: the only new decisions are steps that were dropped (caps) before.
        const t = Math.min(now + later, trace.events.find((e) => e.at > now)?.at ?? Infinity) - 1;
        if (t < now) return;
        const again = dog.evaluate(watchCaseOf(trace, bpic, t, taken), t);
        for (const d of again) expect(taken.has(d.threshold)).toBe(false);
        // Anything proposed again carries an id seen before (same case, rule, threshold).
        for (const d of again) if (first.some((f) => f.threshold === d.threshold)) expect(seen.has(d.id)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
