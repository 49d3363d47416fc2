import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BPIC2013_INCIDENTS, readXesCases, sharedEventLog } from '../../test/xes-cases.ts';
import type { CaseRecord, StateCategoryHints } from '../model/case.ts';
import { defineCalendar } from '../time/calendar.ts';
import { BoundedSample } from './bounded-sample.ts';
import { defineCosts } from './costs.ts';
import { createAnalysis, type AnalysisOptions, type ExactAnalysisState } from './create-analysis.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** What a reader hands an analysis, in order: cases, skipped records, status-category hints. */
type Item =
  | { readonly type: 'case'; readonly record: CaseRecord }
  | { readonly type: 'skip'; readonly count: number }
  | { readonly type: 'hints'; readonly hints: StateCategoryHints };

function feed(options: AnalysisOptions, items: readonly Item[]) {
  const analysis = createAnalysis(options);
  for (const item of items) {
    if (item.type === 'case') analysis.add(item.record);
    else if (item.type === 'skip') analysis.addSkipped(item.count);
    else analysis.addHints(item.hints);
  }
  return analysis;
}

/**
 * One analysis per contiguous run of the items (cut at `cuts`), absorbed in order into the first.
 * Each run is given first the hints given before it (as a reader's hints are replayed to every
 * shard): a state is mapped when first seen, so a shard must know the hints the whole run knew then.
 */
function shardsAbsorbed(
  options: AnalysisOptions,
  items: readonly Item[],
  cuts: readonly number[],
  clone = true,
  replayHints = true,
) {
  const bounds = [0, ...cuts, items.length];
  const hintsBefore = (at: number): Item[] => (replayHints ? items.slice(0, at).filter((x) => x.type === 'hints') : []);
  const shards = bounds
    .slice(1)
    .map((end, i) => feed(options, [...hintsBefore(bounds[i]!), ...items.slice(bounds[i], end)]));
  const first = shards[0]!;
  for (const shard of shards.slice(1)) {
    const state = shard.exactState();
    first.absorb(clone ? structuredClone(state) : state);
  }
  return first;
}

/** The path of the first leaf where two JSON values differ (for a readable failure), or undefined. */
function firstDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
}

/** Byte for byte equal, as JSON; a failure names the first figure that differs. */
function expectSameJson(merged: unknown, whole: unknown): void {
  const [x, y] = [JSON.stringify(merged), JSON.stringify(whole)];
  if (x !== y) expect.fail(`differs at ${firstDifference(JSON.parse(x), JSON.parse(y))}`);
}

/** For each set of cuts, the absorbed shards give the whole analysis's result and partial; returns the whole's result. */
function expectSame(
  options: AnalysisOptions,
  items: readonly Item[],
  cutSets: readonly (readonly number[])[],
  clone = true,
) {
  const whole = feed(options, items);
  const result = whole.result();
  const partial = whole.partial();
  for (const cuts of cutSets) {
    const merged = shardsAbsorbed(options, items, cuts, clone);
    expectSameJson(merged.result(), result);
    expectSameJson(merged.partial(), partial);
  }
  return result;
}

const calendar = defineCalendar({
  timeZone: 'Europe/Brussels',
  week: {
    mon: [
      ['08:30', '12:00'],
      ['13:00', '17:30'],
    ],
    tue: [['08:30', '17:30']],
    wed: [['08:30', '17:30']],
    thu: [['08:30', '17:30']],
    fri: [['08:30', '16:00']],
  },
  holidays: ['2012-04-09', '2012-05-01', '2012-12-25'],
});
// Minutes that are not integers: the overhead sums are then fractions, whose order would show.
const costs = defineCosts({
  minutesPerHandoff: 12.7,
  minutesPerStatusCheck: 4.3,
  minutesPerException: 31.1,
  minutesPerMessage: 2.9,
});
if (!calendar.ok || !costs.ok) throw new Error('bad test settings');

