import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAudit } from '@baton/core';
import { kvs } from '@forge/kvs';
import { describe, expect, it } from 'vitest';
import { IssueStateSchema, ISSUE_STATE_PROPERTY, SuggestionV1Schema, readSuggestion } from '@baton/jira/issue-state';
import type { Suggestion } from '@baton/jira/issue-state';
import { uiResolver } from '../src/index.ts';
import { createBatonStorage, safeKey } from '../src/platform/baton-storage.ts';
import { NOW, invokeResolver, saveCoreCharter, supCharter, ASSIST_ALL } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// Pending suggestions hold core's decision (version 2). Those stored before (version 1: one app
// action, an untyped proposal) are migrated on read; accepting one does in Jira what it did when it
// was stored (fixtures/stored-suggestions, recorded at ca5b24f, see fixtures/SOURCE.md).

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

interface Recorded {
  issueKey: string;
  stored: unknown[];
  property: unknown;
  accepted: { key: string; outcome: unknown; requests: { method: string; path: string; body: unknown }[] }[];
}
const DIR = join(import.meta.dirname, 'fixtures', 'stored-suggestions');
const RECORDED = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Recorded] as const);

const suggestionKey = (issueKey: string, key: string): string => safeKey(safeKey('suggestion:', `${issueKey}:`), key);
const call = (name: string, payload: unknown) => invokeResolver(uiResolver as never, name, payload, 'u-ada');
const writes = () =>
  h.sim.requests
    .filter((q) => q.method !== 'GET' && !q.path.includes('/properties/'))
    .map((q) => ({ method: q.method, path: q.path, body: q.body }));

/** Stores the recorded values exactly as the app stored them (no schema in between), each pending. */
async function restore(r: Recorded): Promise<void> {
  // The issue the recording filed itself (the seed has SUP-1 to SUP-5), as it was filed.
  if (r.issueKey === 'SUP-6')
    h.sim.store.insert({
      key: 'SUP-6',
      summary: 'Refund for a duplicate invoice',
      description: 'We were charged twice.',
      status: 'To Do',
      reporter: 'u-cust',
      created: new Date(NOW - 3_600_000).toISOString(),
    });
  const storage = createBatonStorage();
  for (const s of r.stored) {
    const key = SuggestionV1Schema.parse(s).key;
    await kvs.set(suggestionKey(r.issueKey, key), s as never);
    await storage.setEffect(key, { state: 'suggested', at: NOW });
  }
  h.sim.store.get(r.issueKey).properties.set(ISSUE_STATE_PROPERTY, structuredClone(r.property));
}

describe('suggestions stored before they held core’s decision', () => {
  it('the fixtures are version 1, as stored (no version, one app kind, an untyped proposal)', () => {
    expect(RECORDED.length).toBeGreaterThanOrEqual(7);
    const kinds = new Set(RECORDED.flatMap(([, r]) => r.stored.map((s) => SuggestionV1Schema.parse(s).kind)));
    expect([...kinds].sort()).toEqual(['assign', 'comment', 'escalate', 'nudge', 'setDueDate', 'setField']);
    for (const [, r] of RECORDED) for (const s of r.stored) expect(s).not.toHaveProperty('version');
  });

  for (const [file, r] of RECORDED) {
    it(`${file}: read from storage as core's decision, and Accept does in Jira what it did before`, async () => {
      await saveCoreCharter(supCharter());
      await restore(r);
      const storage = createBatonStorage();
      const listed = await storage.listSuggestions(r.issueKey);
      expect(listed.map((s) => s.key).sort()).toEqual(r.accepted.map((a) => a.key).sort());
      for (const s of listed) {
        const v1 = SuggestionV1Schema.parse(r.stored.find((x) => SuggestionV1Schema.parse(x).key === s.key));
        expect(s).toMatchObject({ version: 2, key: v1.key, summary: v1.summary, createdAt: v1.createdAt });
        expect(s.decision).toMatchObject({
          caseId: r.issueKey,
          id: v1.key,
          idempotencyKey: v1.key,
          reason: v1.reason,
          confidence: v1.confidence,
          disposition: v1.escalation === undefined ? 'suggest' : 'escalate',
        });
        if (v1.pattern !== undefined) expect(s.decision.pattern).toBe(v1.pattern);
        expect(s.decision.actions).toHaveLength(1);
      }
      // The property written with them reads too (its suggestions migrated for the issue it is about).
      const property = IssueStateSchema.safeParse(h.sim.store.get(r.issueKey).properties.get(ISSUE_STATE_PROPERTY));
      expect(property.success).toBe(true);
      expect(property.data?.suggestions.map((s) => s.key).sort()).toEqual(listed.map((s) => s.key).sort());

      for (const a of r.accepted) {
        h.sim.requests.length = 0;
        const answer = await call('answerSuggestion', {
          issueKey: r.issueKey,
          suggestionKey: a.key,
          verdict: 'accept',
        });
        expect(answer).toMatchObject({ ok: true, data: a.outcome });
        expect(writes()).toEqual(a.requests);
      }
      expect(await storage.listSuggestions(r.issueKey)).toEqual([]);
      expect(verifyAudit(await storage.readChain(r.issueKey)).ok).toBe(true);
    });
  }

  it('a version-1 suggestion the router stored without its pattern is the router’s', () => {
    const [, legacy] = RECORDED.find(([f]) => f === 'legacy-no-pattern.json')!;
    const r = readSuggestion(legacy.stored[0], legacy.issueKey);
    expect(r.ok && r.value.decision.pattern).toBe('router');
  });

  it('a stored value of neither shape is refused, naming the field; the others of the issue still list', async () => {
    const [, r] = RECORDED.find(([f]) => f === 'router-due-classify-assist.json')!;
    const broken = { ...(r.stored[0] as object), proposal: {} };
    expect(readSuggestion(broken, r.issueKey)).toEqual({
      ok: false,
      problem: { path: 'proposal', message: "a version-1 'assign' suggestion without what it would do" },
    });
    expect(readSuggestion({ version: 2, key: 'k' }, r.issueKey)).toMatchObject({
      ok: false,
      problem: { path: 'summary' },
    });
    await restore(r);
    const key = SuggestionV1Schema.parse(r.stored[0]).key;
    await kvs.set(suggestionKey(r.issueKey, key), broken as never);
    const listed = await createBatonStorage().listSuggestions(r.issueKey);
    expect(listed.map((s) => s.key).sort()).toEqual(
      r.stored
        .slice(1)
        .map((s) => SuggestionV1Schema.parse(s).key)
        .sort(),
    );
    await expect(createBatonStorage().getSuggestion(r.issueKey, key)).rejects.toThrow(
      new RegExp(`suggestion ${r.issueKey}/${key}: proposal: a version-1 'assign' suggestion`),
    );
  });
});

