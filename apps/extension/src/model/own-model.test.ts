import { createMemoryCacheStore } from '@baton/core/llm';
import type { LlmAuditRecord } from '@baton/core/llm';
import { startOpenAIServer } from '@baton/llm-openai/test-server';
import type { OpenAITestServer, RecordedRequest, Reply } from '@baton/llm-openai/test-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CaseView } from '../messaging/protocol.ts';
import type { OwnModel } from '../settings/model-settings.ts';
import {
  OWN_MODEL_DAILY_TOKENS,
  createStorageAuditSink,
  createStorageCounterStore,
  llmAuditItem,
  llmCountersItem,
  readModelUse,
} from './model-stores.ts';
import { createOwnModel, frameDraft, openAIProviderFor, unframeDraft, wordCaseView } from './own-model.ts';

// The rep's own model as the background runs it: core's guard around the real openai client,
// talking to a local server that speaks the OpenAI chat-completions wire format.

const KEY = 'sk-rep-own-key-1234567890abcdefghij';
const PRESET = { greeting: 'Hello Carla,', signOff: 'Kind regards,\nRita (rita@vendor.example)' };
const BODY = 'Update on your request SUP-2. Ask carla@customer.example to confirm the invoice number.';

const VIEW: CaseView = {
  case: {
    key: 'SUP-2',
    summary: 'Invoice PDF shows the wrong VAT rate',
    status: 'In Progress',
    statusCategory: 'indeterminate',
    assignee: 'Ada Lovelace',
    url: 'https://acme.atlassian.net/browse/SUP-2',
  },
  packet: {
    summary: 'Customer needs a corrected October invoice.',
    decisions: ['Reissue the invoice rather than credit it (Ada Lovelace)'],
    openQuestions: ['Does the reduced rate apply to the add-on? Reply to carla@customer.example'],
    links: [{ title: 'VAT table', url: 'https://wiki.example/vat' }],
    nextOwner: 'Ada Lovelace',
    definitionOfReady: [{ item: 'Invoice number', present: true }],
    risks: [],
    source: 'jira-app',
  },
  sla: null,
  drafts: [
    { audience: 'customer', subject: 'Re: Invoice PDF shows the wrong VAT rate', text: frameDraft(BODY, PRESET) },
  ],
};

/** A model that answers by purpose (the structured output's schema name), like the e2e's. */
function byPurpose(draft: Reply, summary: Reply): (r: RecordedRequest) => Reply {
  return (r) =>
    (r.body.response_format as { json_schema: { name: string } }).json_schema.name === 'draft_update' ? draft : summary;
}

