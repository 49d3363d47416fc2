import { describe, expect, it } from 'vitest';
import { personalDataReport } from '../src/index.ts';
import { CLOSED_ACCOUNT, createBatonStorage } from '../src/platform/baton-storage.ts';
import type { AuditEntry } from '../src/contracts/audit.ts';
import { NOW } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const row = (n: number, issueKey: string, actor: string): AuditEntry => ({
  id: `row-${n}`,
  decisionKey: `d-${n}`,
  issueKey,
  at: NOW - n * 60_000,
  pattern: 'router',
  kind: 'assign',
  outcome: actor === 'app' ? 'suggested' : 'accepted',
  reason: 'test',
  actor,
});
const actors = () =>
  [...(h.kvs.entities.get('audit')?.values() ?? [])].map((s) => (s.value as AuditEntry).actor).sort();

describe('personal-data reporting (weekly)', () => {
  it("reports the account ids app storage holds; erases a closed account's data and refreshes an updated one's", async () => {
    const storage = createBatonStorage();
    await storage.appendAudit(row(1, 'SUP-1', 'u-ada'));
    await storage.appendAudit(row(2, 'SUP-2', 'u-ada'));
    await storage.appendAudit(row(3, 'SUP-2', 'u-grace'));
    await storage.appendAudit(row(4, 'SUP-3', 'app'));
    await storage.putJson('person:u-ada', { name: 'Ada Lovelace', at: NOW });
    await storage.putJson('person:u-linus', { name: 'Linus Pauling', at: NOW });
    h.privacy.status.set('u-ada', 'closed');
    h.privacy.status.set('u-linus', 'updated');

    const r = await personalDataReport();
    expect(r).toMatchObject({ complete: true, closed: ['u-ada'], updated: ['u-linus'] });
    const reported = h.privacy.reports.flat();
    expect(new Set(reported.map((a) => a.accountId))).toEqual(new Set(['u-ada', 'u-grace', 'u-linus']));
    expect(reported.find((a) => a.accountId === 'u-grace')?.updatedAt).toBe(new Date(NOW - 3 * 60_000).toISOString());
    expect(reported.some((a) => a.accountId === 'app')).toBe(false); // the app's own work names no person
    // u-ada: no row, cached name or listing names her any more; u-grace's rows are as they were.
    expect(actors()).toEqual(['app', CLOSED_ACCOUNT, CLOSED_ACCOUNT, 'u-grace']);
    expect(JSON.stringify([...h.kvs.kv])).not.toContain('u-ada');
    expect(await storage.getJson('person:u-linus')).toBeUndefined(); // read again from Jira when next shown
    // A week later, the closed account is no longer reported.
    h.privacy.reports.length = 0;
    await personalDataReport();
    expect(h.privacy.reports.flat().map((a) => a.accountId)).not.toContain('u-ada');
  });

  it('reports at most 90 accounts a request, page after page, and stops when its time runs out', async () => {
    const storage = createBatonStorage();
    for (let n = 0; n < 250; n++) await storage.appendAudit(row(n, `SUP-${n}`, `u-${String(n).padStart(3, '0')}`));
    const r = await personalDataReport();
    expect(r).toMatchObject({ complete: true, reported: 250 });
    expect(h.privacy.reports.every((req) => req.length >= 1 && req.length <= 90)).toBe(true);
    expect(h.privacy.reports.flat()).toHaveLength(250);
    h.privacy.reports.length = 0;
    h.remainingMs = 1_000;
    expect(await personalDataReport()).toMatchObject({ complete: false, reported: 0 });
  });
});
