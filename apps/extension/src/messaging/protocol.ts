import { AUDIENCES } from '@baton/core';
import { PacketViewSchema, SlaDisplaySchema } from '@baton/jira/views';
import * as z from 'zod/mini';
import type { RequestType } from './requests.ts';

// The request schemas (what the background parses) are in `requests.ts`: the content scripts import
// this file, which holds only what they check (answers and tab messages), to stay within their budget.
export type {
  CommentVisibility,
  EmailMessage,
  LinkedPage,
  LogEntry,
  PageRead,
  Request,
  RequestType,
} from './requests.ts';

// The messages between the content scripts / options page and the background worker. zod/mini keeps
// the content scripts small (the full zod build would triple their size) while both ends share one
// schema: the background parses every request, the page parses every response.

export const SITES = ['gmail', 'salesforce'] as const;
export type Site = (typeof SITES)[number];
/** Core's audiences (customer, internal, executive): the rep picks one for the draft. */
export { AUDIENCES };
export const AudienceSchema = z.enum(AUDIENCES);
export type Audience = z.infer<typeof AudienceSchema>;

export const text = z.string();
export const issueKey = z.string().check(z.regex(/^[A-Z][A-Z0-9_]+-\d+$/));

/** The most messages of one thread Baton reads and logs (the latest ones). */
export const MAX_THREAD_MESSAGES = 20;

/**
 * Who may read a logged comment. In Jira Service Management a comment made through the REST API is
 * public (the customer portal and its emails) unless it carries `sd.public.comment` = `{ internal: true }`;
 * Baton logs internal notes unless the rep chooses otherwise.
 */
export const COMMENT_VISIBILITIES = ['internal', 'public'] as const;

export const CaseSummarySchema = z.object({
  key: issueKey,
  summary: text,
  status: text,
  statusCategory: z.enum(['new', 'indeterminate', 'done', 'unknown']),
  assignee: z.nullable(text),
  url: text,
});
export type CaseSummary = z.infer<typeof CaseSummarySchema>;

/**
 * Who worded a text that the rules computed, when the rep's own model is on: `pending` (the rules'
 * text, while `case.word` asks the model), `model` (it reworded it; the facts are the rules') or
 * `rules` (it was asked and its answer could not be used: `reason` says why, in the rep's words).
 * Absent when no model is asked.
 */
export const WordingSchema = z.discriminatedUnion('by', [
  z.object({ by: z.literal('pending') }),
  z.object({ by: z.literal('model'), model: text }),
  z.object({ by: z.literal('rules'), reason: text }),
]);
export type Wording = z.infer<typeof WordingSchema>;

/**
 * The packet view (`@baton/jira/views`, the shape `baton.state` carries) as the rep is shown it: people
 * by display name, issue links as addresses; and where it came from and who worded it.
 */
export const PacketSchema = z.extend(PacketViewSchema, {
  /** `jira-app`: read from the issue property the Jira app stores; `browser`: core's clerk run here on the issue. */
  source: z.enum(['jira-app', 'browser']),
  /** Set when the summary was reworded on this device by the browser's built-in Summarizer. */
  summaryBy: z.optional(z.literal('browser-model')),
  /** Set when the rep's own model was asked to reword the summary. */
  summaryWording: z.optional(WordingSchema),
});
export type Packet = z.infer<typeof PacketSchema>;

/** The SLA display state (`@baton/jira/sla-display`, shared with the Jira app). */
export const SlaSchema = SlaDisplaySchema;
export type Sla = z.infer<typeof SlaSchema>;

export const DraftSchema = z.object({
  audience: AudienceSchema,
  subject: text,
  text,
  wording: z.optional(WordingSchema),
});
export type Draft = z.infer<typeof DraftSchema>;

export const CaseViewSchema = z.object({
  case: CaseSummarySchema,
  packet: PacketSchema,
  sla: z.nullable(SlaSchema),
  drafts: z.array(DraftSchema),
});
export type CaseView = z.infer<typeof CaseViewSchema>;

export const FindResultSchema = z.object({
  linked: z.nullable(issueKey),
  candidates: z.array(CaseSummarySchema),
  siteUrl: text,
});
export type FindResult = z.infer<typeof FindResultSchema>;

/** The data each request answers with, when it succeeds. */
export const ResponseDataSchemas = {
  'cases.find': FindResultSchema,
  'case.view': CaseViewSchema,
  'case.word': CaseViewSchema,
  /** `shared`: written to Jira as a remote link (every teammate sees it); false: kept on this device only. */
  'link.set': z.object({ linked: z.nullable(issueKey), shared: z.boolean(), note: z.optional(text) }),
  'jira.log': z.object({ commentId: text, url: text }),
  'jira.ping': z.object({ displayName: text, siteUrl: text }),
  'jira.search': z.object({ candidates: z.array(CaseSummarySchema) }),
  'jira.options': z.object({
    transitions: z.array(z.object({ id: text, name: text })),
    assignees: z.array(z.object({ accountId: text, name: text })),
  }),
  'jira.transition': z.object({ key: issueKey }),
  'jira.assign': z.object({ key: issueKey }),
  'jira.create': z.object({ key: issueKey, linked: z.boolean() }),
  'model.test': WordingSchema,
  'options.open': z.object({ opened: z.boolean() }),
  'panel.side': z.object({ side: z.enum(['left', 'right']) }),
} satisfies Record<RequestType, z.ZodMiniType>;
export type ResponseData<T extends RequestType> = z.infer<(typeof ResponseDataSchemas)[T]>;

export const ERROR_CODES = [
  'bad-request',
  'not-configured',
  'no-permission',
  'unauthenticated',
  'forbidden',
  'not-found',
  'rate-limited',
  'jira-error',
  'unreachable',
  'bad-response',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export const ErrorSchema = z.object({ code: z.enum(ERROR_CODES), message: text });
export type BatonError = z.infer<typeof ErrorSchema>;

/** Errors do not cross the message channel as exceptions: every answer is an envelope. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: BatonError };

export const EnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorSchema }),
]);

/**
 * To a tab's content script: `overlay.toggle` (the toolbar button, where the browser has no side
 * panel), `page.read` (the side panel asks what the page is about; the content script alone reads it).
 */
export const TabMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('overlay.toggle') }),
  z.object({ type: z.literal('page.read') }),
]);
export type TabMessage = z.infer<typeof TabMessageSchema>;
