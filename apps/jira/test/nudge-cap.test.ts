import { describe, expect, it } from 'vitest';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { executeDecision } from '../src/app/execute-decision.ts';
import type { Decision } from '@baton/core';
import { NOW, actDecision } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

/** The per-issue daily nudge cap under concurrency: slots claimed with FAIL_IF_EXISTS, not a read-then-write counter. */
let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const nudge = (n: number): Decision =>
  actDecision({
    id: `nudge-${n}`,
    caseId: 'SUP-4',
    actions: [{ kind: 'notify', to: 'u-linus', message: `Still on it? (${n})` }],
  });

describe('the daily nudge cap', () => {
  it('ten concurrent reservations against a cap of 3: exactly 3 succeed, and the count says 3', async () => {
    const storage = createBatonStorage();
    const got = await Promise.all(Array.from({ length: 10 }, () => storage.reserveNudge('SUP-4', '2026-11-23', 3)));
    expect(got.filter(Boolean)).toHaveLength(3);
    expect(await storage.nudgesToday('SUP-4', '2026-11-23')).toBe(3);
    expect(await storage.nudgesToday('SUP-4', '2026-11-24')).toBe(0);
  });

  it('five different nudges executed at once under a cap of 2 post two comments; the others wait, unclaimed', async () => {
    const storage = createBatonStorage();
    const deps = { jira: undefined as never, storage, now: () => NOW };
    const { createJiraClient } = await import('@baton/jira');
    const { appJiraFetch } = await import('../src/platform/forge-jira.ts');
    deps.jira = createJiraClient({ fetch: appJiraFetch() }) as never;
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => executeDecision(deps, nudge(n), 'app', { nudgeCap: 2 })),
    );
    expect(results.filter((r) => r === 'executed')).toHaveLength(2);
    // Each names the cap it found full, as the gate's rule.
    expect(results.filter((r) => typeof r === 'object')).toEqual(
      Array.from({ length: 3 }, () => ({ deferred: { code: 'caps.perCaseDay' } })),
    );
    expect(h.sim.store.get('SUP-4').comments.filter((c) => c.author === 'app-baton')).toHaveLength(2);
    // A deferred nudge left no claim: tomorrow (or after a slot frees) it can act.
    const deferred = [1, 2, 3, 4, 5].filter((_, i) => typeof results[i] === 'object');
    for (const n of deferred) expect(await storage.getEffect(`nudge-${n}`)).toBeUndefined();
  });
});
