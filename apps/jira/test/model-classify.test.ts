import { idempotencyKey, verifyAudit } from '@baton/core';
import { describe, expect, it, vi } from 'vitest';
import { onIssueEvent, uiResolver } from '../src/index.ts';
import { parseCharterYaml } from '../src/app/charter-yaml.ts';
import { IssueStateSchema, ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { NOW, invokeResolver, saveCoreCharter, supCharter, ASSIST_ALL } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// Issue #5's "where the charter lets a model classify": routing.modelClassify in the app's charter; on a
// routed event the chosen model (Forge LLM here, through core's guard) classifies the listed fields of
// the issue's creation text; its proposals pass the same gate, capped below the act line, marked model-made.

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const RULES = [
  { field: 'priority', label: 'High', keywords: ['invoice', 'refund'] },
  { field: 'labels', label: 'billing', keywords: ['invoice', 'refund'] },
  { field: 'components', label: 'Billing', keywords: ['invoice', 'refund'] },
  { field: 'components', label: 'Payments', keywords: ['card declined'] },
];
const CHARTER = supCharter({
  routing: {
    classify: RULES,
    modelClassify: { enabled: true, fields: ['components'] },
  },
  autonomy: { default: 'off', kinds: { ...ASSIST_ALL, setField: 'automate' } },
});
/** A classification's key: the rule `router.classify`, made by the rules or (`source: 'model'`) by a model. */
const KEY = (field: string, value: string, source: 'rules' | 'model' = 'rules') =>
  idempotencyKey({
    caseId: 'SUP-6',
    pattern: 'router',
    rule: 'router.classify',
    source,
    threshold: `field:${field}=${value}`,
  });
const fileSup6 = () =>
  h.sim.store.insert({
    key: 'SUP-6',
    summary: 'Refund for a duplicate invoice',
    description: 'We were charged twice on the card.',
    status: 'To Do',
    reporter: 'u-cust',
    created: new Date(NOW - 3_600_000).toISOString(),
  });
const created = () => onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-6', { atlassianId: 'u-cust' }));
const useForgeLlm = async () =>
  expect(
    await invokeResolver(uiResolver as never, 'saveModelSettings', { provider: 'forge-llm' }, 'u-grace'),
  ).toMatchObject({ ok: true });
const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const classifyAnswer = (args: unknown) =>
  json(200, {
    usage: { input_tokens: 200, output_tokens: 30 },
    choices: [
      {
        index: 0,
        finish_reason: 'tool_use',
        message: {
          role: 'assistant',
          content: [],
          tool_calls: [
            { id: 't1', type: 'function', index: 0, function: { name: 'classify_intent', arguments: args } },
          ],
        },
      },
    ],
  });
const outcomesOf = (r: unknown) =>
  new Map(
    (r as { result: { outcomes: { key: string; outcome: string }[] } }).result.outcomes.map((o) => [o.key, o.outcome]),
  );
const modelAudit = () =>
  [...h.kvs.kv.entries()].filter(([k]) => k.startsWith('llmaudit:')).map(([, v]) => v.value as Record<string, unknown>);

describe('routing.modelClassify in the charter', () => {
  it("is core's; bad settings are rejected by path", () => {
    const ok = parseCharterYaml(
      'version: 2\nscope: { projects: [SUP] }\nrouting:\n  classify:\n    - { field: components, label: Billing, keywords: [invoice] }\n  modelClassify: { enabled: true, fields: [components] }\n',
    );
    expect(ok.ok && ok.value.routing.modelClassify).toEqual({
      enabled: true,
      fields: ['components'],
    });
    const off = parseCharterYaml('version: 2\nscope: { projects: [SUP] }\n');
    expect(off.ok && off.value.routing.modelClassify).toEqual({ enabled: false, fields: [] });
    const bad = parseCharterYaml(
      'version: 2\nrouting:\n  classify:\n    - { field: components, label: Billing, keywords: [invoice] }\n  modelClassify: { enabled: yes please, fields: [components, status] }\n',
    );
    expect(bad.ok ? [] : bad.issues.map((i) => i.path.join('.'))).toEqual([
      'routing.modelClassify.enabled',
      'routing.modelClassify.fields.1',
    ]);
    const noRules = parseCharterYaml(
      'version: 2\nrouting:\n  classify:\n    - { field: components, label: Billing, keywords: [invoice] }\n  modelClassify: { enabled: true, fields: [labels] }\n',
    );
    expect(noRules.ok ? [] : noRules.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      "routing.modelClassify.fields.0: no labels for 'labels' in routing.classify (the model picks one of the labels the rules name)",
    ]);
    const empty = parseCharterYaml('version: 2\nrouting:\n  modelClassify: { enabled: true }\n');
    expect(empty.ok ? [] : empty.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'routing.modelClassify.fields: expected at least one field for the model to classify (e.g. [components])',
    ]);
  });
});

