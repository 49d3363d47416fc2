import { afterEach, describe, expect, it } from 'vitest';
import { startJiraSim, supportDeskSeed } from '@baton/jira-sim';
import type { JiraSim } from '@baton/jira-sim';
import { ACTION_KINDS } from '@baton/core';
import type { Action, ActionKind } from '@baton/core';
import {
  DECISION_PROPERTY,
  EFFECT_KINDS,
  JIRA_EFFECTS,
  JiraBadRequestError,
  createJiraClient,
  isCommentEffect,
  effectOf,
  fetchFromBaseUrl,
} from '../src/index.ts';
import type { EffectInput, JiraClient } from '../src/index.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0);
let sim: JiraSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(): Promise<{ jira: JiraClient; sim: JiraSim }> {
  sim = await startJiraSim({ seed: supportDeskSeed(NOW), clock: () => NOW });
  return { jira: createJiraClient({ fetch: fetchFromBaseUrl(sim.url) }), sim };
}

const body = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hi' }] }] };
/** One action per row of the table, keyed by core's action kind: a row without an example fails to compile. */
const EXAMPLES: { [K in ActionKind]: EffectInput<Extract<Action, { kind: K }>> | null } = {
  assign: { issueKey: 'SUP-1', decisionKey: 'k-assign', action: { kind: 'assign', to: 'u-linus' } },
  setField: {
    issueKey: 'SUP-1',
    decisionKey: 'k-label',
    action: { kind: 'setField', field: 'labels', value: 'from-baton' },
  },
  addLabel: { issueKey: 'SUP-1', decisionKey: 'k-add', action: { kind: 'addLabel', label: 'baton-added' } },
  notify: { issueKey: 'SUP-1', decisionKey: 'k-nudge', action: { kind: 'notify', to: 'u-ada', message: 'hi' }, body },
  requestInfo: {
    issueKey: 'SUP-1',
    decisionKey: 'k-ask',
    action: { kind: 'requestInfo', from: 'u-ada', items: ['version'], message: 'which version?' },
    body,
  },
  escalate: {
    issueKey: 'SUP-1',
    decisionKey: 'k-esc',
    action: { kind: 'escalate', to: 'u-grace', message: 'hi' },
    body,
  },
  comment: {
    issueKey: 'SUP-1',
    decisionKey: 'k-comment',
    action: { kind: 'comment', body: 'hi', audience: 'customer' },
    body,
  },
  transition: { issueKey: 'SUP-1', decisionKey: 'k-move', action: { kind: 'transition', to: 'Waiting for customer' } },
};
const example = (kind: ActionKind): EffectInput => {
  const e = EXAMPLES[kind] as EffectInput | null;
  if (e === null) throw new Error(`no example for ${kind}`);
  return e;
};

