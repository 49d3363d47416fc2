import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bpicTraces } from '../../test/bpic-fixture.ts';
import { quantileSorted } from '../analysis/stats.ts';
import { compileCharter, type CompiledCharter } from '../charter/compile-charter.ts';
import { formatDuration } from '../charter/duration.ts';
import { parseCharter } from '../charter/parse-charter.ts';
import type { CaseEvent } from '../model/event.ts';
import type { CaseRecord } from '../model/case.ts';
import { addBusinessTime, businessTimeBetween, isBusinessTime, nextBusinessTime } from '../time/calendar.ts';
import { traitsOf } from '../decision/action.ts';
import type { Decision } from '../decision/decision.ts';
import { createIdleNorms } from '../agent/watchdog/idle-norms.ts';
import { createReplayEngine, type ReplayObservation, type ReplayPattern } from './replay.ts';
import { ALL_REPLAY_PATTERNS } from './replay-patterns.ts';
import { replayTimeline } from './replay-timeline.ts';
import { slaClocks } from '../sla/sla.ts';
import { createWatchdogPattern } from './patterns/watchdog-pattern.ts';

// The bundled example charter for the BPIC 2013 incidents (repo-root examples/charters), as the CLI reads it.
const doc = parse(
  readFileSync(
    join(import.meta.dirname, '..', '..', '..', '..', 'examples', 'charters', 'bpic2013-incidents.yaml'),
    'utf8',
  ),
) as Record<string, unknown>;
const parsed = parseCharter(doc);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
const CHARTER = compileCharter(parsed.value);
const HOUR = 3_600_000;

const CASES = bpicTraces();
const TIMELINE = timeline(CASES);

function timeline(cases: readonly CaseRecord[]): CaseEvent[] {
  return cases.flatMap((c) => c.events).sort((a, b) => a.at - b.at);
}

function replay(
  options: {
    cases?: readonly CaseRecord[];
    events?: readonly CaseEvent[];
    charter?: CompiledCharter;
    patterns?: readonly ReplayPattern[];
    tickMs?: number | null;
  } = {},
) {
  const charter = options.charter ?? CHARTER;
  const observations: ReplayObservation[] = [];
  const engine = createReplayEngine({
    charter,
    patterns: options.patterns ?? ALL_REPLAY_PATTERNS,
    onObservation: (o) => observations.push(o),
  });
  for (const c of options.cases ?? CASES) engine.addCase(c);
  const decisions: Decision[] = [];
  const feed = (events: readonly CaseEvent[]): Decision[] => {
    const out: Decision[] = [];
    for (const step of replayTimeline(engine, events, {
      calendar: charter.calendar,
      tickMs: options.tickMs === undefined ? HOUR : options.tickMs,
    }))
      out.push(...step.decisions);
    decisions.push(...out);
    return out;
  };
  feed(options.events ?? TIMELINE);
  return { engine, decisions, observations, feed };
}

const isNudge = (d: Decision): boolean => d.disposition !== 'drop' && d.actions.some((a) => traitsOf(a).nudge);
const dayOf = (at: number): string => new Date(at).toISOString().slice(0, 10);