/** An SLA for two cases in three (by id), in business hours that vary by case. */
const sla: AnalysisOptions['slaTargetMs'] = (r) => {
  let h = 0;
  for (let i = 0; i < r.id.length; i++) h = (h * 31 + r.id.charCodeAt(i)) >>> 0;
  return h % 3 === 0 ? undefined : (8 + (h % 40)) * HOUR;
};

/** A real log's cases as reader items, with skipped records and a hint for a state just before it first appears. */
function itemsOf(cases: readonly CaseRecord[], hinted: ReadonlyMap<string, 'new' | 'indeterminate' | 'done'>): Item[] {
  const items: Item[] = [];
  const seen = new Set<string>();
  cases.forEach((record, i) => {
    for (const e of record.events) {
      const state = e.state;
      if (state !== undefined && state !== null && !seen.has(state)) {
        seen.add(state);
        const category = hinted.get(state);
        if (category !== undefined) items.push({ type: 'hints', hints: new Map([[state, category]]) });
      }
    }
    if (i % 997 === 0) items.push({ type: 'skip', count: 1 + (i % 3) });
    items.push({ type: 'case', record });
  });
  return items;
}

/** Cut points at case boundaries (a case's hints stay with it), at these fractions of the items. */
function cutsAt(items: readonly Item[], fractions: readonly number[]): number[] {
  return fractions.map((f) => {
    let at = Math.floor(items.length * f);
    while (at > 0 && items[at - 1]!.type === 'hints') at--;
    return at;
  });
}

// Whole real logs analysed several times over: seconds each on a loaded 2-core machine.
describe('absorbing exact states: shards add up to the whole, byte for byte', { timeout: 120_000 }, () => {
  const bpic = readXesCases(BPIC2013_INCIDENTS);
  const firsts = bpic.map((c) => Math.min(...c.events.map((e) => e.at))).sort((a, b) => a - b);
  const cohort = firsts[Math.floor(firsts.length * 0.6)]!;
  const items = itemsOf(bpic, new Map([['Accepted/Assigned', 'done']]));

  it('reads the real BPIC 2013 incidents log (7,554 cases)', () => {
    expect(bpic.length).toBe(7554);
    expect(bpic.reduce((n, c) => n + c.events.length, 0)).toBe(65533);
  });

  it('BPIC 2013 incidents, split at 2 and at 3 points, default settings', () => {
    expectSame({}, items, [cutsAt(items, [0.5]), cutsAt(items, [0.2, 0.55, 0.9])]);
  });

  it('BPIC 2013 incidents with a calendar, fractional costs, an SLA and a cohort split', () => {
    const options: AnalysisOptions = { calendar: calendar.value, costs: costs.value, slaTargetMs: sla, cohort };
    const kpis = expectSame(options, items, [cutsAt(items, [0.37]), cutsAt(items, [0.1, 0.6, 0.61])]);
    // The settings took effect, so the equality above covers them.
    expect(kpis.cohorts?.comparison).toBeDefined();
    expect(kpis.sla.casesWithTarget).toBeGreaterThan(1000);
    expect(kpis.states['Accepted/Assigned']?.phase).toBe('done');
  });

  it('BPIC 2013 incidents with --since/--until: excluded cases add up too', () => {
    const options: AnalysisOptions = { since: firsts[500], until: firsts[7000], cohort };
    expectSame(options, items, [cutsAt(items, [0.05, 0.5])], false);
  });

  it('empty shards (no cases, only skipped records) absorb as nothing but their counts', () => {
    const head = items.slice(0, 40);
    expectSame({ cohort }, [...head, { type: 'skip', count: 2 }], [[40]]);
    expectSame({ cohort }, [{ type: 'skip', count: 2 }, ...head], [[1]]);
  });

  const helpdesk = sharedEventLog('helpdesk.xes.gz');
  it.skipIf(helpdesk === undefined)('Helpdesk (../shared/data/eventlogs), split at 2 and 3 points', () => {
    const cases = readXesCases(helpdesk!);
    expect(cases.length).toBeGreaterThan(4000);
    const all = itemsOf(cases, new Map());
    expectSame({ calendar: calendar.value, costs: costs.value, slaTargetMs: sla }, all, [cutsAt(all, [0.5])]);
    expectSame({}, all, [cutsAt(all, [0.3, 0.31, 0.8])]);
  });
});

