import { adfFromLines } from '../case/adf.ts';
import { buildCaseView, toCaseSummary } from '../case/build-case-view.ts';
import { logEntryLines, visibilityProperties } from '../case/log-entry.ts';
import type { RemoteLinkInput, RetryPolicy } from '@baton/jira';
import type { JiraIssue } from '../case/jira-issue.ts';
import { createJiraSession } from '../jira/jira-session.ts';
import { panelSideItem } from '../overlay/panel-side.ts';
import type { JiraApi, JiraResult } from '../jira/jira-session.ts';
import { RequestSchema } from '../messaging/requests.ts';
import type {
  Audience,
  BatonError,
  CaseSummary,
  CaseView,
  Envelope,
  LinkedPage,
  Request,
  ResponseData,
  RequestType,
  Wording,
} from '../messaging/protocol.ts';
import type { LanguageModel } from '@baton/core/llm';
import { testOwnModel, wordCaseView } from '../model/own-model.ts';
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
/** Rules' views kept for `case.word`: a rep has a few cases open at once, not dozens. */
const RECENT_VIEWS = 20;

type Handler<T extends RequestType> = (req: Extract<Request, { type: T }>) => Promise<Envelope<ResponseData<T>>>;

const fail = (code: BatonError['code'], message: string): { ok: false; error: BatonError } => ({
  ok: false,
  error: { code, message },
});

/** What the rep typed reads as JQL (a comparison, `in`, `is`, `order by`) rather than words to look for. */
export function looksLikeJql(query: string): boolean {
  return /(!=|>=|<=|[=~<>])|\b(in|is|not in|order by)\b/i.test(query) && /^[a-z]/i.test(query.trim());
}

