import { describe, expect, it } from 'vitest';
import { DEFAULT_CHARTER } from '../charter/default-charter.ts';
import { applyCharter } from '../charter/apply-charter.ts';
import {
  appendAudit,
  AuditSealSchema,
  checkAuditSeal,
  GENESIS_HASH,
  sealAudit,
  trustScore,
  verifyAudit,
  type AuditEntry,
  type AuditRecord,
} from './audit.ts';
import type { Proposal } from './decision.ts';

const NOW = Date.parse('2016-12-20T11:00:00Z');
const proposal: Proposal = {
  caseId: 'TIMOB-24250',
  pattern: 'router',
  rule: 'router.owner',
  threshold: 'state:Open',
  actions: [{ kind: 'assign', to: 'hansknoechel' }],
  reason: 'iOS component',
  evidence: [{ label: 'component', value: 'iOS', source: 'attribute:components' }],
  confidence: 0.8,
  risk: 'low',
  at: NOW,
};

function sampleLog(): AuditEntry[] {
  const a = applyCharter(proposal, DEFAULT_CHARTER, { now: NOW });
  const b = applyCharter({ ...proposal, caseId: 'TIMOB-20494' }, DEFAULT_CHARTER, { now: NOW });
  const c = applyCharter(
    {
      ...proposal,
      caseId: 'AC-4682',
      pattern: 'watchdog',
      rule: 'watchdog.stall',
      actions: [{ kind: 'notify', to: 'x', message: 'm' }],
    },
    DEFAULT_CHARTER,
    { now: NOW },
  );
  let log: AuditEntry[] = [];
  log = appendAudit(log, { type: 'decision', decision: a }, NOW);
  log = appendAudit(
    log,
    { type: 'outcome', decisionId: a.id, pattern: 'router', outcome: 'accepted', by: 'lead' },
    NOW + 1000,
  );
  log = appendAudit(log, { type: 'decision', decision: b }, NOW + 2000);
  log = appendAudit(
    log,
    {
      type: 'outcome',
      decisionId: b.id,
      pattern: 'router',
      outcome: 'overridden',
      by: 'lead',
      reason: 'on leave',
      finalActions: [{ kind: 'assign', to: 'ewieber' }],
    },
    NOW + 3000,
  );
  log = appendAudit(log, { type: 'decision', decision: c }, NOW + 4000);
  log = appendAudit(log, { type: 'outcome', decisionId: c.id, pattern: 'watchdog', outcome: 'expired' }, NOW + 5000);
  return log;
}

