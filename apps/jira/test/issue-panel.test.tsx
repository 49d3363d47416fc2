import { describe, expect, it } from 'vitest';
import { onIssueEvent } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { saveCoreCharter, supCharter, coreCharter } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { find, installUiKitHost } from './ui-kit.ts';

// Override asks for a reason from the short list plus free text; the reason reaches the audit log
// (and so the trust score's override reasons).
let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

describe('issue panel: override with a reason', () => {
  it('asks why, insists on words for "Other", and records the chosen reason', async () => {
    // No SLA goal: one suggestion (the owner), so the page has one Override button.
    await saveCoreCharter(supCharter());
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    const ui = installUiKitHost({
      accountId: 'u-ada',
      extension: { type: 'jira:issuePanel', issue: { key: 'SUP-1' } },
    });
    const { IssuePanel } = await import('../src/frontend/issue-panel-view.tsx');
    await ui.render(<IssuePanel />);
    await ui.settle(() => ui.shown().includes('Assign to'), 'the suggestion');
    await ui.click('Override');
    await ui.settle(() => find(ui.doc(), (d) => d.props.name === 'override.code').length === 1, 'the reason form');
    ui.choose('override.code', 'other');
    await ui.click('Confirm override');
    await ui.settle(() => ui.shown().includes('"Other" needs a few words'), 'the missing-words message');
    expect(ui.calls.filter((c) => c.name === 'answerSuggestion')).toEqual([]);
    ui.choose('override.code', 'wrong-owner');
    ui.type('override.text', 'Linus owns login problems');
    await ui.click('Confirm override');
    await ui.settle(() => ui.shown().includes('Suggestion overridden.'), 'the answer');
    expect(ui.calls.find((c) => c.name === 'answerSuggestion')?.payload).toMatchObject({
      issueKey: 'SUP-1',
      verdict: 'override',
      reason: { code: 'wrong-owner', text: 'Linus owns login problems' },
    });
    expect(h.sim.store.get('SUP-1').assignee).toBeNull();
    const { entries } = await createBatonStorage().queryAudit({ issueKey: 'SUP-1', outcome: 'overridden' });
    expect(entries.map((e) => e.overrideReason)).toEqual([{ code: 'wrong-owner', text: 'Linus owns login problems' }]);
  });
});

describe('issue panel: an escalated decision', () => {
  it('shows what the agent would do, why it did not, and the evidence it saw', async () => {
    // Every risk is at or above `low`: the owner proposal is escalated, not merely suggested.
    const charter = coreCharter(supCharter());
    await createBatonStorage().saveCharter(
      'global',
      {
        charter: { ...charter, risk: { ...charter.risk, escalateAt: 'low' } },
        yaml: '',
        updatedAt: 0,
        updatedBy: 'test',
      },
      0,
    );
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    const [stored] = await createBatonStorage().listSuggestions('SUP-1');
    expect(stored?.decision.disposition).toBe('escalate');
    expect(stored?.decision.because).toEqual({ code: 'risk.escalateAt', risk: 'low' });
    expect(stored?.decision.evidence.length).toBeGreaterThan(0);
    const ui = installUiKitHost({
      accountId: 'u-ada',
      extension: { type: 'jira:issuePanel', issue: { key: 'SUP-1' } },
    });
    const { IssuePanel } = await import('../src/frontend/issue-panel-view.tsx');
    await ui.render(<IssuePanel />);
    await ui.settle(() => ui.shown().includes('Assign to'), 'the suggestion');
    const shown = ui.shown();
    expect(shown).toContain('Escalated');
    expect(shown).toContain('The agent would: Assign to');
    expect(shown).toContain("not done because its risk is low, at or above the charter's line for escalating");
    for (const e of stored!.decision.evidence)
      expect(shown).toContain(`• ${e.label}: ${String(e.value)} (${e.source})`);
    expect(h.sim.store.get('SUP-1').assignee).toBeNull();
  });

  it('shows an ordinary suggestion without an escalation', async () => {
    await saveCoreCharter(supCharter());
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    const [stored] = await createBatonStorage().listSuggestions('SUP-1');
    expect(stored?.decision.disposition).toBe('suggest');
    const ui = installUiKitHost({
      accountId: 'u-ada',
      extension: { type: 'jira:issuePanel', issue: { key: 'SUP-1' } },
    });
    const { IssuePanel } = await import('../src/frontend/issue-panel-view.tsx');
    await ui.render(<IssuePanel />);
    await ui.settle(() => ui.shown().includes('Assign to'), 'the suggestion');
    expect(ui.shown()).not.toContain('Escalated');
  });
});
