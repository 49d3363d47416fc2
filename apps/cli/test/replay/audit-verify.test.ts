import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyCharter, DEFAULT_CHARTER, nextAuditEntry, sealAudit, type AuditEntry } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { createReplayAudit } from '../../src/commands/replay-audit.ts';
import { runCli } from '../../src/run.ts';
import { captureIo } from '../capture-io.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const RECEIPT = join(FIXTURES, 'eventlogs', 'receipt-40-cases.csv');
const CHARTER = join(FIXTURES, 'charters', 'receipt.yaml');
const KEY = 'a key of more than sixteen characters';
const secretEnv = (name: string) => (name === 'AUDIT_KEY' ? KEY : undefined);

async function baton(args: string[], cwd: string) {
  const c = captureIo();
  const code = await runCli(args, { ...c.io, cwd, secretEnv });
  return { code, out: c.out(), err: c.err() };
}

/** An audit of 1,500 decisions, as replay writes it, signed with KEY. */
function longAudit(): { lines: string[]; head: string } {
  const audit = createReplayAudit(KEY);
  const lines: string[] = [];
  for (let i = 0; i < 1_500; i++) {
    const decision = applyCharter(
      {
        caseId: `C-${i}`,
        pattern: 'watchdog',
        rule: 'watchdog.stall',
        threshold: 'state:Open',
        actions: [{ kind: 'notify', to: `owner-${i % 7}`, message: `C-${i} waits` }],
        reason: 'idle for 3 business days',
        evidence: [],
        confidence: 0.8,
        risk: 'low',
        at: 1_700_000_000_000 + i * 60_000,
      },
      DEFAULT_CHARTER,
      { now: 1_700_000_000_000 + i * 60_000 },
    );
    lines.push(audit.line(decision).trimEnd());
  }
  lines.push(audit.sealLine().trimEnd());
  return { lines, head: audit.head };
}

/** The same entries with their hashes recomputed after `edit`, resealed without the key. */
function recomputed(lines: readonly string[], edit: (e: AuditEntry, i: number) => AuditEntry): string[] {
  let last: AuditEntry[] = [];
  const out: string[] = [];
  for (const [i, line] of lines.slice(0, -1).entries()) {
    const e = edit(JSON.parse(line) as AuditEntry, i);
    const next = nextAuditEntry(last, e.record, e.at);
    last = [next];
    out.push(JSON.stringify(next));
  }
  out.push(JSON.stringify({ seal: sealAudit({ count: out.length, head: last[0]!.hash }) }));
  return out;
}

