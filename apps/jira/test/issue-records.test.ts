import { describe, expect, it } from 'vitest';
import { onIssueDeleted, onIssueEvent } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { watchRecordKey } from '../src/app/watch-record.ts';
import { evaluateWatched } from '../src/app/evaluate-issue.ts';
import { forgeDeps } from '../src/handlers/forge-deps.ts';
import { NOW, saveCoreCharter, supCharter, slaGoal } from './fixtures.ts';
import { invocationOutcome, issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const DAY = 86_400_000;
/** Every key in KVS and every entity row that belongs to `issueKey` (by key or by its `issueKey` attribute). */
function recordsOf(issueKey: string, effectKeys: readonly string[]): string[] {
  const mine = (k: string) => new RegExp(`(^|[:_])${issueKey}($|[:#_])`).test(k);
  const kv = [...h.kvs.kv.keys()].filter((k) => mine(k) || effectKeys.some((e) => k === `effect:${e}`));
  const rows = [...h.kvs.entities].flatMap(([name, rows]) =>
    [...rows].filter(([, s]) => (s.value as { issueKey?: string }).issueKey === issueKey).map(([k]) => `${name}/${k}`),
  );
  return [...kv, ...rows];
}
const auditDecisionKeys = (issueKey: string): string[] =>
  [...(h.kvs.entities.get('audit')?.values() ?? [])]
    .map((s) => s.value as { issueKey: string; decisionKey: string })
    .filter((v) => v.issueKey === issueKey)
    .map((v) => v.decisionKey);
const deletedEvent = (key: string) => ({
  eventType: 'avi:jira:deleted:issue',
  issue: { id: h.sim.store.get(key).id, key, fields: { project: { key: 'SUP' } } },
  atlassianId: 'u-grace',
});

describe('per-issue records', () => {
  it('keep the charter version they were made under, not the charter, and expire when not written again', async () => {
    await saveCoreCharter(supCharter({ slaGoals: [slaGoal('resolution', '3d')] }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1', { atlassianId: 'u-cust' }));
    const record = await createBatonStorage().getJson(watchRecordKey('SUP-1'));
    expect(record).toMatchObject({ charterVersion: 'global@1' });
    expect(record).not.toHaveProperty('charter');
    expect(JSON.stringify(record).length).toBeLessThan(4_000);
    // The watch record in 90 days, the effect ledger and pending suggestions in a year.
    const expiry = (k: string) => h.kvs.kv.get(k)?.expireAt;
    expect(expiry(`json:${watchRecordKey('SUP-1')}`)).toBe(NOW + 90 * DAY);
    const suggestionKeys = [...h.kvs.kv.keys()].filter((k) => k.startsWith('suggestion:SUP-1:'));
    expect(suggestionKeys.length).toBeGreaterThan(0);
    for (const k of suggestionKeys) expect(expiry(k)).toBe(NOW + 365 * DAY);
    const effects = auditDecisionKeys('SUP-1');
    expect(effects.length).toBeGreaterThan(0);
    for (const e of effects) expect(expiry(`effect:${e}`)).toBe(NOW + 365 * DAY);
  });

  it('a record made under another charter version is not used: after a save, the issue is read from Jira again', async () => {
    await saveCoreCharter(supCharter());
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-4'));
    const reads = () => h.sim.requests.filter((r) => r.method === 'GET' && r.path === '/rest/api/3/issue/SUP-4').length;
    let before = reads();
    await evaluateWatched(forgeDeps(), 'SUP-4');
    expect(reads()).toBe(before); // same version: the stored WatchCase is enough
    // The same charter saved again is a new version: a record made under the old one is stale.
    await saveCoreCharter(supCharter());
    before = reads();
    await evaluateWatched(forgeDeps(), 'SUP-4');
    expect(reads()).toBe(before + 1);
    expect(await createBatonStorage().getJson(watchRecordKey('SUP-4'))).toMatchObject({ charterVersion: 'global@2' });
  });
});

describe('avi:jira:deleted:issue', () => {
  it("purges the issue's records from app storage (suggestions, effects, audit rows, chain, due row, watch record) and nothing else", async () => {
    await saveCoreCharter(supCharter({ slaGoals: [slaGoal('resolution', '3d')] }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1', { atlassianId: 'u-cust' }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-2', { atlassianId: 'u-cust' }));
    const effects1 = auditDecisionKeys('SUP-1');
    const before1 = recordsOf('SUP-1', effects1);
    const before2 = recordsOf('SUP-2', auditDecisionKeys('SUP-2'));
    expect(before1.some((k) => k.startsWith('chain:'))).toBe(true);
    expect(before1.some((k) => k.startsWith('audit/'))).toBe(true);
    h.sim.requests.length = 0;
    const r = await onIssueDeleted(deletedEvent('SUP-1'));
    expect(r).toMatchObject({ purged: true, issueKey: 'SUP-1', complete: true, deleted: before1.length });
    expect(recordsOf('SUP-1', effects1)).toEqual([]);
    expect(recordsOf('SUP-2', auditDecisionKeys('SUP-2'))).toEqual(before2);
    expect(h.sim.requests).toHaveLength(0); // the issue is gone from Jira: nothing to read there
  });

  it('asks Forge to deliver the event again when its time runs out, and the redelivery finishes the purge', async () => {
    await saveCoreCharter(supCharter({ slaGoals: [slaGoal('resolution', '3d')] }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1', { atlassianId: 'u-cust' }));
    const effects = auditDecisionKeys('SUP-1');
    h.remainingMs = 1_000;
    const cut = await invocationOutcome(() => onIssueDeleted(deletedEvent('SUP-1')));
    expect(cut).toMatchObject({ kind: 'retry', retryReason: 'FUNCTION_RETRY_REQUEST' });
    expect(recordsOf('SUP-1', effects).length).toBeGreaterThan(0);
    h.remainingMs = 25_000;
    expect(await onIssueDeleted(deletedEvent('SUP-1'))).toMatchObject({ complete: true });
    expect(recordsOf('SUP-1', effects)).toEqual([]);
  });

  it('refuses a payload that is not an issue-deleted event without touching storage', async () => {
    const calls = h.kvs.calls.length;
    expect(await onIssueDeleted({ eventType: 'avi:jira:deleted:issue', issue: {} })).toMatchObject({ purged: false });
    expect(h.kvs.calls.length).toBe(calls);
  });
});
