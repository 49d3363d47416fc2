import { describe, expect, it } from 'vitest';
import { kvs } from '@forge/kvs';
import { createBatonStorage, safeKey } from '../src/platform/baton-storage.ts';
import { NOW } from './fixtures.ts';
import { FORGE_KEY_PATTERN, KvsEmulator, MAX_VALUE_BYTES } from './kvs-emulator.ts';
import { MANIFEST, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

/** The harness's KVS holds the app to Forge's documented storage limits (see test/kvs-emulator.ts for the pages). */
describe('the KVS stand-in refuses what Forge refuses', () => {
  const emulator = () => new KvsEmulator(MANIFEST, () => NOW);
  const set = (e: KvsEmulator, key: string, value: unknown, entityName?: string) =>
    e.handle(entityName === undefined ? '/api/v1/set' : '/api/v1/entity/set', {
      key,
      value,
      ...(entityName === undefined ? {} : { entityName }),
    });

  it('keys: Forge pattern and 500 characters', () => {
    const e = emulator();
    expect(set(e, 'effect:SUP-1:stall#abc', 1).status).toBe(204);
    expect(set(e, 'effect:SUP-1~abc', 1).body).toMatchObject({ code: 'INVALID_KEY' });
    expect(set(e, 'a/b', 1).body).toMatchObject({ code: 'INVALID_KEY' });
    expect(set(e, '   ', 1).body).toMatchObject({ code: 'INVALID_KEY' });
    expect(set(e, 'k'.repeat(501), 1).body).toMatchObject({ code: 'KEY_TOO_LONG' });
    expect(e.handle('/api/v1/get', { key: 'a~b' }).body).toMatchObject({ code: 'INVALID_KEY' });
  });

  it('values: 240 KiB and 32 levels deep', () => {
    const e = emulator();
    expect(set(e, 'big', 'x'.repeat(MAX_VALUE_BYTES - 2)).status).toBe(204);
    expect(set(e, 'big', 'x'.repeat(MAX_VALUE_BYTES)).body).toMatchObject({ code: 'MAX_SIZE' });
    let deep: unknown = 1;
    for (let i = 0; i < 33; i++) deep = { d: deep };
    expect(set(e, 'deep', deep).body).toMatchObject({ code: 'MAX_DEPTH' });
  });

  it('entity rows: only attributes the manifest declares, each of its type (integer is 32-bit)', () => {
    const e = emulator();
    expect(set(e, 'SUP-1', { issueKey: 'SUP-1', dueAt: NOW }, 'due').status).toBe(204);
    expect(set(e, 'SUP-1', { issueKey: 'SUP-1', dueAt: NOW, note: 'x' }, 'due').body).toMatchObject({
      code: 'INVALID_ENTITY',
      message: expect.stringMatching(/'note' is not declared/) as unknown,
    });
    expect(set(e, 'SUP-1', { issueKey: 1, dueAt: NOW }, 'due').body).toMatchObject({ code: 'INVALID_ENTITY' });
    const intManifest = new KvsEmulator(new URL('./fixtures/int-entity-manifest.yml', import.meta.url).pathname);
    expect(set(intManifest, 'k1', { n: 2 ** 31 - 1 }, 'counter').status).toBe(204);
    expect(set(intManifest, 'k1', { n: NOW }, 'counter').body).toMatchObject({ code: 'INVALID_ENTITY' });
  });

  it('queries: 1–100 items per page', () => {
    const e = emulator();
    const q = (limit: number) =>
      e.handle('/api/v1/entity/query', { entityName: 'due', indexName: 'by-due', limit }).status;
    expect([q(1), q(100), q(0), q(101), q(500)]).toEqual([200, 200, 400, 400, 400]);
  });

  it('queries: a cursor names the last row, so a delete between pages neither skips nor repeats one', () => {
    type Page = { data: { key: string }[]; cursor?: string };
    const e = emulator();
    for (let i = 0; i < 6; i++) set(e, `audit:${i}`, i);
    const first = e.handle('/api/v1/query', {
      where: [{ property: 'key', condition: 'BEGINS_WITH', values: ['audit:'] }],
      limit: 3,
    }).body as Page;
    expect(first.data.map((r) => r.key)).toEqual(['audit:0', 'audit:1', 'audit:2']);
    // The caller deletes what it has read (as a sweep does), then asks for the next page.
    for (const r of first.data) e.handle('/api/v1/delete', { key: r.key });
    const second = e.handle('/api/v1/query', {
      where: [{ property: 'key', condition: 'BEGINS_WITH', values: ['audit:'] }],
      limit: 3,
      cursor: first.cursor,
    }).body as Page;
    expect(second.data.map((r) => r.key)).toEqual(['audit:3', 'audit:4', 'audit:5']);

    for (let i = 0; i < 5; i++) set(e, `SUP-${i}`, { issueKey: `SUP-${i}`, dueAt: NOW + (5 - i) * 1000 }, 'due');
    const byDue = (cursor?: string) =>
      e.handle('/api/v1/entity/query', {
        entityName: 'due',
        indexName: 'by-due',
        limit: 2,
        sort: 'DESC',
        ...(cursor === undefined ? {} : { cursor }),
      }).body as Page;
    const p1 = byDue();
    expect(p1.data.map((r) => r.key)).toEqual(['SUP-0', 'SUP-1']);
    e.handle('/api/v1/entity/delete', { entityName: 'due', key: 'SUP-0' });
    expect(byDue(p1.cursor).data.map((r) => r.key)).toEqual(['SUP-2', 'SUP-3']);
    expect(e.handle('/api/v1/query', { cursor: 'not-ours' }).body).toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it('transactions: all or nothing, each key once', () => {
    const e = emulator();
    const r = e.handle('/api/v1/transaction', {
      set: [
        { key: 'ok', value: 1 },
        { key: 'bad~key', value: 2 },
      ],
    });
    expect(r.body).toMatchObject({ code: 'INVALID_KEY' });
    expect(e.kv.has('ok')).toBe(false);
    expect(
      e.handle('/api/v1/transaction', { set: [{ key: 'a', value: 1 }], delete: [{ key: 'a' }] }).body,
    ).toMatchObject({ code: 'DUPLICATE_KEY' });
  });
});

describe('the app within those limits', () => {
  let h: ForgeHarness;
  useForgeHarness((started) => {
    h = started;
  });

  it('every key the app builds matches Forge’s pattern, however odd or long the raw part', () => {
    for (const raw of ['SUP-1', 'a~b', 'scope/with slash', 'ü'.repeat(10), 'x'.repeat(300), 'stall:In Progress@1']) {
      const k = safeKey('effect:', raw);
      expect(k).toMatch(FORGE_KEY_PATTERN);
      expect(k.length).toBeLessThanOrEqual(100);
    }
    // Two raw parts that clean to the same text stay two keys.
    expect(safeKey('p:', 'a/b')).not.toBe(safeKey('p:', 'a_b'));
  });

  it('reads the due index page by page: 250 issues due come back whole, each query within 100', async () => {
    const storage = createBatonStorage();
    for (let i = 1; i <= 250; i++) await storage.setDue(`SUP-${i}`, NOW - i);
    h.kvs.calls.length = 0;
    const due = await storage.dueBefore(NOW, 500);
    expect(due).toHaveLength(250);
    expect(due[0]?.issueKey).toBe('SUP-250');
    const queries = h.kvs.calls.filter((c) => c.path === '/api/v1/entity/query');
    expect(queries.map((c) => (c.body as { limit: number }).limit)).toEqual([100, 100, 100]);
  });

  it('writes audit rows the manifest declares, with millisecond times', async () => {
    const storage = createBatonStorage();
    await storage.appendAudit({
      id: 'a1',
      decisionKey: 'd1',
      issueKey: 'SUP-1',
      at: NOW,
      pattern: 'watchdog',
      kind: 'nudge',
      outcome: 'executed',
      reason: 'idle',
      actor: 'app',
      confidence: 0.9,
      chain: { seq: 0, hash: 'h' },
    });
    expect((await storage.queryAudit({ issueKey: 'SUP-1' })).entries.map((e) => e.id)).toEqual(['a1']);
    await expect(kvs.set('odd~key', 1)).rejects.toThrow(/INVALID_KEY|does not match/);
  });
});
