import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addBusinessTime, businessTimeBetween, DEFAULT_CALENDAR, isBusinessTime } from '@baton/core';
import { seedFromRecorded } from '@baton/jira-sim';
import { describe, expect, it, vi } from 'vitest';
import { watchdogTick, workConsumer } from '../src/index.ts';
import { startStateNormsLearning, stateNormsRun, storedStateNorms } from '../src/app/state-norms.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { forgeDeps } from '../src/handlers/forge-deps.ts';
import { useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { saveCharterYaml } from './fixtures.ts';

// Per-state norms on recorded real issues (fixtures/SOURCE.md): the newest 330 resolved TIMOB issues of
// 2016. The export has no changelog; the one change it does record, the resolution, is served as the
// issue's status change from Open to the status it has (Closed, Resolved) at its resolution date, so
// each issue's time in Open is its real created → resolved time. The 300 oldest stay resolved and teach
// the norm; the 30 newest are served as open issues in Open with their real assignees, and the watchdog
// looks at them on a weekday at noon after the last of them was created.

interface Recorded {
  key: string;
  fields: Record<string, unknown> & {
    created: string;
    resolutiondate: string;
    status: { name: string };
    assignee: { name: string } | null;
  };
}
const RECORDED = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'appcelerator-timob-2016-routing.json'), 'utf8'),
) as Recorded[];
const HELD_OUT = 30;
const train = RECORDED.slice(0, -HELD_OUT);
const held = RECORDED.slice(-HELD_OUT);
const DAY = 86_400_000;

/** Noon UTC of the first weekday at least a day after the last held-out issue was created (business hours). */
const NOW = (() => {
  let t = Math.floor((Date.parse(held.at(-1)!.fields.created) + DAY) / DAY) * DAY + 12 * 3_600_000;
  while ([0, 6].includes(new Date(t).getUTCDay())) t += DAY;
  return t;
})();

const resolvedWithItsChange = (r: Recorded) => ({
  ...r,
  changelog: {
    histories: [
      {
        id: r.key.split('-')[1]!,
        author: r.fields.assignee,
        created: r.fields.resolutiondate,
        items: [{ field: 'status', fromString: 'Open', toString: r.fields.status.name }],
      },
    ],
  },
});

const CHARTER = `version: 2
scope: { projects: [TIMOB] }
autonomy: { default: assist, kinds: { notify: automate } }
confidence: { act: 0.7, suggest: 0.5 }
caps: { maxNudgesPerPersonPerDay: 100 }
`;

let h: ForgeHarness;
useForgeHarness(
  async (started) => {
    h = started;
    await saveCharterYaml(CHARTER, NOW);
  },
  {
    at: NOW,
    seed: () =>
      seedFromRecorded({
        me: { accountId: 'app-baton', displayName: 'Baton' },
        issues: [
          ...train.map(resolvedWithItsChange),
          ...held.map((r) => ({
            ...r,
            fields: {
              ...r.fields,
              status: { name: 'Open', statusCategory: { key: 'new' } },
              resolution: null,
              resolutiondate: null,
            },
          })),
        ],
      }),
  },
);

/** A watchdog tick and the evaluations it fanned out to the queue (30 open issues: more than it does inline). */
async function tick(): Promise<void> {
  await watchdogTick();
  for (const { outcome } of await h.drainQueue(workConsumer as never)) expect(outcome.kind).not.toBe('threw');
}

/** Held-out issues the app posted a stall nudge on. */
const stalled = (): string[] =>
  held
    .map((r) => r.key)
    .filter((key) =>
      h.sim.store
        .get(key)
        .comments.some((c) => c.author === 'app-baton' && JSON.stringify(c.body).includes('idle in Open')),
    );

/** Business time each held-out issue has sat in Open at NOW (nothing happened to it since it was created). */
const idleInOpen = new Map(
  held.map((r) => [r.key, businessTimeBetween(DEFAULT_CALENDAR, Date.parse(r.fields.created), NOW)]),
);

describe('per-state norms on recorded real issues', () => {
  it("with one norm, every issue open beyond three business days is nudged (the test's baseline)", async () => {
    await tick();
    const expected = held.filter((r) => idleInOpen.get(r.key)! > 3 * 8 * 3_600_000).map((r) => r.key);
    expect(expected.length).toBeGreaterThan(5);
    expect(stalled().sort()).toEqual(expected.filter((k) => h.sim.store.get(k).assignee !== null).sort());
  });

  it("learned from the project's resolved issues, the norm for Open is their p90, and only issues beyond it are nudged", async () => {
    await startStateNormsLearning(forgeDeps(), 'TIMOB', 'test');
    for (const { outcome } of await h.drainQueue(workConsumer as never)) expect(outcome.kind).not.toBe('threw');
    const run = await stateNormsRun(createBatonStorage(), 'TIMOB');
    expect(run?.status, run?.error).toBe('done');
    expect(run?.cases).toBe(train.length);
    const open = (await storedStateNorms(createBatonStorage(), 'TIMOB'))!.norms.find(([s]) => s === 'open')!;
    // The p90 of the real created → resolved business times, as core's time in state measures them.
    const real = train
      .map((r) =>
        businessTimeBetween(DEFAULT_CALENDAR, Date.parse(r.fields.created), Date.parse(r.fields.resolutiondate)),
      )
      .sort((a, b) => a - b);
    const p90 = real[Math.floor(0.9 * (real.length - 1))]!;
    expect(open[1] / p90).toBeGreaterThan(0.98);
    expect(open[1] / p90).toBeLessThan(1.02);
    expect(open[2]).toBe(train.length);

    // Waits this project's history calls ordinary (up to 187 business days in Open): none is nudged now.
    await tick();
    expect(stalled()).toEqual([]);

    // Months later (noon of a weekday), the older half has waited beyond the norm and only it is nudged.
    const middle = Date.parse(held[HELD_OUT / 2]!.fields.created);
    let later = Math.floor(addBusinessTime(DEFAULT_CALENDAR, middle, open[1]) / DAY) * DAY + 12 * 3_600_000;
    while (!isBusinessTime(DEFAULT_CALENDAR, later)) later += DAY;
    vi.setSystemTime(later);
    await tick();
    const beyond = held.filter(
      (r) =>
        h.sim.store.get(r.key).assignee !== null &&
        businessTimeBetween(DEFAULT_CALENDAR, Date.parse(r.fields.created), later) > open[1],
    );
    expect(beyond.length).toBeGreaterThan(3);
    expect(beyond.length).toBeLessThan(HELD_OUT - 3);
    expect(stalled().sort()).toEqual(beyond.map((r) => r.key).sort());
  });
});
