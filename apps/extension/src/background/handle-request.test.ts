import { startJiraSim, supportDeskSeed, adfProblem, adfToText } from '@baton/jira-sim';
import type { JiraSim } from '@baton/jira-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { HandoffPacket } from '@baton/core';
import { packetView, writeIssueState } from '@baton/jira/issue-state';
import type { IssueState } from '@baton/jira/issue-state';
import type { CaseView } from '../messaging/protocol.ts';
import { createLinkStore } from '../settings/links.ts';
import { DEFAULT_SETTINGS } from '../settings/settings.ts';
import type { Settings } from '../settings/settings.ts';
import { createMemoryCacheStore, createMemoryCounterStore } from '@baton/core/llm';
import { startOpenAIServer } from '@baton/llm-openai/test-server';
import type { OpenAITestServer } from '@baton/llm-openai/test-server';
import { createOwnModel, openAIProviderFor } from '../model/own-model.ts';
import { DEFAULT_MODEL_SETTINGS } from '../settings/model-settings.ts';
import type { ModelSettings } from '../settings/model-settings.ts';
import { createRequestHandler, jqlTextQuery, looksLikeJql } from './handle-request.ts';

// The background's request handling against a real local HTTP server that behaves like Jira Cloud.

let sim: JiraSim;
let settings: Settings;
let granted: boolean;
let modelSettings: ModelSettings;
/** Origins the rep did not allow (on top of `granted`). */
let denied: Set<string>;
let now = 1_000;

function handler(fetchImpl: typeof fetch = fetch) {
  return createRequestHandler({
    readSettings: async () => settings,
    hasHostPermission: async (origin) => granted && !denied.has(origin),
    readModelSettings: async () => modelSettings,
    ownModel: (own) =>
      createOwnModel(own, {
        createProvider: (o) => openAIProviderFor(o, fetch),
        now: () => Date.UTC(2026, 10, 23, 12, 0),
        counters: createMemoryCounterStore(),
        cache: createMemoryCacheStore(),
        audit: () => {},
        after: () => new Promise(() => {}),
      }),
    fetch: fetchImpl,
    links: createLinkStore(() => now++),
    openOptions: async () => {},
    now: () => Date.UTC(2026, 10, 23, 12, 0),
    jiraRetry: { sleep: async () => {} },
  });
}

beforeEach(async () => {
  fakeBrowser.reset();
  sim = await startJiraSim({ seed: supportDeskSeed() });
  settings = { ...DEFAULT_SETTINGS, jiraSiteUrl: sim.url };
  granted = true;
  modelSettings = DEFAULT_MODEL_SETTINGS;
  denied = new Set();
});
afterEach(() => sim.close());

const EMAIL = {
  kind: 'email' as const,
  subject: 'Re: Invoice PDF shows the wrong VAT rate [SUP-2]',
  messages: [
    {
      from: { name: 'Carla Customer', email: 'carla@customer.example' },
      date: 'Mon, Nov 23, 2026, 9:41 AM',
      text: 'Any news?\nMonth end is Friday.\n\n<img src=x onerror="alert(1)">',
    },
  ],
  link: 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB',
};

