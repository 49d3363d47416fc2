import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bpicTraces } from '../../../test/bpic-fixture.ts';
import { BPIC_WORKFLOW, charterOf } from '../../../test/charters.ts';
import { compileCharter } from '../../charter/compile-charter.ts';
import type { Decision } from '../../decision/decision.ts';
import { clockReachesAt, readClock } from '../../sla/sla.ts';
import { createWatchdog, watchCaseOf, type WatchCase } from './watchdog.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TRACES = bpicTraces();
const nineToFive = [['09:00', '17:00']];
const week = { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive };
// The SLA goal's own calendar can differ from the default one (idle time, norms, quiet hours).
const support = {
  mon: [
    ['07:00', '12:00'],
    ['13:00', '19:00'],
  ],
  tue: nineToFive,
  wed: nineToFive,
  thu: nineToFive,
  fri: [['08:00', '14:00']],
  sat: [['10:00', '14:00']],
};

const STEP_KINDS = ['nudge-owner', 'notify-lead', 'reassign', 'raise-priority'] as const;
const step = fc.record({
  do: fc.constantFrom(...STEP_KINDS),
  target: fc.option(fc.constantFrom('someone', 'o3-lead'), { nil: undefined }),
});

/** Random charter documents over the BPIC 2013 workflow: an SLA goal with ladders, idle ladders, caps, quiet hours, autonomy. */
const charterArb = fc
  .record({
    timeZone: fc.constantFrom('UTC', 'Europe/Amsterdam', 'America/New_York'),
    goalCalendar: fc.constantFrom('default', 'support'),
    target: fc.constantFrom('4h', '1d', '3d', '5d', '20d'),
    warnAt: fc.option(fc.double({ min: 0.05, max: 0.95, noNaN: true }), { nil: undefined }),
    pause: fc.boolean(),
    slaSteps: fc.array(fc.tuple(fc.constantFrom(0.25, 0.5, 0.9, 1, 1.5), step), { minLength: 1, maxLength: 3 }),
    idleSteps: fc.array(fc.tuple(fc.constantFrom('30m', '2h', '1d', '3d', '15d'), step), { maxLength: 3 }),
    lead: fc.boolean(),
    perCase: fc.integer({ min: 0, max: 3 }),
    perPerson: fc.integer({ min: 0, max: 3 }),
    quietHours: fc.option(
      fc.tuple(
        fc.constantFrom('00:00', '06:30', '12:00', '18:00', '22:15'),
        fc.constantFrom('00:00', '07:00', '13:45', '20:00'),
      ),
      { nil: null },
    ),
    quietOutsideBusinessHours: fc.boolean(),
    recentTouch: fc.constantFrom('1m', '1h', '4h', '2d'),
    autonomy: fc.constantFrom('off', 'assist', 'automate', 'enforce'),
    notify: fc.option(fc.constantFrom('off', 'assist', 'automate'), { nil: undefined }),
  })
  .map((r) => ({
    calendars: { default: { timeZone: r.timeZone, week }, support: { timeZone: r.timeZone, week: support } },
    workflow: BPIC_WORKFLOW,
    slaGoals: [
      {
        id: 'resolution',
        calendar: r.goalCalendar,
        target: r.target,
        ...(r.warnAt === undefined ? {} : { warnAt: [r.warnAt] }),
        ...(r.pause ? { pause: [{ on: 'waiting', reasons: ['customer'] }] } : {}),
      },
    ],
    routing: {
      teams: r.lead ? ['O3 3rd', 'G140 2nd', 'N52 2nd', 'V5 3rd', 'V30'].map((id) => ({ id, lead: `${id} lead` })) : [],
    },
    escalation: {
      ladders: [
        ...(r.slaSteps.length === 0
          ? []
          : [
              {
                id: 'sla',
                goal: 'resolution',
                steps: r.slaSteps.map(([slaConsumed, s]) => ({
                  slaConsumed,
                  ...s,
                  priority: 'high',
                  message: '{case}: {goal}',
                })),
              },
            ]),
        ...(r.idleSteps.length === 0
          ? []
          : [
              {
                id: 'idle',
                steps: r.idleSteps.map(([idle, s]) => ({
                  idle,
                  ...s,
                  priority: 'high',
                  message: '{case} idle {idle}',
                })),
              },
            ]),
      ],
    },
    caps: {
      maxNudgesPerCasePerDay: r.perCase,
      maxNudgesPerPersonPerDay: r.perPerson,
      quietHours: r.quietHours === null ? null : { from: r.quietHours[0], to: r.quietHours[1] },
      quietOutsideBusinessHours: r.quietOutsideBusinessHours,
      recentTouch: r.recentTouch,
    },
    autonomy: { default: r.autonomy, kinds: r.notify === undefined ? {} : { notify: r.notify } },
  }));

const signature = (ds: readonly Decision[]): string[] =>
  ds.map((d) => `${d.threshold} ${d.disposition} ${d.dispositionRule}`);