describe('a model classifies a new issue where the charter lets it', () => {
  it('its component is suggested, never carried out under automate, and marked model-made; the keyword rules fill the other fields', async () => {
    await saveCoreCharter(CHARTER);
    await useForgeLlm();
    fileSup6();
    h.llm.replies.push(
      classifyAnswer({ label: 'Payments', confidence: 0.97, rationale: 'the card was charged twice' }),
    );
    const r = await created();
    const outcomes = outcomesOf(r);
    expect(outcomes.get(KEY('components', 'Payments', 'model'))).toBe('suggested');
    expect(outcomes.has(KEY('components', 'Billing'))).toBe(false);
    expect(outcomes.get(KEY('priority', 'High'))).toBe('executed');
    expect(outcomes.get(KEY('labels', 'billing'))).toBe('executed');
    expect(h.sim.store.get('SUP-6')).toMatchObject({ priority: 'High', labels: ['billing'], components: [] });

    // One call, the listed labels only, the issue's text as quoted data.
    expect(h.llm.sent).toHaveLength(1);
    const sent = JSON.stringify(h.llm.sent[0]?.body);
    expect(sent).toContain('Billing, Payments');
    expect(sent).toContain('Refund for a duplicate invoice');
    expect(modelAudit()).toEqual([
      expect.objectContaining({ purpose: 'classify-intent', provider: 'forge-llm', outcome: 'ok' }),
    ]);

    // The panel shows it with its capped confidence; the audit says who made it.
    const suggestion = IssueStateSchema.parse(
      h.sim.store.get('SUP-6').properties.get(ISSUE_STATE_PROPERTY),
    ).suggestions.find((s) => s.key === KEY('components', 'Payments', 'model'));
    expect(suggestion).toMatchObject({
      summary: 'Add component Payments',
      decision: { reason: expect.stringContaining('model-made: llm:forge-llm'), source: 'model' },
    });
    expect(suggestion?.decision.confidence).toBeLessThan(0.8);
    const storage = createBatonStorage();
    const row = (await storage.queryAudit({ issueKey: 'SUP-6', outcome: 'suggested' })).entries.find(
      (e) => e.decisionKey === KEY('components', 'Payments', 'model'),
    );
    expect(row?.reason).toContain('model-made: llm:forge-llm');
    // Who made it is the row's `source`, beside the rule's own id (no name suffix).
    expect(row).toMatchObject({ rule: 'router.classify', source: 'model' });
    const chain = await storage.readChain('SUP-6');
    const decided = chain
      .map((e) => e.record)
      .find((rec) => rec.type === 'decision' && rec.decision.idempotencyKey === row?.decisionKey);
    expect(decided).toMatchObject({ decision: { rule: 'router.classify', source: 'model', disposition: 'suggest' } });
    expect(verifyAudit(chain).ok).toBe(true);

    // An update re-routes: the cache answers the same creation text, and the keyword rules do not act behind the model's back.
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-6'));
    expect(h.llm.sent).toHaveLength(1);
    expect(h.sim.store.get('SUP-6').components).toEqual([]);
  });

  it('a proposal stays a suggestion even with minConfidenceToAct at 0', async () => {
    await saveCoreCharter({ ...CHARTER, confidence: { act: 0, suggest: 0 } });
    await useForgeLlm();
    fileSup6();
    h.llm.replies.push(classifyAnswer({ label: 'Payments', confidence: 1, rationale: 'card' }));
    const outcomes = outcomesOf(await created());
    expect(outcomes.get(KEY('components', 'Payments', 'model'))).toBe('suggested');
    expect(h.sim.store.get('SUP-6').components).toEqual([]);
  });

  it.each([
    ['a 500', json(500, { code: 'INTERNAL_SERVER_ERROR', message: 'boom' }), 'llm.server_error'],
    [
      'an answer off its labels',
      classifyAnswer({ label: 'Shipping', confidence: 0.9, rationale: 'x' }),
      'llm.schema_invalid',
    ],
  ])('%s: the keyword rules decide as without a model, and the fallback is audited', async (_label, reply, code) => {
    await saveCoreCharter(CHARTER);
    await useForgeLlm();
    fileSup6();
    h.llm.replies.push(reply);
    const outcomes = outcomesOf(await created());
    expect(h.llm.sent).toHaveLength(1);
    expect(outcomes.get(KEY('components', 'Billing'))).toBe('executed');
    expect([...outcomes.keys()].some((k) => k === KEY('components', 'Payments', 'model'))).toBe(false);
    expect(h.sim.store.get('SUP-6')).toMatchObject({ priority: 'High', labels: ['billing'], components: ['Billing'] });
    expect(modelAudit()).toEqual([
      expect.objectContaining({ purpose: 'classify-intent', outcome: 'failed', issues: [code] }),
    ]);
  });

  it('stops asking once the event has under 8 s left: the fields not asked go to the keyword rules, counted as fallbacks', async () => {
    await saveCoreCharter({
      ...CHARTER,
      routing: {
        classify: RULES,
        modelClassify: { enabled: true, fields: ['priority', 'labels', 'components'] },
      },
    });
    await useForgeLlm();
    fileSup6();
    const warned: string[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation((m: unknown) => void warned.push(String(m)));
    // The first answer (priority) takes the invocation down to 7.5 s left, as a slow model would.
    const answer = classifyAnswer({ label: 'High', confidence: 0.9, rationale: 'a refund' });
    h.llm.replies.push(() => {
      h.remainingMs = 7_500;
      return answer();
    });
    h.llm.replies.push(classifyAnswer({ label: 'billing', confidence: 0.9, rationale: 'never asked' }));
    const outcomes = outcomesOf(await created());
    warn.mockRestore();
    expect(h.llm.sent).toHaveLength(1);
    expect(JSON.stringify(h.llm.sent[0]?.body)).toContain("work item's priority");
    expect(outcomes.get(KEY('priority', 'High', 'model'))).toBe('suggested');
    expect(outcomes.get(KEY('labels', 'billing'))).toBe('executed');
    expect(outcomes.get(KEY('components', 'Billing'))).toBe('executed');
    expect(h.sim.store.get('SUP-6')).toMatchObject({ labels: ['billing'], components: ['Billing'] });
    expect(warned.filter((m) => m.startsWith('model classify SUP-6'))).toEqual([
      'model classify SUP-6: 2 of 3 fell back to the keyword rules (llm.timeout)',
    ]);
    // Only the call made is in the model's audit.
    expect(modelAudit()).toEqual([expect.objectContaining({ purpose: 'classify-intent', outcome: 'ok' })]);
  });

  it('no model chosen: nothing is asked and the keyword rules decide', async () => {
    await saveCoreCharter(CHARTER);
    fileSup6();
    const outcomes = outcomesOf(await created());
    expect(h.llm.sent).toEqual([]);
    expect(outcomes.get(KEY('components', 'Billing'))).toBe('executed');
    expect(h.sim.store.get('SUP-6')).toMatchObject({ components: ['Billing'] });
  });

  it('modelClassify off with Forge LLM chosen: nothing is asked', async () => {
    await saveCoreCharter({
      ...CHARTER,
      routing: {
        classify: RULES,
      },
    });
    await useForgeLlm();
    fileSup6();
    const outcomes = outcomesOf(await created());
    expect(h.llm.sent).toEqual([]);
    expect(outcomes.get(KEY('components', 'Billing'))).toBe('executed');
  });
});
