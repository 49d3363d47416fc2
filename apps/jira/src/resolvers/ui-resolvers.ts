import { formatIssue, fromZodIssues, verifyAudit } from '@baton/core';
import { rewordAudienceDraft } from '@baton/core/llm';
import { createWorkflowResolver } from '@baton/core';
import { JiraApiError, JiraNotFoundError, RateLimitedError } from '@baton/jira';
import type { JiraClient } from '@baton/jira';
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { DEFAULT_CHAT_SETTINGS, NO_CHAT_LINK, type ChatStatus } from '../contracts/chat-settings.ts';
import { DryRunResultSchema } from '../contracts/dry-run.ts';
import { errEnvelope, okEnvelope } from '../contracts/envelope.ts';
import type { Envelope } from '../contracts/envelope.ts';
import { ISSUE_STATE_PROPERTY, IssueStateSchema } from '@baton/jira/issue-state';
import { CONTRACTS } from '../contracts/resolver-contracts.ts';
import type { ContractName, ContractOutput } from '../contracts/resolver-contracts.ts';
import { answerSuggestion } from '../app/answer-suggestion.ts';
import { pendingSuggestions } from '../app/evaluate-issue.ts';
import type { AppDeps } from '../app/app-deps.ts';
import { adfParagraphs } from '@baton/jira';
import { commentVisibility, JSM_PUBLIC_PROPERTY } from '../app/execute-decision.ts';
import { charterFor, DEFAULT_CHARTER, GLOBAL_SCOPE, projectsInScope } from '../app/charter-for.ts';
import { charterToYaml, describeIssues, parseCharterYaml } from '../app/charter-yaml.ts';
import { dailyReportView } from '../app/daily-report-view.ts';
import { trustReport } from '../app/trust-report.ts';
import { routerModelView } from '../app/router-model-view.ts';
import { checkFieldWrites } from '../app/field-writes.ts';
import { dashboardProgress, lastDashboard, startDashboardRefresh } from '../app/dashboard.ts';
import { conciergeAudienceDraft, draftText, draftUpdate } from '../app/draft-update.ts';
import { readIssue } from '../app/read-issue.ts';
import { statusDirectory } from '../app/status-directory.ts';
import { issuePacket } from '../app/issue-packet.ts';
import { namedSuggestions } from '../app/people.ts';
import { dryRunKey } from '../app/run-dry-run.ts';
import { trustScore } from '../app/trust-score.ts';
import { forgetScope } from '../app/scope-cache.ts';

/** What a resolver receives from Forge (`@forge/resolver`'s request), reduced to what we read. */
export interface ResolverRequest {
  payload: unknown;
  context: { accountId?: string | undefined };
}

/** Per-invocation dependencies: the app's, plus Jira as the calling user. */
export type DepsFactory = (accountId: string) => { deps: AppDeps; asUser: JiraClient };

type Handler = (req: ResolverRequest) => Promise<Envelope<unknown>>;

const PERMISSION_OF = {
  'browse-issue': (input: { issueKey?: string }) => ({
    scope: { issueKey: input.issueKey as string },
    any: ['BROWSE_PROJECTS'],
  }),
  'browse-project': (input: { projectKey?: string }) => ({
    scope: { projectKey: input.projectKey as string },
    any: ['BROWSE_PROJECTS'],
  }),
  'admin-scope': (input: { scope?: string }) =>
    input.scope === 'global'
      ? { scope: 'global' as const, any: ['ADMINISTER'] }
      : { scope: { projectKey: input.scope as string }, any: ['ADMINISTER_PROJECTS', 'ADMINISTER'] },
  'admin-site': () => ({ scope: 'global' as const, any: ['ADMINISTER'] }),
  'admin-project': (input: { projectKey?: string }) => ({
    scope: { projectKey: input.projectKey as string },
    any: ['ADMINISTER_PROJECTS', 'ADMINISTER'],
  }),
} as const;

function toEnvelope(e: unknown): Envelope<never> {
  if (e instanceof RateLimitedError)
    return errEnvelope('rate-limited', 'Jira asked us to slow down; try again in a moment.', {
      retryAfter: e.retryAfter,
    });
  if (e instanceof JiraNotFoundError) return errEnvelope('not-found', e.errorMessages[0] ?? 'not found');
  if (e instanceof JiraApiError) return errEnvelope('jira-error', e.message);
  return errEnvelope('internal', e instanceof Error ? e.message : 'unexpected error');
}

/**
 * The UI's resolvers. Each one: (1) the caller must be a signed-in user, (2) the payload is parsed
 * with its contract, (3) Jira is asked, as that user, whether they hold the contract's permission —
 * all before any work; the result always comes back as an envelope.
 */
