import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { uiResolver } from '../src/index.ts';
import { freezeTime, invokeResolver, saveCoreCharter, supCharter, slaGoal } from './fixtures.ts';
import { startForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { onIssueEvent } from '../src/index.ts';
import { issueEvent } from './forge-harness.ts';

interface ForgeDoc {
  type: string;
  props: Record<string, unknown>;
  children: ForgeDoc[];
}
const texts = (d: ForgeDoc | undefined): string[] =>
  d === undefined ? [] : [...(d.type === 'String' ? [String(d.props.text)] : []), ...d.children.flatMap(texts)];
const find = (d: ForgeDoc | undefined, pred: (x: ForgeDoc) => boolean): ForgeDoc[] =>
  d === undefined ? [] : [...(pred(d) ? [d] : []), ...d.children.flatMap((c) => find(c, pred))];

let h: ForgeHarness;
let lastDoc: ForgeDoc | undefined;
/** The panel's resolver calls not answered yet: they finish before the harness closes. */
const inFlight = new Set<Promise<unknown>>();
beforeEach(async () => {
  freezeTime();
  h = await startForgeHarness();
  lastDoc = undefined;
  // UI Kit talks to the host only through `self.__bridge.callBridge`: reconcile (the rendered tree),
  // getContext (where it is shown, who looks) and invoke (resolvers). Here the bridge is the real resolver.
  const bridge = {
    callBridge: async (cmd: string, data: { forgeDoc?: ForgeDoc; functionKey?: string; payload?: unknown }) => {
      if (cmd === 'reconcile') lastDoc = data.forgeDoc;
      if (cmd === 'getContext')
        return { accountId: 'u-ada', extension: { type: 'jira:issuePanel', issue: { key: 'SUP-1' } } };
      if (cmd === 'invoke') {
        const answer = invokeResolver(uiResolver as never, String(data.functionKey), data.payload, 'u-ada');
        inFlight.add(answer);
        const done = () => inFlight.delete(answer);
        answer.then(done, done);
        return answer;
      }
      return undefined;
    },
  };
  Object.assign(globalThis, { self: globalThis, __bridge: bridge });
  vi.resetModules();
});
afterEach(async () => {
  // The panel is unmounted and its calls answered first: left running, they met the closed sim and
  // retried on real timers after the file had ended.
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  const { default: ForgeReconciler } = await import('@forge/react');
  ForgeReconciler.render(<></>);
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  await h.close();
  vi.useRealTimers();
});

async function settle(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 20));
}

describe('issue panel (UI Kit through @forge/react reconciler, bridge replaced)', () => {
  it('shows the pending suggestions; accepting one assigns the issue, accepting the other sets the due date', async () => {
    await saveCoreCharter(supCharter({ slaGoals: [slaGoal('resolve', '3d')] }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    await import('../src/frontend/issue-panel.tsx');
    await settle(() => texts(lastDoc).some((t) => t.includes('Assign to')));
    const shown = texts(lastDoc).join('\n');
    // People by name (the stored suggestion keeps the account id, the panel names the person).
    expect(shown).toMatch(/Assign to Ada Lovelace/);
    // Created Monday 10:00, three business days of 09:00–17:00: due Thursday 10:00.
    expect(shown).toMatch(/Set due date to 2026-11-26 — SLA resolve/);
    expect(shown).toMatch(/resolve: on-track/);
    // The Accept button of the one suggestion whose text says `what`.
    const isAccept = (d: ForgeDoc) => d.type === 'Button' && texts(d).includes('Accept');
    const acceptOf = (what: string) =>
      find(
        lastDoc,
        (d) => d.type === 'Stack' && texts(d).some((t) => t.includes(what)) && find(d, isAccept).length === 1,
      ).map((d) => find(d, isAccept)[0])[0];
    const accept = acceptOf('Assign to');
    expect(accept).toBeDefined();
    // The host calls a function prop by its id; the reconciler keeps the function itself in props.
    await (accept?.props.onClick as () => Promise<void>)();
    await settle(() => texts(lastDoc).some((t) => t.includes('Suggestion accepted')));
    expect(h.sim.store.get('SUP-1').assignee).toBe('u-ada');
    expect(h.sim.store.changes.at(-1)).toMatchObject({ kind: 'assigned', actor: 'u-ada' });
    await settle(() => !texts(lastDoc).some((t) => t.includes('Assign to')));
    const acceptDue = acceptOf('Set due date to');
    expect(acceptDue).toBeDefined();
    await (acceptDue?.props.onClick as () => Promise<void>)();
    await settle(() => h.sim.store.get('SUP-1').duedate !== null);
    expect(h.sim.store.get('SUP-1').duedate).toBe('2026-11-26');
    expect(h.sim.store.changes.at(-1)).toMatchObject({
      kind: 'updated',
      actor: 'u-ada',
      history: { items: [expect.objectContaining({ field: 'duedate' })] },
    });
  });

  it('shows the error a resolver returns (project not in scope is not an error; a customer is forbidden)', async () => {
    await saveCoreCharter(supCharter());
    const r = await invokeResolver(uiResolver as never, 'getIssueView', { issueKey: 'SUP-1' }, 'u-cust');
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const bad = await invokeResolver(uiResolver as never, 'getIssueView', { issueKey: 'not a key' }, 'u-ada');
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    const anon = await invokeResolver(uiResolver as never, 'getIssueView', { issueKey: 'SUP-1' }, undefined);
    expect(anon).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
