import { join } from 'node:path';
import { EgressFilteringService } from '@forge/egress';
import { startOpenAIServer } from '@baton/llm-openai/test-server';
import type { OpenAITestServer, Reply } from '@baton/llm-openai/test-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { onDeclaredHost } from '../src/contracts/model-settings.ts';
import { uiResolver } from '../src/index.ts';
import { invokeResolver, NOW, saveCoreCharter, supCharter, slaGoal } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { openaiEditionDir } from './openai-edition.ts';
import { RESOLVER_TABLE } from './resolver-table.ts';
import { installUiKitHost } from './ui-kit.ts';
import type { ForgeDoc } from './ui-kit.ts';

// Issue #5 in the Forge app's OpenAI edition: the admin picks an OpenAI-compatible provider on the
// Model tab; the key goes to Forge's secret store and never comes back; drafts are worded by the real
// `openai` client through Forge's fetch (the harness enforces the edition manifest's egress and routes
// the declared hosts to the local OpenAI wire-format server) behind core's guard.
vi.mock('../src/edition.ts', () => import('../src/editions/openai.ts'));
const EDITION_MANIFEST = join(openaiEditionDir(), 'manifest.yml');

const KEY = 'sk-baton-test-5f3c1e9a7d2b4c6e8f0a1b2c3d4e5f60';
const AZURE = 'https://baton-test.openai.azure.com/openai/v1';
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
const split = (text: string) => {
  const [subject, ...rest] = text.split('\n\n');
  return { subject: subject as string, body: rest.join('\n\n') };
};

let server: OpenAITestServer;
let replies: Reply[] = [];
beforeAll(async () => {
  server = await startOpenAIServer(
    () => replies.shift() ?? { kind: 'error', status: 503, message: 'no scripted reply' },
  );
});
afterAll(async () => {
  await server.close();
});

let h: ForgeHarness;
useForgeHarness(
  async (started) => {
    h = started;
    replies = [];
    await saveCoreCharter(supCharter({ slaGoals: [slaGoal('resolve', '3d')] }));
    h.egress.routes.push(
      { from: 'https://api.openai.com/v1', to: server.baseURL },
      { from: AZURE, to: server.baseURL },
    );
  },
  { manifest: EDITION_MANIFEST },
);

const useOpenAI = async (openai: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  data(
    await call('saveModelSettings', {
      provider: 'openai-compatible',
      openai: { baseURL: 'https://api.openai.com/v1', model: 'gpt-4o-mini', ...openai },
      ...extra,
    }),
  );
const rulesDraft = async (audience = 'customer') =>
  data<Draft>(await call('draftUpdate', { issueKey: 'SUP-2', audience }, 'u-ada'));
/** Every string a UI Kit tree holds that the browser could show or read (in its props, at any depth). */
function treeValues(d: ForgeDoc | undefined): string {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
    else if (typeof v === 'object' && v !== null && !seen.has(v)) {
      seen.add(v);
      for (const x of Object.values(v)) walk(x);
    }
  };
  walk(d);
  return out.join('\n');
}
const modelRequests = () =>
  h.egress.sent.filter((r) => r.url.includes('/chat/completions') || r.url.includes('/responses'));

