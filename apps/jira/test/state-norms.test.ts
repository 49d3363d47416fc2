import { describe, expect, it, vi } from 'vitest';
import { supportDeskSeed } from '@baton/jira-sim';
import type { SimSeed } from '@baton/jira-sim';
import { routerRetrain, watchdogTick, workConsumer } from '../src/index.ts';
import { NORMS_RELEARN_AFTER_MS, SWEEP_ALL_KEY, stateNormsRun, storedStateNorms } from '../src/app/state-norms.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { NOW, saveCharterYaml } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// The watchdog's per-state norms, learned from the project's resolved issues on the queue and used live.
// The support desk's SUP-4 has sat in "In Progress" since Thursday noon: 16 business hours by Monday noon,
// under the one default norm (3 business days). Its team usually moves an issue on within two hours of
// starting it (24 resolved issues of the week before), so by the project's own history it is stalled.

const HOUR = 3_600_000;
/** Tuesday 17 November 2026, 09:00 UTC: the week before the seed's now. */
const LAST_WEEK = Date.UTC(2026, 10, 17, 9);
const at = (ms: number): string => new Date(ms).toISOString();
const RESOLVED = 24;

function withHistory(): SimSeed {
  const seed = supportDeskSeed();
  for (let i = 0; i < RESOLVED; i++) {
    const created = LAST_WEEK + (i % 6) * HOUR;
    const started = created + HOUR / 2;
    const resolved = started + (1 + (i % 2)) * HOUR; // one or two hours in progress: p90 is two
    seed.issues.push({
      key: `SUP-${100 + i}`,
      summary: `Resolved request ${i}`,
      issuetype: 'Service request',
      status: 'Done',
      assignee: 'u-ada',
      reporter: 'u-cust',
      created: at(created),
      updated: at(resolved),
      histories: [
        {
          author: 'u-ada',
          created: at(started),
          items: [{ field: 'status', from: '10000', fromString: 'To Do', to: '3', toString: 'In Progress' }],
        },
        {
          author: 'u-ada',
          created: at(resolved),
          items: [
            { field: 'status', from: '3', fromString: 'In Progress', to: '10002', toString: 'Done' },
            { field: 'resolution', to: '10000', toString: 'Done' },
          ],
        },
      ],
    });
  }
  return seed;
}

let h: ForgeHarness;
useForgeHarness(
  (started) => {
    h = started;
  },
  { at: NOW, seed: withHistory },
);

const CHARTER = `version: 2
scope: { projects: [SUP] }
autonomy: { default: assist, kinds: { notify: automate } }
confidence: { act: 0.7, suggest: 0.5 }
caps: { recentTouch: 1h }
`;

/** The stall nudges the app posted on an issue (a comment by the app that says "idle in"). */
const stallNudges = (key: string): string[] =>
  h.sim.store
    .get(key)
    .comments.filter((c) => c.author === 'app-baton')
    .map((c) => JSON.stringify(c.body))
    .filter((b) => b.includes('idle in In Progress'));

async function learnOnQueue(): Promise<void> {
  await routerRetrain();
  const outcomes = await h.drainQueue(workConsumer as never);
  expect(outcomes.every((o) => o.outcome.kind !== 'threw')).toBe(true);
}

describe("the watchdog's per-state norms learned from the project's history", () => {
  it('learns the p90 time in each status on the queue, and the watchdog then nudges what one norm let pass', async () => {
    await saveCharterYaml(CHARTER, NOW);
    // Before any learning: one norm for every status, and SUP-4's 16 business hours are within it.
    await watchdogTick();
    expect(stallNudges('SUP-4')).toEqual([]);

    // The daily schedule asks for a learning; the queue reads the resolved issues and their status changes.
    await learnOnQueue();
    const run = await stateNormsRun(createBatonStorage(), 'SUP');
    expect(run?.status, run?.error).toBe('done');
    expect(run?.cases).toBe(RESOLVED + 1); // the 24 and the seed's SUP-5
    const stored = (await storedStateNorms(createBatonStorage(), 'SUP'))!;
    const inProgress = stored.norms.find(([s]) => s === 'in progress')!;
    expect(inProgress[1] / HOUR).toBeCloseTo(2, 1);
    expect(inProgress[2]).toBe(RESOLVED + 1);
    expect(stored.norms.some(([s]) => s === 'done')).toBe(false);
    // Shorter norms than before: the next tick looks at every open issue again, not only the changed ones.
    expect(await createBatonStorage().getJson(SWEEP_ALL_KEY)).toBeDefined();

    vi.setSystemTime(NOW + 10 * 60_000);
    await watchdogTick();
    expect(await createBatonStorage().getJson(SWEEP_ALL_KEY)).toBeUndefined();
    const nudges = stallNudges('SUP-4');
    expect(nudges).toHaveLength(1);
    expect(nudges[0]).toContain('(norm 2h)');
  });

  it("keeps the charter's own norm for a status over the learned one", async () => {
    await saveCharterYaml(`${CHARTER}workflow:\n  states:\n    In Progress: { phase: active, norm: 3d }\n`, NOW);
    await learnOnQueue();
    expect((await storedStateNorms(createBatonStorage(), 'SUP'))?.norms.length).toBeGreaterThan(0);
    vi.setSystemTime(NOW + 10 * 60_000);
    await watchdogTick();
    expect(stallNudges('SUP-4')).toEqual([]);
  });

  it('relearns only when the norms are a week old, and a project without resolved issues learns nothing', async () => {
    await saveCharterYaml(CHARTER, NOW);
    await learnOnQueue();
    const first = (await storedStateNorms(createBatonStorage(), 'SUP'))!;
    await routerRetrain();
    expect(h.queued.filter((e) => (e.body as { kind?: string }).kind === 'state-norms')).toEqual([]);
    vi.setSystemTime(NOW + NORMS_RELEARN_AFTER_MS + 60_000);
    await learnOnQueue();
    const second = (await storedStateNorms(createBatonStorage(), 'SUP'))!;
    expect(second.runId).not.toBe(first.runId);
    expect(second.norms).toEqual(first.norms);

    // All resolved issues gone: the learning finishes with no norm (the charter's and the default apply).
    for (const i of [...h.sim.store.issues.values()]) if (i.statusId === '10002') h.sim.store.issues.delete(i.key);
    vi.setSystemTime(NOW + 2 * NORMS_RELEARN_AFTER_MS + 120_000);
    await learnOnQueue();
    expect((await storedStateNorms(createBatonStorage(), 'SUP'))?.norms).toEqual([]);
  });
});
