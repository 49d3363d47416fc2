import { afterEach, describe, expect, it } from 'vitest';
import { startJiraSim, supportDeskSeed } from '@baton/jira-sim';
import type { JiraSim } from '@baton/jira-sim';
import { DECISION_PROPERTY, EFFECT_KINDS, JIRA_EFFECTS, createJiraClient, fetchFromBaseUrl } from '../src/index.ts';
import type { EffectInput, EffectKind, JiraClient } from '../src/index.ts';

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
/** One decision per row of the table: a row without an example fails to compile. */
const EXAMPLES: Record<EffectKind, EffectInput> = {
  assign: { issueKey: 'SUP-1', decisionKey: 'k-assign', proposal: { assignee: 'u-linus' } },
  setDueDate: { issueKey: 'SUP-1', decisionKey: 'k-due', proposal: { duedate: '2026-12-24' } },
  setField: { issueKey: 'SUP-1', decisionKey: 'k-label', proposal: { field: 'labels', value: 'from-baton' } },
  nudge: { issueKey: 'SUP-1', decisionKey: 'k-nudge', proposal: { to: 'u-ada' }, body },
  escalate: { issueKey: 'SUP-1', decisionKey: 'k-esc', proposal: { to: 'u-grace' }, body },
  comment: { issueKey: 'SUP-1', decisionKey: 'k-comment', proposal: { audience: 'customer' }, body },
};

describe('JIRA_EFFECTS: one row per decision kind', () => {
  it.each(EFFECT_KINDS)('%s makes its REST call, and is then found in Jira', async (kind) => {
    const { jira, sim } = await setup();
    const row = JIRA_EFFECTS[kind];
    const e = EXAMPLES[kind];
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
    await JIRA_EFFECTS.nudge.apply(jira, EXAMPLES.nudge);
    await JIRA_EFFECTS.comment.apply(jira, EXAMPLES.comment);
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
    const prio = { issueKey: 'SUP-1', decisionKey: 'k-p', proposal: { field: 'priority', value: 'Highest' } };
    await JIRA_EFFECTS.setField.apply(jira, prio);
    expect(await JIRA_EFFECTS.setField.inJira(jira, prio)).toBe(true);
    const before = (await jira.getIssue('SUP-1', { fields: ['components'] })).fields?.components as unknown[];
    const comp = { issueKey: 'SUP-1', decisionKey: 'k-c', proposal: { field: 'components', value: 'Reports' } };
    await JIRA_EFFECTS.setField.apply(jira, comp);
    const after = (await jira.getIssue('SUP-1', { fields: ['components'] })).fields?.components as unknown[];
    expect(await JIRA_EFFECTS.setField.inJira(jira, comp)).toBe(true);
    expect(after.length).toBeGreaterThanOrEqual(before.length);
  });

  it('refuses what it cannot do, naming it, before touching Jira', async () => {
    const { jira, sim } = await setup();
    const before = sim.requests.length;
    await expect(
      JIRA_EFFECTS.setField.apply(jira, {
        issueKey: 'SUP-1',
        decisionKey: 'k',
        proposal: { field: 'summary', value: 'x' },
      }),
    ).rejects.toThrow("setField: the app does not write field 'summary'");
    await expect(
      JIRA_EFFECTS.comment.apply(jira, { issueKey: 'SUP-1', decisionKey: 'k-none', proposal: {} }),
    ).rejects.toThrow('a comment needs its body (decision k-none)');
    expect(sim.requests.length).toBe(before);
  });
});
