import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_KINDS, addBusinessTime, businessTimeBetween, parseDuration } from '@baton/core';
import type { CompiledCharter } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { compileCharter } from '@baton/core';
import { kvs } from '@forge/kvs';
import { parse } from 'yaml';
import { uiResolver } from '../src/index.ts';
import { charterFor, DEFAULT_CHARTER } from '../src/app/charter-for.ts';
import {
  AppCharterRecordSchema,
  CharterSchema as AppCharterSchema,
} from '../src/contracts/charter-migration/jira-app-v1.ts';
import { charterFromApp, readCharterRecord } from '../src/contracts/charter-migration/migrate.ts';
import { createBatonStorage, safeKey } from '../src/platform/baton-storage.ts';
import { invokeResolver } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';

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
      // The reader the storage uses on every load.
      const record = readCharterRecord(raw);
      expect(record.migratedFrom).toBe('jira-app-v1');
      await expect(JSON.stringify(behaviour(compileCharter(record.charter)), null, 2)).toMatchFileSnapshot(
        join(DIR, `${name}.behaviour.json`),
      );
    });
  }
});

describe('the charter in force when none is saved', () => {
  it("is core's, and is what the app's first release defaulted to", () => {
    expect(DEFAULT_CHARTER).toEqual(charterFromApp(AppCharterSchema.parse({})));
  });
});

describe('a record stored in the old dialect, through the app', () => {
  useForgeHarness(() => {});
  const call = (name: string, payload: unknown) => invokeResolver(uiResolver as never, name, payload, 'u-grace');

  for (const { name, raw } of STORED) {
    it(`${name}: loads migrated (admin page, run time), and the next save writes core's shape with the same behaviour`, async () => {
      const old = AppCharterRecordSchema.parse(raw);
      // As the app stored it before: the current record and its version slot.
      await kvs.set(safeKey('charter:current:', 'global'), raw);
      await kvs.set(safeKey(`charter:v:${String(old.version).padStart(8, '0')}:`, 'global'), raw);
      const migrated = charterFromApp(old.charter);

      const got = (await call('getCharter', { scope: 'global' })) as {
        ok: true;
        data: { yaml: string; record: { version: number; migratedFrom?: string; charter: unknown } };
      };
      expect(got.ok).toBe(true);
      expect(got.data.record).toMatchObject({ version: old.version, migratedFrom: 'jira-app-v1', charter: migrated });
      // The page shows core's YAML of the migrated charter, not the old dialect's text.
      expect(parse(got.data.yaml)).toEqual(migrated);
      expect(await charterFor(createBatonStorage(), 'SUP')).toEqual(migrated);

      const saved = await call('saveCharter', { scope: 'global', yaml: got.data.yaml, expectedVersion: old.version });
      expect(saved).toMatchObject({ ok: true, data: { record: { version: old.version + 1 } } });
      const stored = (await kvs.get(safeKey('charter:current:', 'global'))) as Record<string, unknown>;
      expect(stored).not.toHaveProperty('migratedFrom');
      expect((stored['charter'] as { version?: unknown }).version).toBe(2);
      const reread = readCharterRecord(stored);
      expect(reread.migratedFrom).toBeUndefined();
      await expect(JSON.stringify(behaviour(compileCharter(reread.charter)), null, 2)).toMatchFileSnapshot(
        join(DIR, `${name}.behaviour.json`),
      );
    });
  }
});

describe('escalation ladders in the old dialect', () => {
  /** The old dialect's project BBCOM: nudges and escalations automated, a 5-day resolution goal for Highest. */
  const OLD_BASE = {
    projects: ['BBCOM'],
    autonomy: { nudge: 'automate', escalate: 'automate' },
    slaGoals: [{ name: 'resolution', priorities: ['Highest'], target: '5d' }],
  };

  it("compile into core's ladders: idle in minutes of the app's calendar, notify-lead aimed at the lead", () => {
    const app = charterFromApp(
      AppCharterSchema.parse({
        ...OLD_BASE,
        escalation: {
          lead: 'u-lead',
          ladders: [
            {
              name: 'resolution',
              goal: 'resolution',
              steps: [
                { slaConsumed: 0.5, do: 'nudge-owner', message: 'half of {goal} gone' },
                { slaConsumed: 1, do: 'notify-lead', message: '{case} breached' },
              ],
            },
            { name: 'stalled', steps: [{ idle: '1d', do: 'notify-lead', to: 'u-other' }] },
          ],
        },
      }),
    );
    expect(app.escalation.ladders).toEqual([
      {
        id: 'resolution',
        goal: 'resolution',
        steps: [
          { slaConsumed: 0.5, do: 'nudge-owner', message: 'half of {goal} gone' },
          { slaConsumed: 1, do: 'notify-lead', message: '{case} breached', target: 'u-lead' },
        ],
      },
      {
        id: 'stalled',
        steps: [{ idle: '1d', do: 'notify-lead', message: expect.stringContaining('{case}'), target: 'u-other' }],
      },
    ]);
  });
});
