import { appendAudit, CHARTER_VERSION, parseCharter, verifyAudit } from '@baton/core';
import type { AuditEntry as ChainEntry, Charter } from '@baton/core';
import { IssueStateSchema, ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { kvs } from '@forge/kvs';
import { describe, expect, it, vi } from 'vitest';
import { onIssueEvent, personalDataReport, uiResolver } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { CLOSED_ACCOUNT } from '../src/ports/personal-data-store.ts';
import type { AuditEntry } from '../src/contracts/audit.ts';
import { assigneeOf, invokeResolver, kindsOf, NOW } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
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

describe('erasing a closed account (ADR 0021)', () => {
  const charterNaming = (): Charter => {
    const r = parseCharter({
      version: CHARTER_VERSION,
      scope: { projects: ['SUP'] },
      routing: {
        teams: [{ id: 'support', lead: 'u-ada', members: [{ id: 'u-ada' }, { id: 'u-grace' }] }],
        ownership: [{ id: 'all', team: 'support', owner: 'u-ada' }],
      },
      escalation: {
        ladders: [{ id: 'stall', steps: [{ idle: '2d', do: 'notify-lead', target: 'u-ada', message: 'ping u-ada' }] }],
      },
      report: { to: ['u-ada', 'u-grace'] },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.value;
  };
  /** Everything app storage holds (KVS values and keys, custom-entity rows, secrets), as text. */
  const everything = () =>
    JSON.stringify([[...h.kvs.kv], [...h.kvs.secrets], [...h.kvs.entities].map(([n, m]) => [n, [...m]])]);
  const chainSuffixes = () => [...h.kvs.kv.keys()].filter((k) => k.startsWith('chainhead:')).map((k) => k.slice(10));

  it('leaves no account id anywhere in app storage, every chain still verifies, and the charter tells the admin', async () => {
    const storage = createBatonStorage();
    await storage.saveCharter(
      'global',
      { charter: charterNaming(), yaml: 'lead: u-ada', updatedAt: NOW, updatedBy: 'u-ada' },
      0,
    );
    // The router proposes u-ada (the rule's owner); she accepts it herself: the chain names her twice.
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1', { atlassianId: 'u-cust' }));
    const state = IssueStateSchema.parse(h.sim.store.get('SUP-1').properties.get(ISSUE_STATE_PROPERTY));
    const assign = state.suggestions.find((s) => kindsOf(s).includes('assign'));
    expect(assign && assigneeOf(assign)).toBe('u-ada');
    const accepted = await invokeResolver(
      uiResolver as never,
      'answerSuggestion',
      { issueKey: 'SUP-1', suggestionKey: assign?.key, verdict: 'accept' },
      'u-ada',
    );
    expect(accepted).toMatchObject({ ok: true, data: { outcome: 'accepted' } });
    await storage.putJson('person:u-ada', { name: 'Ada Lovelace', at: NOW });
    // The chain names people by pseudonym only; read with names, it says u-ada.
    const before = await storage.readChain('SUP-1');
    expect(JSON.stringify(before)).not.toContain('u-ada');
    expect(JSON.stringify(await storage.namePeople(before))).toContain('"by":"u-ada"');
    // A chain stored before pseudonyms (today's chains): the same records with the account in clear.
    let legacy: ChainEntry[] = [];
    for (const e of await storage.namePeople(before)) legacy = appendAudit(legacy, e.record, e.at);
    for (const e of legacy) await kvs.set(`chain:${String(e.seq).padStart(8, '0')}:SUP-9`, e);
    await kvs.set('chainhead:SUP-9', legacy.length - 1);
    expect(everything()).toContain('u-ada');

    h.privacy.status.set('u-ada', 'closed');
    const r = await personalDataReport();
    expect(r).toMatchObject({ complete: true, closed: ['u-ada'], charters: ['global'] });

    // Nothing in app storage names her: keys, values, rows, charters (every version), chains.
    expect(everything()).not.toContain('u-ada');
    // Every chain verifies; the pseudonymous one is exactly as it was, the old one was re-hashed once.
    expect(chainSuffixes().sort()).toEqual(['SUP-1', 'SUP-9']);
    for (const key of chainSuffixes()) expect(verifyAudit(await storage.readChain(key)).ok).toBe(true);
    expect(await storage.readChain('SUP-1')).toEqual(before);
    expect(await kvs.get('chainmigrated:SUP-9')).toEqual({ at: NOW });
    // Read with names, her entries now say closed-account; the rows that pointed at SUP-9's entries still do.
    expect(JSON.stringify(await storage.namePeople(before))).toContain(`"by":"${CLOSED_ACCOUNT}"`);
    // The charter lost her and kept u-grace; the version in force tells the admin what changed.
    const charter = await storage.getCharter('global');
    expect(charter?.charter.routing.teams[0]).toMatchObject({ id: 'support', members: [{ id: 'u-grace' }] });
    expect(charter?.charter.routing.teams[0]?.lead).toBeUndefined();
    expect(charter?.charter.report.to).toEqual(['u-grace']);
    expect(charter?.charter.escalation.ladders[0]?.steps[0]?.message).toBe('ping a closed account');
    expect(charter?.notice).toMatch(/removed a closed Atlassian account .*routing\.teams\[0\]\.lead/);
    const page = await invokeResolver(uiResolver as never, 'getCharter', { scope: 'global' }, 'u-grace');
    expect(page).toMatchObject({ ok: true, data: { record: { notice: charter?.notice } } });
    // u-grace's data is untouched.
    expect(everything()).toContain('u-grace');
  });
});

describe('an erasure that runs out of time', () => {
  it('keeps its place: a later run carries it on from its checkpoint, though the account is no longer listed', async () => {
    const storage = createBatonStorage();
    for (let n = 0; n < 250; n++) await storage.appendAudit(row(n, `SUP-${n}`, n % 2 === 0 ? 'u-ada' : 'u-grace'));
    for (let n = 0; n < 150; n++) await kvs.set(`note:${String(n).padStart(3, '0')}`, { by: 'u-ada', n });
    await storage.putJson('person:u-ada', { name: 'Ada Lovelace', at: NOW });
    const named = () => JSON.stringify([[...h.kvs.kv], [...h.kvs.entities].map(([n, m]) => [n, [...m]])]);
    const paths: string[] = [];
    const handle = h.kvs.handle.bind(h.kvs);
    vi.spyOn(h.kvs, 'handle').mockImplementation((path, body) => {
      paths.push(path);
      return handle(path, body);
    });

    // Time for four pages: the audit rows (three pages) and the first page of values, where her listing is.
    let left = 4;
    const first = await storage.eraseAccounts(['u-ada'], () => left-- > 0);
    expect(first.complete).toBe(false);
    expect(await kvs.get('account:u-ada')).toBeUndefined();
    expect(named()).toContain('u-ada');
    expect(await kvs.get('erasure:pass')).toMatchObject({ accounts: ['u-ada'], phase: 'kvs' });

    // The weekly run no longer lists her; it finishes her erasure first, from the page it stopped at.
    const before = paths.length;
    const r = await personalDataReport();
    expect(r).toMatchObject({ complete: true, closed: [] });
    expect(h.privacy.reports.flat().map((a) => a.accountId)).not.toContain('u-ada');
    expect(named()).not.toContain('u-ada');
    expect(await kvs.get('erasure:pass')).toBeUndefined();
    expect(await kvs.get('erasure:queue')).toBeUndefined();
    // Resumed, not restarted: no audit page read again.
    expect(paths.slice(before)).not.toContain('/api/v1/entity/query');
    expect(paths.slice(before)).toContain('/api/v1/query');
    expect(actors().filter((a) => a === CLOSED_ACCOUNT)).toHaveLength(125);
  });
});