describe('a suggestion holds every action of core’s decision', () => {
  it('Accept carries out both actions of a two-action decision, once, without asking the gate again', async () => {
    // The charter would now turn the decision down (assign off): the gate decided when it was suggested.
    await saveCoreCharter(
      supCharter({ autonomy: { default: 'off', kinds: { ...ASSIST_ALL, assign: 'off', setField: 'off' } } }),
    );
    const storage = createBatonStorage();
    const suggestion: Suggestion = {
      version: 2,
      key: 'd-two-actions',
      summary: 'Assign to u-linus; Set priority to Highest',
      createdAt: NOW,
      decision: {
        caseId: 'SUP-1',
        pattern: 'router',
        rule: 'router.owner',
        threshold: 'owner:test',
        actions: [
          { kind: 'assign', to: 'u-linus' },
          { kind: 'setField', field: 'priority', value: 'Highest' },
        ],
        reason: 'login issues go to Linus, urgently',
        evidence: [],
        confidence: 0.7,
        risk: 'low',
        at: NOW,
        id: 'd-two-actions',
        idempotencyKey: 'd-two-actions',
        disposition: 'suggest',
        dispositionRule: 'autonomy.assist:assign',
        because: { code: 'autonomy.assist', kind: 'assign' },
      },
    };
    await storage.putSuggestion('SUP-1', suggestion);
    await storage.setEffect(suggestion.key, { state: 'suggested', at: NOW });
    expect((await storage.getSuggestion('SUP-1', suggestion.key))?.decision.actions).toHaveLength(2);

    h.sim.requests.length = 0;
    const r = await call('answerSuggestion', { issueKey: 'SUP-1', suggestionKey: suggestion.key, verdict: 'accept' });
    expect(r).toMatchObject({ ok: true, data: { outcome: 'accepted' } });
    expect(h.sim.store.get('SUP-1')).toMatchObject({ assignee: 'u-linus', priority: 'Highest' });
    expect(writes().map((w) => w.path)).toEqual(['/rest/api/3/issue/SUP-1/assignee', '/rest/api/3/issue/SUP-1']);
    const again = await call('answerSuggestion', {
      issueKey: 'SUP-1',
      suggestionKey: suggestion.key,
      verdict: 'accept',
    });
    expect(again).toMatchObject({ ok: true, data: { outcome: 'not-pending' } });
    const { entries } = await storage.queryAudit({ issueKey: 'SUP-1' });
    expect(entries.map((e) => [e.outcome, e.kind, e.actor]).sort()).toEqual([
      ['accepted', 'assign + setField', 'u-ada'],
      ['executed', 'assign + setField', 'u-ada'],
    ]);
  });
});
