import { idempotencyKey, verifyAudit } from '@baton/core';
import { kvs } from '@forge/kvs';
import { describe, expect, it } from 'vitest';
import { onIssueEvent, uiResolver } from '../src/index.ts';
import { IssueStateSchema, ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { dueDateOf, proposalForJira, summaryOf } from '../src/app/jira-proposal.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import {
  NOW,
  freezeTime,
  invokeResolver,
  kindsOf,
  saveCoreCharter,
  supCharter,
  ASSIST_ALL,
  slaGoal,
} from './fixtures.ts';
import { invocationOutcome, issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

/** Core's key for the router's due-date proposal from one SLA goal. */
const DUE_KEY = (issueKey: string, goal: string) =>
  idempotencyKey({ caseId: issueKey, pattern: 'router', rule: 'router.due', threshold: `due:${goal}` });
const stateOf = (key: string) => IssueStateSchema.parse(h.sim.store.get(key).properties.get(ISSUE_STATE_PROPERTY));
/** The app's due-date writes: `PUT /issue/{key}` itself (not `/assignee`, not properties). */
const dueWrites = (key: string) =>
  h.sim.requests.filter((r) => r.method === 'PUT' && r.path === `/rest/api/3/issue/${key}`);
const dueChanges = (key: string) =>
  h.sim.store.changes.filter((c) => c.issueKey === key && c.history?.items.some((i) => i.field === 'duedate'));
/** Assignments and field writes carried out from 0.5 confidence; one resolution goal of three business days. */
const AUTOMATE = supCharter({
  autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'automate', setField: 'automate' } },
  confidence: { act: 0.5, suggest: 0 },
  slaGoals: [slaGoal('resolution', '3d')],
});
// SUP-1 was created Monday 2026-11-23 10:00 UTC; three business days of 09:00–17:00 end Thursday 10:00.
const DUE = '2026-11-26';

