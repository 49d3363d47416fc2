import { describe, expect, it } from 'vitest';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { saveCharterYaml } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { at, fileIssue, said, tickAt } from './live-loop.ts';

// The end of the missing-information loop, through the real handlers on the support-desk seed: the
// charter says that an issue whose reporter never gave the component moves to Done after three business
// days, and the reporter is told. The move is Jira's workflow transition; a workflow that offers none is
// Jira's refusal, audited, not retried.

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const CHARTER = (closeTo: string) => `
version: 2
scope: { projects: [SUP] }
workflow:
  states:
    To Do:
      phase: queue
      ready: [{ kind: field, field: components, label: the affected component }]
    In Progress: { phase: active }
    Waiting for customer: { phase: waiting, waitingReason: customer }
    Done: { phase: done }
    Closed: { phase: done }
missingInfo: { remindAfter: 1d, escalateAfter: 2d, escalateTo: u-grace, close: { after: 3d, to: '${closeTo}' } }
autonomy: { default: off, kinds: { requestInfo: automate, escalate: automate, transition: automate, notify: automate } }
risk: { autoCustomerFacing: true }
caps: { maxNudgesPerCasePerDay: 3 }
`;

/** Asked, reminded, escalated; then the close line (three business days in To Do) on Thursday. */
async function runLoop(key: string): Promise<void> {
  for (const t of [at(0, 16, 5), at(1, 12, 5), at(2, 12, 5)]) await tickAt(t);
  expect(said(h, key)).toHaveLength(3);
  await tickAt(at(3, 11, 55));
  expect(said(h, key)).toHaveLength(3);
  await tickAt(at(3, 12, 5));
}

describe('the missing-information loop moves the issue on when the charter says so', () => {
  it('after close.after, moves the issue by its workflow and tells the reporter, once, audited', async () => {
    await saveCharterYaml(CHARTER('Done'));
    const key = await fileIssue(h);
    await runLoop(key);
    expect(h.sim.store.get(key).statusId).toBe('10002');
    expect(said(h, key).at(-1)).toContain(`${key} moved to Done: the affected component did not arrive within 3d`);
    expect(JSON.stringify(h.sim.store.get(key).comments.at(-1)?.body)).toContain('"attrs":{"id":"u-cust"');
    await tickAt(at(4, 12, 5));
    await tickAt(at(7, 12, 5));
    expect(said(h, key)).toHaveLength(4);
    expect(h.sim.requestsTo(`/rest/api/3/issue/${key}/transitions`, 'POST')).toHaveLength(1);
    const { entries } = await createBatonStorage().queryAudit({ issueKey: key });
    const closing = entries.filter((e) => e.outcome === 'executed' && e.at === at(3, 12, 5));
    expect(closing).toHaveLength(1);
  });

  it('failure path: a workflow with no transition to the status is Jira’s refusal, audited, not retried', async () => {
    await saveCharterYaml(CHARTER('Closed'));
    h.sim.store.statuses.set('10003', { id: '10003', name: 'Closed', category: 'done' });
    const key = await fileIssue(h);
    await runLoop(key);
    expect(h.sim.store.get(key).statusId).toBe('10000');
    expect(said(h, key)).toHaveLength(3);
    await tickAt(at(4, 12, 5));
    const { entries } = await createBatonStorage().queryAudit({ issueKey: key });
    const failed = entries.filter((e) => e.outcome === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toContain("The workflow offers no transition to 'Closed'");
    expect(h.sim.requestsTo(`/rest/api/3/issue/${key}/transitions`, 'POST')).toHaveLength(0);
  });
});
