import { describe, expect, it } from 'vitest';
import { onIssueEvent } from '../src/index.ts';
import { ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { saveCoreCharter, supCharter, ASSIST_ALL } from './fixtures.ts';
import { invocationOutcome, issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const assignments = () => h.sim.store.changes.filter((c) => c.kind === 'assigned' && c.actor === 'app-baton');

describe('onIssueEvent (product events, at-least-once)', () => {
  it('routes a new unassigned issue exactly once, however often the event is delivered', async () => {
    await saveCoreCharter(
      supCharter({
        autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'automate' } },
        confidence: { act: 0.5, suggest: 0 },
      }),
    );
    const created = issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1', { atlassianId: 'u-cust' });
    const first = await onIssueEvent(created);
    expect(first).toMatchObject({ handled: true, result: { outcomes: [{ outcome: 'executed' }] } });
    // Redelivery (the same payload) and a retry after a timeout: nothing more happens.
    const again = await onIssueEvent(created);
    expect(again).toMatchObject({ handled: true, result: { outcomes: [] } });
    await onIssueEvent(structuredClone(created));
    expect(assignments()).toHaveLength(1);
    expect(h.sim.store.get('SUP-1').assignee).toBe('u-ada');
  });

  it('takes the state from Jira, not from a late, out-of-order payload', async () => {
    await saveCoreCharter(
      supCharter({
        autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'automate' } },
        confidence: { act: 0.5, suggest: 0 },
      }),
    );
    const stale = issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-1'); // says: unassigned
    h.sim.store.assign('SUP-1', 'u-linus', 'u-grace'); // a person assigns meanwhile
    const r = await onIssueEvent(stale);
    expect(r).toMatchObject({ handled: true, result: { outcomes: [] } });
    expect(h.sim.store.get('SUP-1').assignee).toBe('u-linus');
    expect(assignments()).toHaveLength(0);
  });

  it('suggests instead of acting in assist mode, and the suggestion reaches the issue property', async () => {
    await saveCoreCharter(supCharter());
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    expect(h.sim.store.get('SUP-1').assignee).toBeNull();
    const state = h.sim.store.get('SUP-1').properties.get(ISSUE_STATE_PROPERTY) as {
      suggestions: { decision: { actions: unknown[] } }[];
    };
    expect(state.suggestions).toEqual([
      expect.objectContaining({
        decision: expect.objectContaining({ actions: [expect.objectContaining({ kind: 'assign', to: 'u-ada' })] }),
      }),
    ]);
    expect(JSON.stringify(state).length).toBeLessThanOrEqual(32_768);
  });

  it('ignores self-generated events, app comments and projects out of scope without calling Jira', async () => {
    await saveCoreCharter(supCharter());
    const before = h.sim.requests.length;
    expect(await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2', { selfGenerated: true }))).toEqual({
      handled: false,
      why: 'self-generated',
    });
    const appComment = issueEvent(h.sim, 'avi:jira:commented:issue', 'SUP-2', {
      comment: { id: '1', author: { accountId: 'app-baton', accountType: 'app' } },
    });
    expect(await onIssueEvent(appComment)).toMatchObject({ handled: false });
    await saveCoreCharter(supCharter({ scope: { projects: ['OPS'] } }));
    expect(await onIssueEvent(issueEvent(h.sim, 'avi:jira:assigned:issue', 'SUP-2'))).toMatchObject({
      handled: false,
      why: 'project SUP not in scope',
    });
    expect(await onIssueEvent({ eventType: 'avi:jira:deleted:issue' })).toMatchObject({ handled: false });
    expect(h.sim.requests.length).toBe(before);
  });

  it('returns an InvocationError on a transient Jira failure (a throw would not be retried) and acts once on redelivery', async () => {
    await saveCoreCharter(
      supCharter({
        autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'automate' } },
        confidence: { act: 0.5, suggest: 0 },
      }),
    );
    h.sim.fail({ status: 503, method: 'PUT', path: '/rest/api/3/issue/SUP-1/assignee', times: 10 });
    const event = issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1');
    expect(await invocationOutcome(() => onIssueEvent(event))).toMatchObject({
      kind: 'retry',
      retryReason: 'FUNCTION_RETRY_REQUEST',
    });
    h.sim.clearFaults();
    const retry = await onIssueEvent(event);
    expect(retry).toMatchObject({ handled: true, result: { outcomes: [{ outcome: 'executed' }] } });
    expect(assignments()).toHaveLength(1);
  });
});