describe("the router's due date from the SLA", () => {
  it('a created event sets the due date once; redeliveries set nothing twice, even after a person cleared it', async () => {
    await saveCoreCharter(AUTOMATE);
    const created = issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1', { atlassianId: 'u-cust' });
    const first = await onIssueEvent(created);
    expect(first).toMatchObject({
      handled: true,
      result: { outcomes: expect.arrayContaining([{ key: DUE_KEY('SUP-1', 'resolution'), outcome: 'executed' }]) },
    });
    expect(h.sim.store.get('SUP-1').duedate).toBe(DUE);
    expect(dueWrites('SUP-1').map((r) => r.body)).toEqual([{ fields: { duedate: DUE } }]);
    expect(dueChanges('SUP-1')).toEqual([expect.objectContaining({ kind: 'updated', actor: 'app-baton' })]);

    await onIssueEvent(structuredClone(created));
    // A person takes the issue back to where it was: unassigned, no due date. The same event again
    // makes core propose the same due date; its idempotency key was used, so nothing is written.
    freezeTime(NOW + 3_600_000);
    h.sim.store.edit('SUP-1', { assignee: null, duedate: null }, 'u-grace');
    const third = await onIssueEvent(structuredClone(created));
    expect(third).toMatchObject({
      handled: true,
      result: { outcomes: expect.arrayContaining([{ key: DUE_KEY('SUP-1', 'resolution'), outcome: 'duplicate' }]) },
    });
    expect(dueWrites('SUP-1')).toHaveLength(1);
    expect(h.sim.store.get('SUP-1').duedate).toBeNull();

    const storage = createBatonStorage();
    const rows = (await storage.queryAudit({ issueKey: 'SUP-1' })).entries.filter((e) => e.kind === 'setField');
    // Executed once; Grace clearing the date the agent set is its final action (newest first: trust's drift).
    expect(rows.map((e) => e.outcome)).toEqual(['final', 'executed']);
    expect(rows[0]?.final).toMatchObject({ actions: ['set duedate = null'], drifted: true, afterAct: true });
    expect(verifyAudit(await storage.readChain('SUP-1')).ok).toBe(true);
  });

  it('under assist it is a suggestion ("Set due date to …"); Accept in the panel sets it as the person', async () => {
    await saveCoreCharter(supCharter({ slaGoals: [slaGoal('resolution', '3d')] }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    expect(h.sim.store.get('SUP-1').duedate).toBeNull();
    expect(dueWrites('SUP-1')).toHaveLength(0);
    const suggestion = stateOf('SUP-1').suggestions.find((s) =>
      s.decision.actions.some((a) => a.kind === 'setField' && a.field === 'duedate'),
    );
    expect(suggestion).toMatchObject({
      key: DUE_KEY('SUP-1', 'resolution'),
      summary: `Set due date to ${DUE}`,
      decision: { actions: [{ kind: 'setField', field: 'duedate', value: DUE }] },
    });

    const r = await invokeResolver(
      uiResolver as never,
      'answerSuggestion',
      { issueKey: 'SUP-1', suggestionKey: suggestion?.key, verdict: 'accept' },
      'u-ada',
    );
    expect(r).toMatchObject({ ok: true, data: { outcome: 'accepted' } });
    expect(h.sim.store.get('SUP-1').duedate).toBe(DUE);
    expect(dueChanges('SUP-1')).toEqual([expect.objectContaining({ actor: 'u-ada' })]);
    expect(stateOf('SUP-1').suggestions.map(kindsOf)).toEqual([['assign']]);
    const again = await invokeResolver(
      uiResolver as never,
      'answerSuggestion',
      { issueKey: 'SUP-1', suggestionKey: suggestion?.key, verdict: 'accept' },
      'u-ada',
    );
    expect(again).toMatchObject({ ok: true, data: { outcome: 'not-pending' } });
    expect(dueWrites('SUP-1')).toHaveLength(1);

    const storage = createBatonStorage();
    const chain = await storage.readChain('SUP-1');
    const due = chain.filter(
      (e) => (e.record.type === 'decision' ? e.record.decision.id : e.record.decisionId) === suggestion?.key,
    );
    expect(due.map((e) => (e.record.type === 'outcome' ? e.record.outcome : e.record.type))).toEqual([
      'decision',
      'suggested',
      'acted',
      'accepted',
    ]);
    expect(verifyAudit(chain).ok).toBe(true);
  });

  it('a project whose edit screen lacks Due date: the audit says why, the owner is still assigned, redelivery does not retry', async () => {
    h.sim.store.get('SUP-1').editableFields = ['summary', 'assignee'];
    await saveCoreCharter(AUTOMATE);
    const created = issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1');
    const r = await onIssueEvent(created);
    expect(r).toMatchObject({
      handled: true,
      result: { outcomes: expect.arrayContaining([{ key: DUE_KEY('SUP-1', 'resolution'), outcome: 'failed' }]) },
    });
    expect(h.sim.store.get('SUP-1')).toMatchObject({ duedate: null, assignee: 'u-ada' });
    const { entries } = await createBatonStorage().queryAudit({ issueKey: 'SUP-1', outcome: 'failed' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'setField', decisionKey: DUE_KEY('SUP-1', 'resolution') });
    expect(entries[0]?.reason).toContain(
      "Jira refused: duedate: Field 'duedate' cannot be set. It is not on the appropriate screen, or unknown.",
    );
    expect(entries[0]?.reason).toContain("Add the field to the project's edit screen");
    expect(stateOf('SUP-1').recent).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'setField', outcome: 'failed' })]),
    );

    freezeTime(NOW + 3_600_000);
    h.sim.store.edit('SUP-1', { assignee: null }, 'u-grace');
    await onIssueEvent(structuredClone(created));
    // One attempt, and one with overrideScreenSecurity that Jira refuses to an app without Administer Jira;
    // the redelivery tries nothing again.
    expect(dueWrites('SUP-1').map((r) => [r.query.overrideScreenSecurity, r.status])).toEqual([
      [undefined, 400],
      ['true', 403],
    ]);
  });

  it('a transient failure (503) of the due date asks Forge to retry before the owner is assigned; the redelivery does both, once', async () => {
    await saveCoreCharter(AUTOMATE);
    h.sim.fail({ status: 503, method: 'PUT', path: /^\/rest\/api\/3\/issue\/SUP-1$/, times: 10 });
    const event = issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1');
    expect(await invocationOutcome(() => onIssueEvent(event))).toMatchObject({ kind: 'retry', retryAfter: 30 });
    expect(h.sim.store.get('SUP-1')).toMatchObject({ duedate: null, assignee: null });
    h.sim.clearFaults();
    const retry = await onIssueEvent(event);
    expect(retry).toMatchObject({ handled: true });
    expect(h.sim.store.get('SUP-1')).toMatchObject({ duedate: DUE, assignee: 'u-ada' });
    expect(dueChanges('SUP-1')).toHaveLength(1);
  });
});

