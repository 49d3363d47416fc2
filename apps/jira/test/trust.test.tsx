import { verifyAudit, trustScore as coreTrustScore } from '@baton/core';
import { describe, expect, it, vi } from 'vitest';
import { onIssueEvent, uiResolver } from '../src/index.ts';
import { kvs } from '@forge/kvs';
import { createBatonStorage, safeKey } from '../src/platform/baton-storage.ts';
import { NOW, invokeResolver, saveCoreCharter, supCharter, ASSIST_ALL } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { installUiKitHost } from './ui-kit.ts';

// Issue #16: trust computes drift from what people really did — the final action after an override,
// and a person's change to what the agent did — per pattern, per rule and per week, for the team.
let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

interface Trust {
  acted: number;
  overridden: number;
  finals: number;
  drifted: number;
  changedAfterAct: number;
  drift: number | null;
}
interface TrustReportData {
  rows: number;
  patterns: { router?: Trust };
  rules: { rule: string; source: string; pattern: string; trust: Trust & { suggested: number } }[];
  weeks: { week: string; patterns: { router?: Trust } }[];
}
const getTrust = async (who: string, weeks?: number): Promise<TrustReportData> => {
  const r = await invokeResolver(
    uiResolver as never,
    'getTrust',
    { projectKey: 'SUP', ...(weeks === undefined ? {} : { weeks }) },
    who,
  );
  if (!r.ok) throw new Error(r.error.message);
  return r.data as TrustReportData;
};
const storage = () => createBatonStorage();

describe('drift after the agent acted', () => {
  it('a person reassigning within the week is the final action: drift per pattern, rule and week', async () => {
    await saveCoreCharter(
      supCharter({
        autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'automate' } },
        confidence: { act: 0.5, suggest: 0 },
      }),
    );
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    const agentOwner = h.sim.store.get('SUP-1').assignee;
    expect(agentOwner).not.toBeNull();
    // Two hours later Grace gives it to someone else.
    vi.setSystemTime(NOW + 2 * 3_600_000);
    const other = ['u-ada', 'u-linus'].find((u) => u !== agentOwner)!;
    h.sim.store.assign('SUP-1', other, 'u-grace');
    const event = issueEvent(h.sim, 'avi:jira:assigned:issue', 'SUP-1');
    await onIssueEvent(event);
    await onIssueEvent(event); // redelivered: recorded once
    const { entries } = await storage().queryAudit({ issueKey: 'SUP-1', outcome: 'final' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: 'u-grace',
      final: { actions: [`assign to ${other}`], drifted: true, afterAct: true },
    });
    // The hash chain records it too, and core's trust over the chain agrees.
    const chain = await storage().readChain('SUP-1');
    expect(verifyAudit(chain).ok).toBe(true);
    expect(coreTrustScore(chain).router).toMatchObject({ finals: 1, drifted: 1, changedAfterAct: 1, drift: 1 });
    // People are in the chain only as pseudonyms (ADR 0021): the final record's author and assignee too.
    const finalEntry = chain.find((e) => e.record.type === 'final');
    expect(JSON.stringify(finalEntry)).not.toMatch(/u-grace|u-ada|u-linus/);
    const named = await storage().namePeople(finalEntry);
    expect(named?.record).toMatchObject({
      type: 'final',
      by: 'u-grace',
      finalActions: [{ kind: 'assign', to: other }],
    });
    // The team (u-ada is no admin) reads it per pattern, per rule and per week.
    const t = await getTrust('u-ada', 2);
    expect(t.patterns.router).toMatchObject({ acted: 1, finals: 1, drifted: 1, changedAfterAct: 1, drift: 1 });
    const rule = t.rules.find((r) => r.trust.finals === 1);
    expect(rule).toMatchObject({ pattern: 'router', trust: { drift: 1 } });
    expect(rule?.rule).toMatch(/^router\./);
    expect(t.weeks.map((w) => w.week)).toEqual(['2026-11-16', '2026-11-23']);
    expect(t.weeks[0]?.patterns.router).toBeUndefined();
    expect(t.weeks[1]?.patterns.router).toMatchObject({ drift: 1 });
  });

  it('no drift when nobody touches the assignment, nor after the window', async () => {
    await saveCoreCharter(
      supCharter({
        autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'automate' } },
        confidence: { act: 0.5, suggest: 0 },
      }),
    );
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:commented:issue', 'SUP-1'));
    expect((await getTrust('u-ada')).patterns.router).toMatchObject({ acted: 1, finals: 0, drift: null });
    // Eight days later a reassignment is ordinary work, not a correction of the agent.
    vi.setSystemTime(NOW + 8 * 86_400_000);
    h.sim.store.assign('SUP-1', 'u-grace', 'u-grace');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:assigned:issue', 'SUP-1'));
    expect((await storage().queryAudit({ issueKey: 'SUP-1', outcome: 'final' })).entries).toEqual([]);
  });
});