/** Synthetic Jira-like cases: owners that bounce, waits, reopens, comments and status chases. */
const caseArb = (i: number) =>
  fc
    .record({
      start: fc.integer({ min: 0, max: 400 }).map((d) => Date.UTC(2024, 0, 1) + d * DAY),
      steps: fc.array(
        fc.record({
          gapMs: fc.integer({ min: 1, max: 20 * DAY }),
          state: fc.constantFrom(
            'To Do',
            'In Progress',
            'Waiting for customer',
            'Waiting for vendor',
            'Review',
            'Done',
          ),
          owner: fc.constantFrom('ana', 'ben', 'cy', 'L2 team', null),
          comment: fc.constantFrom(undefined, 'any update on this?', 'done, see attached'),
        }),
        { minLength: 0, maxLength: 8 },
      ),
    })
    .map(({ start, steps }): CaseRecord => {
      const id = `S-${i}`;
      const events: CaseRecord['events'][number][] = [
        { caseId: id, at: start, offsetMinutes: 0, kind: 'created', state: 'To Do', owner: null },
      ];
      let at = start;
      for (const s of steps) {
        at += s.gapMs;
        events.push({
          caseId: id,
          at,
          offsetMinutes: 0,
          kind: 'status',
          field: 'status',
          to: s.state,
          state: s.state,
          owner: s.owner,
        });
        if (s.comment !== undefined)
          events.push({ caseId: id, at: at + 1000, offsetMinutes: 0, kind: 'comment', text: s.comment });
      }
      return { id, source: i % 2 === 0 ? 'a.json' : 'b.json', attributes: {}, events };
    });

/**
 * A synthetic log as reader items: cases, with skipped records anywhere and hints (some changing a
 * phase) at the start (as a Jira export gives them) or, with `hintsAnywhere`, anywhere.
 */
const itemsArb = (hintsAnywhere: boolean) =>
  fc
    .integer({ min: 0, max: 60 })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => caseArb(i))))
    .chain((cases) =>
      fc.record({
        cases: fc.constant(cases as CaseRecord[]),
        extras: fc.array(
          fc.record({
            at: fc.integer({ min: 0, max: cases.length }),
            item: fc.oneof(
              fc.record({ type: fc.constant('skip' as const), count: fc.integer({ min: 1, max: 3 }) }),
              fc.record({
                type: fc.constant('hints' as const),
                hints: fc
                  .tuple(
                    fc.constantFrom('Review', 'In Progress', 'Waiting for vendor', 'Triage'),
                    fc.constantFrom('new' as const, 'indeterminate' as const, 'done' as const),
                  )
                  .map(([state, category]) => new Map([[state, category]])),
              }),
            ),
          }),
          { maxLength: 4 },
        ),
      }),
    )
    .chain(({ cases, extras }) => {
      const items: Item[] = cases.map((record) => ({ type: 'case', record }));
      for (const { at, item } of [...extras].sort((a, b) => b.at - a.at))
        items.splice(item.type === 'hints' && !hintsAnywhere ? 0 : at, 0, item);
      return fc.record({
        items: fc.constant(items),
        cuts: fc
          .uniqueArray(fc.integer({ min: 0, max: items.length }), { maxLength: 4 })
          .map((c) => c.sort((a, b) => a - b)),
        cohortDay: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
        window: fc.option(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 200, max: 420 })), {
          nil: undefined,
        }),
        withCalendar: fc.boolean(),
      });
    });

