import { idempotencyKey, verifyAudit } from '@baton/core';
import { kvs } from '@forge/kvs';
import { describe, expect, it } from 'vitest';
import { onIssueEvent, uiResolver } from '../src/index.ts';
import { IssueStateSchema, ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { actionOf, invokeResolver, saveCoreCharter, supCharter, ASSIST_ALL, slaGoal } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

/** Core's key for the router's owner proposal on an issue (one team: the candidates). */
const ROUTE_KEY = (issueKey: string) =>
  idempotencyKey({ caseId: issueKey, pattern: 'router', rule: 'router.owner', threshold: 'owner:candidates' });
const DUE_KEY = (issueKey: string, goal: string) =>
  idempotencyKey({ caseId: issueKey, pattern: 'router', rule: 'router.due', threshold: `due:${goal}` });
const stateOf = (key: string) => IssueStateSchema.parse(h.sim.store.get(key).properties.get(ISSUE_STATE_PROPERTY));
const call = (name: string, payload: unknown, accountId = 'u-ada') =>
  invokeResolver(uiResolver as never, name, payload, accountId);

describe('issue events decided by core (router, clerk, SLA, gate)', () => {
  it('a created event: core routes to the least-loaded candidate, SLA clocks run, the packet carries the definition of ready', async () => {
    await saveCoreCharter(supCharter({ slaGoals: [slaGoal('resolution', '3d')] }));
    const r = await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1', { atlassianId: 'u-cust' }));
    expect(r).toMatchObject({
      handled: true,
      result: {
        outcomes: [
          { key: DUE_KEY('SUP-1', 'resolution'), outcome: 'suggested' },
          { key: ROUTE_KEY('SUP-1'), outcome: 'suggested' },
        ],
      },
    });
    const state = stateOf('SUP-1');
    // Assignable and active: u-ada, u-grace, u-linus, one open SUP issue each: core breaks the tie by id.
    // Due: three business days from Monday 10:00 (09:00–17:00) is Thursday 10:00.
    expect(state.suggestions).toHaveLength(2);
    expect(state.suggestions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          summary: 'Assign to u-ada',
          decision: expect.objectContaining({
            pattern: 'router',
            actions: [{ kind: 'assign', to: 'u-ada', team: expect.any(String) }],
          }),
        }),
        expect.objectContaining({
          summary: 'Set due date to 2026-11-26',
          decision: expect.objectContaining({
            pattern: 'router',
            actions: [{ kind: 'setField', field: 'duedate', value: '2026-11-26' }],
          }),
        }),
      ]),
    );
    // Created 2 hours ago, Monday 10:00–12:00: two business hours of a 24-hour target.
    expect(state.sla).toEqual([
      {
        goal: 'resolution',
        state: 'on-track',
        targetMs: 24 * 3_600_000,
        elapsedMs: 2 * 3_600_000,
        dueAt: expect.any(Number),
      },
    ]);
    expect(state.packet?.definitionOfReady).toEqual([
      { item: 'owner assigned', present: false },
      { item: 'priority set', present: true },
    ]);
    expect(state.ready).toEqual(state.packet?.definitionOfReady);
    expect(state.schema).toBe(1); // the extension's fields stay where they were
    // apps/extension's BatonStateSchema reads `sla[].state/goal/dueAt`, `ready` and these packet fields.
    const raw = h.sim.store.get('SUP-1').properties.get(ISSUE_STATE_PROPERTY) as { packet: Record<string, unknown> };
    expect(Object.keys(raw.packet)).toEqual(
      expect.arrayContaining(['summary', 'decisions', 'openQuestions', 'links', 'nextOwner', 'definitionOfReady']),
    );
  });

  it('a redelivered updated event adds no second suggestion and no second decision to the audit chain', async () => {
    await saveCoreCharter(supCharter());
    const event = issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-1', {
      changelogItems: [{ field: 'priority', fromString: 'Medium', toString: 'High' }],
    });
    await onIssueEvent(event);
    const again = await onIssueEvent(structuredClone(event));
    expect(again).toMatchObject({ handled: true, result: { outcomes: [{ outcome: 'duplicate' }] } });
    expect(stateOf('SUP-1').suggestions).toHaveLength(1);
    const chain = await createBatonStorage().readChain('SUP-1');
    expect(chain.filter((e) => e.record.type === 'decision')).toHaveLength(1);
    expect(verifyAudit(chain)).toMatchObject({ ok: true, value: { count: chain.length } });
  });

  it('a commented event: no routing (comments re-check clocks and stalls only), the clerk puts the question in the packet', async () => {
    await saveCoreCharter(
      supCharter({
        autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'automate' } },
        confidence: { act: 0.5, suggest: 0 },
      }),
    );
    h.sim.store.addComment(
      'SUP-1',
      {
        type: 'doc',
        version: 1,
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Which browser does the customer use?' }] }],
      },
      'u-grace',
    );
    const event = issueEvent(h.sim, 'avi:jira:commented:issue', 'SUP-1', {
      comment: { id: '1', author: { accountId: 'u-grace' } },
    });
    expect(await onIssueEvent(event)).toMatchObject({ handled: true, result: { outcomes: [] } });
    expect(await onIssueEvent(event)).toMatchObject({ handled: true, result: { outcomes: [] } });
    expect(h.sim.store.changes.filter((c) => c.kind === 'assigned')).toHaveLength(0);
    expect(stateOf('SUP-1').packet?.openQuestions.join(' ')).toMatch(/Which browser/);
  });
});