let server: OpenAITestServer | undefined;
let audit: LlmAuditRecord[];
beforeEach(() => {
  fakeBrowser.reset();
  audit = [];
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function modelFor(respond: (r: RecordedRequest) => Reply) {
  server = await startOpenAIServer(respond);
  const own: OwnModel = { baseUrl: server.baseURL, model: 'gpt-local', apiKey: KEY };
  const sink = createStorageAuditSink();
  return createOwnModel(own, {
    createProvider: (o) => openAIProviderFor(o, fetch),
    now: () => Date.UTC(2026, 10, 30, 9),
    counters: createStorageCounterStore(),
    cache: createMemoryCacheStore(),
    audit: async (r) => {
      audit.push(r);
      await sink(r);
    },
    after: () => new Promise(() => {}),
  });
}

const WORDED_DRAFT: Reply = {
  kind: 'json',
  value: {
    subject: 'Your corrected invoice',
    body: 'Good news on SUP-2: we are reissuing the invoice. Please confirm the invoice number.',
  },
};
const WORDED_SUMMARY: Reply = {
  kind: 'json',
  value: {
    summary: 'The October invoice is being reissued at the reduced rate; whether the add-on qualifies is still open.',
    evidenceIds: ['decision-1'],
  },
};

describe('wordCaseView with the rep’s own model', () => {
  it('rewords the draft and the summary, marks them as the model’s, and keeps the rep’s greeting and sign-off', async () => {
    const model = await modelFor(byPurpose(WORDED_DRAFT, WORDED_SUMMARY));
    const v = await wordCaseView(VIEW, model, PRESET);
    const draft = v.drafts[0]!;
    expect(draft.wording).toEqual({ by: 'model', model: 'gpt-local-2026-01-01' });
    expect(draft.subject).toBe('Your corrected invoice');
    expect(draft.text).toBe(
      frameDraft('Good news on SUP-2: we are reissuing the invoice. Please confirm the invoice number.', PRESET),
    );
    expect(v.packet.summary).toMatch(/^The October invoice is being reissued/);
    expect(v.packet.summaryWording).toEqual({ by: 'model', model: 'gpt-local-2026-01-01' });
    // Facts other than the two texts are the rules' own.
    expect({ ...v.packet, summary: '', summaryWording: undefined }).toEqual({ ...VIEW.packet, summary: '' });
    expect(v.case).toEqual(VIEW.case);
  });

  it('sends redacted text only: no email address, no sign-off; the key only in the Authorization header', async () => {
    const model = await modelFor(byPurpose(WORDED_DRAFT, WORDED_SUMMARY));
    await wordCaseView(VIEW, model, PRESET);
    expect(server!.requests).toHaveLength(2);
    for (const r of server!.requests) {
      const sent = JSON.stringify(r.body);
      expect(sent).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/);
      expect(sent).toContain('[[EMAIL_1]]');
      expect(sent).not.toContain('Kind regards');
      expect(sent).not.toContain(KEY);
      expect(r.headers.authorization).toBe(`Bearer ${KEY}`);
    }
    // Audit lines in storage.local: digests and counts, no text, no key.
    const stored = JSON.stringify(await llmAuditItem.getValue());
    expect(audit.map((a) => a.outcome)).toEqual(['ok', 'ok']);
    expect(stored).not.toContain(KEY);
    expect(stored).not.toContain('carla@');
    expect(stored).not.toContain('invoice');
  });

  it('drops a link the model made up (grounding) and keeps the rest of its wording', async () => {
    const injected: Reply = {
      kind: 'json',
      value: { subject: 'Invoice', body: 'We are reissuing the invoice. Pay here: https://evil.example/pay' },
    };
    const model = await modelFor(byPurpose(injected, WORDED_SUMMARY));
    const v = await wordCaseView(VIEW, model, PRESET);
    expect(v.drafts[0]!.text).not.toContain('evil.example');
    expect(v.drafts[0]!.text).toContain('We are reissuing the invoice.');
    expect(audit.find((a) => a.purpose === 'draft-update')?.dropped).toBe(1);
  });

  it.each<[string, Reply, RegExp]>([
    ['a 500', { kind: 'error', status: 500 }, /your model server failed/],
    [
      'a refused key',
      { kind: 'error', status: 401, message: `Incorrect API key provided: ${KEY}` },
      /refused the API key/,
    ],
    ['an answer in the wrong shape', { kind: 'json', value: { words: 'x' } }, /not in the expected form/],
  ])('shows the rules’ draft and says why on %s', async (_label, reply, reason) => {
    const model = await modelFor(() => reply);
    const v = await wordCaseView(VIEW, model, PRESET);
    expect(v.drafts[0]).toEqual({ ...VIEW.drafts[0], wording: { by: 'rules', reason: expect.stringMatching(reason) } });
    expect(v.packet.summary).toBe(VIEW.packet.summary);
    expect(v.packet.summaryWording).toMatchObject({ by: 'rules' });
    expect(JSON.stringify(v)).not.toContain(KEY);
  });

  it('stops at the daily budget without calling the provider', async () => {
    await llmCountersItem.setValue({ 'llm:tokens:extension:day:2026-11-30': OWN_MODEL_DAILY_TOKENS });
    const model = await modelFor(byPurpose(WORDED_DRAFT, WORDED_SUMMARY));
    const v = await wordCaseView(VIEW, model, PRESET);
    expect(server!.requests).toHaveLength(0);
    expect(v.drafts[0]!.wording).toEqual({
      by: 'rules',
      reason: "Worded by the rules: today's model budget in Baton is used up.",
    });
  });

  it('tells the options page today’s tokens and the latest calls, without any text', async () => {
    const model = await modelFor(byPurpose(WORDED_DRAFT, { kind: 'error', status: 500 }));
    await wordCaseView(VIEW, model, PRESET);
    const use = await readModelUse(Date.UTC(2026, 10, 30, 18));
    expect(use.dailyBudget).toBe(OWN_MODEL_DAILY_TOKENS);
    expect(use.tokensToday).toBeGreaterThan(0);
    expect(use.recent.map((r) => [r.purpose, r.outcome]).sort()).toEqual([
      ['draft-update', 'ok'],
      ['summarise-packet', 'failed'],
    ]);
    expect(use.recent.find((r) => r.outcome === 'failed')?.issues).toEqual(['llm.server_error']);
    expect((await readModelUse(Date.UTC(2026, 11, 1, 9))).tokensToday).toBe(0);
  });

  it('charges today’s tokens and forgets earlier days', async () => {
    await llmCountersItem.setValue({ 'llm:tokens:extension:day:2026-11-29': 500, 'llm:tokens:extension:total': 500 });
    const model = await modelFor(byPurpose(WORDED_DRAFT, WORDED_SUMMARY));
    await wordCaseView(VIEW, model, PRESET);
    const counts = await llmCountersItem.getValue();
    expect(counts['llm:tokens:extension:day:2026-11-29']).toBeUndefined();
    expect(counts['llm:tokens:extension:day:2026-11-30']).toBeGreaterThan(0);
    expect(counts['llm:tokens:extension:total']).toBe(500 + counts['llm:tokens:extension:day:2026-11-30']!);
  });
});

describe('draft framing', () => {
  it('takes the rep’s greeting and sign-off off and puts them back unchanged', () => {
    expect(unframeDraft(frameDraft(BODY, PRESET), PRESET)).toBe(BODY);
    expect(frameDraft(BODY, { greeting: '', signOff: '' })).toBe(BODY);
    expect(unframeDraft(`Hi,\n\n${BODY}`, PRESET)).toBe(`Hi,\n\n${BODY}`);
  });
});
