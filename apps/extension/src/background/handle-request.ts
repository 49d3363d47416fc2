import { adfFromLines } from '../case/adf.ts';
import { buildCaseView, toCaseSummary } from '../case/build-case-view.ts';
import { logEntryLines } from '../case/log-entry.ts';
import type { RetryPolicy } from '@baton/jira';
import { createJiraSession } from '../jira/jira-session.ts';
import type { JiraApi, JiraResult } from '../jira/jira-session.ts';
import { RequestSchema } from '../messaging/protocol.ts';
import type { BatonError, CaseSummary, CaseView, Envelope, Request, ResponseData, RequestType } from '../messaging/protocol.ts';
import type { LanguageModel } from '@baton/core';
import { wordCaseView } from '../model/own-model.ts';
import type { LinkStore } from '../settings/links.ts';
import { ownModelOf, parseModelBaseUrl } from '../settings/model-settings.ts';
import type { ModelSettings, OwnModel } from '../settings/model-settings.ts';
import type { AudiencePreset, Settings } from '../settings/settings.ts';

/** Everything the background's request handling needs from the browser, injected so tests can run it in Node. */
export interface BackgroundDeps {
  readSettings(): Promise<Settings>;
  /** Whether the extension may call this origin (the rep granted it on the options page). */
  hasHostPermission(origin: string): Promise<boolean>;
  fetch: typeof fetch;
  links: LinkStore;
  openOptions(): Promise<void>;
  /** The clock (epoch ms): the moment a packet describes. */
  now(): number;
  /** Overrides of the Jira client's retry policy (tests make its waits instant). */
  jiraRetry?: Partial<RetryPolicy>;
  /** This device's model choice (storage.local). Absent: no model, whatever is stored. */
  readModelSettings?(): Promise<ModelSettings>;
  /** The rep's own model behind core's guard (see `model/own-model.ts`). */
  ownModel?(own: OwnModel): LanguageModel;
}

/** How many issues one page may pull from Jira: enough to pick from, few enough to read. */
export const MAX_CANDIDATES = 8;
const MAX_KEYS_LOOKED_UP = 5;

type Handler<T extends RequestType> = (req: Extract<Request, { type: T }>) => Promise<Envelope<ResponseData<T>>>;

const fail = (code: BatonError['code'], message: string): { ok: false; error: BatonError } => ({ ok: false, error: { code, message } });

/** Jira text search treats these as operators; a subject is searched as plain words. */
export function jqlTextQuery(text: string): string {
  const words = text.replace(/[+\-&|!(){}[\]^~*?\\:"'/]/g, ' ').replace(/\s+/g, ' ').trim();
  return words === '' ? '' : `text ~ "${words}" ORDER BY updated DESC`;
}

export function createRequestHandler(deps: BackgroundDeps): (raw: unknown) => Promise<Envelope<unknown>> {
  async function jira(): Promise<JiraResult<JiraApi>> {
    const settings = await deps.readSettings();
    if (settings.jiraSiteUrl === null) return fail('not-configured', 'Set your Jira site in Baton\'s options first.');
    if (!(await deps.hasHostPermission(settings.jiraSiteUrl))) {
      return fail('no-permission', `Baton may not contact ${settings.jiraSiteUrl} yet: allow it in Baton's options.`);
    }
    return { ok: true, value: createJiraSession({ siteUrl: settings.jiraSiteUrl, fetch: deps.fetch, now: deps.now, ...(deps.jiraRetry ? { retry: deps.jiraRetry } : {}) }) };
  }

  /**
   * Rewords the view's draft and summary with the rep's own model when it is the chosen provider and
   * its origin was granted; otherwise the view as the rules wrote it (saying why when a model was chosen).
   */
  async function worded(view: CaseView, preset: AudiencePreset): Promise<CaseView> {
    if (deps.readModelSettings === undefined || deps.ownModel === undefined) return view;
    const own = ownModelOf(await deps.readModelSettings());
    if (own === null) return view;
    const base = parseModelBaseUrl(own.baseUrl);
    const blocked = !base.ok
      ? "Worded by the rules: your model's base URL is not usable; check it in Baton's options."
      : (await deps.hasHostPermission(base.value.origin))
        ? null
        : `Worded by the rules: Baton may not contact ${base.value.origin} yet; allow it in Baton's options.`;
    if (blocked !== null) return { ...view, drafts: view.drafts.map((d) => ({ ...d, wording: { by: 'rules', reason: blocked } })) };
    return wordCaseView(view, deps.ownModel(own), preset);
  }

  const handlers: { [T in RequestType]: Handler<T> } = {
    'cases.find': async (req) => {
      const j = await jira();
      if (!j.ok) return j;
      const api = j.value;
      const linked = await deps.links.get(req.pageId);
      const found: CaseSummary[] = [];
      const add = (c: CaseSummary): void => {
        if (!found.some((f) => f.key === c.key)) found.push(c);
      };
      // Keys one at a time: a JQL `key in (…)` fails as a whole when one key does not exist.
      const keys = [...new Set([...(linked === null ? [] : [linked]), ...req.keys])].slice(0, MAX_KEYS_LOOKED_UP);
      const byKey = await Promise.all(keys.map((k) => api.issue(k)));
      for (const r of byKey) {
        if (r.ok) add(toCaseSummary(r.value, api.browseUrl(r.value.key)));
        else if (r.error.code !== 'not-found') return r;
      }
      const jql = jqlTextQuery(req.text);
      if (jql !== '' && found.length < MAX_CANDIDATES) {
        const s = await api.search(jql, MAX_CANDIDATES);
        if (!s.ok) return s;
        for (const issue of s.value) add(toCaseSummary(issue, api.browseUrl(issue.key)));
      }
      return {
        ok: true,
        data: { linked: linked !== null && found.some((f) => f.key === linked) ? linked : null, candidates: found.slice(0, MAX_CANDIDATES), siteUrl: api.siteUrl },
      };
    },
    'case.view': async (req) => {
      const j = await jira();
      if (!j.ok) return j;
      const r = await j.value.issue(req.key, { changelog: true });
      if (!r.ok) return r;
      const settings = await deps.readSettings();
      const preset = settings.audiences[req.audience];
      const view = buildCaseView(r.value, { site: j.value.siteUrl, browseUrl: j.value.browseUrl, audience: req.audience, preset, now: deps.now() });
      return { ok: true, data: await worded(view, preset) };
    },
    'link.set': async (req) => {
      await deps.links.set(req.pageId, req.key);
      return { ok: true, data: { linked: req.key } };
    },
    'jira.log': async (req) => {
      const j = await jira();
      if (!j.ok) return j;
      const r = await j.value.addComment(req.key, adfFromLines(logEntryLines(req.entry)));
      if (!r.ok) return r;
      return { ok: true, data: { commentId: r.value.id, url: `${j.value.browseUrl(req.key)}?focusedCommentId=${encodeURIComponent(r.value.id)}` } };
    },
    'jira.ping': async () => {
      const j = await jira();
      if (!j.ok) return j;
      const r = await j.value.myself();
      return r.ok ? { ok: true, data: { displayName: r.value.displayName, siteUrl: j.value.siteUrl } } : r;
    },
    'options.open': async () => {
      await deps.openOptions();
      return { ok: true, data: { opened: true } };
    },
  };

  return async (raw) => {
    const parsed = RequestSchema.safeParse(raw);
    if (!parsed.success) return fail('bad-request', 'Baton got a message it does not understand.');
    const req = parsed.data;
    try {
      return await (handlers[req.type] as Handler<typeof req.type>)(req as never);
    } catch (e) {
      return fail('jira-error', `Unexpected failure: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}
