import { adfFromText } from '@baton/jira-sim';
import { describe, expect, it } from 'vitest';
import { onIssueEvent } from '../src/index.ts';
import { saveCoreCharter, supCharter, leastLoaded } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { installUiKitHost } from './ui-kit.ts';

// The clerk in the panel: core's handoff packet for the issue as it is in Jira now, rendered through
// `@forge/react`'s reconciler, every item with where it came from and every person by name.
let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

async function openPanel(issueKey: string) {
  const ui = installUiKitHost({ accountId: 'u-ada', extension: { type: 'jira:issuePanel', issue: { key: issueKey } } });
  const { IssuePanel } = await import('../src/frontend/issue-panel-view.tsx');
  await ui.render(<IssuePanel />);
  return ui;
}

describe('issue panel: the handoff packet', () => {
  it('shows decisions, questions, commitments, links, stakeholders, next owner and the ready checklist, each with its source', async () => {
    await saveCoreCharter(supCharter());
    const say = (text: string, author: string) => h.sim.store.addComment('SUP-2', adfFromText(text), author);
    say('We decided to reissue the invoice with the 19% rate.', 'u-ada');
    say('I will send the corrected PDF by Friday. The draft is at https://wiki.example.com/vat-2026', 'u-grace');
    say('Could you confirm the billing address?', 'u-ada');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:commented:issue', 'SUP-2'));
    const ui = await openPanel('SUP-2');
    await ui.settle(() => ui.shown().includes('Next owner:'), 'the packet');
    const shown = ui.shown();
    expect(shown).toContain('We decided to reissue the invoice with the 19% rate. — Ada Lovelace, comment 2');
    expect(shown).toMatch(/Could you confirm the billing address\? — Ada Lovelace, comment 4/);
    expect(shown).toMatch(/I will send the corrected PDF by Friday\..* — Grace Hopper, comment 3/);
    expect(shown).toContain('https://wiki.example.com/vat-2026\n— comment 3');
    expect(shown).toContain('Next owner: ');
    expect(shown).toContain('Ada Lovelace: commenter, owner');
    expect(shown).toContain('Carla Customer: commenter, reporter');
    expect(shown).toContain('low: status chased 1 time — comment 1');
    // The definition of ready for leaving In Progress (the default: an owner and a priority), each item sourced.
    expect(shown).toContain('Ready to leave In Progress?');
    expect(shown).toContain('owner assigned — from field assignee');
    expect(shown).toContain('priority set — from field priority');
    // People by name: no account id on the packet's part of the page.
    const packetPart = shown.slice(shown.indexOf('Handoff packet'), shown.indexOf('Suggestions'));
    expect(packetPart).not.toMatch(/\bu-(ada|grace|cust)\b/);
    expect(ui.calls.map((c) => c.name)).toContain('getHandoffPacket');
  });

  it('says the packet could not be read when Jira refuses the read, and still shows the rest of the panel', async () => {
    await saveCoreCharter(supCharter());
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    // The issue read behind the packet (GET /issue/SUP-1 with its changelog) fails for good.
    h.sim.fail({ status: 403, method: 'GET', path: /^\/rest\/api\/3\/issue\/SUP-1$/, times: 20 });
    const ui = await openPanel('SUP-1');
    await ui.settle(() => ui.shown().includes('could not be read'), 'the packet warning');
    expect(ui.shown()).toContain('Assign to');
    expect(ui.shown()).toContain('Audit trail');
  });

  it('names people in suggestions ("Assign to Ada Lovelace"), reading names from Jira once and then from the cache', async () => {
    await saveCoreCharter(supCharter({ routing: leastLoaded('u-ada') }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    const first = await openPanel('SUP-1');
    await first.settle(() => first.shown().includes('Assign to'), 'the suggestion');
    expect(first.shown()).toContain('Assign to Ada Lovelace');
    expect(first.shown()).not.toContain('Assign to u-ada');
    await first.settle(() => first.shown().includes('Next owner:'), 'the packet');
    const reads = h.sim.requestsTo('/rest/api/3/user/bulk', 'GET').length;
    expect(reads).toBeGreaterThan(0);
    const again = await openPanel('SUP-1');
    await again.settle(() => again.shown().includes('Assign to Ada Lovelace'), 'the suggestion again');
    await again.settle(() => again.shown().includes('Next owner:'), 'the packet again');
    expect(h.sim.requestsTo('/rest/api/3/user/bulk', 'GET').length).toBe(reads);
  });

  it("names the people a suggested nudge's text mentions, not only whom it reaches (the reporter it waits on)", async () => {
    // SUP-4 is Linus's and has sat in In Progress for two business days; Ada reported it.
    await saveCoreCharter(supCharter({ workflow: { norm: '1d', states: {} } }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-4'));
    const ui = await openPanel('SUP-4');
    await ui.settle(() => ui.shown().includes('idle in In Progress'), 'the suggested nudge');
    const suggestions = ui.shown().slice(ui.shown().indexOf('Suggestions'));
    expect(suggestions).toContain('waiting: Ada Lovelace;');
    expect(suggestions).not.toMatch(/\bu-(ada|linus)\b/);
  });
});
