import { PacketSummaryAnswerSchema, assist, createGuardedModel, rewordAudienceDraft } from '@baton/core/llm';
import type {
  Assisted,
  CacheStore,
  CounterStore,
  GuardedModel,
  LanguageModel,
  LanguageModelProvider,
  LlmAuditSink,
  LlmIssue,
  LlmIssueCode,
} from '@baton/core/llm';
import { createOpenAIProvider } from '@baton/llm-openai';
import type { CaseView, Draft, Wording } from '../messaging/protocol.ts';
import type { OwnModel } from '../settings/model-settings.ts';
import { OWN_MODEL_DAILY_TOKENS } from './model-stores.ts';
import type { AudiencePreset } from '../settings/settings.ts';

// The rep's own OpenAI-compatible model, in the background only. Core's guard wraps it: redaction
// before anything leaves, the answer checked against its schema and grounded in the evidence, a
// daily budget, an audit line per call, and the rules' text whenever the answer is unusable. The
// model rewords two texts the rules already wrote, the draft and the packet summary; nothing else.

/**
 * How long the overlay waits for the model before it shows the rules' text (and says so): the
 * provider's own timeout, then the guard's deadline a little later as a backstop.
 */
export const OWN_MODEL_TIMEOUT_MS = 10_000;

export interface OwnModelDeps {
  /** Builds the provider for the rep's endpoint: the background passes @baton/llm-openai's. */
  createProvider(own: OwnModel): LanguageModelProvider;
  now(): number;
  counters: CounterStore;
  cache: CacheStore;
  audit: LlmAuditSink;
  /** Resolves after `ms`: the guard's deadline. `onAnswer` is given what stops the timer once the model answers. */
  after(ms: number, onAnswer: (stopTimer: () => void) => void): Promise<void>;
}

/**
 * The real `openai` client for the rep's endpoint. `dangerouslyAllowBrowser`: this runs only in the
 * extension's background (a service worker in Chrome, an event page in Firefox), where the key
 * lives in the extension's own storage; no page or content script can reach the client or the key.
 * Chat completions, because that is what every OpenAI-compatible server speaks.
 */
export function openAIProviderFor(own: OwnModel, fetchImpl: typeof fetch): LanguageModelProvider {
  return createOpenAIProvider(
    {
      apiKey: own.apiKey,
      model: own.model,
      baseURL: own.baseUrl,
      api: 'chat',
      timeoutMs: OWN_MODEL_TIMEOUT_MS,
      maxRetries: 1,
      label: 'own-key',
      dangerouslyAllowBrowser: true,
    },
    { fetch: fetchImpl },
  );
}

/** The rep's model behind core's guard. */
export function createOwnModel(own: OwnModel, deps: OwnModelDeps): GuardedModel {
  return createGuardedModel(deps.createProvider(own), {
    installationId: 'extension',
    now: deps.now,
    counters: deps.counters,
    cache: deps.cache,
    audit: deps.audit,
    budget: { dailyTokens: OWN_MODEL_DAILY_TOKENS },
    deadline: { ms: OWN_MODEL_TIMEOUT_MS + 2_000, after: deps.after },
  });
}

/** What the rep reads when the model's answer was not used. Vendor text stays in the audit. */
const REASONS: Record<LlmIssueCode, string> = {
  'llm.timeout': 'your model did not answer in time',
  'llm.rate_limited': 'your model provider is rate limiting this key',
  'llm.server_error': 'your model server failed',
  'llm.schema_invalid': "your model's answer was not in the expected form",
  'llm.malformed_output': "your model's answer was not in the expected form",
  'llm.refused': 'your model declined to answer',
  'llm.truncated': "your model's answer was cut off",
  'llm.budget_exhausted': "today's model budget in Baton is used up",
  'llm.ungrounded': "your model's answer named people, links or addresses the case does not contain",
  'llm.unauthorized': 'your model provider refused the API key',
  'llm.bad_request': 'your model provider rejected the request',
  'llm.unavailable': 'your model server could not be reached',
};

/** The rep-facing sentence for a fallback. */
export function fallbackReason(issues: readonly LlmIssue[]): string {
  const first = issues[0];
  const why = first === undefined ? 'your model could not be used' : REASONS[first.code];
  return `Worded by the rules: ${why}.`;
}

