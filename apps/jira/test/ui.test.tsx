import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { uiResolver } from '../src/index.ts';
import { freezeTime, invokeResolver, saveCharter } from './fixtures.ts';
import { startForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { onIssueEvent } from '../src/index.ts';
import { issueEvent } from './forge-harness.ts';

interface ForgeDoc {
  type: string;
  props: Record<string, unknown>;
  children: ForgeDoc[];
}
const texts = (d: ForgeDoc | undefined): string[] => (d === undefined ? [] : [...(d.type === 'String' ? [String(d.props.text)] : []), ...d.children.flatMap(texts)]);
const find = (d: ForgeDoc | undefined, pred: (x: ForgeDoc) => boolean): ForgeDoc[] => (d === undefined ? [] : [...(pred(d) ? [d] : []), ...d.children.flatMap((c) => find(c, pred))]);

let h: ForgeHarness;
let lastDoc: ForgeDoc | undefined;
beforeEach(async () => {
  freezeTime();
  h = await startForgeHarness();
  lastDoc = undefined;
  // UI Kit talks to the host only through `self.__bridge.callBridge`: reconcile (the rendered tree),
  // getContext (where it is shown, who looks) and invoke (resolvers). Here the bridge is the real resolver.
  const bridge = {
    callBridge: async (cmd: string, data: { forgeDoc?: ForgeDoc; functionKey?: string; payload?: unknown }) => {
      if (cmd === 'reconcile') lastDoc = data.forgeDoc;
      if (cmd === 'getContext') return { accountId: 'u-ada', extension: { type: 'jira:issuePanel', issue: { key: 'SUP-1' } } };
      if (cmd === 'invoke') return invokeResolver(uiResolver as never, String(data.functionKey), data.payload, 'u-ada');
      return undefined;
    },
  };
  Object.assign(globalThis, { self: globalThis, __bridge: bridge });
  vi.resetModules();
});
afterEach(async () => {
  await h.close();
  vi.useRealTimers();
});

async function settle(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 20));
}

describe('issue panel (UI Kit through @forge/react reconciler, bridge replaced)', () => {
  it('shows the pending suggestion and accepting it assigns the issue', async () => {
    await saveCharter({ projects: ['SUP'], slaGoals: [{ name: 'resolve', target: '3d' }] });
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    await import('../src/frontend/issue-panel.tsx');
    await settle(() => texts(lastDoc).some((t) => t.includes('Assign to')));
    const shown = texts(lastDoc).join('\n');
    expect(shown).toMatch(/Assign to u-ada/);
    expect(shown).toMatch(/resolve: on-track/);
    const accept = find(lastDoc, (d) => d.type === 'Button' && texts(d).includes('Accept'))[0];
    expect(accept).toBeDefined();
    // The host calls a function prop by its id; the reconciler keeps the function itself in props.
    await (accept?.props.onClick as () => Promise<void>)();
    await settle(() => texts(lastDoc).some((t) => t.includes('Suggestion accepted')));
    expect(h.sim.store.get('SUP-1').assignee).toBe('u-ada');
    expect(h.sim.store.changes.at(-1)).toMatchObject({ kind: 'assigned', actor: 'u-ada' });
  });

  it('shows the error a resolver returns (project not in scope is not an error; a customer is forbidden)', async () => {
    await saveCharter({ projects: ['SUP'] });
    const r = await invokeResolver(uiResolver as never, 'getIssueView', { issueKey: 'SUP-1' }, 'u-cust');
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const bad = await invokeResolver(uiResolver as never, 'getIssueView', { issueKey: 'not a key' }, 'u-ada');
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    const anon = await invokeResolver(uiResolver as never, 'getIssueView', { issueKey: 'SUP-1' }, undefined);
    expect(anon).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
