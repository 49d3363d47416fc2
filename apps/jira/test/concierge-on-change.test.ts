import { describe, expect, it, vi } from 'vitest';
import { onIssueEvent, uiResolver } from '../src/index.ts';
import { DECISION_PROPERTY, JSM_PUBLIC_PROPERTY } from '../src/app/execute-decision.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { invokeResolver, saveCharterYaml } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { at, tickAt } from './live-loop.ts';

// The concierge on a change, live, through the real handlers on the support-desk seed: SUP-4 (Highest,
// In Progress, owned by Linus of the desk team whose lead is Grace) goes to "Waiting for customer".
// That is news for the team, the customer and the executive; a label edit is news for nobody.

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const CHARTER = (concierge: string, autonomy = '{ default: off, kinds: { comment: automate, notify: automate } }') => `
version: 2
scope: { projects: [SUP] }
workflow:
  states:
    To Do: { phase: queue }
    In Progress: { phase: active }
    Waiting for customer: { phase: waiting, waitingReason: customer }
    Done: { phase: done }
routing:
  teams: [{ id: desk, lead: u-grace, members: [{ id: u-ada }, { id: u-linus }] }]
concierge: ${concierge}
autonomy: ${autonomy}
`;

/** The app's comments on the issue: text and whether a JSM customer sees it. */
const posted = (key: string) =>
  h.sim.store
    .get(key)
    .comments.filter((c) => c.properties.has(DECISION_PROPERTY))
    .map((c) => ({ text: h.sim.store.commentText(c), public: c.properties.get(JSM_PUBLIC_PROPERTY) }));

const pending = async (key: string) => (await createBatonStorage().listSuggestions(key)).map((s) => s.summary);

/** SUP-4 moves to "Waiting for customer" (Linus does it, Monday 13:00), and Jira tells the app. */
async function waitForCustomer(): Promise<Record<string, unknown>> {
  vi.setSystemTime(at(0, 13));
  h.sim.store.transition('SUP-4', '31', 'u-linus');
  const event = issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-4', { atlassianId: 'u-linus' });
  await onIssueEvent(event);
  return event;
}