describe('cases.find', () => {
  it('finds issues by key, then by a text search of the subject', async () => {
    const r = await handler()({
      type: 'cases.find',
      pageId: 'gmail:t1',
      keys: ['SUP-2', 'NOPE-9'],
      text: 'Export to CSV times out',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const data = r.data as {
      candidates: { key: string; status: string; assignee: string | null }[];
      linked: string | null;
    };
    expect(data.candidates.map((c) => c.key)).toEqual(['SUP-2', 'SUP-3']);
    expect(data.candidates[0]).toMatchObject({ status: 'In Progress', assignee: 'Ada Lovelace' });
    expect(data.linked).toBeNull();
    const searches = sim.requestsTo('/rest/api/3/search/jql', 'POST');
    // First the shared link (a remote link on any issue), then the subject.
    expect(searches.map((s) => (s.body as { jql: string }).jql)).toEqual([
      'issue in issuesWithRemoteLinksByGlobalId("baton:gmail:t1") ORDER BY updated DESC',
      'text ~ "Export to CSV times out" ORDER BY updated DESC',
    ]);
    expect(searches.every((s) => s.headers['x-atlassian-token'] === 'no-check')).toBe(true);
  });

  const PAGE = { url: 'https://mail.google.com/mail/u/0/#inbox/t1', title: 'Re: VAT' };

  it('links a page for everyone as a Jira remote link, which another browser finds first', async () => {
    const h = handler();
    expect(await h({ type: 'link.set', pageId: 'gmail:t1', key: 'SUP-4', page: PAGE })).toEqual({
      ok: true,
      data: { linked: 'SUP-4', shared: true },
    });
    const links = await (await fetch(`${sim.url}/rest/api/3/issue/SUP-4/remotelink`)).json();
    expect(links).toMatchObject([
      { globalId: 'baton:gmail:t1', object: PAGE, application: { type: 'baton.extension', name: 'Baton' } },
    ]);
    // Another browser: nothing on its device, the link comes from Jira.
    fakeBrowser.reset();
    const r = await handler()({ type: 'cases.find', pageId: 'gmail:t1', keys: ['SUP-2'], text: '' });
    expect(r.ok && (r.data as { linked: string }).linked).toBe('SUP-4');
    expect(r.ok && (r.data as { candidates: { key: string }[] }).candidates.map((c) => c.key)).toEqual([
      'SUP-4',
      'SUP-2',
    ]);
  });

  it('where the site refuses issuesWithRemoteLinksByGlobalId, finds the link on a candidate by Jira’s per-issue lookup', async () => {
    await handler()({ type: 'link.set', pageId: 'gmail:t1', key: 'SUP-3', page: PAGE });
    fakeBrowser.reset();
    // A Jira Cloud site without the function answers the search with 400 (docs/remote-link-lookup.md).
    sim.fail({
      status: 400,
      method: 'POST',
      path: '/rest/api/3/search/jql',
      body: {
        errorMessages: ['Unable to find JQL function \'issuesWithRemoteLinksByGlobalId("baton:gmail:t1")\'.'],
        errors: {},
      },
    });
    const r = await handler()({ type: 'cases.find', pageId: 'gmail:t1', keys: ['SUP-2', 'SUP-3'], text: '' });
    expect(r).toMatchObject({ ok: true, data: { linked: 'SUP-3' } });
    const asked = (key: string) =>
      sim.requestsTo(`/rest/api/3/issue/${key}/remotelink`, 'GET').map((q) => q.query['globalId']);
    expect(asked('SUP-2')).toEqual(['baton:gmail:t1']);
    expect(asked('SUP-3')).toEqual(['baton:gmail:t1']);
  });

  it('relinking moves the remote link; unlinking removes it', async () => {
    const h = handler();
    await h({ type: 'link.set', pageId: 'gmail:t1', key: 'SUP-4', page: PAGE });
    expect(await h({ type: 'link.set', pageId: 'gmail:t1', key: 'SUP-5', page: PAGE })).toMatchObject({
      data: { linked: 'SUP-5', shared: true },
    });
    const on = async (key: string): Promise<unknown[]> =>
      (await (await fetch(`${sim.url}/rest/api/3/issue/${key}/remotelink`)).json()) as unknown[];
    expect(await on('SUP-4')).toEqual([]);
    expect(await on('SUP-5')).toHaveLength(1);
    await h({ type: 'link.set', pageId: 'gmail:t1', key: null, page: PAGE });
    expect(await on('SUP-5')).toEqual([]);
  });

  it('moves a link kept on this device to Jira once, and keeps it here when there is no page to describe', async () => {
    const local = createLinkStore(() => now++);
    await local.set('gmail:t1', 'SUP-4');
    const r = await handler()({ type: 'cases.find', pageId: 'gmail:t1', keys: [], text: '', page: PAGE });
    expect(r.ok && (r.data as { linked: string }).linked).toBe('SUP-4');
    expect(await (await fetch(`${sim.url}/rest/api/3/issue/SUP-4/remotelink`)).json()).toMatchObject([
      { globalId: 'baton:gmail:t1' },
    ]);
    expect(await local.get('gmail:t1')).toBeNull();
    // Without the page's address and title (an older content script), the link stays on this device.
    expect(await handler()({ type: 'link.set', pageId: 'gmail:t2', key: 'SUP-3' })).toMatchObject({
      ok: true,
      data: { linked: 'SUP-3', shared: false },
    });
    expect(await local.get('gmail:t2')).toBe('SUP-3');
  });

  it('says what to do when no Jira site is set, or access was not granted', async () => {
    settings = DEFAULT_SETTINGS;
    expect(await handler()({ type: 'cases.find', pageId: 'p', keys: [], text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not-configured' },
    });
    settings = { ...DEFAULT_SETTINGS, jiraSiteUrl: sim.url };
    granted = false;
    expect(await handler()({ type: 'cases.find', pageId: 'p', keys: [], text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'no-permission' },
    });
    expect(sim.requests).toHaveLength(0);
  });

  it('reports a missing Jira login as such', async () => {
    await sim.close();
    sim = await startJiraSim({ seed: supportDeskSeed(), auth: { sessions: { s1: 'u-ada' } } });
    settings = { ...DEFAULT_SETTINGS, jiraSiteUrl: sim.url };
    const r = await handler()({ type: 'cases.find', pageId: 'p', keys: ['SUP-1'], text: '' });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated', message: expect.stringMatching(/not logged in/) },
    });
  });

  it('reports an unreachable site', async () => {
    const r = await handler(async () => {
      throw new TypeError('Failed to fetch');
    })({ type: 'cases.find', pageId: 'p', keys: ['SUP-1'], text: '' });
    expect(r).toMatchObject({ ok: false, error: { code: 'unreachable' } });
  });

  it('sends every call through @baton/jira with the rep’s session: credentials included, XSRF header on POST /search/jql', async () => {
    const seen: {
      url: string;
      method: string;
      credentials: RequestCredentials | undefined;
      xsrf: string | undefined;
    }[] = [];
    const recording: typeof fetch = (input, init) => {
      const headers = init?.headers as Record<string, string>;
      seen.push({
        url: String(input),
        method: init?.method ?? 'GET',
        credentials: init?.credentials,
        xsrf: headers['X-Atlassian-Token'],
      });
      return fetch(input, init);
    };
    const r = await handler(recording)({ type: 'cases.find', pageId: 'p', keys: ['SUP-2'], text: 'Export to CSV' });
    expect(r.ok).toBe(true);
    expect(seen.map((s) => `${s.method} ${new URL(s.url).pathname}`)).toEqual([
      'POST /rest/api/3/search/jql',
      'GET /rest/api/3/issue/SUP-2',
      'POST /rest/api/3/search/jql',
    ]);
    expect(seen.every((s) => s.credentials === 'include' && s.url.startsWith(sim.url))).toBe(true);
    expect(seen.filter((s) => s.method === 'POST').every((s) => s.xsrf === 'no-check')).toBe(true);
  });

  it('retries a read once after a 5xx, then tells the rep Jira failed', async () => {
    let calls = 0;
    const failing: typeof fetch = async () => {
      calls++;
      return new Response('{"errorMessages":["down for maintenance"]}', { status: 503 });
    };
    const r = await handler(failing)({ type: 'case.view', key: 'SUP-2', audience: 'customer' });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'jira-error', message: expect.stringContaining('down for maintenance') },
    });
    expect(calls).toBe(2);
  });

  it('rejects malformed requests without calling Jira', async () => {
    for (const bad of [
      null,
      { type: 'cases.find' },
      { type: 'case.view', key: 'not a key', audience: 'customer' },
      { type: 'rm -rf' },
    ]) {
      expect(await handler()(bad)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(sim.requests).toHaveLength(0);
  });
});