export function createUiResolvers(makeDeps: DepsFactory): Record<ContractName, Handler> {
  const guarded =
    <N extends ContractName>(
      name: N,
      run: (
        input: z.infer<(typeof CONTRACTS)[N]['input']>,
        ctx: ReturnType<DepsFactory> & { accountId: string },
      ) => Promise<ContractOutput<N>>,
    ): Handler =>
    async (req) => {
      const accountId = req.context.accountId;
      if (!accountId) return errEnvelope('forbidden', 'Sign in to Jira to use Baton.');
      const contract = CONTRACTS[name];
      const parsed = contract.input.safeParse(req.payload);
      if (!parsed.success) {
        const issues = fromZodIssues(parsed.error.issues);
        return errEnvelope('invalid-payload', issues.map(formatIssue).join('; '), issues);
      }
      const input = parsed.data as z.infer<(typeof CONTRACTS)[N]['input']>;
      const ctx = { ...makeDeps(accountId), accountId };
      try {
        const need = PERMISSION_OF[contract.permission](input as never);
        const has = await ctx.asUser.myPermissions(need.scope, need.any);
        if (!need.any.some((p) => has[p]))
          return errEnvelope('forbidden', `You need ${need.any.join(' or ')} for this.`);
        const out = await run(input, ctx);
        return okEnvelope(contract.output.parse(out));
      } catch (e) {
        if (e instanceof ResolverFailure) return errEnvelope(e.code, e.message, e.details);
        return toEnvelope(e);
      }
    };

  return {
    getIssueView: guarded('getIssueView', async (input, { deps }) => {
      const projectKey = input.issueKey.split('-')[0] as string;
      const state = IssueStateSchema.safeParse(await deps.jira.getIssueProperty(input.issueKey, ISSUE_STATE_PROPERTY));
      const { entries } = await deps.storage.queryAudit({ issueKey: input.issueKey, limit: 20 });
      const chain = await deps.storage.readChain(input.issueKey);
      const verified = verifyAudit(chain);
      return {
        // Pending suggestions from app storage, not from the property (a cache any editor can rewrite),
        // people in them by name.
        state: state.success
          ? {
              ...state.data,
              suggestions: await namedSuggestions(deps, await pendingSuggestions(deps.storage, input.issueKey)),
            }
          : null,
        audit: entries,
        inScope: (await projectsInScope(deps.storage)).includes(projectKey),
        chain: { ok: verified.ok, count: chain.length },
      };
    }),
    getHandoffPacket: guarded('getHandoffPacket', async (input, { deps }) => issuePacket(deps, input.issueKey)),
    answerSuggestion: guarded('answerSuggestion', async (input, { deps, asUser, accountId }) =>
      answerSuggestion(deps, asUser, { ...input, accountId }),
    ),
    draftUpdate: guarded('draftUpdate', async (input, { deps }) => {
      const charter = await charterFor(deps.storage, input.issueKey.split('-')[0] as string);
      const issue = await readIssue(deps.jira, input.issueKey, charter, statusDirectory(deps));
      const state = IssueStateSchema.safeParse(await deps.jira.getIssueProperty(input.issueKey, ISSUE_STATE_PROPERTY));
      const view = state.success ? state.data : null;
      // Rules first: audience, facts and recipients are fixed here; a model may only reword the text.
      const draft = conciergeAudienceDraft(issue, view, input.audience, charter, deps.now());
      if (draft === undefined)
        return {
          audience: input.audience,
          text: draftUpdate(issue, view, input.audience),
          wording: { source: 'rules' as const },
        };
      const worded = await rewordAudienceDraft(await deps.models.wording(), draft);
      return {
        audience: input.audience,
        text: draftText(worded.value),
        wording:
          worded.source === 'model'
            ? { source: 'model' as const, model: worded.model }
            : { source: 'rules' as const, ...(worded.fallback ? { fallback: worded.reason.map((i) => i.code) } : {}) },
      };
    }),
    postDraft: guarded('postDraft', async (input, { asUser }) => {
      // Posted as the person who confirmed it: it is their message, with their permissions.
      const c = await asUser.addComment(input.issueKey, adfParagraphs(input.text), {
        [JSM_PUBLIC_PROPERTY]: commentVisibility(input.audience),
      });
      return { commentId: c.id };
    }),
    getCharter: guarded('getCharter', async (input, { deps }) => {
      const record = (await deps.storage.getCharter(input.scope)) ?? null;
      // A project without its own charter starts from the site's: that is the one in force for it.
      const site =
        record === null && input.scope !== GLOBAL_SCOPE
          ? ((await deps.storage.getCharter(GLOBAL_SCOPE)) ?? null)
          : null;
      const inForce = record ?? site;
      const charter = inForce?.charter ?? DEFAULT_CHARTER;
      const statuses =
        input.scope === GLOBAL_SCOPE ? await deps.jira.statuses() : await deps.jira.projectStatuses(input.scope);
      const cat = (k: string): 'new' | 'indeterminate' | 'done' => (k === 'new' || k === 'done' ? k : 'indeterminate');
      const phaseOf = createWorkflowResolver(
        { states: charter.workflow.states },
        new Map(statuses.map((s) => [s.name, cat(s.statusCategory.key)])),
      );
      return {
        record,
        yaml: inForce !== null && inForce.yaml.trim() !== '' ? inForce.yaml : charterToYaml(charter),
        source: record !== null ? ('own' as const) : site !== null ? ('site' as const) : ('default' as const),
        statuses: statuses.map((s) => ({
          name: s.name,
          category: s.statusCategory.key,
          phase: phaseOf(s.name).phase,
        })),
      };
    }),
    getPickerOptions: guarded('getPickerOptions', async (input, { deps }) => {
      const [priorities, fields, components] = await Promise.all([
        deps.jira.priorities(),
        deps.jira.fields(),
        input.scope === GLOBAL_SCOPE ? Promise.resolve([]) : deps.jira.projectComponents(input.scope),
      ]);
      return {
        priorities: priorities.map((p) => ({ id: p.id, name: p.name })),
        components: components.map((c) => ({ id: c.id, name: c.name })),
        fields: fields
          .map((f) => ({ id: f.id, name: f.name, custom: f.custom === true }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    }),
    checkFieldWrites: guarded('checkFieldWrites', async (input, { deps }) => {
      const keys = input.scope === GLOBAL_SCOPE ? await projectsInScope(deps.storage) : [input.scope];
      const projects = await Promise.all(
        keys.map(async (projectKey) => ({ projectKey, charter: await charterFor(deps.storage, projectKey) })),
      );
      return checkFieldWrites(deps.jira, projects);
    }),
    saveCharter: guarded('saveCharter', async (input, { deps, accountId }) => {
      const parsed = parseCharterYaml(input.yaml);
      if (!parsed.ok) throw new ResolverFailure('invalid-payload', describeIssues(parsed.issues), parsed.issues);
      const saved = await deps.storage.saveCharter(
        input.scope,
        { charter: parsed.value, yaml: input.yaml, updatedAt: deps.now(), updatedBy: accountId },
        input.expectedVersion,
      );
      if (saved === 'conflict')
        throw new ResolverFailure('conflict', 'Someone saved the charter meanwhile: reload to see their version.');
      forgetScope(); // events in this runtime read the new scope at once
      return { record: saved };
    }),
    startDryRun: guarded('startDryRun', async (input, { deps }) => {
      const runId = randomUUID();
      await deps.queue.push([{ kind: 'dry-run', runId, projectKey: input.projectKey, days: input.days }]);
      return { runId };
    }),
    getDryRun: guarded('getDryRun', async (input, { deps }) => {
      const r = DryRunResultSchema.safeParse(await deps.storage.getJson(dryRunKey(input.runId)));
      // A run of another project is not this admin's to see.
      return { result: r.success && r.data.projectKey === input.projectKey ? r.data : null };
    }),
    getAuditLog: guarded('getAuditLog', async (input, { deps }) => {
      const since = input.sinceDays === undefined ? undefined : deps.now() - input.sinceDays * 86_400_000;
      const page = await deps.storage.queryAudit({
        ...(input.issueKey ? { issueKey: input.issueKey } : {}),
        ...(input.outcome ? { outcome: input.outcome } : {}),
        ...(since === undefined ? {} : { since }),
        ...(input.cursor ? { cursor: input.cursor } : {}),
        limit: 50,
      });
      const entries = page.entries.filter((e) => e.issueKey.startsWith(`${input.projectKey}-`));
      return { entries, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), trust: trustScore(entries) };
    }),
    getDashboard: guarded('getDashboard', async (input, { deps }) => ({
      dashboard: await lastDashboard(deps.storage, input.projectKey),
      progress: await dashboardProgress(deps.storage, input.projectKey, deps.now()),
    })),
    startDashboard: guarded('startDashboard', async (input, { deps }) => ({
      progress: await startDashboardRefresh(deps, input.projectKey, input.days, {
        ...(input.goLive === undefined ? {} : { goLive: input.goLive }),
        ...(input.costs === undefined ? {} : { costs: input.costs }),
      }),
    })),
    getDashboardProgress: guarded('getDashboardProgress', async (input, { deps }) => ({
      progress: await dashboardProgress(deps.storage, input.projectKey, deps.now()),
    })),
    getModelSettings: guarded('getModelSettings', async (_input, { deps }) => ({
      settings: await deps.models.settings(),
      usage: await deps.models.usage(),
      key: await deps.models.keyStatus(),
      edition: deps.models.edition,
    })),
    saveModelSettings: guarded('saveModelSettings', async (input, { deps }) => {
      if (!deps.models.edition.providers.includes(input.provider))
        throw notInThisEdition('provider', `provider: '${input.provider}' is not offered by this edition of Baton`);
      await deps.models.save(input);
      return { settings: await deps.models.settings() };
    }),
    setModelKey: guarded('setModelKey', async (input, { deps, accountId }) => {
      if (!deps.models.edition.providers.includes('openai-compatible'))
        throw notInThisEdition(
          'apiKey',
          'apiKey: this edition of Baton has no OpenAI-compatible provider, so it keeps no API key',
        );
      await deps.models.setKey(input.apiKey, accountId);
      return { key: await deps.models.keyStatus() };
    }),
    removeModelKey: guarded('removeModelKey', async (_input, { deps }) => {
      await deps.models.removeKey();
      return { key: await deps.models.keyStatus() };
    }),
    getDailyReport: guarded('getDailyReport', async (input, { deps }) => dailyReportView(deps, input.projectKey)),
    getTrust: guarded('getTrust', async (input, { deps }) => trustReport(deps, input.projectKey, input.weeks)),
    getRouterModel: guarded('getRouterModel', async (input, { deps }) =>
      routerModelView(deps.storage, input.projectKey),
    ),
    getChatSettings: guarded('getChatSettings', async (_input, { deps }) => chatStatus(deps)),
    saveChatSettings: guarded('saveChatSettings', async (input, { deps }) => {
      if (deps.chatAdmin === undefined) throw noChatHere('deliver');
      await deps.chatAdmin.saveSettings(input);
      return deps.chatAdmin.status();
    }),
    linkChatPerson: guarded('linkChatPerson', async (input, { deps }) => {
      if (deps.chatAdmin === undefined) throw noChatHere('accountId');
      const [user] = await deps.jira.users([input.accountId]);
      if (user === undefined)
        throw new ResolverFailure('invalid-payload', `accountId: Jira knows no account ${input.accountId}`, [
          { code: 'chat.unknownAccount', path: ['accountId'], message: `Jira knows no account ${input.accountId}` },
        ]);
      const link = await deps.chatAdmin.linkByEmail(input.accountId, user.emailAddress ?? null);
      return { ...(await deps.chatAdmin.status()), link };
    }),
    // The person's own link: the account is the caller's, never one from the payload.
    getChatLink: guarded('getChatLink', async (_input, { deps, accountId }) =>
      deps.chatAdmin === undefined ? NO_CHAT_LINK : deps.chatAdmin.linkOf(accountId, false),
    ),
    issueChatLinkCode: guarded('issueChatLinkCode', async (_input, { deps, accountId }) =>
      deps.chatAdmin === undefined ? NO_CHAT_LINK : deps.chatAdmin.linkOf(accountId, true),
    ),
    setChatSecrets: guarded('setChatSecrets', async (input, { deps }) => {
      if (deps.chatAdmin === undefined) throw noChatHere('botToken');
      await deps.chatAdmin.setSecrets(input);
      return deps.chatAdmin.status();
    }),
  };
}

/** The default edition speaks in Jira only: its chat status is "none", with the defaults. */
async function chatStatus(deps: AppDeps): Promise<ChatStatus> {
  if (deps.chatAdmin !== undefined) return deps.chatAdmin.status();
  return {
    surface: null,
    botToken: { set: false },
    signingSecret: { set: false },
    settings: DEFAULT_CHAT_SETTINGS,
    links: [],
  };
}

function noChatHere(field: string): ResolverFailure {
  const text = `${field}: this edition of Baton speaks in Jira only and declares no egress; Slack is in Baton's Slack edition (docs/adr/0019-chat-port-and-slack-edition.md).`;
  return new ResolverFailure('invalid-payload', text, [{ code: 'edition.not_offered', path: [field], message: text }]);
}

/**
 * The default edition declares no egress, so it refuses the OpenAI-compatible provider and its key
 * by field, and says where that provider lives.
 */
function notInThisEdition(field: string, message: string): ResolverFailure {
  const text = `${message}: it declares no egress, so no data leaves Atlassian. The OpenAI-compatible provider is in Baton's OpenAI edition (docs/adr/0016-forge-openai-edition.md).`;
  return new ResolverFailure('invalid-payload', text, [{ code: 'edition.not_offered', path: [field], message: text }]);
}

/** A domain failure a resolver reports as data (invalid charter, a save conflict). */
export class ResolverFailure extends Error {
  constructor(
    readonly code: 'invalid-payload' | 'conflict' | 'not-found',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
