import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { supportDeskSeed } from '@baton/jira-sim';
import { watchdogTick } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { executeDecision } from '../src/app/execute-decision.ts';
import { createJiraClient } from '@baton/jira';
import { appJiraFetch } from '../src/platform/forge-jira.ts';
import type { Decision } from '@baton/core';
import { NOW, actDecision, freezeTime, supCharter, coreCharter, ASSIST_ALL } from './fixtures.ts';
import { startForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

/**
 * The charter's per-person daily cap in the app: one owner of many stalled issues is nudged at most
 * `caps.maxNudgesPerPersonPerDay` times a UTC day, however many issues and ticks (slots claimed with
 * FAIL_IF_EXISTS per person and day, as the per-issue cap's are).
 */
let h: ForgeHarness;
/** SUP-4 (stalled in "In Progress", assigned to u-linus) and twelve copies of it: thirteen stalls of one owner. */
const STALLED = ['SUP-4', ...Array.from({ length: 12 }, (_, n) => `SUP-${30 + n}`)];
const PER_PERSON = 3;

beforeEach(async () => {
  freezeTime();
  const seed = supportDeskSeed();
  const sup4 = seed.issues.find((i) => i.key === 'SUP-4')!;
  seed.issues.push(...STALLED.slice(1).map((key) => ({ ...sup4, key })));
  h = await startForgeHarness({ seed });
  const charter = coreCharter(
    supCharter({
      workflow: { norm: '1d', states: {} },
      autonomy: {
        default: 'off',
        kinds: { ...ASSIST_ALL, notify: 'automate', requestInfo: 'automate', escalate: 'automate' },
      },
      caps: { maxNudgesPerCasePerDay: 3, quietHours: null, quietOutsideBusinessHours: false },
    }),
  );
  const saved = await createBatonStorage().saveCharter(
    'global',
    {
      charter: { ...charter, caps: { ...charter.caps, maxNudgesPerPersonPerDay: PER_PERSON } },
      yaml: '',
      updatedAt: NOW,
      updatedBy: 'test',
    },
    0,
  );
  expect(saved).not.toBe('conflict');
});
afterEach(async () => {
  await h.close();
  vi.useRealTimers();
});

const nudged = (): string[] =>
  STALLED.filter((key) => h.sim.store.get(key).comments.some((c) => c.author === 'app-baton'));

describe("the charter's per-person daily nudge cap", () => {
  it('one owner of thirteen stalled issues gets at most the cap in a tick; the rest wait for tomorrow', async () => {
    await watchdogTick();
    expect(nudged()).toHaveLength(PER_PERSON);
    expect(await createBatonStorage().personNudgesToday('u-linus', '2026-11-23')).toBe(PER_PERSON);
    // Later the same day: still the cap.
    vi.setSystemTime(NOW + 30 * 60_000);
    await watchdogTick();
    expect(nudged()).toHaveLength(PER_PERSON);
    // The next UTC day the deferred ones may go, again at most the cap.
    vi.setSystemTime(NOW + 24 * 3_600_000);
    await watchdogTick();
    expect(nudged()).toHaveLength(2 * PER_PERSON);
  });

  it('two ticks running at once together send at most the cap', async () => {
    await Promise.all([watchdogTick(), watchdogTick()]);
    expect(nudged()).toHaveLength(PER_PERSON);
    const comments = STALLED.flatMap((key) => h.sim.store.get(key).comments.filter((c) => c.author === 'app-baton'));
    expect(comments).toHaveLength(PER_PERSON);
  });

  it('concurrent reservations of one person against a cap of 3: exactly 3 succeed; a release frees one', async () => {
    const storage = createBatonStorage();
    const got = await Promise.all(
      Array.from({ length: 10 }, () => storage.reservePersonNudge('u-linus', '2026-11-23', 3)),
    );
    expect(got.filter(Boolean)).toHaveLength(3);
    expect(await storage.personNudgesToday('u-linus', '2026-11-23')).toBe(3);
    expect(await storage.personNudgesToday('u-grace', '2026-11-23')).toBe(0);
    await storage.releasePersonNudge('u-linus', '2026-11-23');
    expect(await storage.personNudgesToday('u-linus', '2026-11-23')).toBe(2);
    expect(await storage.reservePersonNudge('u-linus', '2026-11-23', 3)).toBe(true);
    expect(await storage.reservePersonNudge('u-linus', '2026-11-23', 3)).toBe(false);
  });

  it("a nudge the issue's cap holds back gives the person's slot back", async () => {
    const storage = createBatonStorage();
    const deps = { jira: createJiraClient({ fetch: appJiraFetch() }), storage, now: () => NOW };
    const nudge = (n: number): Decision =>
      actDecision({
        id: `nudge-${n}`,
        caseId: 'SUP-4',
        actions: [{ kind: 'notify', to: 'u-linus', message: `Still on it? (${n})` }],
      });
    expect(await executeDecision(deps, nudge(1), 'app', { nudgeCap: 1, personCap: 5 })).toBe('executed');
    expect(await executeDecision(deps, nudge(2), 'app', { nudgeCap: 1, personCap: 5 })).toEqual({
      deferred: { code: 'caps.perCaseDay' },
    });
    expect(await storage.personNudgesToday('u-linus', '2026-11-23')).toBe(1);
    // The person's cap full: the deferral names that cap, and the issue's slot is not taken.
    expect(await executeDecision(deps, nudge(3), 'app', { nudgeCap: 10, personCap: 1 })).toEqual({
      deferred: { code: 'caps.perPersonDay' },
    });
    expect(await storage.nudgesToday('SUP-4', '2026-11-23')).toBe(1);
  });
});