/** `baton.state` as the Jira app writes it (the shared writer), with the parts a test sets. */
const appState = (issueKey: string, parts: Partial<IssueState>): IssueState =>
  writeIssueState({
    schema: 1,
    issueKey,
    updatedAt: Date.UTC(2026, 10, 23, 11, 0),
    phase: 'active',
    sla: [],
    suggestions: [],
    ready: [],
    recent: [],
    ...parts,
  });
const clock = (goal: string, state: IssueState['sla'][number]['state'], dueAt: number | null) => ({
  goal,
  state,
  targetMs: 16 * 3_600_000,
  elapsedMs: 12 * 3_600_000,
  dueAt,
});

describe('case.view', () => {
  it('reads the packet and SLA the Jira app stored in baton.state', async () => {
    const written = appState('SUP-2', {
      sla: [clock('Resolve in 2 business days', 'at-risk', Date.UTC(2026, 10, 24, 17, 0))],
      packet: {
        summary: 'Customer needs a corrected October invoice.',
        decisions: ['Reissue the invoice rather than credit it'],
        openQuestions: ['Which VAT rate applies to the add-on?'],
        links: [{ title: 'Tax table', url: 'https://wiki.example/tax' }],
        nextOwner: 'Ada Lovelace',
        definitionOfReady: [{ item: 'Invoice number', present: true }],
        risks: [],
      },
    });
    // A field a later app version adds does not stop this reader.
    sim.store.setProperty('SUP-2', 'baton.state', { ...written, packet: { ...written.packet, somethingNew: 42 } });
    const r = await handler()({ type: 'case.view', key: 'SUP-2', audience: 'internal' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.data as CaseView;
    expect(v.packet).toMatchObject({
      source: 'jira-app',
      decisions: ['Reissue the invoice rather than credit it'],
      nextOwner: 'Ada Lovelace',
    });
    expect(v.sla).toEqual({
      state: 'at-risk',
      label: 'At risk · Resolve in 2 business days · due 2026-11-24T17:00:00.000Z',
      dueAt: '2026-11-24T17:00:00.000Z',
    });
    expect(v.drafts[0]!.text).toContain('SLA: at-risk');
    expect(v.case.url).toBe(`${sim.url}/browse/SUP-2`);
  });

  it('shows the packet view the Jira app stored (core packetView), with display names for account ids', async () => {
    const stored: HandoffPacket = {
      version: 1,
      caseId: 'SUP-4',
      title: 'SSO metadata rotated, staff locked out',
      asOf: Date.UTC(2026, 10, 23, 10, 0),
      state: 'In Progress',
      phase: 'active',
      owner: 'u-linus',
      summary: { text: 'Stored by the app: u-linus is rotating the IdP certificate.', source: 'rules' },
      facts: {
        openedAt: null,
        reporter: 'u-ada',
        comments: 0,
        handoffs: 1,
        statusChases: 0,
        lastActivityAt: null,
        due: null,
      },
      decisions: [{ text: 'Roll back to the old metadata', by: 'u-grace', at: null, evidence: 'comment-1' }],
      openQuestions: [],
      commitments: [],
      links: [{ kind: 'issue', target: 'SUP-1', evidence: 'description' }],
      stakeholders: [],
      risks: [{ code: 'sla', severity: 'high', message: 'u-linus is past the SLA', evidence: [] }],
      nextOwner: { who: 'u-linus', basis: 'owner', reason: 'the current owner' },
      readiness: {
        state: 'In Progress',
        ready: false,
        items: [{ requirement: 'IdP certificate', status: 'missing', detail: 'ask u-grace' }],
      },
      trimmed: [],
    };
    // What the app writes: the packet view of its packet, in the one baton.state schema.
    sim.store.setProperty(
      'SUP-4',
      'baton.state',
      writeIssueState({
        ...appState('SUP-4', { sla: [clock('Resolve in 2 business days', 'breached', Date.UTC(2026, 10, 22, 17, 0))] }),
        packet: packetView(stored),
      }),
    );
    const r = await handler()({ type: 'case.view', key: 'SUP-4', audience: 'internal' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.data as CaseView;
    expect(v.packet).toMatchObject({
      source: 'jira-app',
      summary: 'Stored by the app: Linus Pauling is rotating the IdP certificate.',
      decisions: ['Roll back to the old metadata'],
      links: [{ title: 'SUP-1', url: `${sim.url}/browse/SUP-1` }],
      nextOwner: 'Linus Pauling',
      definitionOfReady: [{ item: 'IdP certificate', present: false }],
      risks: ['Linus Pauling is past the SLA'],
    });
    expect(v.sla).toMatchObject({
      state: 'breached',
      label: 'Breached · Resolve in 2 business days · due 2026-11-22T17:00:00.000Z',
    });
  });

  it('reads the Forge app’s issue state: the clock closest to trouble, and its definition of ready', async () => {
    sim.store.setProperty('SUP-3', 'baton.state', {
      schema: 1,
      issueKey: 'SUP-3',
      updatedAt: Date.UTC(2026, 10, 23, 11, 0),
      phase: 'waiting',
      sla: [
        {
          goal: 'First response 4h',
          state: 'on-track',
          targetMs: 1,
          elapsedMs: 0,
          dueAt: Date.UTC(2026, 10, 23, 16, 0),
        },
        {
          goal: 'Resolve 3 business days',
          state: 'at-risk',
          targetMs: 1,
          elapsedMs: 0,
          dueAt: Date.UTC(2026, 10, 24, 17, 0),
        },
      ],
      suggestions: [],
      ready: [{ item: 'Report id', present: true }],
      recent: [],
    });
    const r = await handler()({ type: 'case.view', key: 'SUP-3', audience: 'internal' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.data as CaseView;
    expect(v.sla).toEqual({
      state: 'at-risk',
      label: 'At risk · Resolve 3 business days · due 2026-11-24T17:00:00.000Z',
      dueAt: '2026-11-24T17:00:00.000Z',
    });
    expect(v.packet.definitionOfReady).toEqual([{ item: 'Report id', present: true }]);
    expect(v.packet.source).toBe('browser');
  });

  it('derives a packet from the issue when the app stored none, and says so', async () => {
    const r = await handler()({ type: 'case.view', key: 'SUP-3', audience: 'customer' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.data as CaseView;
    expect(v.packet.source).toBe('browser');
    expect(v.packet.openQuestions).toEqual(['Could you send the report id that fails?']);
    expect(v.sla).toBeNull();
    // Core's concierge: the customer hears what is needed from them, framed by the rep's presets, and no internal names.
    expect(v.drafts[0]!.text).toMatch(/^Hello,\n\nUpdate on your request SUP-3\./);
    expect(v.drafts[0]!.text).toContain('What we need from you');
    expect(v.drafts[0]!.text).toMatch(/Kind regards,$/);
    expect(v.drafts[0]!.text).not.toContain('Grace');
    expect(v.packet.summary).toContain('owned by Grace Hopper');
    expect(v.packet.nextOwner).toBe('Carla Customer');
  });

  it('drafts for the audience the rep picks: core’s internal and executive updates, with the rep’s presets', async () => {
    const internal = await handler()({ type: 'case.view', key: 'SUP-3', audience: 'internal' });
    const executive = await handler()({ type: 'case.view', key: 'SUP-3', audience: 'executive' });
    if (!internal.ok || !executive.ok) throw new Error('case.view failed');
    const [i, e] = [(internal.data as CaseView).drafts[0]!, (executive.data as CaseView).drafts[0]!];
    expect(i.audience).toBe('internal');
    expect(i.text).toMatch(/^Hi team,\n\nSUP-3 — /);
    expect(i.text).toContain('Next: Carla Customer');
    expect(e.audience).toBe('executive');
    expect(e.text).toMatch(/^Hi,\n\nSUP-3 /);
    expect(e.text).toContain('owns the next step');
    expect(e.text).toMatch(/Best regards,$/);
  });

  it('passes a 404 on as not-found', async () => {
    expect(await handler()({ type: 'case.view', key: 'SUP-999', audience: 'customer' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });
});

describe('case.view with the rep’s own model', () => {
  const KEY = 'sk-rep-own-key-abcdefghijklmnopqrstuv';
  let llm: OpenAITestServer;
  beforeEach(async () => {
    // Answers by purpose (the structured output's schema name): the two asks run in parallel.
    llm = await startOpenAIServer((r) =>
      (r.body.response_format as { json_schema: { name: string } }).json_schema.name === 'draft_update'
        ? { kind: 'json', value: { subject: 'Your request SUP-2', body: 'We are on it and will write again soon.' } }
        : { kind: 'json', value: { summary: 'Worded summary.', evidenceIds: [] } },
    );
    modelSettings = {
      provider: 'openai-compatible',
      ownModel: { baseUrl: llm.baseURL, model: 'gpt-local', apiKey: KEY },
    };
  });
  afterEach(() => llm.close());

  it('answers case.view with the rules’ view marked pending, then case.word with the model’s wording; no answer carries the key', async () => {
    const h = handler();
    const first = await h({ type: 'case.view', key: 'SUP-2', audience: 'customer' });
    expect(first.ok).toBe(true);
    const rules = (first as { data: CaseView }).data;
    expect(rules.drafts[0]!.wording).toEqual({ by: 'pending' });
    expect(rules.packet.summaryWording).toEqual({ by: 'pending' });
    expect(llm.requests).toHaveLength(0);
    const jiraReads = sim.requests.length;

    const second = await h({ type: 'case.word', key: 'SUP-2', audience: 'customer' });
    const v = (second as { data: CaseView }).data;
    expect(v.drafts[0]!.wording).toMatchObject({ by: 'model' });
    expect(v.drafts[0]!.text).toContain('We are on it and will write again soon.');
    expect(v.packet).toMatchObject({ summary: 'Worded summary.', summaryWording: { by: 'model' } });
    expect(llm.requests.length).toBe(2);
    // The rules' view came from memory: Jira was not read again.
    expect(sim.requests.length).toBe(jiraReads);
    for (const r of [first, second]) {
      expect(JSON.stringify(r)).not.toContain(KEY);
      expect(JSON.stringify(r)).not.toContain('sk-rep');
    }
  });

  it('tests the rep’s model with a sample draft that carries no case data', async () => {
    expect(await handler()({ type: 'model.test' })).toEqual({
      ok: true,
      data: { by: 'model', model: 'gpt-local-2026-01-01' },
    });
    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0]!.user).toContain('Our team is working on your request');
    expect(sim.requests).toHaveLength(0);
    denied.add(new URL(llm.baseURL).origin);
    expect(await handler()({ type: 'model.test' })).toMatchObject({
      ok: true,
      data: { by: 'rules', reason: expect.stringContaining('may not contact') },
    });
    modelSettings = DEFAULT_MODEL_SETTINGS;
    expect(await handler()({ type: 'model.test' })).toMatchObject({ ok: false, error: { code: 'not-configured' } });
    expect(llm.requests).toHaveLength(1);
  });

  it('words a case it has not shown yet by reading Jira first', async () => {
    const r = await handler()({ type: 'case.word', key: 'SUP-3', audience: 'internal' });
    expect(r.ok && (r.data as CaseView).drafts[0]!.wording).toMatchObject({ by: 'model' });
    expect(sim.requestsTo('/rest/api/3/issue/SUP-3', 'GET')).toHaveLength(1);
  });

  it('calls no model when the rep chose none, or the built-in one', async () => {
    for (const provider of ['none', 'chrome-built-in'] as const) {
      modelSettings = { ...modelSettings, provider };
      for (const type of ['case.view', 'case.word'] as const) {
        const r = await handler()({ type, key: 'SUP-2', audience: 'customer' });
        expect(r.ok && (r.data as CaseView).drafts[0]!.wording).toBeUndefined();
      }
    }
    expect(llm.requests).toHaveLength(0);
  });

  it('keeps the rules’ draft and says so when the provider’s origin was not allowed', async () => {
    denied.add(new URL(llm.baseURL).origin);
    for (const type of ['case.view', 'case.word'] as const) {
      const r = await handler()({ type, key: 'SUP-2', audience: 'customer' });
      expect(r.ok && (r.data as CaseView).drafts[0]!.wording).toEqual({
        by: 'rules',
        reason: expect.stringContaining(`may not contact ${new URL(llm.baseURL).origin}`),
      });
    }
    expect(llm.requests).toHaveLength(0);
  });
});

describe('jira.log', () => {
  it('adds the email as an ADF comment, with the XSRF header, under the rep’s session', async () => {
    await sim.close();
    sim = await startJiraSim({ seed: supportDeskSeed(), auth: { sessions: { s1: 'u-ada' } } });
    settings = { ...DEFAULT_SETTINGS, jiraSiteUrl: sim.url };
    // Node's fetch ignores `credentials`; the browser would send the cookie itself.
    const withCookie: typeof fetch = (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), cookie: 'tenant.session.token=s1' },
      });
    const r = await handler(withCookie)({ type: 'jira.log', key: 'SUP-2', entry: EMAIL, visibility: 'internal' });
    expect(r).toMatchObject({
      ok: true,
      data: { url: expect.stringContaining(`${sim.url}/browse/SUP-2?focusedCommentId=`) },
    });
    const post = sim.requestsTo('/rest/api/3/issue/SUP-2/comment', 'POST')[0]!;
    expect(post.status).toBe(201);
    expect(post.actor).toBe('u-ada');
    expect(post.headers['x-atlassian-token']).toBe('no-check');
    const body = (post.body as { body: unknown }).body;
    expect(adfProblem(body)).toBeUndefined();
    const text = adfToText(body);
    expect(text).toContain('From: Carla Customer <carla@customer.example>');
    expect(text).toContain('<img src=x onerror="alert(1)">');
    // Internal: in Service Management the customer does not see it.
    expect((post.body as { properties?: unknown }).properties).toEqual([
      { key: 'sd.public.comment', value: { internal: true } },
    ]);
    const stored = sim.store.get('SUP-2').comments.at(-1)!;
    expect(stored.properties.get('sd.public.comment')).toEqual({ internal: true });
  });

  it('a public comment carries no internal property, and a request without a visibility is refused', async () => {
    await sim.close();
    sim = await startJiraSim({ seed: supportDeskSeed(), auth: { sessions: { s1: 'u-ada' } } });
    settings = { ...DEFAULT_SETTINGS, jiraSiteUrl: sim.url };
    const withCookie: typeof fetch = (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), cookie: 'tenant.session.token=s1' },
      });
    expect(
      await handler(withCookie)({ type: 'jira.log', key: 'SUP-2', entry: EMAIL, visibility: 'public' }),
    ).toMatchObject({ ok: true });
    const post = sim.requestsTo('/rest/api/3/issue/SUP-2/comment', 'POST')[0]!;
    expect((post.body as { properties?: unknown }).properties).toBeUndefined();
    expect(await handler(withCookie)({ type: 'jira.log', key: 'SUP-2', entry: EMAIL })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
  });

  it('without the XSRF header Jira would refuse: the sim proves the header matters', async () => {
    await sim.close();
    sim = await startJiraSim({ seed: supportDeskSeed(), auth: { sessions: { s1: 'u-ada' } } });
    settings = { ...DEFAULT_SETTINGS, jiraSiteUrl: sim.url };
    const stripped: typeof fetch = (input, init) => {
      const headers: Record<string, string> = {
        ...(init?.headers as Record<string, string>),
        cookie: 'tenant.session.token=s1',
      };
      delete headers['X-Atlassian-Token'];
      return fetch(input, { ...init, headers });
    };
    expect(
      await handler(stripped)({ type: 'jira.log', key: 'SUP-2', entry: EMAIL, visibility: 'internal' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});

describe('jira.search, jira.options, jira.transition, jira.assign, jira.create', () => {
  const PAGE = { url: 'https://mail.google.com/mail/u/0/#inbox/t9', title: 'Re: VAT' };
  it('searches by words or by JQL, and passes on what Jira says about a bad query', async () => {
    const keys = async (query: string) => {
      const r = await handler()({ type: 'jira.search', query });
      return r.ok ? (r.data as { candidates: { key: string }[] }).candidates.map((c) => c.key) : r.error;
    };
    expect(await keys('large reports')).toEqual(['SUP-3']);
    expect(await keys('project = SUP AND summary ~ "billing page"')).toEqual(['SUP-5']);
    expect(await keys('status = ')).toMatchObject({
      code: 'jira-error',
      message: expect.stringContaining('Jira says'),
    });
    expect(looksLikeJql('assignee = currentUser() ORDER BY updated')).toBe(true);
    expect(looksLikeJql('invoice is wrong')).toBe(true);
    expect(looksLikeJql('invoice wrong VAT')).toBe(false);
  });

  it('creates an issue with the page as its first, internal comment, and links the page; a bad field is named', async () => {
    const h = handler();
    const entry = {
      kind: 'email' as const,
      subject: 'VAT',
      messages: [{ from: { name: 'Carla', email: 'c@x' }, date: 'today', text: 'Wrong VAT.' }],
      link: PAGE.url,
    };
    const bad = await h({
      type: 'jira.create',
      project: 'NOPE',
      issueType: 'Task',
      summary: 'x',
      description: '',
      pageId: 'gmail:t9',
      page: PAGE,
      entry,
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'jira-error', message: expect.stringContaining('Specify a valid project ID or key') },
    });
    const r = await h({
      type: 'jira.create',
      project: 'SUP',
      issueType: 'Task',
      summary: 'Credit note',
      description: 'Line one\n\nLine three',
      pageId: 'gmail:t9',
      page: PAGE,
      entry,
    });
    expect(r).toMatchObject({ ok: true, data: { linked: true } });
    const key = r.ok ? (r.data as { key: string }).key : '';
    const issue = sim.store.get(key);
    expect(adfToText(issue.description)).toContain('Line three');
    expect(adfToText(issue.comments[0]!.body)).toContain('Wrong VAT.');
    expect(issue.comments[0]!.properties.get('sd.public.comment')).toEqual({ internal: true });
  });

  it('lists the transitions and assignable people, then transitions and assigns as the rep', async () => {
    const h = handler();
    const o = await h({ type: 'jira.options', key: 'SUP-2' });
    expect(o).toMatchObject({
      ok: true,
      data: { transitions: expect.arrayContaining([{ id: '41', name: 'Resolve' }]) },
    });
    expect(o.ok && (o.data as { assignees: { accountId: string }[] }).assignees.map((a) => a.accountId)).toContain(
      'u-grace',
    );
    expect(await h({ type: 'jira.transition', key: 'SUP-2', transitionId: '41' })).toEqual({
      ok: true,
      data: { key: 'SUP-2' },
    });
    expect(await h({ type: 'jira.assign', key: 'SUP-2', accountId: 'u-grace' })).toEqual({
      ok: true,
      data: { key: 'SUP-2' },
    });
    expect(await h({ type: 'jira.assign', key: 'SUP-2', accountId: 'u-nobody' })).toMatchObject({ ok: false });
    expect(sim.store.get('SUP-2').assignee).toBe('u-grace');
  });
});

describe('panel.side', () => {
  it('remembers the docked side per site, right by default', async () => {
    const h = handler();
    expect(await h({ type: 'panel.side', site: 'gmail' })).toEqual({ ok: true, data: { side: 'right' } });
    expect(await h({ type: 'panel.side', site: 'gmail', side: 'left' })).toEqual({ ok: true, data: { side: 'left' } });
    expect(await h({ type: 'panel.side', site: 'gmail' })).toEqual({ ok: true, data: { side: 'left' } });
    expect(await h({ type: 'panel.side', site: 'salesforce' })).toEqual({ ok: true, data: { side: 'right' } });
    expect(await h({ type: 'panel.side', site: 'gmail', side: 'up' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
  });
});

describe('jqlTextQuery', () => {
  it('quotes a subject as plain words', () => {
    expect(jqlTextQuery('Invoice "PDF" [SUP-2]: wrong*')).toBe(
      'text ~ "Invoice PDF SUP 2 wrong" ORDER BY updated DESC',
    );
    expect(jqlTextQuery(' ?! ')).toBe('');
  });
});