/** The case and moment: a real trace cut at `now`, some steps already taken, a few nudges sent today, maybe a later human touch. */
const scenario = fc.record({
  trace: fc.constantFrom(...TRACES),
  event: fc.nat(),
  after: fc.integer({ min: 0, max: 20 * DAY }),
  // Half the time, the moment is moved near a share of the SLA goal (when no event comes first), where its lines are.
  aim: fc.option(
    fc.tuple(fc.double({ min: 0.05, max: 1.6, noNaN: true }), fc.integer({ min: -2 * HOUR, max: 2 * HOUR })),
    { nil: undefined },
  ),
  taken: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  nudgesToday: fc.integer({ min: 0, max: 3 }),
  touchedAgo: fc.option(fc.integer({ min: 0, max: 3 * DAY }), { nil: undefined }),
  norm: fc.constantFrom(HOUR, 8 * HOUR, 3 * 8 * HOUR, 30 * 8 * HOUR),
  samples: fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 2, maxLength: 4 }),
});

describe('watchdog nextDueAt (fast-check)', () => {
  it('nothing changes between now and nextDueAt, and something does at it', () => {
    fc.assert(
      fc.property(charterArb, scenario, (doc, s) => {
        const charter = compileCharter(charterOf(doc));
        const dog = createWatchdog(charter, { defaultNormMs: s.norm });
        let now = s.trace.events[s.event % s.trace.events.length]!.at + s.after;
        const clock = watchCaseOf(s.trace, charter, now).clocks[0];
        if (s.aim !== undefined && clock !== null && clock !== undefined) {
          const at = clockReachesAt(charter.goals[0]!, clock, Math.round(s.aim[0] * charter.goals[0]!.targetMs));
          const nextEvent = s.trace.events.find((e) => e.at > now)?.at ?? Infinity;
          if (at !== null) now = Math.max(now, Math.min(at + s.aim[1], nextEvent - 1));
        }
        // Steps taken: some of what fires now or within the next weeks.
        const ahead = [now, now + 2 * DAY, now + 9 * DAY, now + 40 * DAY].flatMap((t) =>
          dog.propose(watchCaseOf(s.trace, charter, now), t).map((p) => p.threshold),
        );
        const takenSteps = new Set([...new Set(ahead)].filter((_, i) => s.taken[i % 8]));
        const base = watchCaseOf(s.trace, charter, now, takenSteps);
        const wc: WatchCase = {
          ...base,
          nudgesToday: s.nudgesToday,
          lastHumanActivityAt: s.touchedAgo === undefined ? base.lastHumanActivityAt : now - s.touchedAgo,
        };
        // Per-day caps count the UTC day of `now`; a later day starts again at zero.
        const caseAt = (t: number): WatchCase =>
          Math.floor(t / DAY) === Math.floor(now / DAY) ? wc : { ...wc, nudgesToday: 0 };
        const at = (t: number): string[] => signature(dog.evaluate(caseAt(t), t));
        // Follow the chain of due times for a few hops: each interval is unchanged inside, changed at its end.
        let from = now;
        for (let hop = 0; hop < 4; hop++) {
          const before = at(from);
          const due = dog.nextDueAt(caseAt(from), from);
          if (due !== null) expect(due).toBeGreaterThan(from);
          const horizon = due ?? from + 60 * DAY;
          for (const t of [...s.samples.map((f) => from + 1 + Math.floor(f * (horizon - from - 1))), horizon - 1]) {
            if (t > from && t < horizon) expect({ hop, t, decisions: at(t) }).toEqual({ hop, t, decisions: before });
          }
          if (due === null) break;
          expect(at(due)).not.toEqual(before);
          from = due;
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});

describe('watchdog nextDueAt on a real BPIC 2013 incident', () => {
  const trace = TRACES.find((t) => t.id === '1-467153946')!;
  // Tuesday 1 February 2011, noon UTC: the incident waits on the user ("Wait - User" since 31 January).
  const NOW = Date.parse('2011-02-01T12:00:00Z');
  const charterWith = (pause: boolean) =>
    compileCharter(
      charterOf({
        workflow: BPIC_WORKFLOW,
        slaGoals: [
          { id: 'resolution', target: '20d', ...(pause ? { pause: [{ on: 'waiting', reasons: ['customer'] }] } : {}) },
        ],
        caps: { quietOutsideBusinessHours: false },
      }),
    );

  it('has no due time while the SLA clock is paused, and the warning line while it runs', () => {
    const paused = charterWith(true);
    const wc = watchCaseOf(trace, paused, NOW);
    expect(wc.clocks[0]!.status).toBe('paused');
    expect(createWatchdog(paused, { defaultNormMs: Infinity }).nextDueAt(wc, NOW)).toBeNull();

    const running = charterWith(false);
    const rc = watchCaseOf(trace, running, NOW);
    const due = createWatchdog(running, { defaultNormMs: Infinity }).nextDueAt(rc, NOW);
    expect(due).toBe(readClock(running.goals[0]!, rc.clocks[0]!, NOW).atRiskAt);
    expect(
      createWatchdog(running, { defaultNormMs: Infinity })
        .evaluate(rc, due!)
        .map((d) => d.threshold),
    ).toEqual(['sla:resolution:warn']);
  });
});