describe("the charter's setField dial", () => {
  it('a charter stored before the dial existed loads with setField assist, and the due date is only suggested', async () => {
    // The record as an earlier release wrote it: four dials, no setField (assign automated).
    const charter = {
      projects: ['SUP'],
      autonomy: { assign: 'automate', nudge: 'assist', escalate: 'assist', comment: 'assist' },
      minConfidenceToAct: 0.5,
      slaGoals: [{ name: 'resolution', target: '3d' }],
    };
    const record = { version: 1, charter, yaml: '', updatedAt: NOW, updatedBy: 'test' };
    await kvs.set('charter:current:global', record);
    await kvs.set('charter:v:00000001:global', record);
    // Migrated on read to core's charter: the missing dial is assist, everything else off.
    const loaded = await createBatonStorage().getCharter('global');
    expect(loaded?.migratedFrom).toBe('jira-app-v1');
    expect(loaded?.charter.autonomy).toEqual({
      default: 'off',
      kinds: {
        assign: 'automate',
        notify: 'assist',
        requestInfo: 'assist',
        escalate: 'assist',
        comment: 'assist',
        setField: 'assist',
      },
    });

    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    expect(h.sim.store.get('SUP-1')).toMatchObject({ duedate: null, assignee: 'u-ada' });
    expect(stateOf('SUP-1').suggestions.map(kindsOf)).toEqual([['setField']]);
  });

  it('setField automate with assign assist: the due date is set, the assignment only suggested', async () => {
    await saveCoreCharter({
      ...AUTOMATE,
      autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'assist', setField: 'automate' } },
    });
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    expect(h.sim.store.get('SUP-1')).toMatchObject({ duedate: DUE, assignee: null });
    expect(dueWrites('SUP-1')).toHaveLength(1);
    expect(stateOf('SUP-1').suggestions.map(kindsOf)).toEqual([['assign']]);
  });

  it('setField off: the due date is neither set nor suggested (the audit records the drop and the dial), the assignment still happens', async () => {
    await saveCoreCharter({
      ...AUTOMATE,
      autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'automate', setField: 'off' } },
    });
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    expect(h.sim.store.get('SUP-1')).toMatchObject({ duedate: null, assignee: 'u-ada' });
    expect(dueWrites('SUP-1')).toHaveLength(0);
    expect(stateOf('SUP-1').suggestions.filter((s) => kindsOf(s).includes('setField'))).toEqual([]);
    const { entries } = await createBatonStorage().queryAudit({ issueKey: 'SUP-1' });
    expect(entries.filter((e) => e.kind === 'setField').map((e) => [e.outcome, e.reason])).toEqual([
      ['dropped', expect.stringContaining('autonomy.off:setField')],
    ]);
    expect(entries.some((e) => e.kind === 'assign' && e.outcome === 'executed')).toBe(true);
  });
});

describe('dueDateOf / proposalForJira', () => {
  it("writes core's due instant as the date it falls on in the charter calendar's time zone (daylight saving included)", () => {
    expect(dueDateOf('2026-11-26T23:30:00.000Z', 'UTC')).toBe('2026-11-26');
    expect(dueDateOf('2026-11-26T23:30:00.000Z', 'Europe/Berlin')).toBe('2026-11-27');
    expect(dueDateOf('2026-11-26T02:00:00.000Z', 'America/New_York')).toBe('2026-11-25');
    // 22:30 UTC on 30 June is 00:30 the next day in Berlin's summer time (+2), still the same day at +1.
    expect(dueDateOf('2026-06-30T22:30:00.000Z', 'Europe/Berlin')).toBe('2026-07-01');
    expect(dueDateOf('2026-06-30T22:30:00.000Z', 'Etc/GMT-1')).toBe('2026-06-30');
    expect(dueDateOf('2026-11-26T20:00:00.000Z', 'Asia/Kolkata')).toBe('2026-11-27');
    expect(dueDateOf('2026-11-26')).toBe('2026-11-26');
    expect(dueDateOf('next Tuesday')).toBeNull();
    expect(dueDateOf(42)).toBeNull();
  });

  it('writes setField duedate as the Jira date, keeps priority/labels/components, and leaves out fields the app does not write', () => {
    const p = {
      caseId: 'SUP-1',
      pattern: 'router' as const,
      rule: 'router.due',
      threshold: 'due:r',
      reason: 'SLA r',
      evidence: [],
      confidence: 0.95,
      risk: 'low' as const,
      at: 0,
    };
    const due = proposalForJira(
      { ...p, actions: [{ kind: 'setField', field: 'duedate', value: '2026-11-26T17:00:00.000Z' }] },
      { timeZone: 'Etc/GMT-2' },
    );
    expect(due?.actions).toEqual([{ kind: 'setField', field: 'duedate', value: '2026-11-26' }]);
    expect(summaryOf(due!)).toBe('Set due date to 2026-11-26');
    const priority = proposalForJira({ ...p, actions: [{ kind: 'setField', field: 'priority', value: 'High' }] });
    expect(priority?.actions).toEqual([{ kind: 'setField', field: 'priority', value: 'High' }]);
    expect(summaryOf(priority!)).toBe('Set priority to High');
    expect(summaryOf({ ...priority!, pattern: 'watchdog' })).toBe('Raise priority to High');
    expect(
      proposalForJira({ ...p, actions: [{ kind: 'setField', field: 'customfield_10010', value: 'x' }] }),
    ).toBeNull();
    expect(proposalForJira({ ...p, actions: [{ kind: 'setField', field: 'labels', value: null }] })).toBeNull();
    expect(proposalForJira({ ...p, actions: [{ kind: 'setField', field: 'duedate', value: 'soon' }] })).toBeNull();
    // Never half done: one action Jira does not carry out leaves the whole proposal out.
    expect(
      proposalForJira({
        ...p,
        actions: [
          { kind: 'setField', field: 'priority', value: 'High' },
          { kind: 'setField', field: 'customfield_10010', value: 'x' },
        ],
      }),
    ).toBeNull();
    // A transition is carried out (by the workflow transition that reaches the status).
    expect(proposalForJira({ ...p, actions: [{ kind: 'transition', to: 'Done' }] })?.actions).toEqual([
      { kind: 'transition', to: 'Done' },
    ]);
  });
});

