import { adfFromText, adfToText } from '@baton/jira-sim';
import { describe, expect, it } from 'vitest';
import { onIssueEvent } from '../src/index.ts';
import { DECISION_PROPERTY, JSM_PUBLIC_PROPERTY } from '../src/app/execute-decision.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { saveCoreCharter, supCharter, ASSIST_ALL } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// The clerk on a change of owner: the new owner receives the packet as an internal comment that
// mentions them, once, however often Jira delivers the event.
let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

/** The clerk's handoff comments: the app's, under a decision key, opening with the packet's first line. */
const handoffs = (key: string) =>
  h.sim.store
    .get(key)
    .comments.filter(
      (c) =>
        c.author === 'app-baton' &&
        c.properties.has(DECISION_PROPERTY) &&
        adfToText(c.body).includes(`you now own ${key}. The handoff packet`),
    );
const mentions = (body: unknown): string[] =>
  JSON.stringify(body)
    .match(/"type":"mention","attrs":\{"id":"([^"]+)"/g)
    ?.map((m) => m.split('"id":"')[1]!.slice(0, -1)) ?? [];

describe('handoff on change of owner', () => {
  it('posts the packet to the new owner once, internal, under redelivery of the event', async () => {
    await saveCoreCharter(supCharter({ autonomy: { default: 'off', kinds: { ...ASSIST_ALL, comment: 'automate' } } }));
    h.sim.store.addComment('SUP-2', adfFromText('We decided to reissue the invoice with the 19% rate.'), 'u-ada');
    h.sim.store.assign('SUP-2', 'u-linus', 'u-grace');
    const event = issueEvent(h.sim, 'avi:jira:assigned:issue', 'SUP-2', {
      changelogItems: [{ field: 'assignee', fromString: 'Ada Lovelace', toString: 'Linus Torvalds' }],
    });
    await onIssueEvent(event);
    await onIssueEvent(event);
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2'));
    const posted = handoffs('SUP-2');
    expect(posted).toHaveLength(1);
    const comment = posted[0]!;
    expect(mentions(comment.body)).toEqual(['u-linus']);
    expect(comment.properties.get(JSM_PUBLIC_PROPERTY)).toEqual({ internal: true });
    const text = adfToText(comment.body);
    expect(text).toContain('you now own SUP-2');
    expect(text).toContain('We decided to reissue the invoice with the 19% rate. (Ada Lovelace, comment 2)');
    expect(text).not.toMatch(/\bu-(ada|cust)\b/);
    const { entries } = await createBatonStorage().queryAudit({ issueKey: 'SUP-2', outcome: 'executed' });
    expect(entries.filter((e) => e.kind === 'comment')).toHaveLength(1);
  });

  it('under assist it is a suggestion naming the new owner; an owner from days ago gets nothing', async () => {
    // SUP-2 has been Ada's for 29 hours: no packet for an old change of owner.
    await saveCoreCharter(supCharter({ autonomy: { default: 'off', kinds: { ...ASSIST_ALL, comment: 'automate' } } }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2'));
    expect(handoffs('SUP-2')).toHaveLength(0);

    await saveCoreCharter(supCharter());
    h.sim.store.assign('SUP-2', 'u-linus', 'u-grace');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:assigned:issue', 'SUP-2'));
    expect(handoffs('SUP-2')).toHaveLength(0);
    const pending = await createBatonStorage().listSuggestions('SUP-2');
    expect(pending.map((s) => s.summary)).toContain('Send u-linus the handoff packet');
  });

  it('an issue taken from the queue (no owner before) is not a handoff', async () => {
    await saveCoreCharter(supCharter({ autonomy: { default: 'off', kinds: { ...ASSIST_ALL, comment: 'automate' } } }));
    h.sim.store.assign('SUP-1', 'u-linus', 'u-linus');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:assigned:issue', 'SUP-1'));
    expect(handoffs('SUP-1')).toHaveLength(0);
    expect((await createBatonStorage().listSuggestions('SUP-1')).map((s) => s.summary)).not.toContain(
      'Send u-linus the handoff packet',
    );
  });
});
