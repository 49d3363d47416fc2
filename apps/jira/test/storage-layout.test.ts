import { describe, expect, it } from 'vitest';
import { kvs } from '@forge/kvs';
import { createAnalysis } from '@baton/core/analysis';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import type { AuditEntry } from '../src/contracts/audit.ts';
import type { Dashboard } from '../src/contracts/dashboard.ts';
import { NOW, supCharter, coreCharter } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// BatonStorage is one implementation per port (src/platform/kvs-*.ts, ADR 0022), put together in
// createBatonStorage. What a site has stored must read the same after any such reshaping: this pins the
// keys each port writes and reads values stored at those keys in the shapes written before the split.

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const DAY = '2026-11-23';
const row: AuditEntry = {
  id: 'row-1',
  decisionKey: 'd-1',
  issueKey: 'SUP-1',
  at: NOW,
  pattern: 'router',
  kind: 'assign',
  outcome: 'accepted',
  reason: 'test',
  actor: 'u-ada',
};
/** A stored training with no model files: the shape, not a model, is what this pins. */
const TRAINED = { projectKey: 'SUP', trainedAt: NOW, runId: 'r-1', examples: 0, overrides: 0, models: [], skills: [] };
/** A dashboard of no issues (core's figures of an empty analysis, as JSON stores them). */
const DASHBOARD: Dashboard = JSON.parse(
  JSON.stringify({
    projectKey: 'SUP',
    days: 30,
    runId: 'r-1',
    issues: 0,
    generatedAt: NOW,
    kpis: createAnalysis().result(),
  }),
) as Dashboard;
const keys = () => [...h.kvs.kv].map(([k]) => k).sort();
const entityKeys = (name: string) => [...(h.kvs.entities.get(name)?.keys() ?? [])].sort();

