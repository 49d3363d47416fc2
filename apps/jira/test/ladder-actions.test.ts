import { adfFromText } from '@baton/jira-sim';
import type { CharterInput } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { onIssueEvent, uiResolver } from '../src/index.ts';
import { parseCharterYaml } from '../src/app/charter-yaml.ts';
import { IssueStateSchema, ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { invokeResolver, saveCoreCharter, supCharter, coreCharter, ASSIST_ALL } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// Escalation-ladder steps that act on the issue (reassign, raise-priority) and the definition of
// ready's approval item, through the real handlers and the jira sim.

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const stateOf = (key: string) => IssueStateSchema.parse(h.sim.store.get(key).properties.get(ISSUE_STATE_PROPERTY));
const puts = (key: string) =>
  h.sim.requests.filter(
    (r) =>
      r.method === 'PUT' && (r.path === `/rest/api/3/issue/${key}` || r.path === `/rest/api/3/issue/${key}/assignee`),
  );
const MESSAGE = '{case} "{title}": {state} for {idle}, owner {owner}';
// SUP-2 (Ada, In Progress, Medium) has been idle since Monday 06:00: three business hours at Monday 12:00.
const ESCALATION: CharterInput['escalation'] = {
  ladders: [
    { id: 'handover', steps: [{ idle: '2h', do: 'reassign', message: MESSAGE, target: 'u-linus' }] },
    {
      id: 'urgency',
      steps: [
        { idle: '1h', do: 'nudge-owner', message: MESSAGE },
        { idle: '2h', do: 'raise-priority', message: MESSAGE, priority: 'High' },
      ],
    },
  ],
};
const LADDERS = supCharter({
  escalation: ESCALATION,
  autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'automate', setField: 'automate' } },
});

describe('ladder steps reassign and raise-priority in the charter', () => {
  it("compile into core's steps (reassign aimed at the lead unless it names someone); bad steps are rejected by path", () => {
    const app = coreCharter({
      ...LADDERS,
      escalation: {
        ladders: [
          {
            id: 'l',
            steps: [
              { idle: '1d', do: 'reassign', message: MESSAGE, target: 'u-grace' },
              { idle: '2d', do: 'raise-priority', message: MESSAGE, priority: 'Highest' },
            ],
          },
        ],
      },
    });
    expect(app.escalation.ladders[0]?.steps).toEqual([
      expect.objectContaining({ do: 'reassign', target: 'u-grace', idle: '1d' }),
      expect.objectContaining({ do: 'raise-priority', priority: 'Highest', idle: '2d' }),
    ]);
    const bad = parseCharterYaml(
      'version: 2\nescalation:\n  ladders:\n    - id: l\n      steps:\n        - { idle: 1d, do: raise-priority, message: m }\n        - { idle: 2d, do: reassign, message: m }\n        - { idle: 3d, do: nudge-owner, priority: High, message: m }\n',
    );
    expect(bad.ok ? [] : bad.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'escalation.ladders.0.steps.0.priority: expected the priority to raise to',
      'escalation.ladders.0.steps.1.target: reassign needs a person: set target, or give a team in routing.teams a lead',
      'escalation.ladders.0.steps.2.priority: priority applies to raise-priority steps only, not nudge-owner',
    ]);
  });
});