const START = Date.UTC(2024, 0, 1);
const optionsOf = (o: { cohortDay?: number; window?: [number, number]; withCalendar: boolean }): AnalysisOptions => ({
  costs: costs.value,
  slaTargetMs: sla,
  ...(o.withCalendar ? { calendar: calendar.value } : {}),
  ...(o.cohortDay === undefined ? {} : { cohort: START + o.cohortDay * DAY }),
  ...(o.window === undefined ? {} : { since: START + o.window[0] * DAY, until: START + o.window[1] * DAY }),
});

describe('absorbing exact states: property on synthetic cases', { timeout: 120_000 }, () => {
  it('any contiguous split of any log gives the whole analysis, byte for byte', () => {
    fc.assert(
      fc.property(itemsArb(false), ({ items, cuts, ...o }) => {
        expectSame(optionsOf(o), items, [cuts]);
      }),
      { numRuns: 60, interruptAfterTimeLimit: 20_000 },
    );
  });

  // A hint fixes a state's phase only if it comes before the state is first seen; a shard cannot know
  // what the shards before it saw. Such states are refused, and so are shards not given the hints.
  it('shards whose states would be mapped otherwise are refused, never silently different', () => {
    let refused = 0;
    fc.assert(
      fc.property(itemsArb(true), fc.boolean(), ({ items, cuts, ...o }, replay) => {
        const options = optionsOf(o);
        let merged;
        try {
          merged = shardsAbsorbed(options, items, cuts, false, replay);
        } catch (error) {
          expect(String(error)).toMatch(/cannot absorb an analysis that mapped the state '[^']+' to /);
          refused++;
          return;
        }
        const whole = feed(options, items);
        expectSameJson(merged.result(), whole.result());
        expectSameJson(merged.partial(), whole.partial());
      }),
      { numRuns: 80, interruptAfterTimeLimit: 20_000 },
    );
    // The property met the case it is about.
    expect(refused).toBeGreaterThan(0);
  });
});