function wordingOf(a: Assisted<unknown>): Wording | undefined {
  if (a.source === 'model') return { by: 'model', model: a.model };
  return a.fallback ? { by: 'rules', reason: fallbackReason(a.reason) } : undefined;
}

/** Greeting and sign-off are the rep's own words: they stay out of the prompt and are put back around the answer. */
export function unframeDraft(text: string, preset: AudiencePreset): string {
  let body = text;
  const greeting = preset.greeting.trim();
  const signOff = preset.signOff.trim();
  if (greeting !== '' && body.trimStart().startsWith(greeting)) body = body.trimStart().slice(greeting.length);
  if (signOff !== '' && body.trimEnd().endsWith(signOff)) body = body.trimEnd().slice(0, -signOff.length);
  return body.trim();
}

export function frameDraft(body: string, preset: AudiencePreset): string {
  return [preset.greeting, body, preset.signOff].filter((t) => t.trim() !== '').join('\n\n');
}

async function wordDraft(model: LanguageModel, draft: Draft, preset: AudiencePreset): Promise<Draft> {
  const body = unframeDraft(draft.text, preset);
  if (body === '') return draft;
  const worded = await rewordAudienceDraft(model, {
    audience: draft.audience,
    customerFacing: draft.audience === 'customer',
    subject: draft.subject,
    body,
    changes: [],
  });
  const wording = wordingOf(worded);
  const base =
    worded.source === 'model'
      ? { ...draft, subject: worded.value.subject, text: frameDraft(worded.value.body, preset) }
      : draft;
  return wording === undefined ? base : { ...base, wording };
}

async function wordSummary(model: LanguageModel, view: CaseView): Promise<CaseView['packet']> {
  const p = view.packet;
  const worded = await assist(
    model,
    {
      purpose: 'summarise-packet',
      instructions: [
        `Summarise case ${view.case.key} for the person taking it over, in at most five sentences:`,
        'where it stands, what was decided, what is still open. Use only the facts given; cite the ids you used in evidenceIds.',
      ].join('\n'),
      evidence: [
        { id: 'summary', source: 'rules', text: p.summary },
        {
          id: 'status',
          source: 'jira',
          text: `${view.case.summary} · ${view.case.status} · ${view.case.assignee ?? 'unassigned'}`,
        },
        ...p.decisions.map((d, i) => ({ id: `decision-${i + 1}`, source: 'decision', text: d })),
        ...p.openQuestions.map((q, i) => ({ id: `question-${i + 1}`, source: 'question', text: q })),
      ],
      schema: PacketSummaryAnswerSchema,
      maxOutputTokens: 400,
      allowedLinks: p.links.map((l) => l.url),
    },
    () => ({ summary: p.summary, evidenceIds: [] }),
  );
  const wording = wordingOf(worded);
  const base = worded.source === 'model' ? { ...p, summary: worded.value.summary } : p;
  return wording === undefined ? base : { ...base, summaryWording: wording };
}

const SAMPLE: Draft = {
  audience: 'customer',
  subject: 'Update on your request',
  text: 'Thank you for your patience. Our team is working on your request and will update you as soon as there is progress.',
};

/**
 * The options page's "Test my model": one small draft with no case data, through the same guard as
 * every real call. Says whether the model's wording would be used, or why not.
 */
export async function testOwnModel(model: LanguageModel): Promise<Wording> {
  const worded = await wordDraft(model, SAMPLE, { greeting: '', signOff: '' });
  return worded.wording ?? { by: 'rules', reason: fallbackReason([]) };
}

/**
 * The view with its draft and packet summary reworded by the rep's model; every other field is the
 * rules' own. Each text falls back on its own, and says why.
 */
export async function wordCaseView(view: CaseView, model: LanguageModel, preset: AudiencePreset): Promise<CaseView> {
  const [packet, drafts] = await Promise.all([
    wordSummary(model, view),
    Promise.all(view.drafts.map((d) => wordDraft(model, d, preset))),
  ]);
  return { ...view, packet, drafts };
}
