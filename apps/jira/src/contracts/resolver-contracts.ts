import { AudienceSchema, HandoffPacketSchema, PhaseSchema } from '@baton/core';
import * as z from 'zod';
import { AuditEntrySchema, OUTCOMES, OVERRIDE_REASONS } from './audit.ts';
import { CharterRecordSchema } from './charter.ts';
import { ChatLinkSchema, ChatSecretsSchema, ChatSettingsSchema, ChatStatusSchema } from './chat-settings.ts';
import { DailyReportSchema } from './daily-report.ts';
import { DashboardCostsSchema, DashboardProgressSchema, DashboardSchema, GoLiveSchema } from './dashboard.ts';
import { DryRunResultSchema } from './dry-run.ts';
import { RouterModelViewSchema } from './router-model.ts';
import { TrustReportSchema } from './trust.ts';
import { FieldWriteProblemSchema, ProjectCheckSchema } from './field-writes.ts';
import {
  ApiKeySchema,
  ModelEditionSchema,
  ModelKeyStatusSchema,
  ModelSettingsSchema,
  ModelUsageSchema,
} from './model-settings.ts';
import { IssueStateSchema } from '@baton/jira/issue-state';

/**
 * Every resolver's input and output, shared by the UI (which parses what comes back) and the
 * backend (which parses what comes in). `permission` says what the caller must hold first.
 */
const IssueKey = z.string().regex(/^[A-Z][A-Z0-9_]+-\d+$/, 'expected an issue key like SUP-12');
const ProjectKey = z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'expected a project key like SUP');
const Scope = z.union([z.literal('global'), ProjectKey]);

const TrustSchema = z.object({
  acceptance: z.number().nullable(),
  accepted: z.number(),
  overridden: z.number(),
  executed: z.number(),
  overrideReasons: z.record(z.string(), z.number()),
  finals: z.number(),
  drifted: z.number(),
  drift: z.number().nullable(),
});