describe('JIRA_EFFECTS: one row per core action kind', () => {
  it("is keyed by every one of core's action kinds; the kinds it carries out have an example", () => {
    expect(Object.keys(JIRA_EFFECTS).sort()).toEqual([...ACTION_KINDS].sort());
    expect([...EFFECT_KINDS].sort()).toEqual(ACTION_KINDS.filter((k) => EXAMPLES[k] !== null).sort());
  });

  it.each(EFFECT_KINDS)('%s makes its REST call, and is then found in Jira', async (kind) => {
    const { jira, sim } = await setup();
    const e = example(kind);
    const row = effectOf(e.action);
    if (row === null) throw new Error(`${kind} has no row`);
    expect(await row.inJira(jira, e)).toBe(false);
    const before = sim.requests.length;
    await row.apply(jira, e);
    const [method, template] = row.rest.split(' ') as [string, string];
    const path = template.replace('{issueIdOrKey}', e.issueKey);
    const writes = sim.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`${method} ${path}`]);
    expect(writes[0]?.status).toBeLessThan(300);
    expect(row.scope).toBe('write:jira-work');
    expect(await row.inJira(jira, e)).toBe(true);
  });

  it('a comment carries its decision key and is internal unless addressed to the customer', async () => {
    const { jira, sim } = await setup();
    await JIRA_EFFECTS.notify.apply(jira, EXAMPLES.notify!);
    await JIRA_EFFECTS.comment.apply(jira, example('comment'));
    const props = sim
      .requestsTo('/rest/api/3/issue/SUP-1/comment', 'POST')
      .map((r) => (r.body as { properties: { key: string; value: unknown }[] }).properties);
    expect(props).toEqual([
      [
        { key: DECISION_PROPERTY, value: 'k-nudge' },
        { key: 'sd.public.comment', value: { internal: true } },
      ],
      [
        { key: DECISION_PROPERTY, value: 'k-comment' },
        { key: 'sd.public.comment', value: { internal: false } },
      ],
    ]);
  });

  it('setField writes a priority by id or name and adds a component without replacing any', async () => {
    const { jira } = await setup();
    const prio = {
      issueKey: 'SUP-1',
      decisionKey: 'k-p',
      action: { kind: 'setField', field: 'priority', value: 'Highest' } as const,
    };
    await JIRA_EFFECTS.setField.apply(jira, prio);
    expect(await JIRA_EFFECTS.setField.inJira(jira, prio)).toBe(true);
    const before = (await jira.getIssue('SUP-1', { fields: ['components'] })).fields?.components as unknown[];
    const comp = {
      issueKey: 'SUP-1',
      decisionKey: 'k-c',
      action: { kind: 'setField', field: 'components', value: 'Reports' } as const,
    };
    await JIRA_EFFECTS.setField.apply(jira, comp);
    const after = (await jira.getIssue('SUP-1', { fields: ['components'] })).fields?.components as unknown[];
    expect(await JIRA_EFFECTS.setField.inJira(jira, comp)).toBe(true);
    expect(after.length).toBeGreaterThanOrEqual(before.length);
    // A due date is core's setField of `duedate`, with the Jira date the caller worked out.
    const due = {
      issueKey: 'SUP-1',
      decisionKey: 'k-d',
      action: { kind: 'setField', field: 'duedate', value: '2026-12-24' } as const,
    };
    expect(await JIRA_EFFECTS.setField.inJira(jira, due)).toBe(false);
    await JIRA_EFFECTS.setField.apply(jira, due);
    expect((await jira.getIssue('SUP-1', { fields: ['duedate'] })).fields?.duedate).toBe('2026-12-24');
    expect(await JIRA_EFFECTS.setField.inJira(jira, due)).toBe(true);
  });

  it('a notify by email is Jira’s notification to that one person, no comment; refused for an unknown account', async () => {
    const { jira, sim } = await setup();
    const email = {
      issueKey: 'SUP-1',
      decisionKey: 'k-mail',
      action: { kind: 'notify', to: 'u-grace', message: 'SUP-1 is at risk.', via: 'email', subject: 'SUP-1 at risk' },
    } as const;
    const comments = sim.store.get('SUP-1').comments.length;
    await JIRA_EFFECTS.notify.apply(jira, email);
    expect(sim.store.get('SUP-1').comments).toHaveLength(comments);
    expect(sim.store.notifications).toEqual([
      expect.objectContaining({
        issueKey: 'SUP-1',
        subject: 'SUP-1 at risk',
        textBody: 'SUP-1 is at risk.\n\n(Baton decision k-mail)',
        to: ['u-grace'],
      }),
    ]);
    expect(sim.requestsTo('/rest/api/3/issue/SUP-1/notify', 'POST')[0]?.body).toMatchObject({
      to: { reporter: false, assignee: false, watchers: false, voters: false, users: [{ accountId: 'u-grace' }] },
      restrict: { permissions: [{ key: 'BROWSE_PROJECTS' }] },
    });
    expect(isCommentEffect('notify')).toBe(true);
    await expect(
      JIRA_EFFECTS.notify.apply(jira, { ...email, action: { ...email.action, to: 'u-nobody' } }),
    ).rejects.toBeInstanceOf(JiraBadRequestError);
  });

  it('moves by the workflow transition that reaches the status, and is refused when none does', async () => {
    const { jira, sim } = await setup();
    const move = { issueKey: 'SUP-1', decisionKey: 'k-t', action: { kind: 'transition', to: 'in progress' } } as const;
    await JIRA_EFFECTS.transition.apply(jira, move);
    expect(sim.requestsTo('/rest/api/3/issue/SUP-1/transitions', 'POST').map((r) => r.body)).toEqual([
      { transition: { id: '21' } },
    ]);
    expect(await JIRA_EFFECTS.transition.inJira(jira, move)).toBe(true);
    // A status the workflow does not offer from here (already there, or unknown): Jira's 400, named.
    const nowhere = { ...move, action: { kind: 'transition', to: 'Closed' } } as const;
    const refused = JIRA_EFFECTS.transition.apply(jira, nowhere);
    await expect(refused).rejects.toBeInstanceOf(JiraBadRequestError);
    await expect(refused).rejects.toThrow(
      "The workflow offers no transition to 'Closed' from where SUP-1 is (offered: To Do, Waiting for customer, Done).",
    );
    expect(sim.requestsTo('/rest/api/3/issue/SUP-1/transitions', 'POST')).toHaveLength(1);
  });

  it('refuses what it cannot do, naming it, before touching Jira', async () => {
    const { jira, sim } = await setup();
    const before = sim.requests.length;
    await expect(
      JIRA_EFFECTS.setField.apply(jira, {
        issueKey: 'SUP-1',
        decisionKey: 'k',
        action: { kind: 'setField', field: 'summary', value: 'x' },
      }),
    ).rejects.toThrow("setField: the app does not write field 'summary'");
    await expect(
      JIRA_EFFECTS.comment.apply(jira, {
        issueKey: 'SUP-1',
        decisionKey: 'k-none',
        action: { kind: 'comment', body: 'x', audience: 'internal' },
      }),
    ).rejects.toThrow('a comment needs its body (decision k-none)');
    expect(sim.requests.length).toBe(before);
  });
});