describe('audit log', () => {
  it('chains entries and verifies an untouched log', () => {
    const log = sampleLog();
    expect(log[0]!.prevHash).toBe(GENESIS_HASH);
    expect(log[1]!.prevHash).toBe(log[0]!.hash);
    const r = verifyAudit(log);
    expect(r).toEqual({ ok: true, value: { count: 6, head: log[5]!.hash } });
  });

  it('detects an edited entry', () => {
    const log = sampleLog();
    const edited = structuredClone(log);
    const rec = edited[1]!.record;
    if (rec.type === 'outcome') rec.outcome = 'overridden';
    const r = verifyAudit(edited);
    expect(!r.ok && r.issues.map((i) => [i.code, i.path[0]])).toEqual([['audit.edited', 1]]);
  });

  it('detects a missing and a reordered entry', () => {
    const log = sampleLog();
    const missing = [...log.slice(0, 2), ...log.slice(3)];
    const r1 = verifyAudit(missing);
    expect(!r1.ok && r1.issues.map((i) => i.code)).toContain('audit.chain');
    const reordered = [log[0]!, log[2]!, log[1]!, ...log.slice(3)];
    const r2 = verifyAudit(reordered);
    expect(!r2.ok && r2.issues.some((i) => i.code === 'audit.sequence')).toBe(true);
    const truncatedHead = log.slice(1);
    expect(verifyAudit(truncatedHead).ok).toBe(false);
  });

  it('covers every field of an entry: a field added anywhere breaks the hash', () => {
    const log = sampleLog();
    const added = log.map((e, i) => (i === 2 ? { ...e, note: 'approved by the CFO' } : e));
    const r = verifyAudit(added);
    expect(r.ok ? [] : r.issues.map((i) => `${i.path.join('.')} ${i.code}`)).toEqual(['2.hash audit.edited']);
    const nested = structuredClone(log) as unknown as { record: Record<string, unknown> }[];
    nested[0]!.record['extra'] = true;
    expect(verifyAudit(nested as unknown as AuditEntry[]).ok).toBe(false);
  });

  it('keeps verifying chains written before every field was covered (the same fields hash the same)', () => {
    // Written by the previous hashing (sha256 of canonical({ seq, at, record, prevHash })), as the
    // Forge app has stored per-issue chains.
    const stored = JSON.parse(
      '[{"seq":0,"at":1482231600000,"record":{"type":"decision","decision":{"caseId":"TIMOB-1","pattern":"router","rule":"router.owner","threshold":"state:Open","actions":[{"kind":"assign","to":"ann"}],"reason":"iOS","evidence":[],"confidence":0.8,"risk":"low","at":1482231600000,"id":"d-1","idempotencyKey":"d-1","disposition":"suggest","dispositionRule":"autonomy.assist:assign"}},"prevHash":"0000000000000000000000000000000000000000000000000000000000000000","hash":"8b0bb583d11cc32f67b12443acd2f985fd96707440fc0d9b1a37d5bde8019da2"},' +
        '{"seq":1,"at":1482231601000,"record":{"type":"outcome","decisionId":"d-1","pattern":"router","outcome":"accepted","by":"lead"},"prevHash":"8b0bb583d11cc32f67b12443acd2f985fd96707440fc0d9b1a37d5bde8019da2","hash":"a212a7026ed955e7ff079e57a88b9d4c860b9646d4187801be493e908cc25b4c"}]',
    ) as AuditEntry[];
    expect(verifyAudit(stored)).toEqual({
      ok: true,
      value: { count: 2, head: 'a212a7026ed955e7ff079e57a88b9d4c860b9646d4187801be493e908cc25b4c' },
    });
  });

  it('a seal shows a log cut short or recomputed, given the head or the key', () => {
    const log = sampleLog();
    const end = (entries: readonly AuditEntry[]) => {
      const r = verifyAudit(entries);
      if (!r.ok) throw new Error('expected a valid chain');
      return r.value;
    };
    const full = end(log);
    const key = 'k'.repeat(32);
    const seal = sealAudit(full, key);
    expect(AuditSealSchema.parse(seal)).toEqual(seal);
    expect(checkAuditSeal(full, seal, { key, expectedHead: full.head })).toEqual([]);
    const codes = (issues: readonly { code: string }[]) => issues.map((i) => i.code);
    // Cut: the last entry, or all but the first: each prefix is a valid chain on its own.
    for (const cut of [log.slice(0, -1), log.slice(0, 1)]) {
      expect(codes(checkAuditSeal(end(cut), seal))).toEqual(['audit.seal']);
      expect(codes(checkAuditSeal(end(cut), undefined, { expectedHead: full.head }))).toEqual([
        'audit.head',
        'audit.unsealed',
      ]);
      expect(codes(checkAuditSeal(end(cut), undefined, { key }))).toEqual(['audit.unsealed']);
      // A forged seal that matches the cut log is not signed with the key.
      expect(codes(checkAuditSeal(end(cut), sealAudit(end(cut), 'another key'), { key }))).toEqual(['audit.signature']);
    }
    // Recomputed after an edit: a valid chain, but not the head or the signature that was sealed.
    let recomputed: AuditEntry[] = [];
    for (const e of log)
      recomputed = appendAudit(
        recomputed,
        e.seq === 1 && e.record.type === 'outcome' ? { ...e.record, by: 'someone else' } : e.record,
        e.at,
      );
    const forged = end(recomputed);
    expect(codes(checkAuditSeal(forged, sealAudit(forged), { key }))).toEqual(['audit.unsigned']);
    expect(codes(checkAuditSeal(forged, { ...sealAudit(forged), mac: seal.mac! }, { key }))).toEqual([
      'audit.signature',
    ]);
    expect(codes(checkAuditSeal(forged, sealAudit(forged), { expectedHead: full.head }))).toEqual(['audit.head']);
  });

  it('verifies a long log in parts: each part continues where the one before ended', () => {
    const log = sampleLog();
    const head = verifyAudit(log.slice(0, 4));
    if (!head.ok) throw new Error('first part should verify');
    expect(verifyAudit(log.slice(4), { seq: 4, hash: head.value.head })).toEqual({
      ok: true,
      value: { count: 2, head: log[5]!.hash },
    });
    // Continuing from the wrong place fails, naming the index within the part.
    const wrong = verifyAudit(log.slice(4), { seq: 3, hash: head.value.head });
    expect(!wrong.ok && wrong.issues.map((i) => [i.code, i.path[0]])).toEqual([
      ['audit.sequence', 0],
      ['audit.sequence', 1],
    ]);
    const skipped = verifyAudit(log.slice(5), { seq: 5, hash: head.value.head });
    expect(!skipped.ok && skipped.issues.map((i) => i.code)).toEqual(['audit.chain']);
  });

  it('scores trust per pattern: acceptance, override reasons, drift', () => {
    const score = trustScore(sampleLog());
    expect(score.router).toEqual({
      decisions: 2,
      acted: 0,
      suggested: 0,
      accepted: 1,
      overridden: 1,
      expired: 0,
      acceptanceRate: 0.5,
      overrideReasons: { 'on leave': 1 },
      finals: 1,
      drifted: 1,
      changedAfterAct: 0,
      drift: 1,
    });
    expect(score.watchdog?.acceptanceRate).toBe(0);
    expect(score.concierge).toBeUndefined();
  });

  it('counts a person changing what the agent did (a `final` record) as drift after an act', () => {
    const acted = applyCharter({ ...proposal, caseId: 'TIMOB-1' }, DEFAULT_CHARTER, { now: NOW });
    const kept = applyCharter({ ...proposal, caseId: 'TIMOB-2' }, DEFAULT_CHARTER, { now: NOW });
    let log: AuditEntry[] = [];
    for (const d of [acted, kept]) {
      log = appendAudit(log, { type: 'decision', decision: d }, NOW);
      log = appendAudit(log, { type: 'outcome', decisionId: d.id, pattern: 'router', outcome: 'acted' }, NOW);
    }
    // Reassigned by hand to someone else; the other one set again to what the agent chose (no drift).
    const final = (id: string, to: string): AuditRecord => ({
      type: 'final',
      decisionId: id,
      pattern: 'router',
      by: 'lead',
      finalActions: [{ kind: 'assign', to }],
    });
    log = appendAudit(log, final(acted.id, 'ewieber'), NOW + 1000);
    log = appendAudit(log, final(kept.id, 'hansknoechel'), NOW + 1000);
    expect(verifyAudit(log).ok).toBe(true);
    expect(trustScore(log).router).toMatchObject({ acted: 2, finals: 2, drifted: 1, changedAfterAct: 1, drift: 0.5 });
    // A final action for a decision the log never saw is not compared.
    const orphan = appendAudit([], final('d-unknown', 'x'), NOW);
    expect(trustScore(orphan).router).toBeUndefined();
  });
});