describe('every pattern in the replay, on real BPIC 2013 incidents under the bundled charter', () => {
  const run = replay();

  it('lists each of core’s patterns once, and each of them decides something on these two incidents', () => {
    expect(ALL_REPLAY_PATTERNS.map((p) => p.id)).toEqual(['router', 'sla-clocks', 'watchdog', 'clerk', 'concierge']);
    const rules = new Set(run.decisions.map((d) => d.rule));
    for (const rule of ['router.due', 'watchdog.sla', 'watchdog.stall', 'watchdog.ladder', 'clerk.handoff'])
      expect(rules).toContain(rule);
    expect([...rules].some((r) => r.startsWith('concierge.update.'))).toBe(true);
    expect(run.engine.stats.ticks).toBeGreaterThan(100);
  });

  it('reports each SLA breach once, at the moment the clock crossed its target', () => {
    const breach = run.observations.find((o) => o.caseId === '1-467153946' && o.goal === 'resolution');
    expect(breach).toBeDefined();
    const trace = CASES.find((c) => c.id === '1-467153946')!;
    const at = breach!.at;
    const read = (t: number) => slaClocks(trace, CHARTER, t).find((r) => r.goalId === 'resolution')!;
    expect(read(at - 60_000).breached).toBe(false);
    expect(read(at + 60_000).breached).toBe(true);
    const keys = run.observations.map((o) => `${o.caseId}|${o.goal}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('never repeats a step for the same case and threshold', () => {
    const kept = run.decisions.filter((d) => d.disposition !== 'drop');
    const keys = kept.map((d) => d.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(kept.filter((d) => d.rule === 'watchdog.ladder').length).toBeGreaterThan(0);
  });

  it('respects the caps, quiet hours and recent touch; what they held back is dropped with the cap that held it', () => {
    const caps = CHARTER.charter.caps;
    const perCaseDay = new Map<string, number>();
    const perPersonDay = new Map<string, number>();
    for (const d of run.decisions.filter(isNudge)) {
      const k = `${d.caseId}|${dayOf(d.at)}`;
      perCaseDay.set(k, (perCaseDay.get(k) ?? 0) + 1);
      for (const a of d.actions) {
        const to = traitsOf(a).recipient;
        if (to !== null) perPersonDay.set(`${to}|${dayOf(d.at)}`, (perPersonDay.get(`${to}|${dayOf(d.at)}`) ?? 0) + 1);
      }
      expect(isBusinessTime(CHARTER.calendar, d.at)).toBe(true);
      const trace = CASES.find((c) => c.id === d.caseId)!;
      const last = trace.events.filter((e) => e.at <= d.at).at(-1)!.at;
      expect(businessTimeBetween(CHARTER.calendar, last, d.at)).toBeGreaterThanOrEqual(CHARTER.recentTouchMs);
    }
    expect(Math.max(...perCaseDay.values())).toBeLessThanOrEqual(caps.maxNudgesPerCasePerDay);
    expect(Math.max(...perPersonDay.values())).toBeLessThanOrEqual(caps.maxNudgesPerPersonPerDay);
    const held = new Set(run.decisions.filter((d) => d.disposition === 'drop').map((d) => d.dispositionRule));
    expect(held).toContain('caps.perCaseDay');
  });

  it('records a firing held back by the same cap once, not at every tick', () => {
    const drops = run.decisions
      .filter((d) => d.disposition === 'drop')
      .map((d) => `${d.idempotencyKey}|${d.dispositionRule}`);
    expect(new Set(drops).size).toBe(drops.length);
    expect(run.engine.stats.heldBack).toBeGreaterThan(0);
  });

  it('is idempotent: the same events and ticks again decide nothing new', () => {
    const again = replay();
    expect(again.feed(TIMELINE)).toEqual([]);
    expect(again.engine.stats.duplicateEvents).toBe(TIMELINE.length);
    expect(again.engine.stats.staleTicks).toBeGreaterThan(0);
  });

  it('is idempotent from any restart point: a prefix, then the whole history, decides exactly what one pass does (property)', () => {
    const once = run.decisions.map((d) => `${d.id}|${d.disposition}|${d.at}`);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: TIMELINE.length }), (k) => {
        const r = replay({ events: TIMELINE.slice(0, k) });
        r.feed(TIMELINE);
        expect(r.decisions.map((d) => `${d.id}|${d.disposition}|${d.at}`)).toEqual(once);
      }),
      { numRuns: 15 },
    );
  });

  it('never looks ahead: up to any moment, it decides the same whether or not the rest of the history exists (property)', () => {
    const first = TIMELINE[0]!.at;
    const last = TIMELINE.at(-1)!.at;
    fc.assert(
      fc.property(fc.integer({ min: first, max: last }), (cut) => {
        const cases = CASES.map((c) => ({ ...c, events: c.events.filter((e) => e.at <= cut) })).filter(
          (c) => c.events.length > 0,
        );
        const events = timeline(cases);
        const until = events.at(-1)!.at;
        const partial = replay({ cases, events }).decisions;
        const key = (d: Decision) => `${d.id}|${d.disposition}|${d.at}`;
        expect(partial.map(key)).toEqual(run.decisions.filter((d) => d.at <= until).map(key));
      }),
      { numRuns: 15 },
    );
  });

  it('failure path: an unknown state is handled by the default mapping, not dropped or thrown', () => {
    const trace = CASES[0]!;
    const odd: CaseRecord = {
      ...trace,
      id: 'odd',
      events: trace.events.map((e, i) =>
        i === 1 ? { ...e, caseId: 'odd', state: 'Mystery/Limbo', to: 'Mystery/Limbo' } : { ...e, caseId: 'odd' },
      ),
    };
    const r = replay({ cases: [odd], events: odd.events });
    expect(r.decisions.length).toBeGreaterThan(0);
    expect(r.engine.getCase('odd')!.record.events).toHaveLength(odd.events.length);
  });

  it('failure path: two patterns with one id are a programmer error', () => {
    expect(() =>
      createReplayEngine({ charter: CHARTER, patterns: [...ALL_REPLAY_PATTERNS, ALL_REPLAY_PATTERNS[0]!] }),
    ).toThrow(/two patterns with the id 'router'/);
  });
});

describe('stall norms', () => {
  it('createIdleNorms: p90 per state, case-insensitive, only with enough gaps, never below the floor', () => {
    const n = createIdleNorms({ minSamples: 5, floorMs: HOUR });
    for (let i = 1; i <= 10; i++) n.add(i % 2 === 0 ? 'Queued' : 'queued', i * HOUR);
    n.add('Rare', 100 * HOUR);
    for (let i = 0; i < 5; i++) n.add('Instant', 0);
    expect(n.pending).toBe(16);
    const norms = n.norms();
    expect(norms.get('queued')).toBe(
      quantileSorted(
        Float64Array.from({ length: 10 }, (_, i) => (i + 1) * HOUR),
        0.9,
      ),
    );
    expect(norms.has('rare')).toBe(false);
    expect(norms.get('instant')).toBe(HOUR);
    expect(n.pending).toBe(0);
  });

  it('a stall cites the charter’s norm where it sets one, else the p90 learned from gaps that ended before that day’s first tick', () => {
    const learnedDog = createWatchdogPattern({ minSamples: 2 });
    const patterns = ALL_REPLAY_PATTERNS.map((p) => (p.id === 'watchdog' ? learnedDog : p));
    const { decisions } = replay({ patterns });
    const stalls = decisions.filter((d) => d.rule === 'watchdog.stall');
    const sources = new Set(stalls.map((d) => d.evidence.find((e) => e.label === 'norm')!.source));
    expect(sources).toContain('history:p90');
    const queued = stalls.find((d) => d.threshold.startsWith('stall:Queued/Awaiting Assignment@'));
    if (queued !== undefined)
      expect(queued.evidence.find((e) => e.label === 'norm')).toEqual({
        label: 'norm',
        value: '1d',
        source: 'charter',
      });

    // Recompute one learned norm by hand: the gaps per state that ended by the first tick of the stall's UTC day.
    const ticks: number[] = [];
    for (
      let t = nextBusinessTime(CHARTER.calendar, TIMELINE[0]!.at);
      t <= TIMELINE.at(-1)!.at;
      t = addBusinessTime(CHARTER.calendar, t, HOUR)
    )
      ticks.push(t);
    const learned = stalls.filter((d) => d.evidence.find((e) => e.label === 'norm')!.source === 'history:p90');
    for (const d of learned) {
      const refresh = ticks.find((t) => dayOf(t) === dayOf(d.at))!;
      const state = d.threshold.slice('stall:'.length, d.threshold.lastIndexOf('@'));
      const gaps: number[] = [];
      for (const c of CASES) {
        for (let i = 1; i < c.events.length; i++) {
          const prev = c.events[i - 1]!;
          if (c.events[i]!.at <= refresh && prev.state?.toLowerCase() === state.toLowerCase())
            gaps.push(businessTimeBetween(CHARTER.calendar, prev.at, c.events[i]!.at));
        }
      }
      const p90 = Math.max(HOUR, quantileSorted(Float64Array.from(gaps).sort(), 0.9)!);
      expect(d.evidence.find((e) => e.label === 'norm')!.value).toBe(formatDuration(p90));
    }
    expect(learned.length).toBeGreaterThan(0);
  });
});
