import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_KINDS, addBusinessTime, businessTimeBetween, parseDuration } from '@baton/core';
import type { CompiledCharter } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { CharterRecordSchema } from '../src/contracts/charter.ts';
import { compileCharter } from '@baton/core';
import { charterFromApp } from '../src/domain/charter-migration.ts';

const DIR = join(import.meta.dirname, 'fixtures', 'stored-charters');
const STORED = readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.behaviour.json'))
  .sort()
  .map((f) => ({ name: f.replace('.json', ''), raw: JSON.parse(readFileSync(join(DIR, f), 'utf8')) as unknown }));

const H = 3_600_000;
/** Instants that cross weekends, midnights in every offset, and both 2026 DST changes in Europe and the US. */
const INSTANTS = [
  Date.UTC(2026, 0, 5, 6, 0),
  Date.UTC(2026, 2, 6, 23, 30),
  Date.UTC(2026, 2, 27, 16, 0),
  Date.UTC(2026, 9, 23, 8, 45),
  Date.UTC(2026, 10, 27, 18, 0),
  Date.UTC(2026, 11, 24, 12, 0),
];
const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** What core decides under a compiled charter, as data: what two charters must agree on to behave the same. */
function behaviour(c: CompiledCharter) {
  const ch = c.charter;
  const quiet = ch.caps.quietHours;
  return {
    autonomy: Object.fromEntries(ACTION_KINDS.map((k) => [k, c.autonomy(k)])),
    confidence: ch.confidence,
    caps: {
      perCaseDay: ch.caps.maxNudgesPerCasePerDay,
      perPersonDay: ch.caps.maxNudgesPerPersonPerDay,
      outsideBusinessHours: ch.caps.quietOutsideBusinessHours,
      recentTouchMs: c.recentTouchMs,
      // Quiet at each probe instant and every hour after it for a day.
      quiet: INSTANTS.map((t) =>
        Array.from({ length: 24 }, (_, i) => {
          if (quiet === null) return 0;
          const m = c.localMinute(t + i * H);
          const [f, to] = [minutes(quiet.from), minutes(quiet.to)];
          return (f <= to ? m >= f && m < to : m >= f || m < to) ? 1 : 0;
        }).join(''),
      ),
    },
    goals: c.goals.map((g) => ({
      id: g.id,
      targetMs: g.targetMs,
      warnAt: g.warnAt,
      when: g.goal.when,
      start: g.start,
      pause: g.pause,
      stop: g.stop,
    })),
    businessMs: INSTANTS.flatMap((a) =>
      INSTANTS.filter((b) => b > a).map((b) => businessTimeBetween(c.calendar, a, b)),
    ),
    addBusiness: INSTANTS.map((a) => addBusinessTime(c.calendar, a, 13 * H)),
    states: Object.fromEntries(
      [...c.states].map(([name, s]) => [
        name,
        {
          phase: s.phase,
          waitingReason: s.waitingReason,
          ready: s.ready,
          normMs: s.norm === undefined ? null : parseDuration(s.norm),
        },
      ]),
    ),
    ladders: [...c.slaSteps, ...c.idleSteps].map((s) => ({
      key: s.key,
      goalIndex: s.goalIndex,
      slaConsumed: s.slaConsumed,
      idleMs: s.idleMs,
      do: s.step.do,
      target: s.step.target,
      priority: s.step.priority,
      message: s.step.message,
    })),
    routing: { classify: ch.routing.classify, modelClassify: ch.routing.modelClassify },
  };
}

describe('a charter stored in the app’s old dialect', () => {
  for (const { name, raw } of STORED) {
    it(`${name}: behaves after migration as it did before`, async () => {
      const record = CharterRecordSchema.parse(raw);
      await expect(
        JSON.stringify(behaviour(compileCharter(charterFromApp(record.charter))), null, 2),
      ).toMatchFileSnapshot(join(DIR, `${name}.behaviour.json`));
    });
  }
});