/** Jira text search treats these as operators; a subject is searched as plain words. */
export function jqlTextQuery(text: string): string {
  const words = text
    .replace(/[+\-&|!(){}[\]^~*?\\:"'/]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return words === '' ? '' : `text ~ "${words}" ORDER BY updated DESC`;
}

export function createRequestHandler(deps: BackgroundDeps): (raw: unknown) => Promise<Envelope<unknown>> {
  async function jira(): Promise<JiraResult<JiraApi>> {
    const settings = await deps.readSettings();
    if (settings.jiraSiteUrl === null) return fail('not-configured', "Set your Jira site in Baton's options first.");
    if (!(await deps.hasHostPermission(settings.jiraSiteUrl))) {
      return fail('no-permission', `Baton may not contact ${settings.jiraSiteUrl} yet: allow it in Baton's options.`);
    }
    return {
      ok: true,
      value: createJiraSession({
        siteUrl: settings.jiraSiteUrl,
        fetch: deps.fetch,
        now: deps.now,
        ...(deps.jiraRetry ? { retry: deps.jiraRetry } : {}),
      }),
    };
  }

  type ModelPlan = { kind: 'none' } | { kind: 'blocked'; reason: string } | { kind: 'ready'; model: LanguageModel };

  /** Whether the rep's own model will word this view: not chosen, chosen but not usable (why), or ready. */
  async function modelPlan(): Promise<ModelPlan> {
    if (deps.readModelSettings === undefined || deps.ownModel === undefined) return { kind: 'none' };
    const own = ownModelOf(await deps.readModelSettings());
    if (own === null) return { kind: 'none' };
    const base = parseModelBaseUrl(own.baseUrl);
    if (!base.ok)
      return {
        kind: 'blocked',
        reason: "Worded by the rules: your model's base URL is not usable; check it in Baton's options.",
      };
    if (!(await deps.hasHostPermission(base.value.origin))) {
      return {
        kind: 'blocked',
        reason: `Worded by the rules: Baton may not contact ${base.value.origin} yet; allow it in Baton's options.`,
      };
    }
    return { kind: 'ready', model: deps.ownModel(own) };
  }

  const marked = (view: CaseView, wording: Wording, summaryToo: boolean): CaseView => ({
    ...view,
    packet: summaryToo ? { ...view.packet, summaryWording: wording } : view.packet,
    drafts: view.drafts.map((d) => ({ ...d, wording })),
  });

  /**
   * The rules' views the background built lately, so that `case.word` rewords what the rep sees
   * without reading Jira again. Memory only, a few entries.
   */
  const recent = new Map<string, { view: CaseView; preset: AudiencePreset }>();
  const remember = (id: string, entry: { view: CaseView; preset: AudiencePreset }): void => {
    recent.delete(id);
    recent.set(id, entry);
    while (recent.size > RECENT_VIEWS) recent.delete(recent.keys().next().value as string);
  };

  async function rulesView(
    key: string,
    audience: Audience,
  ): Promise<Envelope<{ view: CaseView; preset: AudiencePreset }>> {
    const j = await jira();
    if (!j.ok) return j;
    const r = await j.value.issue(key, { changelog: true });
    if (!r.ok) return r;
    const settings = await deps.readSettings();
    const preset = settings.audiences[audience];
    const built = buildCaseView(r.value, {
      site: j.value.siteUrl,
      browseUrl: j.value.browseUrl,
      audience,
      preset,
      now: deps.now(),
    });
    if (!built.ok) return fail('bad-response', built.message);
    const entry = { view: built.view, preset };
    remember(`${key}|${audience}`, entry);
    return { ok: true, data: entry };
  }

  /**
   * The issues Jira has a remote link to this page on, by `issuesWithRemoteLinksByGlobalId`; null when
   * the site refuses that JQL function (it is in Jira Data Center's JQL reference, not found in Jira
   * Cloud's: docs/remote-link-lookup.md), and the caller asks candidate issues one by one instead.
   */
  async function sharedLinks(api: JiraApi, pageId: string): Promise<JiraIssue[] | null> {
    const globalId = globalIdOf(pageId);
    if (globalId === null) return [];
    const r = await api.search(`issue in issuesWithRemoteLinksByGlobalId("${globalId}") ORDER BY updated DESC`, 5);
    return r.ok ? r.value : null;
  }

  /** The documented way: `GET /issue/{key}/remotelink?globalId=` on each candidate, the first that has it. */
  async function linkedAmong(api: JiraApi, pageId: string, keys: readonly string[]): Promise<string | null> {
    const globalId = globalIdOf(pageId);
    if (globalId === null) return null;
    for (const key of keys.slice(0, MAX_CANDIDATES)) {
      const r = await api.hasPageLink(key, globalId);
      if (r.ok && r.value) return key;
    }
    return null;
  }

  const handlers: { [T in RequestType]: Handler<T> } = {
    'cases.find': async (req) => {
      const j = await jira();
      if (!j.ok) return j;
      const api = j.value;
      const found: CaseSummary[] = [];
      const add = (c: CaseSummary): void => {
        if (!found.some((f) => f.key === c.key)) found.push(c);
      };
      // The link everyone sees first (a remote link in Jira); then one kept on this device, which moves
      // to Jira once, as a remote link, and is dropped here when Jira has it.
      const shared = await sharedLinks(api, req.pageId);
      for (const issue of shared ?? []) add(toCaseSummary(issue, api.browseUrl(issue.key)));
      let linked = shared?.[0]?.key ?? null;
      if (linked === null) {
        linked = await deps.links.get(req.pageId);
        const globalId = globalIdOf(req.pageId);
        if (linked !== null && req.page !== undefined && globalId !== null) {
          const moved = await api.linkPage(linked, remoteLink(globalId, req.page));
          if (moved.ok) await deps.links.set(req.pageId, null);
        }
      }
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
      // No JQL function on this site: the shared link is found on a candidate, if it is on one.
      if (shared === null && linked === null)
        linked = await linkedAmong(
          api,
          req.pageId,
          found.map((f) => f.key),
        );
      return {
        ok: true,
        data: {
          linked: linked !== null && found.some((f) => f.key === linked) ? linked : null,
          candidates: found.slice(0, MAX_CANDIDATES),
          siteUrl: api.siteUrl,
        },
      };
    },
    'case.view': async (req) => {
      // The rules' view at once; when the rep's own model will word it, marked as pending for `case.word`.
      const built = await rulesView(req.key, req.audience);
      if (!built.ok) return built;
      const plan = await modelPlan();
      const view = built.data.view;
      if (plan.kind === 'blocked') return { ok: true, data: marked(view, { by: 'rules', reason: plan.reason }, false) };
      return { ok: true, data: plan.kind === 'ready' ? marked(view, { by: 'pending' }, true) : view };
    },
    'case.word': async (req) => {
      const id = `${req.key}|${req.audience}`;
      const cached = recent.get(id);
      const built = cached === undefined ? await rulesView(req.key, req.audience) : { ok: true as const, data: cached };
      if (!built.ok) return built;
      const { view, preset } = built.data;
      const plan = await modelPlan();
      if (plan.kind === 'none') return { ok: true, data: view };
      if (plan.kind === 'blocked') return { ok: true, data: marked(view, { by: 'rules', reason: plan.reason }, false) };
      return { ok: true, data: await wordCaseView(view, plan.model, preset) };
    },
    'link.set': async (req) => {
      const j = await jira();
      if (!j.ok) return j;
      const api = j.value;
      const globalId = globalIdOf(req.pageId);
      const local = async (
        note: string,
      ): Promise<Envelope<{ linked: string | null; shared: boolean; note: string }>> => {
        await deps.links.set(req.pageId, req.key);
        return { ok: true, data: { linked: req.key, shared: false, note } };
      };
      if (globalId === null || req.page === undefined) return local('This page has no id Jira can keep.');
      // One issue per page: the new link is written first, then any other issue's link to the page removed.
      if (req.key !== null) {
        const put = await api.linkPage(req.key, remoteLink(globalId, req.page));
        if (!put.ok) return local(put.error.message);
      }
      for (const issue of (await sharedLinks(api, req.pageId)) ?? []) {
        if (issue.key === req.key) continue;
        const removed = await api.unlinkPage(issue.key, globalId);
        if (!removed.ok) return removed;
      }
      await deps.links.set(req.pageId, null);
      return { ok: true, data: { linked: req.key, shared: true } };
    },
    'jira.log': async (req) => {
      const j = await jira();
      if (!j.ok) return j;
      const r = await j.value.addComment(
        req.key,
        adfFromLines(logEntryLines(req.entry)),
        visibilityProperties(req.visibility),
      );
      if (!r.ok) return r;
      return {
        ok: true,
        data: {
          commentId: r.value.id,
          url: `${j.value.browseUrl(req.key)}?focusedCommentId=${encodeURIComponent(r.value.id)}`,
        },
      };
    },
    'jira.search': async (req) => {
      const j = await jira();
      if (!j.ok) return j;
      const jql = looksLikeJql(req.query) ? req.query : jqlTextQuery(req.query);
      if (jql === '') return fail('bad-request', 'Type some words or a JQL query to search for.');
      const r = await j.value.search(jql, MAX_CANDIDATES);
      if (!r.ok) return r;
      return { ok: true, data: { candidates: r.value.map((i) => toCaseSummary(i, j.value.browseUrl(i.key))) } };
    },
    'jira.options': async (req) => {
      const j = await jira();
      if (!j.ok) return j;
      const [t, a] = await Promise.all([j.value.transitions(req.key), j.value.assignable(req.key)]);
      if (!t.ok) return t;
      if (!a.ok) return a;
      return { ok: true, data: { transitions: t.value, assignees: a.value } };
    },
    'jira.transition': async (req) => {
      const j = await jira();
      if (!j.ok) return j;
      const r = await j.value.transition(req.key, req.transitionId);
      return r.ok ? { ok: true, data: { key: req.key } } : r;
    },
    'jira.assign': async (req) => {
      const j = await jira();
      if (!j.ok) return j;
      const r = await j.value.assign(req.key, req.accountId);
      return r.ok ? { ok: true, data: { key: req.key } } : r;
    },
    'jira.create': async (req) => {
      const j = await jira();
      if (!j.ok) return j;
      const api = j.value;
      const made = await api.createIssue({
        project: req.project,
        issuetype: req.issueType,
        summary: req.summary,
        ...(req.description.trim() === '' ? {} : { description: adfFromLines([{ text: req.description }]) }),
      });
      if (!made.ok) return made;
      const key = made.value.key;
      // The email or record as the first comment, an internal note (a Service Management comment made
      // through REST is otherwise public), then the page linked for everyone.
      const logged = await api.addComment(
        key,
        adfFromLines(logEntryLines(req.entry)),
        visibilityProperties('internal'),
      );
      if (!logged.ok) return logged;
      const globalId = globalIdOf(req.pageId);
      const linked =
        globalId === null ? { ok: false as const } : await api.linkPage(key, remoteLink(globalId, req.page));
      if (!linked.ok) await deps.links.set(req.pageId, key);
      return { ok: true, data: { key, linked: linked.ok } };
    },
    'jira.ping': async () => {
      const j = await jira();
      if (!j.ok) return j;
      const r = await j.value.myself();
      return r.ok ? { ok: true, data: { displayName: r.value.displayName, siteUrl: j.value.siteUrl } } : r;
    },
    'model.test': async () => {
      const plan = await modelPlan();
      if (plan.kind === 'none')
        return fail('not-configured', 'Your own model is not switched on: save its base URL, model and key first.');
      if (plan.kind === 'blocked') return { ok: true, data: { by: 'rules', reason: plan.reason } };
      return { ok: true, data: await testOwnModel(plan.model) };
    },
    'panel.side': async (req) => {
      const all = await panelSideItem.getValue();
      if (req.side !== undefined) await panelSideItem.setValue({ ...all, [req.site]: req.side });
      return { ok: true, data: { side: req.side ?? all[req.site] ?? 'right' } };
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

/**
 * The remote link's global id for a page: `baton:gmail:<thread id>` or `baton:salesforce:<record id>`,
 * the same on every rep's browser. null when the id is not one JQL can quote safely or is too long
 * (Jira keeps at most 255 characters).
 */
export function globalIdOf(pageId: string): string | null {
  const id = `baton:${pageId}`;
  return /^[A-Za-z0-9:_.-]+$/.test(pageId) && id.length <= 255 ? id : null;
}

function remoteLink(globalId: string, page: LinkedPage): RemoteLinkInput {
  return {
    globalId,
    url: page.url,
    title: page.title,
    relationship: globalId.startsWith('baton:gmail:') ? 'email thread' : 'CRM record',
    application: { type: 'baton.extension', name: 'Baton' },
  };
}