describe('the keys app storage writes, port by port', () => {
  it('charters, cursor, effects, caps, audit and chain, due index, missing-info schedule, state norms, router model, dashboard and records keep their keys', async () => {
    const storage = createBatonStorage();
    await storage.saveCharter(
      'global',
      { charter: coreCharter(supCharter()), yaml: '', updatedAt: NOW, updatedBy: 'u-ada' },
      0,
    );
    await storage.setCursor({ since: NOW, checkpoint: null });
    expect(await storage.claimEffect('d-1', NOW)).toBe(true);
    expect(await storage.reserveNudge('SUP-1', DAY, 3)).toBe(true);
    expect(await storage.reservePersonNudge('u-ada', DAY, 3)).toBe(true);
    await storage.appendAudit(row);
    await storage.appendChain(
      'SUP-1',
      { type: 'outcome', decisionId: 'd-1', pattern: 'router', outcome: 'suggested' },
      NOW,
    );
    await storage.setDue('SUP-1', NOW + 1);
    await storage.putJson('watch:SUP-1', { any: 'record' });
    await storage.setMissingInfoDue('SUP-1', NOW + 2);
    await storage.putRouterModel(TRAINED);
    await storage.putDashboard(DASHBOARD);
    await storage.putStateNorms({
      projectKey: 'SUP',
      learnedAt: NOW,
      runId: 'r-1',
      cases: 3,
      norms: [['to do', 60_000, 3]],
    });
    expect(keys().filter((k) => !k.startsWith('pseudonym'))).toEqual([
      'account:u-ada',
      'cap:2026-11-23:SUP-1:00',
      'chain:00000000:SUP-1',
      'chainhead:SUP-1',
      'charter:current:global',
      'charter:v:00000001:global',
      'effect:d-1',
      'json:dashboard:SUP:result',
      'json:dashboard:SUP:result:0',
      'json:missing-info:SUP-1',
      'json:router-model:SUP:model',
      'json:router-model:SUP:model:0',
      'json:state-norms:SUP',
      'json:watch:SUP-1',
      'pcap:2026-11-23:u-ada:000',
      'watchdog:cursor',
    ]);
    expect(entityKeys('audit')).toEqual([`${String(Math.floor(NOW / 1000)).padStart(8, '0')}:row-1`]);
    expect(entityKeys('due')).toEqual(['SUP-1']);
  });

  it('reads values stored at those keys in the shapes written before the split', async () => {
    await kvs.set('effect:d-7', { state: 'done', at: NOW, detail: 'posted' });
    await kvs.set('cap:2026-11-23:SUP-7:00', 1);
    await kvs.set('cap:2026-11-23:SUP-7:01', 1);
    await kvs.set('pcap:2026-11-23:u-linus:000', 1);
    await kvs.set('json:watch:SUP-7', { kept: true });
    // The missing-info loop's schedule, written as a use case's record before it had a port of its own.
    await kvs.set('json:missing-info:SUP-7', { dueAt: NOW + 5 });
    // A dashboard, a large record written by the dashboard's use case before it had a port.
    await kvs.set('json:dashboard:SUP:result', { parts: 1 });
    await kvs.set('json:dashboard:SUP:result:0', JSON.stringify(DASHBOARD));
    // A trained router, a large record (head and parts) written by the router model's use case first.
    const text = JSON.stringify({ ...TRAINED, projectKey: 'SUP', runId: 'r-old' });
    await kvs.set('json:router-model:SUP:model', { parts: 2 });
    await kvs.set('json:router-model:SUP:model:0', text.slice(0, 40));
    await kvs.set('json:router-model:SUP:model:1', text.slice(40));
    // Learned state norms, likewise written as a use case's record first.
    const norms = { projectKey: 'SUP', learnedAt: NOW, runId: 'r-0', cases: 2, norms: [['in progress', 7_200_000, 2]] };
    await kvs.set('json:state-norms:SUP', norms);
    // A checkpoint of the shape before keyset paging (a list of every key) reads as none.
    await kvs.set('watchdog:cursor', { since: NOW - 60_000, checkpoint: { keys: ['SUP-1', 'SUP-2'], next: 1 } });
    await kvs.entity('due').set('SUP-7', { issueKey: 'SUP-7', dueAt: NOW - 1 });
    const storage = createBatonStorage();
    expect(await storage.getEffect('d-7')).toEqual({ state: 'done', at: NOW, detail: 'posted' });
    expect(await storage.nudgesToday('SUP-7', DAY)).toBe(2);
    expect(await storage.personNudgesToday('u-linus', DAY)).toBe(1);
    expect(await storage.getJson('watch:SUP-7')).toEqual({ kept: true });
    expect(await storage.getMissingInfoDue('SUP-7')).toBe(NOW + 5);
    expect(await storage.getStateNorms('SUP')).toEqual(norms);
    expect(await storage.getDashboard('SUP')).toEqual(DASHBOARD);
    expect(await storage.getRouterModel('SUP')).toEqual({ ...TRAINED, runId: 'r-old' });
    expect(await storage.getCursor()).toEqual({ since: NOW - 60_000, checkpoint: null });
    expect(await storage.dueBefore(NOW, 10)).toEqual([{ issueKey: 'SUP-7', dueAt: NOW - 1 }]);
    // And the purge of a deleted issue finds them under the same keys.
    await storage.appendAudit({ ...row, id: 'row-7', issueKey: 'SUP-7', decisionKey: 'd-7' });
    const purged = await storage.purgeIssue('SUP-7', { jsonKeys: ['watch:SUP-7'], stillHasTime: () => true });
    expect(purged.complete).toBe(true);
    expect(await kvs.get('effect:d-7')).toBeUndefined();
    expect(await kvs.get('json:watch:SUP-7')).toBeUndefined();
    expect(await kvs.get('json:missing-info:SUP-7')).toBeUndefined();
    expect(await storage.dueBefore(NOW, 10)).toEqual([]);
  });
});
