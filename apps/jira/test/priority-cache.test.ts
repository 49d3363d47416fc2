import { describe, expect, it } from 'vitest';
import { onIssueEvent, watchdogTick } from '../src/index.ts';
import { handleIssueEvent } from '../src/app/handle-issue-event.ts';
import { forgeDeps } from '../src/handlers/forge-deps.ts';
import { NOW, saveCoreCharter, supCharter, ASSIST_ALL } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// The site's priorities (GET /priority/search: the order a raise-priority step compares with, and with onlyDefault the
// default a priority classify rule treats as empty) are read once per invocation, not once per event or ladder step.

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const reads = (onlyDefault: boolean) =>
  h.sim.requests.filter(
    (r) =>
      r.method === 'GET' &&
      r.path === '/rest/api/3/priority/search' &&
      (r.query.onlyDefault === 'true') === onlyDefault,
  );
const priorityWrites = () =>
  h.sim.requests.filter(
    (r) =>
      r.method === 'PUT' && (r.body as { fields?: { priority?: unknown } } | undefined)?.fields?.priority !== undefined,
  );

/** Two new issues as customers file them: Jira's default priority (Medium), untouched. */
function fileTwo(): void {
  for (const key of ['SUP-6', 'SUP-7'])
    h.sim.store.insert({
      key,
      summary: 'Refund for a duplicate invoice',
      status: 'To Do',
      reporter: 'u-cust',
      created: new Date(NOW - 3_600_000).toISOString(),
    });
}
const CLASSIFY = supCharter({
  routing: { classify: [{ field: 'priority', label: 'High', keywords: ['invoice', 'refund'] }] },
  autonomy: { default: 'off', kinds: { ...ASSIST_ALL, setField: 'automate' } },
});

describe("the site's priorities, read once per invocation", () => {
  it('two events routed in one invocation read the default priority once; each new invocation reads it again', async () => {
    await saveCoreCharter(CLASSIFY);
    fileTwo();
    const deps = forgeDeps();
    await handleIssueEvent(deps, issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-6'));
    await handleIssueEvent(deps, issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-7'));
    expect([h.sim.store.get('SUP-6').priority, h.sim.store.get('SUP-7').priority]).toEqual(['High', 'High']);
    expect(reads(true)).toHaveLength(1);
    // Each trigger invocation builds its own deps: no priority read outlives it.
    h.sim.store.insert({
      key: 'SUP-8',
      summary: 'Refund for another invoice',
      status: 'To Do',
      reporter: 'u-cust',
      created: new Date(NOW - 3_600_000).toISOString(),
    });
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-8'));
    expect(h.sim.store.get('SUP-8').priority).toBe('High');
    expect(reads(true)).toHaveLength(2);
  });

  it("a watchdog tick that raises the priority of several issues reads the site's order once", async () => {
    await saveCoreCharter(
      supCharter({
        escalation: {
          ladders: [
            {
              id: 'urgency',
              steps: [
                {
                  idle: '1h',
                  do: 'raise-priority',
                  message: '{case} "{title}": {state} for {idle}, owner {owner}',
                  priority: 'Highest',
                },
              ],
            },
          ],
        },
        autonomy: { default: 'off', kinds: { ...ASSIST_ALL, setField: 'automate' } },
      }),
    );
    const report = await watchdogTick();
    expect(report.complete).toBe(true);
    // SUP-1 (High), SUP-2 and SUP-3 (Medium) are raised; SUP-4 is at Highest already (compared, kept); SUP-5 is done.
    expect(
      priorityWrites()
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/rest/api/3/issue/SUP-1', '/rest/api/3/issue/SUP-2', '/rest/api/3/issue/SUP-3']);
    expect(reads(false)).toHaveLength(1);
  });

  it('a read Jira refused is not kept: the next call in the invocation reads again', async () => {
    const deps = forgeDeps();
    h.sim.fail({ status: 400, method: 'GET', path: '/rest/api/3/priority/search', times: 1 });
    await expect(deps.jira.priorities()).rejects.toThrow();
    expect((await deps.jira.priorities()).map((p) => p.name)).toEqual(['Highest', 'High', 'Medium', 'Low', 'Lowest']);
    await deps.jira.priorities();
    expect(reads(false).map((r) => r.status)).toEqual([400, 200]);
  });
});
