import { describe, expect, it } from 'vitest';
import { IssueStateSchema, ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { onIssueEvent, uiResolver } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { assigneeOf, invokeResolver, kindsOf, saveCoreCharter, supCharter } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

/** Suggestions live in app storage; the issue property is a cache rebuilt from it. */
let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const stateOf = (key: string) => IssueStateSchema.parse(h.sim.store.get(key).properties.get(ISSUE_STATE_PROPERTY));
const call = (name: string, payload: unknown, accountId = 'u-ada') =>
  invokeResolver(uiResolver as never, name, payload, accountId);
const suggestOwner = async () => {
  await saveCoreCharter(supCharter());
  await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
  const s = stateOf('SUP-1').suggestions.find((x) => kindsOf(x).includes('assign'));
  if (!s) throw new Error('no owner suggestion');
  return s;
};

describe('pending suggestions', () => {
  it('Accept reports Jira’s refusal instead of recording "accepted"', async () => {
    const s = await suggestOwner();
    h.sim.store.users.get(String(assigneeOf(s)))!.active = false;
    // The proposed owner left the company before anyone answered: Jira refuses the assignment.
    const r = await call('answerSuggestion', { issueKey: 'SUP-1', suggestionKey: s.key, verdict: 'accept' }, 'u-grace');
    expect(r).toMatchObject({
      ok: true,
      data: { outcome: 'refused', why: expect.stringMatching(/cannot be assigned/) },
    });
    const { entries } = await createBatonStorage().queryAudit({ issueKey: 'SUP-1' });
    expect(entries.map((e) => e.outcome)).not.toContain('accepted');
    expect(entries.map((e) => e.outcome)).toContain('failed');
  });

  it('Accept carries out the stored proposal, not what an editor wrote into the issue property', async () => {
    const s = await suggestOwner();
    const forged = stateOf('SUP-1');
    forged.suggestions = forged.suggestions.map((x) =>
      x.key === s.key
        ? { ...x, decision: { ...x.decision, actions: [{ kind: 'assign' as const, to: 'u-linus' }] } }
        : x,
    );
    h.sim.store.get('SUP-1').properties.set(ISSUE_STATE_PROPERTY, forged);
    expect(assigneeOf(s)).not.toBe('u-linus');
    await call('answerSuggestion', { issueKey: 'SUP-1', suggestionKey: s.key, verdict: 'accept' });
    expect(h.sim.store.get('SUP-1').assignee).toBe(assigneeOf(s));
  });

  it('a suggestion lost from the property by a concurrent writer stays pending: the panel shows it, the next evaluation restores it', async () => {
    const s = await suggestOwner();
    // The other evaluation read the property before this suggestion was written, and wrote last.
    const stale = stateOf('SUP-1');
    stale.suggestions = [];
    h.sim.store.get('SUP-1').properties.set(ISSUE_STATE_PROPERTY, stale);
    const view = (await call('getIssueView', { issueKey: 'SUP-1' })) as {
      data: { state: { suggestions: { key: string }[] } };
    };
    expect(view.data.state.suggestions.map((x) => x.key)).toContain(s.key);
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:assigned:issue', 'SUP-1'));
    expect(stateOf('SUP-1').suggestions.map((x) => x.key)).toContain(s.key);
  });

  it('two evaluations of one issue at once leave every suggestion pending in storage', async () => {
    await saveCoreCharter(supCharter());
    await Promise.all([
      onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1')),
      onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-1')),
    ]);
    const stored = await createBatonStorage().listSuggestions('SUP-1');
    const view = (await call('getIssueView', { issueKey: 'SUP-1' })) as {
      data: { state: { suggestions: { key: string }[] } };
    };
    expect(stored.length).toBeGreaterThan(0);
    expect(view.data.state.suggestions.map((x) => x.key).sort()).toEqual(stored.map((x) => x.key).sort());
  });
});