describe('OpenAI edition: settings', () => {
  it('offers the OpenAI-compatible provider and refuses a base URL off the declared hosts, naming the field', async () => {
    expect(data<{ edition: unknown }>(await call('getModelSettings', {})).edition).toEqual({
      name: 'openai',
      providers: ['none', 'forge-llm', 'openai-compatible'],
      egress: ['https://api.openai.com', 'https://*.openai.azure.com'],
    });
    for (const baseURL of [
      'https://evil.example/v1',
      'http://api.openai.com/v1',
      'https://openai.azure.com/openai/v1',
      'https://api.openai.com.evil.example/v1',
      'https://api.openai.com:8443/v1',
      'not a url',
    ]) {
      const r = await call('saveModelSettings', {
        provider: 'openai-compatible',
        openai: { baseURL, model: 'gpt-4o-mini' },
      });
      expect(r, baseURL).toMatchObject({
        ok: false,
        error: { code: 'invalid-payload', details: [{ path: ['openai', 'baseURL'] }] },
      });
      expect((r as { error: { message: string } }).error.message).toMatch(
        /^openai\.baseURL: must be an https URL on a host this edition declares \(api\.openai\.com, \*\.openai\.azure\.com\)/,
      );
    }
    expect(await call('saveModelSettings', { provider: 'openai-compatible' })).toMatchObject({
      ok: false,
      error: { details: [{ path: ['openai'] }] },
    });
    expect(
      await call('saveModelSettings', { provider: 'openai-compatible', openai: { baseURL: AZURE, model: '' } }),
    ).toMatchObject({ ok: false, error: { details: [{ path: ['openai', 'model'] }] } });
    // Nothing was saved by the refusals.
    expect(data<{ settings: { provider: string } }>(await call('getModelSettings', {})).settings.provider).toBe('none');
    expect(await useOpenAI({ baseURL: AZURE, model: 'baton-deployment' })).toEqual({
      settings: {
        provider: 'openai-compatible',
        model: 'claude-haiku-4-5-20251001',
        dailyTokens: 200_000,
        openai: { baseURL: AZURE, model: 'baton-deployment', api: 'chat' },
      },
    });
  });

  it("the base URL check agrees with Forge's own egress matcher on the edition manifest", () => {
    const forge = new EgressFilteringService([...h.egress.declared]);
    const urls = [
      'https://api.openai.com/v1',
      AZURE,
      'https://x.y.openai.azure.com/v1',
      'https://openai.azure.com/v1',
      'https://api.openai.com.evil.example/v1',
      'https://evil.example/v1',
      'https://eu.api.openai.com/v1',
    ];
    expect(urls.map((u) => [u, onDeclaredHost(u)])).toEqual(urls.map((u) => [u, forge.isValidUrl(u)]));
    expect(urls.filter(onDeclaredHost)).toEqual([
      'https://api.openai.com/v1',
      AZURE,
      'https://x.y.openai.azure.com/v1',
    ]);
  });

  it('the API key is write-only: kept with kvs.setSecret, answered only as set/when, removed on request', async () => {
    expect(data<{ key: unknown }>(await call('setModelKey', { apiKey: KEY })).key).toEqual({ set: true, setAt: NOW });
    expect([...h.kvs.secrets.values()].map((s) => s.value)).toEqual([KEY]);
    expect(JSON.stringify([...h.kvs.kv.values()])).not.toContain(KEY);
    expect(data<{ key: unknown }>(await call('getModelSettings', {})).key).toEqual({ set: true, setAt: NOW });
    expect(await call('setModelKey', { apiKey: KEY }, 'u-ada')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await call('removeModelKey', {}, 'u-ada')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(h.kvs.secrets.size).toBe(1);
    expect(data<{ key: unknown }>(await call('removeModelKey', {})).key).toEqual({ set: false });
    expect(h.kvs.secrets.size).toBe(0);
    expect(data<{ key: unknown }>(await call('getModelSettings', {})).key).toEqual({ set: false });
  });
});

describe('OpenAI edition: drafts through Forge fetch and the real openai client', () => {
  it('words a draft through api.openai.com: the key only in the Authorization header, the evidence redacted, audited without text', async () => {
    const rules = await rulesDraft();
    await useOpenAI();
    await call('setModelKey', { apiKey: KEY });
    const { subject, body } = split(rules.text);
    replies.push({
      kind: 'json',
      value: { subject, body: `Thank you for your patience. ${body}` },
      model: 'gpt-4o-mini-2024-07-18',
    });
    const d = await rulesDraft();
    expect(d.wording).toEqual({ source: 'model', model: 'gpt-4o-mini-2024-07-18' });
    expect(d.text).toBe(`${subject}\n\nThank you for your patience. ${body}`);
    const [sent, ...more] = modelRequests();
    expect(more).toEqual([]);
    expect(sent).toMatchObject({ url: 'https://api.openai.com/v1/chat/completions', method: 'POST', allowed: true });
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
    const asked = server.requests.at(-1);
    expect(asked?.body).toMatchObject({ model: 'gpt-4o-mini', response_format: { type: 'json_schema' } });
    expect(asked?.user).toContain(JSON.stringify(subject).slice(1, -1));
    expect(asked?.user).not.toContain('carla@customer.example');
    const audit = [...h.kvs.kv.entries()]
      .filter(([k]) => k.startsWith('llmaudit:'))
      .map(([, v]) => v.value as Record<string, unknown>);
    expect(audit).toEqual([
      expect.objectContaining({
        purpose: 'draft-update',
        provider: 'openai-compatible',
        model: 'gpt-4o-mini-2024-07-18',
        outcome: 'ok',
      }),
    ]);
    expect(JSON.stringify(audit)).not.toContain('Thank you for your patience');
  });

  it('words a draft through an Azure OpenAI resource (the wildcard host)', async () => {
    await useOpenAI({ baseURL: AZURE, model: 'baton-deployment' });
    await call('setModelKey', { apiKey: KEY });
    replies.push({ kind: 'json', value: { subject: 'Update on SUP-2', body: 'We are on it.' } });
    const d = await rulesDraft('internal');
    expect(d.wording).toMatchObject({ source: 'model' });
    expect(modelRequests().map((r) => [r.url, r.allowed])).toEqual([[`${AZURE}/chat/completions`, true]]);
  });

  it.each([
    [
      'a 429',
      {
        kind: 'error',
        status: 429,
        code: 'rate_limit_exceeded',
        message: 'Rate limit reached',
        headers: { 'retry-after': '20' },
      } as Reply,
      'llm.rate_limited',
    ],
    ['a 500', { kind: 'error', status: 500, message: 'The server had an error' } as Reply, 'llm.server_error'],
    [
      'a body that is not JSON',
      { kind: 'garbage', body: '<html>502 Bad Gateway</html>' } as Reply,
      'llm.malformed_output',
    ],
    ['an answer off its schema', { kind: 'json', value: { subject: 'Only a subject' } } as Reply, 'llm.schema_invalid'],
  ])("%s: the rules' draft, marked as a fallback with the reason", async (_label, reply, code) => {
    const rules = await rulesDraft();
    await useOpenAI();
    await call('setModelKey', { apiKey: KEY });
    replies.push(reply);
    const d = await rulesDraft();
    expect(d.text).toBe(rules.text);
    expect(d.wording).toEqual({ source: 'rules', fallback: [code] });
    expect(modelRequests()).toHaveLength(1);
  });

  it('with no key stored, nothing is sent and the draft says why', async () => {
    await useOpenAI();
    const d = await rulesDraft();
    expect(d.wording).toEqual({ source: 'rules', fallback: ['llm.unauthorized'] });
    expect(h.egress.sent).toEqual([]);
  });
});

describe('OpenAI edition: the key never leaves the backend', () => {
  it('appears in no resolver answer, UI Kit tree, audit row, KVS value, queued event or log line', async () => {
    const logged: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' '))),
    );
    try {
      const answers: unknown[] = [];
      const ask = async (name: string, payload: unknown, who = 'u-grace') => {
        const r = await call(name, payload, who);
        answers.push(r);
        return r;
      };
      // Through the page: the admin types the key into the write-only field and saves it.
      const ui = installUiKitHost({ accountId: 'u-grace', extension: { type: 'jira:adminPage' } });
      const { CharterAdmin } = await import('../src/frontend/admin/charter-admin.tsx');
      await ui.render(<CharterAdmin scope="global" />);
      await ui.settle(() => ui.shown().includes('Today: 0 tokens'), 'the model tab');
      (ui.field('model.provider').props.onChange as (e: unknown) => void)({ target: { value: 'openai-compatible' } });
      await ui.settle(() => ui.shown().includes('No key is stored yet.'), 'the OpenAI fields');
      ui.type('model.openai.baseURL', 'https://evil.example/v1');
      await ui.click('Save model settings');
      await ui.settle(
        () => ui.shown().includes('openai.baseURL: must be an https URL on a host this edition declares'),
        'the refusal',
      );
      ui.type('model.openai.baseURL', 'https://api.openai.com/v1');
      await ui.click('Save model settings');
      await ui.settle(() => ui.shown().includes('Saved: drafts are worded by gpt-4o-mini'), 'the save');
      ui.type('model.openai.apiKey', KEY);
      await ui.click('Save key');
      await ui.settle(() => ui.shown().includes('A key is stored (set 2026-11-23 12:00 UTC)'), 'the key saved');
      expect(ui.field('model.openai.apiKey').props.value).toBe('');
      expect(ui.field('model.openai.apiKey').props.type).toBe('password');
      const pageTrees = [treeValues(ui.doc())];
      expect(ui.calls.filter((c) => c.name === 'setModelKey').map((c) => c.payload)).toEqual([{ apiKey: KEY }]);

      // A worded draft, then a 401 whose message quotes the key (as OpenAI's does for a wrong key).
      replies.push(
        { kind: 'json', value: { subject: 'Update on SUP-2', body: 'We are on it.' } },
        { kind: 'error', status: 401, code: 'invalid_api_key', message: `Incorrect API key provided: ${KEY}.` },
      );
      expect(await ask('draftUpdate', { issueKey: 'SUP-2', audience: 'internal' }, 'u-ada')).toMatchObject({
        ok: true,
        data: { wording: { source: 'model' } },
      });
      expect(await ask('draftUpdate', { issueKey: 'SUP-2', audience: 'customer' }, 'u-ada')).toMatchObject({
        ok: true,
        data: { wording: { source: 'rules', fallback: ['llm.unauthorized'] } },
      });

      // Every resolver, by its contract table, as someone allowed to call it.
      for (const [name, row] of Object.entries(RESOLVER_TABLE)) {
        if (name === 'removeModelKey' || name === 'saveModelSettings') continue;
        await ask(name, name === 'setModelKey' ? { apiKey: KEY } : row.valid, row.insider);
      }
      expect(answers.length).toBeGreaterThan(Object.keys(RESOLVER_TABLE).length - 2);

      // The issue panel, with the draft shown.
      const panel = installUiKitHost({
        accountId: 'u-ada',
        extension: { type: 'jira:issuePanel', issue: { key: 'SUP-2' } },
      });
      const { IssuePanel } = await import('../src/frontend/issue-panel-view.tsx');
      await panel.render(<IssuePanel />);
      await panel.settle(() => panel.shown().includes('Stakeholder updates'), 'the panel');
      pageTrees.push(treeValues(panel.doc()));

      const kvsValues = JSON.stringify([
        ...h.kvs.kv.entries(),
        ...[...h.kvs.entities.values()].flatMap((m) => [...m.entries()]),
      ]);
      const audit = JSON.stringify(data<unknown>(await call('getAuditLog', { projectKey: 'SUP' })));
      for (const [what, text] of [
        ['resolver answers', JSON.stringify(answers)],
        ['UI Kit trees', pageTrees.join('')],
        ['KVS values and audit rows', kvsValues],
        ['audit log', audit],
        ['queued events', JSON.stringify(h.queued)],
        ['logs', logged.join('\n')],
      ] as const) {
        // Logs may be empty (the app logs nothing on these paths today): the scan guards future lines.
        if (what !== 'logs') expect(text.length, what).toBeGreaterThan(0);
        expect(text.includes(KEY), `${what} contain the key`).toBe(false);
        expect(text.includes(KEY.slice(3, 20)), `${what} contain part of the key`).toBe(false);
      }
      // The key went where it must: to the declared host, in the header, and nowhere else.
      expect(modelRequests().map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
      expect(h.egress.sent.every((r) => r.allowed)).toBe(true);
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });

  it('the Model tab removes the key', async () => {
    await useOpenAI();
    await call('setModelKey', { apiKey: KEY });
    const ui = installUiKitHost({ accountId: 'u-grace', extension: { type: 'jira:adminPage' } });
    const { CharterAdmin } = await import('../src/frontend/admin/charter-admin.tsx');
    await ui.render(<CharterAdmin scope="global" />);
    await ui.settle(() => ui.shown().includes('A key is stored'), 'the key status');
    await ui.click('Remove key');
    await ui.settle(() => ui.shown().includes('No key is stored yet.'), 'the removal');
    expect(h.kvs.secrets.size).toBe(0);
  });
});
