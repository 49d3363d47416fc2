import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { onIssueEvent, uiResolver, watchdogTick } from '../src/index.ts';
import { invokeResolver, saveCoreCharter, supCharter, slaGoal } from './fixtures.ts';
import { issueEvent, MANIFEST, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { find, installUiKitHost } from './ui-kit.ts';

// Issue #5 in the Forge app: the admin picks none (default) or Forge LLM; drafts go through core's
// guarded model (redaction, quoting, schema, grounding, budget, cache, audit) and fall back to the
// rules' text; decisions never ask the model. Forge LLMs are reached the way @forge/llm does it.
const call = (name: string, payload: unknown, who = 'u-grace') =>
  invokeResolver(uiResolver as never, name, payload, who);
const data = <T,>(r: { ok: boolean; data?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.data as T;
};
type Draft = {
  audience: string;
  text: string;
  wording: { source: 'model'; model: string } | { source: 'rules'; fallback?: string[] };
};

const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const toolAnswer = (args: unknown, usage = { input_tokens: 300, output_tokens: 80 }) =>
  json(200, {
    usage,
    choices: [
      {
        index: 0,
        finish_reason: 'tool_use',
        message: {
          role: 'assistant',
          content: [],
          tool_calls: [{ id: 't1', type: 'function', index: 0, function: { name: 'draft_update', arguments: args } }],
        },
      },
    ],
  });

let h: ForgeHarness;
useForgeHarness(async (started) => {
  h = started;
  await saveCoreCharter(supCharter({ slaGoals: [slaGoal('resolve', '3d')] }));
});

const useForgeLlm = async (extra: Record<string, unknown> = {}) =>
  data(await call('saveModelSettings', { provider: 'forge-llm', ...extra }));
const split = (text: string) => {
  const [subject, ...rest] = text.split('\n\n');
  return { subject: subject as string, body: rest.join('\n\n') };
};

describe('model settings', () => {
  it('default none; a site admin picks Forge LLM; anything else is rejected by field; others are refused', async () => {
    expect(data<{ settings: unknown }>(await call('getModelSettings', {})).settings).toEqual({
      provider: 'none',
      model: 'claude-haiku-4-5-20251001',
      dailyTokens: 200_000,
    });
    expect(
      data<{ settings: unknown }>(await call('saveModelSettings', { provider: 'forge-llm', dailyTokens: 50_000 }))
        .settings,
    ).toEqual({
      provider: 'forge-llm',
      model: 'claude-haiku-4-5-20251001',
      dailyTokens: 50_000,
    });
    const openai = await call('saveModelSettings', { provider: 'openai', model: 'gpt-5', dailyTokens: 10 });
    expect(openai).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(
      (openai as unknown as { error: { details: { path: string[] }[] } }).error.details
        .map((d) => d.path.join('.'))
        .sort(),
    ).toEqual(['dailyTokens', 'model', 'provider']);
    expect(await call('saveModelSettings', { provider: 'none' }, 'u-ada')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await call('getModelSettings', {}, 'u-ada')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('declares Forge LLMs and no egress: no data leaves Atlassian', () => {
    const manifest = parse(readFileSync(MANIFEST, 'utf8')) as {
      modules: { llm?: { key: string; model: string[] }[] };
      permissions: Record<string, unknown>;
    };
    expect(manifest.modules.llm).toEqual([{ key: 'baton-llm', model: ['claude'] }]);
    expect(manifest.permissions.external).toBeUndefined();
    // Nothing in the function code may fetch a third party (the openai package, or a raw fetch),
    // except the OpenAI edition's module, which only that edition's build reaches (its bundle is
    // measured in test/bundle.test.ts: the default one carries no openai client).
    const SRC = join(import.meta.dirname, '..', 'src');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) =>
        statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : /\.tsx?$/.test(n) ? [join(dir, n)] : [],
      );
    const importers = files(SRC).filter((f) => /from '(openai|@baton\/llm-openai)'/.test(readFileSync(f, 'utf8')));
    expect(importers.map((f) => f.slice(SRC.length + 1))).toEqual(['editions/openai.ts']);
    for (const f of files(SRC)) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/from '\.\.?\/(editions\/)?openai\.ts'/);
      expect(text, f).not.toMatch(/\bfetch\(\s*['"`]https?:/);
    }
  });

  it('the default edition offers no OpenAI-compatible provider and keeps no key: refused by field, saying where it is', async () => {
    const got = data<{ edition: unknown; key: unknown }>(await call('getModelSettings', {}));
    expect(got.edition).toEqual({ name: 'default', providers: ['none', 'forge-llm'], egress: [] });
    expect(got.key).toEqual({ set: false });
    const openai = await call('saveModelSettings', {
      provider: 'openai-compatible',
      openai: { baseURL: 'https://api.openai.com/v1', model: 'gpt-4o-mini' },
    });
    expect(openai).toMatchObject({ ok: false, error: { code: 'invalid-payload', details: [{ path: ['provider'] }] } });
    expect((openai as { error: { message: string } }).error.message).toMatch(
      /^provider: 'openai-compatible' is not offered by this edition.*declares no egress.*OpenAI edition/,
    );
    const key = await call('setModelKey', { apiKey: 'sk-default-edition-0000' });
    expect(key).toMatchObject({ ok: false, error: { code: 'invalid-payload', details: [{ path: ['apiKey'] }] } });
    expect(JSON.stringify(key)).not.toContain('sk-default-edition-0000');
    expect(h.kvs.secrets.size).toBe(0);
    expect(data<{ settings: unknown }>(await call('getModelSettings', {})).settings).toEqual({
      provider: 'none',
      model: 'claude-haiku-4-5-20251001',
      dailyTokens: 200_000,
    });
  });
});

describe('concierge drafts with the chosen model', () => {
  it('none: the rules word the draft and no model is asked', async () => {
    const d = data<Draft>(await call('draftUpdate', { issueKey: 'SUP-2', audience: 'customer' }, 'u-ada'));
    expect(d.wording).toEqual({ source: 'rules' });
    expect(d.text.length).toBeGreaterThan(0);
    expect(h.llm.sent).toEqual([]);
  });

  it("Forge LLM rewords the rules' draft through the guard: quoted, redacted, marked as model-worded, audited without text", async () => {
    const rules = data<Draft>(await call('draftUpdate', { issueKey: 'SUP-2', audience: 'customer' }, 'u-ada'));
    await useForgeLlm();
    const { subject, body } = split(rules.text);
    h.llm.replies.push(toolAnswer({ subject, body: `Thank you for your patience. ${body}` }));
    const d = data<Draft>(await call('draftUpdate', { issueKey: 'SUP-2', audience: 'customer' }, 'u-ada'));
    expect(d.wording).toEqual({ source: 'model', model: 'claude-haiku-4-5-20251001' });
    expect(d.text).toBe(`${subject}\n\nThank you for your patience. ${body}`);
    expect(h.llm.sent).toHaveLength(1);
    const sent = JSON.stringify(h.llm.sent[0]?.body);
    expect(h.llm.sent[0]?.model).toBe('claude-haiku-4-5-20251001');
    // The model sees the rules' template as quoted data, nothing else of the issue.
    expect(sent).toContain(JSON.stringify(subject).slice(1, -1));
    expect(sent).not.toContain('carla@customer.example');
    const audit = [...h.kvs.kv.entries()]
      .filter(([k]) => k.startsWith('llmaudit:'))
      .map(([, v]) => v.value as Record<string, unknown>);
    expect(audit).toEqual([
      expect.objectContaining({
        purpose: 'draft-update',
        provider: 'forge-llm',
        outcome: 'ok',
        inputTokens: 300,
        outputTokens: 80,
      }),
    ]);
    expect(JSON.stringify(audit)).not.toContain('Thank you for your patience');
    // The same redacted input again is answered from the cache: no second call.
    const again = data<Draft>(await call('draftUpdate', { issueKey: 'SUP-2', audience: 'customer' }, 'u-ada'));
    expect(again.text).toBe(d.text);
    expect(h.llm.sent).toHaveLength(1);
    const usage = data<{ usage: { tokensToday: number; outcomes: Record<string, number> } }>(
      await call('getModelSettings', {}),
    ).usage;
    expect(usage).toEqual({ tokensToday: 380, outcomes: { ok: 1, cache_hit: 1 } });
  });

  it.each([
    ['a 429', json(429, { code: 'RATE_LIMIT_EXCEEDED', message: 'Too many requests' }), 'llm.rate_limited'],
    ['a 500', json(500, { code: 'INTERNAL_SERVER_ERROR', message: 'boom' }), 'llm.server_error'],
    ['an answer off its schema', toolAnswer({ subject: 'Only a subject' }), 'llm.schema_invalid'],
  ])("%s: the rules' draft, marked as a fallback with the reason", async (_label, reply, code) => {
    const rules = data<Draft>(await call('draftUpdate', { issueKey: 'SUP-2', audience: 'customer' }, 'u-ada'));
    await useForgeLlm();
    h.llm.replies.push(reply);
    const d = data<Draft>(await call('draftUpdate', { issueKey: 'SUP-2', audience: 'customer' }, 'u-ada'));
    expect(d.text).toBe(rules.text);
    expect(d.wording).toEqual({ source: 'rules', fallback: [code] });
  });

  it("drops a link the evidence lacks from the model's wording", async () => {
    await useForgeLlm();
    h.llm.replies.push(toolAnswer({ subject: 'Update', body: 'Reset it at https://evil.example/reset today.' }));
    const d = data<Draft>(await call('draftUpdate', { issueKey: 'SUP-2', audience: 'customer' }, 'u-ada'));
    expect(d.wording).toEqual({ source: 'model', model: 'claude-haiku-4-5-20251001' });
    expect(d.text).not.toContain('evil.example');
  });

  it("stops asking once the day's token budget is spent", async () => {
    await useForgeLlm({ dailyTokens: 1_000 });
    h.llm.replies.push(
      toolAnswer({ subject: 'Update', body: 'Work continues.' }, { input_tokens: 900, output_tokens: 100 }),
    );
    await call('draftUpdate', { issueKey: 'SUP-2', audience: 'customer' }, 'u-ada');
    expect(h.llm.sent).toHaveLength(1);
    const d = data<Draft>(await call('draftUpdate', { issueKey: 'SUP-2', audience: 'internal' }, 'u-ada'));
    expect(d.wording).toEqual({ source: 'rules', fallback: ['llm.budget_exhausted'] });
    expect(h.llm.sent).toHaveLength(1);
  });

  it('decisions never ask the model unless the charter lets it classify: events and the watchdog run with Forge LLM chosen and none answering', async () => {
    await useForgeLlm();
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1'));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2'));
    await watchdogTick();
    expect(h.llm.sent).toEqual([]);
    const decided = [...(h.kvs.entities.get('audit')?.values() ?? [])].map(
      (s) => (s.value as { decisionKey: string; outcome: string }).outcome,
    );
    expect(decided.length).toBeGreaterThan(0);
    // Only the draft resolver and the charter's model-classify pre-pass (off in this charter) ask for a
    // model (a static check that the test above cannot miss a path; test/model-classify.test.ts covers the pre-pass).
    const SRC = join(import.meta.dirname, '..', 'src');
    const users = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) =>
        statSync(join(dir, n)).isDirectory()
          ? users(join(dir, n))
          : /\.tsx?$/.test(n) && /models\.wording\(/.test(readFileSync(join(dir, n), 'utf8'))
            ? [n]
            : [],
      );
    expect(users(SRC).sort()).toEqual(['model-classify.ts', 'ui-resolvers.ts']);
  });
});

describe('UI', () => {
  it("the admin picks Forge LLM on the Model tab and sees the day's use", async () => {
    const ui = installUiKitHost({ accountId: 'u-grace', extension: { type: 'jira:adminPage' } });
    const { CharterAdmin } = await import('../src/frontend/admin/charter-admin.tsx');
    await ui.render(<CharterAdmin scope="global" />);
    await ui.settle(() => ui.shown().includes('Today: 0 tokens'), 'the model tab');
    (ui.field('model.provider').props.onChange as (e: unknown) => void)({ target: { value: 'forge-llm' } });
    await ui.settle(() => find(ui.doc(), (d) => d.props.name === 'model.model').length === 1, 'the model choice');
    ui.choose('model.model', 'claude-sonnet-4-5-20250929');
    ui.type('model.dailyTokens', '30000');
    await ui.click('Save model settings');
    await ui.settle(() => ui.shown().includes('Saved: drafts are worded by claude-sonnet-4-5-20250929'), 'the save');
    // The default edition lists no OpenAI-compatible option and says where it is.
    const options = (ui.field('model.provider').props.options as { value: string }[]).map((o) => o.value);
    expect(options).toEqual(['none', 'forge-llm']);
    expect(ui.shown()).toContain("This is Baton's default edition: it declares no egress");
    expect(ui.calls.find((c) => c.name === 'saveModelSettings')?.payload).toEqual({
      provider: 'forge-llm',
      model: 'claude-sonnet-4-5-20250929',
      dailyTokens: 30_000,
    });
  });

  it('the issue panel shows a draft with who worded it, and posts it only after confirmation', async () => {
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-2'));
    const rules = data<Draft>(await call('draftUpdate', { issueKey: 'SUP-2', audience: 'internal' }, 'u-ada'));
    await useForgeLlm();
    const { subject, body } = split(rules.text);
    h.llm.replies.push(toolAnswer({ subject, body: `In short: ${body}` }));
    const ui = installUiKitHost({
      accountId: 'u-ada',
      extension: { type: 'jira:issuePanel', issue: { key: 'SUP-2' } },
    });
    const { IssuePanel } = await import('../src/frontend/issue-panel-view.tsx');
    await ui.render(<IssuePanel />);
    await ui.settle(() => ui.shown().includes('Stakeholder updates'), 'the panel');
    await ui.click('Draft for internal');
    await ui.settle(() => ui.shown().includes('Worded by claude-haiku-4-5-20251001'), 'the draft');
    expect(ui.shown()).toContain(`In short: ${body}`);
    const comments = h.sim.store.get('SUP-2').comments.length;
    await ui.click('Post as comment');
    expect(h.sim.store.get('SUP-2').comments.length).toBe(comments);
    await ui.click('Confirm: post as comment');
    await ui.settle(() => ui.shown().includes('Update posted as a comment.'), 'the post');
    expect(h.sim.store.get('SUP-2').comments.length).toBe(comments + 1);
    // An internal draft stays internal in Service Management; only a customer draft is public.
    expect(h.sim.store.get('SUP-2').comments.at(-1)?.properties.get('sd.public.comment')).toEqual({ internal: true });
  });
});
