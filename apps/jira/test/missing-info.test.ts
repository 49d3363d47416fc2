import { describe, expect, it, vi } from 'vitest';
import { onIssueEvent } from '../src/index.ts';
import { parseCharterYaml } from '../src/app/charter-yaml.ts';
import { DECISION_PROPERTY, JSM_PUBLIC_PROPERTY } from '../src/app/execute-decision.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { saveCharterYaml } from './fixtures.ts';
import { realFetch } from './forge-egress.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { at, fileIssue, said, tickAt } from './live-loop.ts';

// The missing-information loop live, through the real handlers on the support-desk seed: a customer
// files an issue without its component; the app asks (once the reporter's own touch is 4 business
// hours old), reminds a business day later, escalates to the charter's lead two days in, each step on
// the watchdog's scheduled tick and each once; and stops the moment the component is there.

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const CHARTER = `
version: 2
scope: { projects: [SUP] }
workflow:
  states:
    To Do:
      phase: queue
      ready: [{ kind: field, field: components, label: the affected component }]
missingInfo: { remindAfter: 1d, escalateAfter: 2d, escalateTo: u-grace }
autonomy: { default: off, kinds: { requestInfo: automate, escalate: automate } }
risk: { autoCustomerFacing: true }
caps: { maxNudgesPerCasePerDay: 3 }
`;

describe('the missing-information loop on a clock', () => {
  it('asks after the reporter’s own touch, reminds, escalates to the charter’s lead: each step once, each audited', async () => {
    await saveCharterYaml(CHARTER);
    const key = await fileIssue(h);
    // The reporter created it a moment ago: the charter's recentTouch (4 business hours) holds the request.
    expect(said(h, key)).toEqual([]);
    await tickAt(at(0, 14));
    expect(said(h, key)).toEqual([]);

    await tickAt(at(0, 16, 5));
    expect(said(h, key)).toHaveLength(1);
    expect(said(h, key)[0]).toContain(`To move ${key} forward we need the affected component.`);
    await tickAt(at(0, 16, 30));
    expect(said(h, key)).toHaveLength(1);

    await tickAt(at(1, 12, 5));
    expect(said(h, key)).toHaveLength(2);
    expect(said(h, key)[1]).toContain(`Reminder: to move ${key} forward we need the affected component.`);

    await tickAt(at(2, 12, 5));
    expect(said(h, key)).toHaveLength(3);
    // The lead reads the reporter by name; the audit keeps the decision as core made it.
    expect(said(h, key)[2]).toContain(`${key} has waited for the affected component from Carla Customer since`);
    expect(said(h, key)[2]).not.toContain('u-cust');
    const escalation = h.sim.store.get(key).comments.at(-1)!;
    expect(JSON.stringify(escalation.body)).toContain('"type":"mention","attrs":{"id":"u-grace"');

    // Nothing after the escalation, however many ticks.
    await tickAt(at(3, 12, 5));
    await tickAt(at(7, 12, 5));
    expect(said(h, key)).toHaveLength(3);

    const { entries } = await createBatonStorage().queryAudit({ issueKey: key });
    const executed = entries.filter((e) => e.outcome === 'executed').sort((a, b) => a.at - b.at);
    expect(executed.map((e) => e.kind)).toEqual(['requestInfo', 'requestInfo', 'escalate']);
    expect(executed.map((e) => e.at)).toEqual([at(0, 16, 5), at(1, 12, 5), at(2, 12, 5)]);
  });

  it('stops the moment the information arrives: no reminder, no escalation (its twin, still without, goes on)', async () => {
    await saveCharterYaml(CHARTER);
    const key = await fileIssue(h);
    const twin = await fileIssue(h);
    await tickAt(at(0, 16, 5));
    expect([said(h, key), said(h, twin)].map((s) => s.length)).toEqual([1, 1]);

    vi.setSystemTime(at(1, 10));
    h.sim.store.edit(key, { components: ['Reports'] }, 'u-cust');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', key, { atlassianId: 'u-cust' }));
    await tickAt(at(1, 12, 5));
    await tickAt(at(2, 12, 5));
    await tickAt(at(3, 12, 5));
    expect(said(h, key)).toHaveLength(1);
    expect(said(h, twin)).toHaveLength(3);
  });

  it('a loop the charter does not allow to act is suggested, once, not posted', async () => {
    await saveCharterYaml(CHARTER.replace('requestInfo: automate', 'requestInfo: assist'));
    const key = await fileIssue(h);
    await tickAt(at(0, 16, 5));
    await tickAt(at(0, 16, 30));
    expect(said(h, key)).toEqual([]);
    const pending = async () => (await createBatonStorage().listSuggestions(key)).map((s) => s.summary).sort();
    expect(await pending()).toEqual([`To move ${key} forward we need the affected component.`]);
    // A day on, the reminder is suggested beside it: the loop goes on under assist, a person decides each step.
    await tickAt(at(1, 12, 5));
    expect(await pending()).toEqual([
      `Reminder: to move ${key} forward we need the affected component.`,
      `To move ${key} forward we need the affected component.`,
    ]);
  });
});

describe('who reads the loop in Jira Service Management', () => {
  /** What the app's comments on the issue carry in `sd.public.comment`, oldest first. */
  const visibility = (key: string): unknown[] =>
    h.sim.store
      .get(key)
      .comments.filter((c) => c.properties.has(DECISION_PROPERTY))
      .map((c) => c.properties.get(JSM_PUBLIC_PROPERTY));

  it('asks internally unless the charter makes requests public', async () => {
    await saveCharterYaml(CHARTER);
    const key = await fileIssue(h);
    await tickAt(at(0, 16, 5));
    expect(said(h, key)).toHaveLength(1);
    expect(visibility(key)).toEqual([{ internal: true }]);
  });

  it('serviceDesk.publicMessages [requestInfo]: the reporter reads the request and its reminder, never the escalation', async () => {
    await saveCharterYaml(`${CHARTER}serviceDesk: { publicMessages: [requestInfo] }\n`);
    const key = await fileIssue(h);
    await tickAt(at(0, 16, 5));
    await tickAt(at(1, 12, 5));
    await tickAt(at(2, 12, 5));
    expect(said(h, key)).toHaveLength(3);
    expect(visibility(key)).toEqual([{ internal: false }, { internal: false }, { internal: true }]);
    // What the portal and its emails show: Jira derives `jsdPublic` from the property.
    const listed = (await (
      await realFetch(`${h.sim.url}/rest/api/3/issue/${key}/comment`, {
        headers: { authorization: 'Bearer forge-app' },
      })
    ).json()) as { comments: { jsdPublic: boolean }[] };
    expect(listed.comments.slice(-3).map((c) => c.jsdPublic)).toEqual([true, true, false]);
  });

  it('refuses a message kind that may never be public, at its path', () => {
    const parsed = parseCharterYaml(`${CHARTER}serviceDesk: { publicMessages: [escalate] }\n`);
    expect(parsed.ok ? [] : parsed.issues.map((i) => i.path.join('.'))).toEqual(['serviceDesk.publicMessages.0']);
  });
});