describe('the due date on issues that already have an owner', () => {
  it('an issue created with an assignee gets its due date from the SLA (no assignment is proposed)', async () => {
    await saveCoreCharter(AUTOMATE);
    h.sim.store.insert({
      key: 'SUP-6',
      summary: 'Refund not received',
      status: 'To Do',
      assignee: 'u-grace',
      reporter: 'u-cust',
      created: new Date(NOW - 2 * 3_600_000).toISOString(),
    });
    const r = await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-6'));
    expect(r).toMatchObject({
      handled: true,
      result: { outcomes: [{ key: DUE_KEY('SUP-6', 'resolution'), outcome: 'executed' }] },
    });
    // Created Monday 10:00 like SUP-1: three business days end Thursday 10:00.
    expect(h.sim.store.get('SUP-6')).toMatchObject({ duedate: DUE, assignee: 'u-grace' });
    expect(dueWrites('SUP-6').map((x) => x.body)).toEqual([{ fields: { duedate: DUE } }]);
    expect(h.sim.requests.some((x) => x.path.endsWith('/assignee') || x.path.includes('/user/assignable'))).toBe(false);
  });

  it('an issue assigned long ago gets one on its next update, under the setField dial (assist: a suggestion)', async () => {
    await saveCoreCharter({
      ...AUTOMATE,
      autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'automate', setField: 'assist' } },
    });
    // SUP-2: assigned to Ada, In Progress, no due date, created Sunday 06:00 (the clock starts Monday 09:00).
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2'));
    expect(dueWrites('SUP-2')).toHaveLength(0);
    expect(stateOf('SUP-2').suggestions).toEqual([
      expect.objectContaining({
        key: DUE_KEY('SUP-2', 'resolution'),
        decision: expect.objectContaining({ actions: [{ kind: 'setField', field: 'duedate', value: '2026-11-25' }] }),
      }),
    ]);
  });

  it('never overwrites a due date a person set: at creation (no changelog entry) or later by an edit', async () => {
    await saveCoreCharter(AUTOMATE);
    h.sim.store.insert({
      key: 'SUP-6',
      summary: 'Refund not received',
      status: 'To Do',
      assignee: 'u-grace',
      reporter: 'u-cust',
      duedate: '2026-12-24',
      created: new Date(NOW - 3_600_000).toISOString(),
    });
    const r6 = await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-6'));
    expect(r6).toMatchObject({ handled: true, result: { outcomes: [] } });
    h.sim.store.edit('SUP-2', { duedate: '2026-12-01' }, 'u-ada');
    const r2 = await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2'));
    expect(r2).toMatchObject({ handled: true });
    expect(JSON.stringify(r2)).not.toContain(DUE_KEY('SUP-2', 'resolution'));
    expect(dueWrites('SUP-6')).toHaveLength(0);
    expect(dueWrites('SUP-2')).toHaveLength(0);
    expect([h.sim.store.get('SUP-6').duedate, h.sim.store.get('SUP-2').duedate]).toEqual(['2026-12-24', '2026-12-01']);
  });
});