describe('drift after an override', () => {
  it('records what the person did instead of the suggestion', async () => {
    await saveCoreCharter(supCharter());
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    const [suggestion] = await storage().listSuggestions('SUP-1');
    const assign = suggestion?.decision.actions.find((a) => a.kind === 'assign');
    if (assign?.kind !== 'assign') throw new Error('expected an assign suggestion');
    const suggested = assign.to;
    const answer = await invokeResolver(
      uiResolver as never,
      'answerSuggestion',
      {
        issueKey: 'SUP-1',
        suggestionKey: suggestion!.key,
        verdict: 'override',
        reason: { code: 'wrong-owner', text: 'Linus owns login' },
      },
      'u-ada',
    );
    expect(answer).toMatchObject({ ok: true, data: { outcome: 'overridden' } });
    // Before anyone acts, the override is known but not its final action.
    expect((await getTrust('u-ada')).patterns.router).toMatchObject({ overridden: 1, finals: 0, drift: null });
    vi.setSystemTime(NOW + 3_600_000);
    const instead = suggested === 'u-linus' ? 'u-grace' : 'u-linus';
    h.sim.store.assign('SUP-1', instead, 'u-ada');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:assigned:issue', 'SUP-1'));
    const t = await getTrust('u-grace');
    expect(t.patterns.router).toMatchObject({ overridden: 1, finals: 1, drifted: 1, changedAfterAct: 0, drift: 1 });
    const [final] = (await storage().queryAudit({ issueKey: 'SUP-1', outcome: 'final' })).entries;
    expect(final?.final).toEqual({ actions: [`assign to ${instead}`], drifted: true, afterAct: false });
  });

  it('refuses a customer and a bad window', async () => {
    await saveCoreCharter(supCharter());
    expect(await invokeResolver(uiResolver as never, 'getTrust', { projectKey: 'SUP' }, 'u-cust')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(
      await invokeResolver(uiResolver as never, 'getTrust', { projectKey: 'SUP', weeks: 0 }, 'u-ada'),
    ).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
  });
});

describe('admin page: the Trust tab', () => {
  it('shows trust per pattern, per rule and per week, with the drift a reassignment made', async () => {
    await saveCoreCharter(
      supCharter({
        autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'automate' } },
        confidence: { act: 0.5, suggest: 0 },
      }),
    );
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    const other = h.sim.store.get('SUP-1').assignee === 'u-linus' ? 'u-ada' : 'u-linus';
    vi.setSystemTime(NOW + 3_600_000);
    h.sim.store.assign('SUP-1', other, 'u-grace');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:assigned:issue', 'SUP-1'));
    const ui = installUiKitHost({ accountId: 'u-grace', extension: { type: 'jira:adminPage' } });
    const { TrustPanel } = await import('../src/frontend/admin/trust-panel.tsx');
    await ui.render(<TrustPanel projectKey="SUP" weeks={2} />);
    await ui.settle(() => ui.shown().includes('By week'), 'the trust report');
    const shown = ui.shown();
    expect(shown).toMatch(
      /router: 1 decisions, 1 acted; .*drift 100% \(1 of 1 final actions differ; 1 changed after the agent acted\)/,
    );
    expect(shown).toMatch(/router\.[\w.]+ \(router\): .*drift 100%/);
    expect(shown).toContain('Week of 2026-11-16: no decisions');
    // The clerk's handoff suggestion (Grace gave the issue to someone new) is that week's too.
    expect(shown).toMatch(/Week of 2026-11-23: .*router accepted —, drift 100%/);
    expect(ui.calls.find((c) => c.name === 'getTrust')?.payload).toEqual({ projectKey: 'SUP', weeks: 2 });
  });
});

describe("rows logged when a model's guess was named by a suffix", () => {
  it('read as the rule with source model: one row for the audit, one trust line with the new rows', async () => {
    await saveCoreCharter(supCharter());
    const row = (id: string, rule: string, source?: 'model') => ({
      id: `${id}#suggested`,
      decisionKey: id,
      issueKey: 'SUP-1',
      projectKey: 'SUP',
      at: NOW - 3_600_000,
      pattern: 'router',
      kind: 'setField',
      outcome: 'suggested',
      reason: 'components looks like Payments',
      actor: 'app',
      rule,
      ...(source === undefined ? {} : { source }),
    });
    // Stored as the app stored them (no schema in between): before `source` (a suffix), after it, and the rules'.
    const stored = [
      row('d-old', 'router.classify.model'),
      row('d-new', 'router.classify', 'model'),
      row('d-rules', 'router.classify'),
    ];
    for (const r of stored)
      await kvs.entity('audit').set(safeKey(`${String(Math.floor(r.at / 1000)).padStart(8, '0')}:`, r.id), r as never);
    const { entries } = await storage().queryAudit({ issueKey: 'SUP-1' });
    expect(entries.map((e) => [e.decisionKey, e.rule, e.source]).sort()).toEqual([
      ['d-new', 'router.classify', 'model'],
      ['d-old', 'router.classify', 'model'],
      ['d-rules', 'router.classify', undefined],
    ]);
    const t = await getTrust('u-ada');
    expect(t.rules.map((r) => [r.rule, r.source, r.trust.suggested])).toEqual([
      ['router.classify', 'model', 2],
      ['router.classify', 'rules', 1],
    ]);
  });
});