describe('baton audit verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-audit-'));
  const { lines, head } = longAudit();
  const write = (name: string, content: readonly string[]) => {
    writeFileSync(join(dir, name), `${content.join('\n')}\n`);
    return name;
  };
  const verify = (name: string, ...extra: string[]) => baton(['audit', 'verify', name, ...extra], dir);

  it('verifies an untouched log, with the head and with the key', async () => {
    const file = write('good.jsonl', lines);
    const plain = await verify(file);
    expect(plain.code).toBe(0);
    expect(plain.out).toContain(`1,500 entries, chain verified, head ${head}`);
    expect((await verify(file, '--head', head)).code).toBe(0);
    const signed = await verify(file, '--key-env', 'AUDIT_KEY');
    expect(signed.code).toBe(0);
    expect(signed.out).toContain('the seal is signed with the key');
  });

  const entries = lines.slice(0, -1);
  const seal = lines.at(-1)!;
  const resealed = (kept: readonly string[]) => {
    const last = JSON.parse(kept.at(-1)!) as AuditEntry;
    return [...kept, JSON.stringify({ seal: sealAudit({ count: kept.length, head: last.hash }) })];
  };
  // The Done-when, one case each: a log cut short (its last line, a thousand lines, all but
  // the first; with and without a new seal), an added field, an edited field, a recomputed chain.
  const tampered: Record<string, string[]> = {
    'the last line deleted (the seal)': lines.slice(0, -1),
    'the last entry deleted, the seal kept': [...entries.slice(0, -1), seal],
    'the last entry deleted, resealed': resealed(entries.slice(0, -1)),
    '1,000 lines deleted': lines.slice(0, -1_000),
    '1,000 lines deleted, resealed': resealed(entries.slice(0, -1_000)),
    'only the first line kept': lines.slice(0, 1),
    'only the first line kept, resealed': resealed(entries.slice(0, 1)),
    'an entry inserted': [
      ...entries.slice(0, 10),
      JSON.stringify({ ...(JSON.parse(entries[10]!) as AuditEntry), seq: 10 }),
      ...entries.slice(10),
      seal,
    ],
    'two entries reordered': [...entries.slice(0, 5), entries[6]!, entries[5]!, ...entries.slice(7), seal],
    'a field added': lines.map((l, i) => (i === 700 ? l.replace(/^\{/, '{"approvedBy":"cfo",') : l)),
    'a field added inside the decision': lines.map((l, i) =>
      i === 701 ? l.replace('"caseId":', '"x":1,"caseId":') : l,
    ),
    'a field edited': lines.map((l, i) =>
      i === 702 ? l.replace('idle for 3 business days', 'idle for 2 business days') : l,
    ),
    'the chain recomputed after an edit': recomputed(lines, (e, i) =>
      i === 3 && e.record.type === 'decision'
        ? { ...e, record: { ...e.record, decision: { ...e.record.decision, reason: 'nothing to see' } } }
        : e,
    ),
  };
  const files = new Map(Object.entries(tampered).map(([what, content], i) => [what, write(`t${i}.jsonl`, content)]));

  it('each tampered file differs from the real log', () => {
    for (const content of Object.values(tampered)) expect(content.join('\n')).not.toBe(lines.join('\n'));
  });

  it.each(Object.keys(tampered))('detects %s when the head is given', async (what) => {
    const r = await verify(files.get(what)!, '--head', head);
    expect(r.code, `${what}: ${r.out}`).toBe(1);
    expect(r.err, what).toMatch(/^t\d+\.jsonl:\d+: does not verify: /);
  });

  it.each(Object.keys(tampered))('detects %s when the key is given', async (what) => {
    const r = await verify(files.get(what)!, '--key-env', 'AUDIT_KEY');
    expect(r.code, `${what}: ${r.out}`).toBe(1);
    expect(r.err, what).toMatch(/does not verify/);
  });

  it('names a recomputed chain as unsigned with the key, and cannot tell it without head or key', async () => {
    const file = files.get('the chain recomputed after an edit')!;
    expect((await verify(file, '--key-env', 'AUDIT_KEY')).err).toContain('the seal is not signed');
    // Without the head or the key, a recomputed and resealed log cannot be told from the real one.
    expect((await verify(file)).code).toBe(0);
  });

  it('refuses a bad --head, an unset or short key, and a missing file as usage or read errors', async () => {
    const file = write('usage.jsonl', lines);
    expect((await verify(file, '--head', 'abc')).code).toBe(2);
    expect((await verify(file, '--key-env', 'NOT_SET')).code).toBe(2);
    expect((await baton(['audit', 'check', file], dir)).code).toBe(2);
    expect((await verify('missing.jsonl')).code).toBe(1);
  });

  it('replay seals its audit, prints the whole head and signs the seal with --key-env', async () => {
    const out = join(dir, 'replay');
    const r = await baton(['replay', RECEIPT, '--charter', CHARTER, '--out', out, '--key-env', 'AUDIT_KEY'], dir);
    expect(r.code).toBe(0);
    const printed = /sealed at head ([0-9a-f]{64}) \(signed with AUDIT_KEY\)/.exec(r.out)?.[1];
    expect(printed).toBeDefined();
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      audit: { head: string; signed: boolean };
    };
    expect(summary.audit).toMatchObject({ head: printed, signed: true });
    const ok = await baton(
      ['audit', 'verify', join(out, 'audit.jsonl'), '--head', printed!, '--key-env', 'AUDIT_KEY'],
      dir,
    );
    expect(ok.code).toBe(0);
  });
});