describe('the concierge on a meaningful change', () => {
  it('proposes each audience’s update: the team’s and the executive’s sent, the customer’s held for a person', async () => {
    await saveCharterYaml(CHARTER('{ onChange: [customer, internal, executive] }'));
    const event = await waitForCustomer();

    // The team: an internal comment, never shown to the JSM customer.
    const comments = posted('SUP-4');
    expect(comments).toHaveLength(1);
    expect(comments[0]?.public).toEqual({ internal: true });
    expect(comments[0]?.text).toContain('What changed:');
    // The executive: a message to a person, so the gate holds it while Linus has just touched the issue
    // (the charter's recentTouch, 4 business hours, to 17:00) and outside business hours (quiet); the
    // watchdog's tick sends it on Tuesday morning.
    expect(h.sim.store.notifications).toEqual([]);
    await tickAt(at(0, 16, 30));
    await tickAt(at(0, 17, 5));
    expect(h.sim.store.notifications).toEqual([]);
    await tickAt(at(1, 9, 5));
    // Jira's notification email to the team's lead, no comment at all.
    expect(h.sim.store.notifications).toEqual([
      expect.objectContaining({ issueKey: 'SUP-4', to: ['u-grace'], subject: expect.stringContaining('SUP-4') }),
    ]);
    expect(h.sim.store.notifications[0]?.textBody).toContain('SUP-4');
    // The customer: customer-facing, so the gate holds it for a person (risk.autoCustomerFacing is off).
    expect(await pending('SUP-4')).toHaveLength(1);

    // The same event delivered again, and more ticks: the same change, nothing sent twice.
    await onIssueEvent(event);
    await tickAt(at(1, 10));
    await tickAt(at(2, 10));
    expect(posted('SUP-4')).toHaveLength(1);
    expect(h.sim.store.notifications).toHaveLength(1);
    expect(await pending('SUP-4')).toHaveLength(1);

    const { entries } = await createBatonStorage().queryAudit({ issueKey: 'SUP-4' });
    expect(
      entries
        .filter((e) => e.pattern === 'concierge')
        .map((e) => e.outcome)
        .sort(),
    ).toEqual(['executed', 'executed', 'suggested']);
  });

  it('a person edits the customer’s draft before posting: their words go to the customer, once', async () => {
    await saveCharterYaml(CHARTER('{ onChange: [customer] }'));
    await waitForCustomer();
    const [s] = await createBatonStorage().listSuggestions('SUP-4');
    expect(s?.decision.actions[0]).toMatchObject({ kind: 'comment', audience: 'customer' });
    const call = (payload: unknown) => invokeResolver(uiResolver as never, 'answerSuggestion', payload, 'u-linus');
    const words = 'Hello Ada, we need the export file from you to go on. Thank you!';
    // An override carries no text; an empty edit is refused by the contract, naming the field.
    expect(await call({ issueKey: 'SUP-4', suggestionKey: s!.key, verdict: 'accept', text: '  ' })).toMatchObject({
      ok: false,
    });
    expect(posted('SUP-4')).toEqual([]);
    const r = await call({ issueKey: 'SUP-4', suggestionKey: s!.key, verdict: 'accept', text: words });
    expect(r).toMatchObject({ ok: true, data: { outcome: 'accepted' } });
    const comments = posted('SUP-4');
    expect(comments).toHaveLength(1);
    expect(comments[0]?.text).toContain(words);
    expect(comments[0]?.public).toEqual({ internal: false });
    expect(await call({ issueKey: 'SUP-4', suggestionKey: s!.key, verdict: 'accept', text: words })).toMatchObject({
      ok: true,
      data: { outcome: 'not-pending' },
    });
    expect(posted('SUP-4')).toHaveLength(1);
  });

  it('an edited team update stays internal', async () => {
    await saveCharterYaml(
      CHARTER('{ onChange: [internal] }', '{ default: off, kinds: { comment: assist, notify: automate } }'),
    );
    await waitForCustomer();
    const [s] = await createBatonStorage().listSuggestions('SUP-4');
    const call = (payload: unknown) => invokeResolver(uiResolver as never, 'answerSuggestion', payload, 'u-linus');
    await call({ issueKey: 'SUP-4', suggestionKey: s!.key, verdict: 'accept', text: 'Waiting on Ada for the export.' });
    expect(posted('SUP-4')).toEqual([
      { text: expect.stringContaining('Waiting on Ada for the export.'), public: { internal: true } },
    ]);
  });

  it('proposes nothing on noise (a label), nor when the charter names no audience', async () => {
    await saveCharterYaml(CHARTER('{ onChange: [customer, internal, executive] }'));
    vi.setSystemTime(at(0, 13));
    h.sim.store.edit('SUP-4', { labels: ['vip'] }, 'u-linus');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-4', { atlassianId: 'u-linus' }));
    expect([posted('SUP-4'), h.sim.store.notifications, await pending('SUP-4')]).toEqual([[], [], []]);

    await saveCharterYaml(CHARTER('{ onChange: [] }'));
    await waitForCustomer();
    expect([posted('SUP-4'), h.sim.store.notifications, await pending('SUP-4')]).toEqual([[], [], []]);
  });

  it('the executive’s update by comment is internal and mentions the lead', async () => {
    await saveCharterYaml(CHARTER('{ onChange: [executive], executiveBy: comment }'));
    await waitForCustomer();
    await tickAt(at(1, 10));
    const [exec] = h.sim.store.get('SUP-4').comments.filter((c) => c.properties.has(DECISION_PROPERTY));
    expect(exec?.properties.get(JSM_PUBLIC_PROPERTY)).toEqual({ internal: true });
    expect(JSON.stringify(exec?.body)).toContain('"type":"mention","attrs":{"id":"u-grace"');
    expect(h.sim.store.notifications).toEqual([]);
  });

  it('failure path: Jira refuses the email (a lead it does not know): audited as failed, not retried', async () => {
    await saveCharterYaml(CHARTER('{ onChange: [executive] }').replace('lead: u-grace', 'lead: u-left-long-ago'));
    const event = await waitForCustomer();
    await tickAt(at(1, 10));
    expect(h.sim.store.notifications).toEqual([]);
    await onIssueEvent(event);
    await tickAt(at(1, 11));
    const { entries } = await createBatonStorage().queryAudit({ issueKey: 'SUP-4' });
    const mine = entries.filter((e) => e.pattern === 'concierge');
    expect(mine.map((e) => e.outcome)).toEqual(['failed']);
    expect(mine[0]?.reason).toContain('u-left-long-ago');
    expect(h.sim.requestsTo('/rest/api/3/issue/SUP-4/notify', 'POST')).toHaveLength(1);
  });
});
