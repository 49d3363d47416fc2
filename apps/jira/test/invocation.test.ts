import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { onIssueEvent, workConsumer } from '../src/index.ts';
import { createWorkQueue } from '../src/platform/work-queue.ts';
import { saveCoreCharter, supCharter, ASSIST_ALL } from './fixtures.ts';
import { MANIFEST, invocationBudgetMs, invocationOutcome, issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

/** Nudges (notify, request info) and escalations carried out, three a case a day; idle after one business day. */
const NUDGES = supCharter({
  workflow: { norm: '1d', states: {} },
  autonomy: {
    default: 'off',
    kinds: { ...ASSIST_ALL, notify: 'automate', requestInfo: 'automate', escalate: 'automate' },
  },
  caps: { maxNudgesPerCasePerDay: 3, quietHours: null, quietOutsideBusinessHours: false },
});
const appComments = (key: string) => h.sim.store.get(key).comments.filter((c) => c.author === 'app-baton');

describe('invocations as Forge makes them', () => {
  it('the consumer is declared the @forge/events 2.x way: `function:`, no `resolver:`', () => {
    const m = parse(readFileSync(MANIFEST, 'utf8')) as {
      modules: { consumer: Record<string, unknown>[] };
    };
    expect(m.modules.consumer).toEqual([
      { key: 'baton-work-consumer', queue: 'baton-work', function: 'work-consumer' },
    ]);
  });

  it('each function gets its module’s documented time: triggers 25 s, the scheduled tick 55 s, the consumer 900 s', () => {
    expect(invocationBudgetMs(MANIFEST, 'on-issue-event')).toBe(25_000);
    expect(invocationBudgetMs(MANIFEST, 'ui-resolver')).toBe(25_000);
    expect(invocationBudgetMs(MANIFEST, 'watchdog-tick')).toBe(55_000);
    expect(invocationBudgetMs(MANIFEST, 'work-consumer')).toBe(900_000);
  });

  it('the consumer takes an AsyncEvent: a watchdog batch delivered as Forge delivers it nudges each issue once', async () => {
    await saveCoreCharter(NUDGES);
    await createWorkQueue().push([{ kind: 'evaluate', keys: ['SUP-4'], reason: 'watchdog' }]);
    const [delivered] = await h.drainQueue(workConsumer);
    expect(delivered?.outcome).toMatchObject({ kind: 'returned', result: { done: ['SUP-4'] } });
    expect(appComments('SUP-4')).toHaveLength(1);
  });

  it('a 429 in the consumer is returned as an InvocationError with Jira’s Retry-After; the redelivery carries retryContext and acts once', async () => {
    await saveCoreCharter(NUDGES);
    h.sim.fail({ status: 429, method: 'POST', path: '/rest/api/3/issue/SUP-4/comment', times: 1, retryAfter: 60 });
    await createWorkQueue().push([{ kind: 'evaluate', keys: ['SUP-4'], reason: 'watchdog' }]);
    const outcomes = await h.drainQueue(workConsumer);
    expect(outcomes.map((o) => o.outcome.kind)).toEqual(['retry', 'returned']);
    expect(outcomes[0]?.outcome).toMatchObject({ retryAfter: 60, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED' });
    expect(outcomes[1]?.event.retryContext).toMatchObject({
      retryCount: 1,
      retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED',
    });
    expect(appComments('SUP-4')).toHaveLength(1);
  });

  it('a product event that meets a 5xx returns an InvocationError; one that meets a bug throws (Forge does not retry it)', async () => {
    await saveCoreCharter(
      supCharter({
        autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'automate' } },
        confidence: { act: 0.5, suggest: 0 },
      }),
    );
    h.sim.fail({ status: 502, method: 'GET', path: '/rest/api/3/issue/SUP-1', times: 10 });
    expect(
      await invocationOutcome(() => onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'))),
    ).toMatchObject({ kind: 'retry', retryAfter: 30 });
    h.sim.clearFaults();
    const bad = { eventType: 'avi:jira:created:issue', issue: { id: '1', key: 'SUP-1' } };
    expect(await invocationOutcome(() => onIssueEvent(bad))).toMatchObject({ kind: 'returned' });
  });

  it('the queue refuses pushes Forge refuses: over 50 events, over 200 KB', async () => {
    const push = (payload: unknown[]) =>
      (globalThis as unknown as { __forge_fetch__: (t: unknown, p: string, i: RequestInit) => Promise<Response> })
        .__forge_fetch__({ remote: 'stargate' }, '/webhook/queue/publish/x', {
          method: 'POST',
          body: JSON.stringify({ queueName: 'baton-work', jobId: 'j', payload }),
        })
        .then((r) => r.status);
    expect(await push(Array.from({ length: 50 }, () => ({ body: { k: 1 } })))).toBe(201);
    expect(await push(Array.from({ length: 51 }, () => ({ body: { k: 1 } })))).toBe(400);
    expect(await push([{ body: { big: 'x'.repeat(210 * 1024) } }])).toBe(413);
    // The app's own pushes stay inside: 120 items go as three pushes of at most 50.
    h.queued.length = 0;
    await createWorkQueue().push(
      Array.from({ length: 120 }, (_, i) => ({
        kind: 'evaluate' as const,
        keys: [`SUP-${i + 1}`],
        reason: 'watchdog',
      })),
    );
    expect(new Set(h.queued.map((q) => q.jobId)).size).toBe(3);
  });
});
