import { formatGateRule, verifyAudit } from '@baton/core';
import type { Decision } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { onIssueEvent } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { saveCoreCharter, supCharter, ASSIST_ALL, slaGoal } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

/** The decision records of an issue's audit chain. */
async function decisionsOf(issueKey: string): Promise<Decision[]> {
  const chain = await createBatonStorage().readChain(issueKey);
  expect(verifyAudit(chain).ok).toBe(true);
  return chain.flatMap((e) => (e.record.type === 'decision' ? [e.record.decision] : []));
}

describe("the audit chain records core's gate rule as data", () => {
  it('what the app did and what it suggested carry the rule the gate chose (`because`), and its text', async () => {
    await saveCoreCharter(
      supCharter({
        slaGoals: [slaGoal('resolution', '3d')],
        autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'automate' } },
        confidence: { act: 0.5, suggest: 0 },
      }),
    );
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    const decided = await decisionsOf('SUP-1');
    const assign = decided.find((d) => d.actions[0]?.kind === 'assign');
    const due = decided.find((d) => d.actions[0]?.kind === 'setField');
    expect(assign).toMatchObject({ disposition: 'act', because: { code: 'confidence.act' } });
    expect(due).toMatchObject({ disposition: 'suggest', because: { code: 'autonomy.assist', kind: 'setField' } });
    for (const d of decided) {
      if (d.because === undefined) throw new Error(`decision ${d.id} has no gate rule`);
      expect(d.dispositionRule).toBe(formatGateRule(d.because));
    }
  });
});