describe('absorbing exact states: what is refused, and the state as data', () => {
  const record = (id: string, state: string): CaseRecord => ({
    id,
    source: 't.json',
    attributes: {},
    events: [
      { caseId: id, at: Date.UTC(2024, 0, 1), offsetMinutes: 0, kind: 'created', state: 'To Do', owner: 'ana' },
      {
        caseId: id,
        at: Date.UTC(2024, 0, 3),
        offsetMinutes: 0,
        kind: 'status',
        field: 'status',
        to: state,
        state,
        owner: 'ben',
      },
      {
        caseId: id,
        at: Date.UTC(2024, 0, 9),
        offsetMinutes: 0,
        kind: 'status',
        field: 'status',
        to: 'Done',
        state: 'Done',
        owner: 'ben',
      },
    ],
  });
  const stateOf = (options: AnalysisOptions) =>
    feed(options, [{ type: 'case', record: record('B-1', 'Review') }]).exactState();

  it.each<[string, AnalysisOptions, AnalysisOptions]>([
    ['costs', {}, { costs: costs.value }],
    ['calendar', {}, { calendar: calendar.value }],
    ['since', {}, { since: Date.UTC(2023, 0, 1) }],
    ['until', { until: Date.UTC(2030, 0, 1) }, {}],
    ['cohort', { cohort: Date.UTC(2024, 0, 1) }, { cohort: Date.UTC(2024, 6, 1) }],
    ['workflow', {}, { workflow: { states: { Review: { phase: 'queue' } } } }],
    ['sla', { slaTargetMs: sla }, {}],
  ])('refuses a state made with other %s, naming it, and changes nothing', (name, here, there) => {
    const analysis = feed(here, [{ type: 'case', record: record('A-1', 'Review') }]);
    const before = JSON.stringify(analysis.result());
    expect(() => analysis.absorb(stateOf(there))).toThrow(new RegExp(`other ${name}\\b`));
    expect(JSON.stringify(analysis.result())).toBe(before);
  });

  it('refuses a state whose states were mapped without the hints given here, naming the state', () => {
    const first = feed({}, [{ type: 'hints', hints: new Map([['Review', 'done']]) }]);
    const second = feed({}, [{ type: 'case', record: record('B-1', 'Review') }]);
    expect(() => first.absorb(second.exactState())).toThrow(/'Review' to active where this one maps it to done/);
  });

  it('refuses what is not an exact state', () => {
    const analysis = createAnalysis();
    expect(() => analysis.absorb({ kind: 'baton.analysis.partial' } as unknown as ExactAnalysisState)).toThrow(
      /expected the exactState\(\) of an analysis/,
    );
  });

  it('refuses a malformed state (it crosses threads: checked like any input), naming where', () => {
    const state = stateOf({});
    const analysis = createAnalysis();
    const broken = { ...state, all: { ...state.all, counts: state.all.counts.slice(1) } };
    expect(() => analysis.absorb(broken)).toThrow(/malformed analysis state: all\.counts: /);
    const plain = { ...state, waitingDays: { ...state.waitingDays, values: [1, 2] } } as unknown as ExactAnalysisState;
    expect(() => analysis.absorb(plain)).toThrow(/malformed analysis state: waitingDays\.values/);
    expect(JSON.stringify(analysis.result())).toBe(JSON.stringify(createAnalysis().result()));
  });

  it('a state survives structuredClone: absorbing the clone gives the same as absorbing it', () => {
    const items: Item[] = ['Review', 'Waiting for customer', 'Review'].map((s, i) => ({
      type: 'case',
      record: record(`C-${i}`, s),
    }));
    const a = feed({ costs: costs.value }, items.slice(0, 1));
    const b = feed({ costs: costs.value }, items.slice(0, 1));
    const state = feed({ costs: costs.value }, items.slice(1)).exactState();
    a.absorb(state);
    b.absorb(structuredClone(state));
    expect(JSON.stringify(b.result())).toBe(JSON.stringify(a.result()));
    expect(JSON.stringify(b.partial())).toBe(JSON.stringify(a.partial()));
    expect(structuredClone(state)).toEqual(state);
  });

  it('absorbing leaves the absorbed state as it was (it can be absorbed again elsewhere)', () => {
    const items: Item[] = ['Review', 'Review'].map((s, i) => ({ type: 'case', record: record(`D-${i}`, s) }));
    const state = feed({}, items.slice(1)).exactState();
    const copy = structuredClone(state);
    feed({}, items.slice(0, 1)).absorb(state);
    expect(state).toEqual(copy);
  });
});

describe('BoundedSample: absorbing across the cap sketches exactly as pushing does', () => {
  it('for any split of any values, around a small cap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        (values, cut, cap) => {
          const at = Math.min(cut, values.length);
          const whole = new BoundedSample(cap);
          for (const v of values) whole.push(v);
          const head = new BoundedSample(cap);
          const tail = new BoundedSample(cap);
          values.slice(0, at).forEach((v) => head.push(v));
          values.slice(at).forEach((v) => tail.push(v));
          head.absorb(structuredClone(tail.exactState()));
          expect(head.count).toBe(whole.count);
          expect(JSON.stringify(head.sketchState())).toBe(JSON.stringify(whole.sketchState()));
          const q = (s: BoundedSample) => [0, 0.1, 0.5, 0.9, 1].map((p) => s.source().quantile(p));
          expect(q(head)).toEqual(q(whole));
          expect(head.source().sum).toBe(whole.source().sum);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a sample of another cap', () => {
    expect(() => new BoundedSample(4).absorb(new BoundedSample(8).exactState())).toThrow(
      /capped at 8 into one capped at 4/,
    );
  });
});
