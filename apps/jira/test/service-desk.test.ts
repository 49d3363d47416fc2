import { describe, expect, it } from 'vitest';
import { adfFromText, supportDeskSeed } from '@baton/jira-sim';
import { IssueStateSchema, ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { onIssueEvent, uiResolver, watchdogTick } from '../src/index.ts';
import { JSM_PUBLIC_PROPERTY } from '../src/app/execute-decision.ts';
import { invokeResolver, saveCoreCharter, supCharter, ASSIST_ALL, slaGoal } from './fixtures.ts';
import { realFetch } from './forge-egress.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

/**
 * Jira Service Management: a comment made through the REST API reaches the customer portal and its
 * emails unless it carries `sd.public.comment` `{ internal: true }`; and automated field writes should
 * not email every watcher.
 */
let h: ForgeHarness;
// The app user as Forge installs it: in `atlassian-addons-admin`, so `notifyUsers=false` is honoured.
useForgeHarness(
  (started) => {
    h = started;
  },
  {
    seed: () => {
      const seed = supportDeskSeed();
      seed.admins = [...(seed.admins ?? []), seed.me];
      return seed;
    },
  },
);

/** Nudges (notify, request info) and escalations carried out, three a case a day; idle after one business day. */
const NUDGES = supCharter({
  workflow: { norm: '1d', states: {} },
  autonomy: {
    default: 'off',
    kinds: { ...ASSIST_ALL, notify: 'automate', requestInfo: 'automate', escalate: 'automate' },
  },
  caps: { maxNudgesPerCasePerDay: 3, quietHours: null, quietOutsideBusinessHours: false },
});
const stateOf = (key: string) => IssueStateSchema.parse(h.sim.store.get(key).properties.get(ISSUE_STATE_PROPERTY));

describe('Jira Service Management and notifications', () => {
  it('a nudge is an internal comment: never shown to the customer', async () => {
    await saveCoreCharter(NUDGES);
    await watchdogTick();
    const nudges = h.sim.store.get('SUP-4').comments.filter((c) => c.author === 'app-baton');
    expect(nudges).toHaveLength(1);
    expect(nudges[0]?.properties.get(JSM_PUBLIC_PROPERTY)).toEqual({ internal: true });
    const listed = await (
      await realFetch(`${h.sim.url}/rest/api/3/issue/SUP-4/comment`, { headers: { authorization: 'Bearer forge-app' } })
    ).json();
    expect((listed as { comments: { jsdPublic: boolean }[] }).comments.at(-1)?.jsdPublic).toBe(false);
  });

  it('internal and role-restricted comments never reach the packet; public ones do', async () => {
    await saveCoreCharter(supCharter({ autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'assist' } } }));
    h.sim.store.addComment('SUP-2', adfFromText('We have decided to replace the router for the customer.'), 'u-linus');
    h.sim.store.addComment('SUP-2', adfFromText('We have decided to refund them in full, off the record.'), 'u-linus', {
      [JSM_PUBLIC_PROPERTY]: { internal: true },
    });
    const restricted = h.sim.store.addComment(
      'SUP-2',
      adfFromText('We agreed to escalate because the account is on the churn list.'),
      'u-linus',
    );
    restricted.visibility = { type: 'role', value: 'Administrators' };
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2'));
    const packet = JSON.stringify(stateOf('SUP-2').packet);
    expect(packet).toMatch(/replace the router/);
    expect(packet).not.toMatch(/refund/);
    expect(packet).not.toMatch(/churn/);

    // The concierge's drafts read the same withheld issue: the customer's draft (and the team's) quote
    // neither the internal note nor the role-restricted one, whichever came last.
    const draft = async (audience: string): Promise<string> => {
      const r = await invokeResolver(uiResolver as never, 'draftUpdate', { issueKey: 'SUP-2', audience }, 'u-ada');
      if (!r.ok) throw new Error(r.error.message);
      return (r.data as { text: string }).text;
    };
    const customer = await draft('customer');
    const internal = await draft('internal');
    expect(internal).toMatch(/replace the router/);
    for (const text of [customer, internal]) {
      expect(text).not.toMatch(/refund/);
      expect(text).not.toMatch(/churn/);
    }
  });

  it('automated field writes pass notifyUsers=false: no "issue updated" email to watchers', async () => {
    await saveCoreCharter(
      supCharter({
        autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'automate', setField: 'automate' } },
        confidence: { act: 0.5, suggest: 0 },
        slaGoals: [slaGoal('resolution', '3d')],
      }),
    );
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    const edits = h.sim.requests.filter((r) => r.method === 'PUT' && r.path === '/rest/api/3/issue/SUP-1');
    expect(edits.length).toBeGreaterThan(0);
    expect(edits.every((r) => r.query.notifyUsers === 'false')).toBe(true);
    expect(h.sim.store.get('SUP-1').duedate).not.toBeNull();
    expect(h.sim.store.updateEmails.filter((e) => e.issueKey === 'SUP-1')).toEqual([]);
  });

  it('a field the edit screen lacks is written with overrideScreenSecurity by an app with Administer Jira', async () => {
    h.sim.store.get('SUP-1').editableFields = ['summary', 'assignee'];
    await saveCoreCharter(
      supCharter({
        autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'automate', setField: 'automate' } },
        confidence: { act: 0.5, suggest: 0 },
        slaGoals: [slaGoal('resolution', '3d')],
      }),
    );
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    const edits = h.sim.requests.filter((r) => r.method === 'PUT' && r.path === '/rest/api/3/issue/SUP-1');
    // Tried as is (refused: not on the screen), then once with the override, silently.
    expect(edits.map((r) => [r.query.overrideScreenSecurity, r.status])).toEqual([
      [undefined, 400],
      ['true', 204],
    ]);
    expect(edits.every((r) => r.query.notifyUsers === 'false')).toBe(true);
    expect(h.sim.store.get('SUP-1').duedate).not.toBeNull();
  });
});
