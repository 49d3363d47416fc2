import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditEntrySchema, verifyAudit } from '@baton/core';
import { ReplaySummarySchema } from '@baton/core/replay';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/run.ts';
import { DECISIONS_CSV_HEADER, loadCharter } from '../../src/commands/replay-run.ts';
import { verifyReplayAudit } from '../../src/commands/replay-audit.ts';
import { captureIo } from '../capture-io.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const RECEIPT = join(FIXTURES, 'eventlogs', 'receipt-40-cases.csv');
const CHARTER = join(FIXTURES, 'charters', 'receipt.yaml');

async function replay(args: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'baton-replay-'));
  const c = captureIo();
  const code = await runCli(['replay', ...args, '--out', dir], c.io);
  return { dir, code, out: c.out(), err: c.err() };
}

describe('baton replay on the real WABO receipt log (40 cases)', () => {
  it('writes decisions.csv, summary.json, a hash-chained audit.jsonl and replay.html', async () => {
    const r = await replay([RECEIPT, '--charter', CHARTER, '--costs', join(FIXTURES, 'charters', 'costs.yaml')]);
    // The test charter names one state on purpose: the others are mapped by name, and said so.
    expect(r.err).toMatch(/^replay: 18 states of the history are not in the charter's workflow/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/replayed 228 events of 40 cases/);
    const csv = await readFile(join(r.dir, 'decisions.csv'), 'utf8');
    expect(csv.startsWith(DECISIONS_CSV_HEADER)).toBe(true);
    const rows = csv.trim().split('\n').slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.includes(',clerk,clerk.handoff,rules,internal comment,act,'))).toBe(true);
    const summary = JSON.parse(await readFile(join(r.dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
    const parsed = ReplaySummarySchema.parse(summary);
    expect(parsed.decisions).toBe(rows.length);
    expect(parsed.savings?.currency).toBe('EUR');
    expect(summary['cases']).toBe(40);
    const audit = await readFile(join(r.dir, 'audit.jsonl'), 'utf8');
    const check = await verifyReplayAudit(audit);
    expect(check).toMatchObject({ ok: true, entries: rows.length });
    expect(r.out).toContain(`audit: ${rows.length} entries, chain verified`);
    // The audit is core's: each line an AuditEntry holding the decision, as the Forge app keeps them,
    // then the seal (entry count and head hash).
    const first = AuditEntrySchema.parse(JSON.parse(audit.split('\n')[0]!));
    expect(first.seq).toBe(0);
    expect(first.record.type).toBe('decision');
    const auditLines = audit.trim().split('\n');
    const chain = verifyAudit(auditLines.slice(0, -1).map((l) => AuditEntrySchema.parse(JSON.parse(l))));
    expect(chain).toMatchObject({ ok: true, value: { count: rows.length } });
    expect(JSON.parse(auditLines.at(-1)!)).toEqual({
      seal: { entries: rows.length, head: chain.ok && chain.value.head },
    });
    const html = await readFile(join(r.dir, 'replay.html'), 'utf8');
    expect(html).toContain('<h1>');
    expect(html).toContain('receipt-test');
  });

  it('is idempotent: the same input given twice yields the same decisions as once', async () => {
    const once = await replay([RECEIPT, '--charter', CHARTER]);
    const twice = await replay([RECEIPT, RECEIPT, '--charter', CHARTER]);
    expect(twice.code).toBe(0);
    const a = await readFile(join(once.dir, 'decisions.csv'), 'utf8');
    const b = await readFile(join(twice.dir, 'decisions.csv'), 'utf8');
    expect(b).toBe(a);
  });

  it('detects an edited or a missing audit line', async () => {
    const r = await replay([RECEIPT, '--charter', CHARTER, '--tick', 'off']);
    const all = (await readFile(join(r.dir, 'audit.jsonl'), 'utf8')).trim().split('\n');
    const seal = all.at(-1)!;
    const lines = all.slice(0, -1);
    expect(lines.length).toBeGreaterThan(2);
    const edited = [...lines];
    const entry = JSON.parse(edited[1]!) as { record: { decision: { disposition: string } } };
    entry.record.decision.disposition = entry.record.decision.disposition === 'act' ? 'suggest' : 'act';
    edited[1] = JSON.stringify(entry);
    expect(await verifyReplayAudit([...edited, seal].join('\n'))).toEqual({
      ok: false,
      line: 2,
      problem: 'content does not match its hash (the entry was edited)',
    });
    expect(await verifyReplayAudit([lines[0], ...lines.slice(2), seal].join('\n'))).toMatchObject({
      ok: false,
      line: 2,
    });
    expect(await verifyReplayAudit([lines[0], '{"seq":1}', ...lines.slice(2), seal].join('\n'))).toMatchObject({
      ok: false,
      line: 2,
      problem: expect.stringContaining('not an audit entry'),
    });
    expect(await verifyReplayAudit(all.join('\n'))).toMatchObject({ ok: true, entries: lines.length, seal: 'sealed' });
    // The last entry cut and the seal with it: the chain alone verifies; the seal line is what is missing.
    expect(await verifyReplayAudit(lines.slice(0, -1).join('\n'))).toMatchObject({ ok: true, seal: 'none' });
    expect(await verifyReplayAudit([...lines.slice(0, -1), seal].join('\n'))).toMatchObject({ ok: false });
  });
});

describe('baton replay failure paths', () => {
  it('refuses an invalid charter with every problem by path, writing nothing', async () => {
    const r = await replay([RECEIPT, '--charter', join(FIXTURES, 'charters', 'invalid.yaml')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is invalid');
    expect(r.err).toContain('calendars.default.timeZone');
    expect(r.err).toContain('confidence.act');
  });

  it('names a charter that is not YAML, or missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-charter-'));
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'version: [2\n');
    expect((await replay([RECEIPT, '--charter', bad])).err).toContain('is not valid YAML');
    expect((await replay([RECEIPT, '--charter', join(dir, 'nope.yaml')])).err).toMatch(
      /charter .*nope\.yaml: no such file/,
    );
  });

  it('refuses a charter file too big to be a policy before parsing it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-charter-'));
    const big = join(dir, 'big.yaml');
    await writeFile(big, `version: 2\nname: ${'x'.repeat(2 << 20)}\n`);
    const r = await replay([RECEIPT, '--charter', big]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the charter .*big\.yaml: \d+ bytes; a configuration file may hold at most 1048576/);
  });

  it('loads every example charter shipped in examples/charters', async () => {
    const dir = join(import.meta.dirname, '..', '..', '..', '..', 'examples', 'charters');
    const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const charter = await loadCharter(join(dir, name));
      expect(charter.version).toBe(2);
    }
    expect((await loadCharter(CHARTER)).name).toBe('receipt-test');
  });

  it('refuses a misspelt cap instead of running with no cap', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-charter-'));
    const typo = join(dir, 'typo.yaml');
    await writeFile(typo, 'version: "2"\ncaps: { maxNudgesPerCasePerDy: 0 }\n');
    const r = await replay([RECEIPT, '--charter', typo]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('(2 problems)');
    expect(r.err).toContain("version: expected the number 2, got the text '2'");
    expect(r.err).toContain("caps: unknown key 'maxNudgesPerCasePerDy' (did you mean 'maxNudgesPerCasePerDay'?)");
  });

  it('rejects a bad tick, a missing --charter and no inputs as usage errors', async () => {
    expect((await replay([RECEIPT, '--charter', CHARTER, '--tick', 'hourly'])).code).toBe(2);
    expect((await replay([RECEIPT])).code).toBe(2);
    expect((await replay(['--charter', CHARTER])).code).toBe(2);
  });

  it('reports an input with no usable case', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-input-'));
    const empty = join(dir, 'empty.csv');
    await writeFile(empty, 'case:concept:name,concept:name,time:timestamp\nc1,Start,not a time\n');
    const r = await replay([empty, '--charter', CHARTER]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('no cases in');
  });
});