describe('issue panel resolvers over core', () => {
  it('getIssueView returns clocks, packet, suggestions and the audit trail with a verified chain', async () => {
    await saveCoreCharter(supCharter({ slaGoals: [slaGoal('response', '4h')] }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    const view = await call('getIssueView', { issueKey: 'SUP-1' });
    expect(view.ok).toBe(true);
    const data = (
      view as {
        data: {
          state: { sla: unknown[]; packet: unknown; suggestions: unknown[] };
          audit: { outcome: string; chain?: unknown }[];
          chain: unknown;
        };
      }
    ).data;
    expect(data.state.sla).toHaveLength(1);
    expect(data.state.packet).toMatchObject({ definitionOfReady: expect.any(Array) });
    expect(data.state.suggestions).toHaveLength(2); // the owner and the due date
    expect(data.audit).toHaveLength(2);
    expect(data.audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'setField',
          outcome: 'suggested',
          chain: { seq: 1, hash: expect.any(String) },
        }),
        expect.objectContaining({ kind: 'assign', outcome: 'suggested', chain: { seq: 3, hash: expect.any(String) } }),
      ]),
    );
    expect(data.chain).toEqual({ ok: true, count: 4 });
  });

  it('Accept and Override are recorded in the audit rows and in the chain; an edited chain entry fails verification', async () => {
    await saveCoreCharter(supCharter({ confidence: { act: 0.5, suggest: 0 } }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    const key = stateOf('SUP-1').suggestions[0]!.key;
    const refused = await call('answerSuggestion', { issueKey: 'SUP-1', suggestionKey: key, verdict: 'override' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-payload' } }); // an override needs a reason
    const over = await call('answerSuggestion', {
      issueKey: 'SUP-1',
      suggestionKey: key,
      verdict: 'override',
      reason: { code: 'wrong-owner', text: 'Grace owns SSO' },
    });
    expect(over).toMatchObject({ ok: true, data: { outcome: 'overridden' } });
    const storage = createBatonStorage();
    const chain = await storage.readChain('SUP-1');
    expect(chain.map((e) => (e.record.type === 'outcome' ? e.record.outcome : e.record.type))).toEqual([
      'decision',
      'suggested',
      'overridden',
    ]);
    // The chain names people by pseudonym (ADR 0021); read with names, it says u-ada.
    expect(chain[2]?.record).toMatchObject({ by: expect.stringMatching(/^acct_[0-9a-f]{20}$/) });
    expect((await storage.namePeople(chain))[2]?.record).toMatchObject({
      by: 'u-ada',
      reason: 'wrong-owner',
      note: 'Grace owns SSO',
    });
    expect((await storage.queryAudit({ issueKey: 'SUP-1' })).entries.map((e) => e.outcome).sort()).toEqual([
      'overridden',
      'suggested',
    ]);
    expect(verifyAudit(chain).ok).toBe(true);

    // Tampering: an entry edited in storage breaks the chain at that entry.
    const slot = 'chain:00000001:SUP-1';
    const entry = (await kvs.get(slot)) as { record: { outcome: string } };
    expect(entry.record.outcome).toBe('suggested');
    await kvs.set(slot, { ...entry, record: { ...entry.record, outcome: 'accepted' } });
    const broken = verifyAudit(await storage.readChain('SUP-1'));
    expect(broken).toMatchObject({
      ok: false,
      issues: [expect.objectContaining({ code: 'audit.edited', path: [1, 'hash'] })],
    });
  });

  it('Accept runs the proposal as the person, once, and the chain says accepted after acted', async () => {
    await saveCoreCharter(supCharter());
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    const s = stateOf('SUP-1').suggestions[0]!;
    const ok = await call('answerSuggestion', { issueKey: 'SUP-1', suggestionKey: s.key, verdict: 'accept' });
    expect(ok).toMatchObject({ ok: true, data: { outcome: 'accepted' } });
    const twice = await call('answerSuggestion', { issueKey: 'SUP-1', suggestionKey: s.key, verdict: 'accept' });
    expect(twice).toMatchObject({ ok: true, data: { outcome: 'not-pending' } });
    const assign = actionOf(s);
    expect(h.sim.store.get('SUP-1').assignee).toBe(assign.kind === 'assign' ? assign.to : null);
    const chain = await createBatonStorage().readChain('SUP-1');
    const named = await createBatonStorage().namePeople(chain);
    expect(
      named.map((e) => (e.record.type === 'outcome' ? `${e.record.outcome}:${e.record.by ?? ''}` : e.record.type)),
    ).toEqual(['decision', 'suggested:', 'acted:u-ada', 'accepted:u-ada']);
    expect(verifyAudit(chain).ok).toBe(true);
  });
});

describe('concierge drafts (core draftUpdates)', () => {
  it('drafts per audience from the changes since the agent last spoke; with no news, the status template', async () => {
    await saveCoreCharter(supCharter());
    const draft = async (audience: string) =>
      ((await call('draftUpdate', { issueKey: 'SUP-2', audience })) as { data: { text: string } }).data.text;
    expect(await draft('internal')).toMatch(/owner nobody → u-ada/);
    expect(await draft('customer')).toMatch(/A specialist has been assigned/);
    // The agent spoke now: nothing has changed since, so the internal draft falls back to the status line.
    h.sim.store.addComment('SUP-2', { type: 'doc', version: 1, content: [] }, 'app-baton');
    expect(await draft('internal')).toBe('SUP-2 is in "In Progress", owned by u-ada. SLA clocks are on track.');
    expect(await call('draftUpdate', { issueKey: 'SUP-2', audience: 'board' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload' },
    });
  });
});

describe('audit chain per issue', () => {
  it('two writers appending at once get consecutive entries and the chain verifies', async () => {
    const storage = createBatonStorage();
    const outcome = (n: number) => ({
      type: 'outcome' as const,
      decisionId: `d-${n}`,
      pattern: 'watchdog' as const,
      outcome: 'suggested' as const,
    });
    const written = await Promise.all([1, 2, 3].map((n) => storage.appendChain('SUP-9', outcome(n), 1_000 + n)));
    expect(written.map((e) => e.seq).sort()).toEqual([0, 1, 2]);
    const chain = await storage.readChain('SUP-9');
    expect(chain).toHaveLength(3);
    expect(verifyAudit(chain)).toMatchObject({ ok: true, value: { count: 3 } });
    expect(await storage.readChain('SUP-8')).toEqual([]); // chains are per issue
  });
});