export const CONTRACTS = {
  getIssueView: {
    permission: 'browse-issue',
    input: z.object({ issueKey: IssueKey }),
    output: z.object({
      state: IssueStateSchema.nullable(),
      audit: z.array(AuditEntrySchema),
      inScope: z.boolean(),
      /** The issue's audit hash chain, verified by core's `verifyAudit` on every view. */
      chain: z.object({ ok: z.boolean(), count: z.number().int() }).optional(),
    }),
  },
  /** Core's clerk on the issue now: the whole packet, each item with its evidence, and the names of the people in it. */
  getHandoffPacket: {
    permission: 'browse-issue',
    input: z.object({ issueKey: IssueKey }),
    output: z.object({
      packet: HandoffPacketSchema,
      /** Display name by account id, for every person the packet names. */
      people: z.record(z.string(), z.string()),
    }),
  },
  answerSuggestion: {
    permission: 'browse-issue',
    input: z
      .object({
        issueKey: IssueKey,
        suggestionKey: z.string().min(1),
        verdict: z.enum(['accept', 'override']),
        reason: z.object({ code: z.enum(OVERRIDE_REASONS), text: z.string().max(500) }).optional(),
      })
      .refine((v) => v.verdict === 'accept' || v.reason !== undefined, {
        message: 'an override needs a reason',
        path: ['reason'],
      }),
    output: z.discriminatedUnion('outcome', [
      z.object({ outcome: z.enum(['accepted', 'overridden', 'not-pending']) }),
      /** Jira refused the person's Accept; `why` is its reason. */
      z.object({ outcome: z.literal('refused'), why: z.string() }),
    ]),
  },
  draftUpdate: {
    permission: 'browse-issue',
    input: z.object({ issueKey: IssueKey, audience: AudienceSchema }),
    output: z.object({
      audience: AudienceSchema,
      text: z.string(),
      /** Who worded `text`: the chosen model (its name), or the rules — also when the model's answer was unusable (`fallback` says why). */
      wording: z.discriminatedUnion('source', [
        z.object({ source: z.literal('model'), model: z.string() }),
        z.object({ source: z.literal('rules'), fallback: z.array(z.string()).optional() }),
      ]),
    }),
  },
  postDraft: {
    permission: 'browse-issue',
    input: z.object({
      issueKey: IssueKey,
      text: z.string().min(1).max(5000),
      confirmed: z.literal(true),
      /** Whom the draft was written for: only a customer draft is a public comment in Service Management. */
      audience: AudienceSchema.default('internal'),
    }),
    output: z.object({ commentId: z.string() }),
  },
  getCharter: {
    permission: 'admin-scope',
    input: z.object({ scope: Scope }),
    output: z.object({
      /** The scope's own charter; null when it has none yet (save with expectedVersion 0). */
      record: CharterRecordSchema.nullable(),
      /** The YAML in force for the scope: its own, else (a project) the site's, else the default. */
      yaml: z.string(),
      /** Where `yaml` comes from. */
      source: z.enum(['own', 'site', 'default']),
      /** The project's (or the site's) statuses with their category and the phase the charter maps them to. */
      statuses: z.array(z.object({ name: z.string(), category: z.string(), phase: PhaseSchema })),
    }),
  },
  /**
   * What the charter form offers to choose from: the site's priorities, the project's components (none
   * on the site admin page: components belong to a project) and the site's fields (system and custom).
   */
  getPickerOptions: {
    permission: 'admin-scope',
    input: z.object({ scope: Scope }),
    output: z.object({
      priorities: z.array(z.object({ id: z.string(), name: z.string() })),
      components: z.array(z.object({ id: z.string(), name: z.string() })),
      fields: z.array(z.object({ id: z.string(), name: z.string(), custom: z.boolean() })),
    }),
  },
  /**
   * Before the first failure: for each project (the site's projects in scope, or the settings page's
   * project), the fields its charter in force writes that the edit screen of an issue type lacks
   * (read from `editmeta` of a recent issue per type), each with what to do.
   */
  checkFieldWrites: {
    permission: 'admin-scope',
    input: z.object({ scope: Scope }),
    output: z.object({ projects: z.array(ProjectCheckSchema), problems: z.array(FieldWriteProblemSchema) }),
  },
  saveCharter: {
    permission: 'admin-scope',
    input: z.object({ scope: Scope, yaml: z.string().max(100_000), expectedVersion: z.number().int().min(0) }),
    output: z.object({ record: CharterRecordSchema }),
  },
  startDryRun: {
    permission: 'admin-project',
    input: z.object({ projectKey: ProjectKey, days: z.number().int().min(1).max(90) }),
    output: z.object({ runId: z.string() }),
  },
  getDryRun: {
    permission: 'admin-project',
    input: z.object({ projectKey: ProjectKey, runId: z.string().min(1) }),
    output: z.object({ result: DryRunResultSchema.nullable() }),
  },
  getAuditLog: {
    permission: 'admin-project',
    input: z.object({
      projectKey: ProjectKey,
      issueKey: IssueKey.optional(),
      outcome: z.enum(OUTCOMES).optional(),
      sinceDays: z.number().int().min(1).max(365).optional(),
      cursor: z.string().optional(),
    }),
    output: z.object({ entries: z.array(AuditEntrySchema), nextCursor: z.string().optional(), trust: TrustSchema }),
  },
  /**
   * The dashboard (for anyone who may browse the project: a team lead needs no admin right; it shows
   * aggregates and state names, no issue): its last result, at once, and the refresh in progress
   * (or the last one) if any.
   */
  getDashboard: {
    permission: 'browse-project',
    input: z.object({ projectKey: ProjectKey }),
    output: z.object({ dashboard: DashboardSchema.nullable(), progress: DashboardProgressSchema.nullable() }),
  },
  /** Starts a refresh over the issues updated in the last N days on the queue, or joins the one running (one per project at a time). */
  startDashboard: {
    permission: 'browse-project',
    input: z.object({
      projectKey: ProjectKey,
      days: z.number().int().min(1).max(90),
      goLive: GoLiveSchema.optional(),
      costs: DashboardCostsSchema.optional(),
    }),
    output: z.object({ progress: DashboardProgressSchema }),
  },
  /** What the page polls while a refresh runs: issues read so far, and its end. */
  getDashboardProgress: {
    permission: 'browse-project',
    input: z.object({ projectKey: ProjectKey }),
    output: z.object({ progress: DashboardProgressSchema.nullable() }),
  },
  getModelSettings: {
    permission: 'admin-site',
    input: z.object({}),
    output: z.object({
      settings: ModelSettingsSchema,
      usage: ModelUsageSchema,
      key: ModelKeyStatusSchema,
      edition: ModelEditionSchema,
    }),
  },
  saveModelSettings: {
    permission: 'admin-site',
    input: ModelSettingsSchema,
    output: z.object({ settings: ModelSettingsSchema }),
  },
  /** Write-only: the key goes to Forge's secret store; the answer says only that one is set. */
  setModelKey: {
    permission: 'admin-site',
    input: z.object({ apiKey: ApiKeySchema }),
    output: z.object({ key: ModelKeyStatusSchema }),
  },
  removeModelKey: {
    permission: 'admin-site',
    input: z.object({}),
    output: z.object({ key: ModelKeyStatusSchema }),
  },
  /** Chat (the Slack edition): what is connected and who is linked; never a secret. */
  getChatSettings: {
    permission: 'admin-site',
    input: z.object({}),
    output: ChatStatusSchema,
  },
  saveChatSettings: {
    permission: 'admin-site',
    input: ChatSettingsSchema,
    output: ChatStatusSchema,
  },
  /** Write-only: the token and secret go to Forge's secret store; the answer says only whether each is set. */
  setChatSecrets: {
    permission: 'admin-site',
    input: ChatSecretsSchema,
    output: ChatStatusSchema,
  },
  /** Links a person to the Slack user with their email (when Jira shares it with the app). */
  linkChatPerson: {
    permission: 'admin-site',
    input: z.object({ accountId: z.string().trim().min(1).max(128) }),
    /** `link`: whether it worked, and why not (no email shared, no Slack user with it, no token yet). */
    output: ChatStatusSchema.extend({ link: z.object({ linked: z.boolean(), why: z.string().optional() }) }),
  },
  /** The signed-in person's own chat link (issue panel): linked or not; never a code. */
  getChatLink: {
    permission: 'browse-issue',
    input: z.object({ issueKey: IssueKey }),
    output: ChatLinkSchema,
  },
  /** A fresh one-time code for the signed-in person to send the bot (15 minutes, works once); none once linked. */
  issueChatLinkCode: {
    permission: 'browse-issue',
    input: z.object({ issueKey: IssueKey }),
    output: ChatLinkSchema,
  },
  /** The project's daily report, for everyone who may browse the project (a team lead needs no admin right). */
  getDailyReport: {
    permission: 'browse-project',
    input: z.object({ projectKey: ProjectKey }),
    output: DailyReportSchema,
  },
  /** The project's trust per pattern, rule and week, for everyone who may browse it (team leads too). */
  getTrust: {
    permission: 'browse-project',
    input: z.object({ projectKey: ProjectKey, weeks: z.number().int().min(1).max(26).default(8) }),
    output: TrustReportSchema,
  },
  /** The project's router model: what it was trained on, when, and its measured accuracy and coverage. */
  getRouterModel: {
    permission: 'admin-project',
    input: z.object({ projectKey: ProjectKey }),
    output: RouterModelViewSchema,
  },
} as const;

export type ContractName = keyof typeof CONTRACTS;
export type ContractInput<N extends ContractName> = z.infer<(typeof CONTRACTS)[N]['input']>;
export type ContractOutput<N extends ContractName> = z.infer<(typeof CONTRACTS)[N]['output']>;
