import { describe, expect, it } from 'vitest';
import { DEFAULT_CHARTER } from '../charter/default-charter.ts';
import { applyCharter } from '../charter/apply-charter.ts';
import { appendAudit, GENESIS_HASH, trustScore, verifyAudit, type AuditEntry } from './audit.ts';
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
      drift: 1,
    });
    expect(score.watchdog?.acceptanceRate).toBe(0);
    expect(score.concierge).toBeUndefined();
  });
});
