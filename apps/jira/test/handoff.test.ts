import { adfFromText, adfToText } from '@baton/jira-sim';
import { describe, expect, it } from 'vitest';
import { onIssueEvent, uiResolver } from '../src/index.ts';
import { DECISION_PROPERTY, JSM_PUBLIC_PROPERTY, executeDecision } from '../src/app/execute-decision.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { ASSIST_ALL, actDecision, invokeResolver, saveCharterYaml, saveCoreCharter, supCharter } from './fixtures.ts';
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

  it('two people accepting the suggested packet at once: one comment, one accept, the other finds it answered', async () => {
    await saveCoreCharter(supCharter());
    h.sim.store.assign('SUP-2', 'u-linus', 'u-grace');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:assigned:issue', 'SUP-2'));
    const storage = createBatonStorage();
    const [pending] = (await storage.listSuggestions('SUP-2')).filter((s) => s.summary.includes('handoff packet'));
    const accept = (who: string) =>
      invokeResolver(
        uiResolver as never,
        'answerSuggestion',
        { issueKey: 'SUP-2', suggestionKey: pending!.key, verdict: 'accept' },
        who,
      );
    const answers = await Promise.all([accept('u-grace'), accept('u-ada')]);
    expect(answers.map((a) => (a as { data: { outcome: string } }).data.outcome).sort()).toEqual([
      'accepted',
      'not-pending',
    ]);
    // Posted as the person who accepted (Jira checks their permissions), under the decision's key.
    const packets = h.sim.store
      .get('SUP-2')
      .comments.filter((c) => c.properties.has(DECISION_PROPERTY) && adfToText(c.body).includes('you now own SUP-2'));
    expect(packets).toHaveLength(1);
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

describe('handoff by Jira notification (handoff.by: email)', () => {
  const charter = (by: 'comment' | 'email'): string => `version: 2
scope: { projects: [SUP] }
autonomy: { default: off, kinds: { comment: automate, notify: automate } }
caps: { maxNudgesPerCasePerDay: 1, maxNudgesPerPersonPerDay: 1 }
handoff: { by: ${by} }
`;
  const assignedToLinus = () => {
    h.sim.store.assign('SUP-2', 'u-linus', 'u-grace');
    return issueEvent(h.sim, 'avi:jira:assigned:issue', 'SUP-2', {
      changelogItems: [{ field: 'assignee', fromString: 'Ada Lovelace', toString: 'Linus Pauling' }],
    });
  };

  it("emails the packet to the new owner alone through Jira's notify, once under redelivery, audited; no comment", async () => {
    await saveCharterYaml(charter('email'));
    h.sim.store.addComment('SUP-2', adfFromText('We decided to reissue the invoice with the 19% rate.'), 'u-ada');
    const event = assignedToLinus();
    await onIssueEvent(event);
    await onIssueEvent(event);
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2'));
    expect(handoffs('SUP-2')).toHaveLength(0);
    const sent = h.sim.store.notifications.filter((n) => n.issueKey === 'SUP-2');
    expect(sent).toHaveLength(1);
    expect(h.sim.requestsTo('/rest/api/3/issue/SUP-2/notify', 'POST')).toHaveLength(1);
    const email = sent[0]!;
    expect(email.to).toEqual(['u-linus']);
    expect(email.subject).toBe('SUP-2: you now own it (the handoff packet)');
    expect(email.textBody).toContain('you now own SUP-2. The handoff packet, Linus Pauling:');
    expect(email.textBody).toContain('We decided to reissue the invoice with the 19% rate. (Ada Lovelace, comment 2)');
    expect(email.textBody).not.toMatch(/\bu-(ada|cust|linus)\b/);
    const { entries } = await createBatonStorage().queryAudit({ issueKey: 'SUP-2', outcome: 'executed' });
    const audited = entries.filter((e) => e.pattern === 'clerk');
    expect(audited.map((e) => e.kind)).toEqual(['notify']);
    // The audit keeps the account id.
    expect(audited[0]!.reason).toContain('u-linus became the owner');
  });

  it('the new owner accepting the suggested email in the panel has read it there: nothing is sent, it is accepted', async () => {
    // Jira's notify refuses an email to the person who sends it; the packet is already in front of them.
    await saveCharterYaml(charter('email').replace('notify: automate', 'notify: assist'));
    await onIssueEvent(assignedToLinus());
    const storage = createBatonStorage();
    const pending = (await storage.listSuggestions('SUP-2')).filter((s) => s.summary.includes('handoff packet'));
    expect(pending).toHaveLength(1);
    const answer = await invokeResolver(
      uiResolver as never,
      'answerSuggestion',
      { issueKey: 'SUP-2', suggestionKey: pending[0]!.key, verdict: 'accept' },
      'u-linus',
    );
    expect(answer).toMatchObject({ ok: true, data: { outcome: 'accepted' } });
    expect(h.sim.requestsTo('/rest/api/3/issue/SUP-2/notify', 'POST')).toHaveLength(0);
    expect((await storage.listSuggestions('SUP-2')).filter((s) => s.summary.includes('handoff packet'))).toHaveLength(
      0,
    );
    const { entries } = await storage.queryAudit({ issueKey: 'SUP-2' });
    const clerk = entries.filter((e) => e.pattern === 'clerk');
    expect(clerk.map((e) => e.outcome)).toContain('accepted');
    expect(clerk.map((e) => e.outcome)).not.toContain('failed');
  });

  it('someone else accepting it for the new owner sends the email to the new owner', async () => {
    await saveCharterYaml(charter('email').replace('notify: automate', 'notify: assist'));
    await onIssueEvent(assignedToLinus());
    const storage = createBatonStorage();
    const pending = (await storage.listSuggestions('SUP-2')).filter((s) => s.summary.includes('handoff packet'));
    const answer = await invokeResolver(
      uiResolver as never,
      'answerSuggestion',
      { issueKey: 'SUP-2', suggestionKey: pending[0]!.key, verdict: 'accept' },
      'u-grace',
    );
    expect(answer).toMatchObject({ ok: true, data: { outcome: 'accepted' } });
    expect(h.sim.store.notifications.filter((n) => n.issueKey === 'SUP-2').map((n) => n.to)).toEqual([['u-linus']]);
  });

  for (const by of ['comment', 'email'] as const)
    it(`a nudge and a handoff by ${by} to the same person on the same day, under caps of 1: both delivered, the next nudge waits`, async () => {
      await saveCharterYaml(charter(by));
      const deps = { jira: undefined as never, storage: createBatonStorage(), now: () => Date.now() };
      const { createJiraClient } = await import('@baton/jira');
      const { appJiraFetch } = await import('../src/platform/forge-jira.ts');
      deps.jira = createJiraClient({ fetch: appJiraFetch() }) as never;
      const nudge = (n: number) =>
        actDecision({
          id: `nudge-${n}`,
          caseId: 'SUP-2',
          actions: [{ kind: 'notify', to: 'u-linus', message: `Still on SUP-2? (${n})` }],
        });
      const caps = { nudgeCap: 1, personCap: 1 };
      expect(await executeDecision(deps, nudge(1), 'app', caps)).toBe('executed');
      // Linus takes the issue over a moment later (a person's touch, which would hold a nudge): the packet still goes.
      await onIssueEvent(assignedToLinus());
      const delivered =
        by === 'comment'
          ? handoffs('SUP-2').length
          : h.sim.store.notifications.filter((n) => n.issueKey === 'SUP-2' && n.to.includes('u-linus')).length;
      expect(delivered).toBe(1);
      // The handoff took nothing from the caps: the day's one nudge is still the only one.
      expect(await deps.storage.nudgesToday('SUP-2', new Date().toISOString().slice(0, 10))).toBe(1);
      expect(await executeDecision(deps, nudge(2), 'app', caps)).toEqual({ deferred: { code: 'caps.perPersonDay' } });
    });
});