describe('ladder steps carried out', () => {
  it('an idle issue is reassigned and its priority raised, once each, audited; a redelivery does nothing more', async () => {
    await saveCoreCharter(LADDERS);
    const event = issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2');
    const r = await onIssueEvent(event);
    expect(r).toMatchObject({ handled: true });
    expect(h.sim.store.get('SUP-2')).toMatchObject({ assignee: 'u-linus', priority: 'High' });
    expect(puts('SUP-2').map((x) => [x.path, x.body])).toEqual(
      expect.arrayContaining([
        ['/rest/api/3/issue/SUP-2/assignee', { accountId: 'u-linus' }],
        ['/rest/api/3/issue/SUP-2', { fields: { priority: { name: 'High' } } }],
      ]),
    );
    await onIssueEvent(structuredClone(event));
    expect(puts('SUP-2')).toHaveLength(2);
    const { entries } = await createBatonStorage().queryAudit({ issueKey: 'SUP-2', outcome: 'executed' });
    expect(entries.map((e) => [e.kind, e.reason]).sort()).toEqual([
      ['assign', expect.stringContaining('escalation ladder handover step 1 (reassign)')],
      ['setField', expect.stringContaining('escalation ladder urgency step 2 (raise-priority)')],
    ]);
  });

  it('raise-priority never lowers: an issue already at Highest keeps it, the audit says why', async () => {
    await saveCoreCharter(LADDERS);
    h.sim.store.edit('SUP-2', { priority: 'Highest' }, 'u-ada');
    h.sim.store.get('SUP-2').histories.at(-1)!.created = Date.parse('2026-11-23T06:00:00Z'); // no fresher activity than before
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2'));
    expect(h.sim.store.get('SUP-2').priority).toBe('Highest');
    expect(puts('SUP-2').map((x) => x.path)).toEqual(['/rest/api/3/issue/SUP-2/assignee']);
    const { entries } = await createBatonStorage().queryAudit({ issueKey: 'SUP-2', outcome: 'dropped' });
    expect(entries.map((e) => e.reason)).toEqual([
      expect.stringContaining('priority is already Highest, at or above High'),
    ]);
  });

  it('under assist both are suggestions ("Raise priority to High", "Assign to u-linus"); Accept carries one out as the person', async () => {
    await saveCoreCharter(supCharter({ escalation: ESCALATION }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2'));
    expect(puts('SUP-2')).toHaveLength(0);
    const pending = stateOf('SUP-2').suggestions;
    expect(pending.map((s) => s.summary).sort()).toEqual(['Assign to u-linus', 'Raise priority to High']);
    const raise = pending.find((s) => s.summary === 'Raise priority to High');
    expect(
      await invokeResolver(
        uiResolver as never,
        'answerSuggestion',
        { issueKey: 'SUP-2', suggestionKey: raise?.key, verdict: 'accept' },
        'u-ada',
      ),
    ).toMatchObject({ ok: true, data: { outcome: 'accepted' } });
    expect(h.sim.store.get('SUP-2')).toMatchObject({ priority: 'High', assignee: 'u-ada' });
    expect(
      h.sim.store.changes
        .filter((c) => c.issueKey === 'SUP-2' && c.history?.items.some((i) => i.field === 'priority'))
        .map((c) => c.actor),
    ).toEqual(['u-ada']);
  });
});

describe("the definition of ready's approval item", () => {
  const APPROVAL = supCharter({
    workflow: {
      norm: '2d',
      states: {
        'In Progress': {
          phase: 'active',
          norm: '2d',
          ready: [
            { kind: 'approval', label: 'an approval (a comment by someone other than the owner)' },
            { kind: 'approval', by: 'u-linus', label: 'approval by u-linus' },
          ],
        },
      },
    },
  });
  const ready = () => stateOf('SUP-2').ready.map((i) => [i.item, i.present]);
  const comment = (text: string, author: string) => h.sim.store.addComment('SUP-2', adfFromText(text), author);

  it("is missing until someone other than the owner approves in a comment; the owner's and the app's own words never count", async () => {
    await saveCoreCharter(APPROVAL);
    comment('Approved from my side, go ahead.', 'u-ada'); // the owner
    comment('Reminder: SUP-2 "VAT rate approved?" still needs an approval. LGTM is what we wait for.', 'app-baton'); // the app
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:commented:issue', 'SUP-2'));
    expect(ready()).toEqual([
      ['an approval (a comment by someone other than the owner)', false],
      ['approval by u-linus', false],
    ]);
    comment('Not approved yet: the rate table is wrong.', 'u-grace');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:commented:issue', 'SUP-2'));
    expect(ready().map(([, present]) => present)).toEqual([false, false]);
    comment('LGTM, approved.', 'u-grace');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:commented:issue', 'SUP-2'));
    expect(ready()).toEqual([
      ['an approval (a comment by someone other than the owner)', true],
      ['approval by u-linus', false],
    ]);
    comment('Signed off.', 'u-linus');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:commented:issue', 'SUP-2'));
    expect(ready().map(([, present]) => present)).toEqual([true, true]);
  });

  it('an unknown approval form is rejected by path', () => {
    const r = parseCharterYaml(
      'version: 2\nworkflow:\n  states:\n    In Progress: { phase: active, ready: [approval by grace] }\n',
    );
    expect(r.ok ? [] : r.issues.map((i) => i.path.join('.'))).toEqual(['workflow.states.In Progress.ready.0']);
  });
});
