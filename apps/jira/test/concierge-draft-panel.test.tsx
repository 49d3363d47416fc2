import { describe, expect, it, vi } from 'vitest';
import { onIssueEvent } from '../src/index.ts';
import { parseCharterYaml } from '../src/app/charter-yaml.ts';
import { DECISION_PROPERTY, JSM_PUBLIC_PROPERTY } from '../src/app/execute-decision.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { NOW } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { installUiKitHost } from './ui-kit.ts';

// The concierge's customer update in the issue panel (through @forge/react's reconciler): the draft is
// shown in a text area, the person rewrites it and posts; their words reach the customer.
let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const YAML = `
version: 2
scope: { projects: [SUP] }
workflow:
  states:
    To Do: { phase: queue }
    In Progress: { phase: active }
    Waiting for customer: { phase: waiting, waitingReason: customer }
    Done: { phase: done }
concierge: { onChange: [customer] }
autonomy: { default: off, kinds: { comment: automate } }
`;

describe('issue panel: a concierge draft edited before posting', () => {
  it('shows the draft, posts the person’s words as the customer comment', async () => {
    const parsed = parseCharterYaml(YAML);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    await createBatonStorage().saveCharter(
      'global',
      { charter: parsed.value, yaml: YAML, updatedAt: 0, updatedBy: 'test' },
      0,
    );
    vi.setSystemTime(NOW + 60 * 60_000);
    h.sim.store.transition('SUP-4', '31', 'u-linus');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-4', { atlassianId: 'u-linus' }));
    const [s] = await createBatonStorage().listSuggestions('SUP-4');
    const ui = installUiKitHost({
      accountId: 'u-linus',
      extension: { type: 'jira:issuePanel', issue: { key: 'SUP-4' } },
    });
    const { IssuePanel } = await import('../src/frontend/issue-panel-view.tsx');
    await ui.render(<IssuePanel />);
    await ui.settle(() => ui.shown().includes('The update (edit it before posting)'), 'the draft');
    const words = 'Hi Ada, could you send us the export file? We pick it up the moment it arrives.';
    ui.type(`draft.${s!.key}`, words);
    await ui.click('Post');
    await ui.settle(() => ui.shown().includes('Suggestion accepted.'), 'the answer');
    expect(ui.calls.find((c) => c.name === 'answerSuggestion')?.payload).toMatchObject({
      verdict: 'accept',
      text: words,
    });
    const comments = h.sim.store.get('SUP-4').comments.filter((c) => c.properties.has(DECISION_PROPERTY));
    expect(
      comments.map((c) => [h.sim.store.commentText(c).startsWith(words), c.properties.get(JSM_PUBLIC_PROPERTY)]),
    ).toEqual([[true, { internal: false }]]);
  });
});
