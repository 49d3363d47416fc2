import { SLA_STATES } from '@baton/jira/sla-display';
import * as z from 'zod/mini';

// The messages between the content scripts / options page and the background worker. zod/mini keeps
// the content scripts small (the full zod build would triple their size) while both ends share one
// schema: the background parses every request, the page parses every response.

export const SITES = ['gmail', 'salesforce'] as const;
export type Site = (typeof SITES)[number];
export const AUDIENCES = ['customer', 'account-team'] as const;
export const AudienceSchema = z.enum(AUDIENCES);
export type Audience = z.infer<typeof AudienceSchema>;

const text = z.string();
const issueKey = z.string().check(z.regex(/^[A-Z][A-Z0-9_]+-\d+$/));

/** One message of an email thread, as read from the page. */
export const EmailMessageSchema = z.object({
  from: z.object({ name: text, email: text }),
  date: text,
  text: text.check(z.maxLength(20_000)),
});
export type EmailMessage = z.infer<typeof EmailMessageSchema>;

/** The most messages of one thread Baton reads and logs (the latest ones). */
export const MAX_THREAD_MESSAGES = 20;

/** What the rep asked Baton to write to Jira: messages of an email thread, or a CRM record's key facts. */
export const LogEntrySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('email'),
    subject: text,
    /** Oldest first; the page read gives every message, the rep chooses which to log. */
    messages: z.array(EmailMessageSchema).check(z.minLength(1), z.maxLength(MAX_THREAD_MESSAGES)),
    link: text,
  }),
  z.object({
    kind: z.literal('record'),
    object: text,
    recordId: text,
    name: text,
    fields: z.array(z.object({ label: text, value: text })).check(z.maxLength(60)),
    link: text,
  }),
]);
export type LogEntry = z.infer<typeof LogEntrySchema>;

/**
 * Who may read a logged comment. In Jira Service Management a comment made through the REST API is
 * public (the customer portal and its emails) unless it carries `sd.public.comment` = `{ internal: true }`;
 * Baton logs internal notes unless the rep chooses otherwise.
 */
export const COMMENT_VISIBILITIES = ['internal', 'public'] as const;
export const CommentVisibilitySchema = z.enum(COMMENT_VISIBILITIES);
export type CommentVisibility = z.infer<typeof CommentVisibilitySchema>;

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

export const PacketSchema = z.object({
  summary: text,
  decisions: z.array(text),
  openQuestions: z.array(text),
  links: z.array(z.object({ title: text, url: text })),
  nextOwner: z.nullable(text),
  definitionOfReady: z.array(z.object({ item: text, present: z.boolean() })),
  /** `jira-app`: read from the issue property the Jira app stores; `browser`: derived here from the issue. */
  source: z.enum(['jira-app', 'browser']),
  /** Set when the summary was reworded on this device by the browser's built-in Summarizer. */
  summaryBy: z.optional(z.literal('browser-model')),
  /** Set when the rep's own model was asked to reword the summary. */
  summaryWording: z.optional(WordingSchema),
});
export type Packet = z.infer<typeof PacketSchema>;

/** The SLA display state (`@baton/jira/sla-display`, shared with the Jira app). */
export const SlaSchema = z.object({
  state: z.enum(SLA_STATES),
  label: text,
  dueAt: z.nullable(text),
});
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

/** The page as a remote link shows it in Jira: its address and title. */
export const LinkedPageSchema = z.object({
  url: text.check(z.maxLength(2000)),
  title: text.check(z.minLength(1), z.maxLength(255)),
});
export type LinkedPage = z.infer<typeof LinkedPageSchema>;

export const RequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('cases.find'),
    pageId: text.check(z.minLength(1), z.maxLength(300)),
    keys: z.array(issueKey).check(z.maxLength(50)),
    text: text.check(z.maxLength(500)),
    /** For moving a link kept on this device to Jira (once), as a remote link. */
    page: z.optional(LinkedPageSchema),
  }),
  z.object({ type: z.literal('case.view'), key: issueKey, audience: AudienceSchema }),
  /** The view reworded by the rep's own model (the background asks it; slow, so after `case.view`). */
  z.object({ type: z.literal('case.word'), key: issueKey, audience: AudienceSchema }),
  z.object({
    type: z.literal('link.set'),
    pageId: text.check(z.minLength(1), z.maxLength(300)),
    key: z.nullable(issueKey),
    page: z.optional(LinkedPageSchema),
  }),
  z.object({ type: z.literal('jira.log'), key: issueKey, entry: LogEntrySchema, visibility: CommentVisibilitySchema }),
  z.object({ type: z.literal('jira.ping') }),
  /** The options page's "Test my model": a sample draft through the rep's own model. */
  z.object({ type: z.literal('model.test') }),
  z.object({ type: z.literal('options.open') }),
]);
export type Request = z.infer<typeof RequestSchema>;
export type RequestType = Request['type'];

/** The data each request answers with, when it succeeds. */
export const ResponseDataSchemas = {
  'cases.find': FindResultSchema,
  'case.view': CaseViewSchema,
  'case.word': CaseViewSchema,
  /** `shared`: written to Jira as a remote link (every teammate sees it); false: kept on this device only. */
  'link.set': z.object({ linked: z.nullable(issueKey), shared: z.boolean(), note: z.optional(text) }),
  'jira.log': z.object({ commentId: text, url: text }),
  'jira.ping': z.object({ displayName: text, siteUrl: text }),
  'model.test': WordingSchema,
  'options.open': z.object({ opened: z.boolean() }),
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

/** The content script's answer to `page.read`: the page as its site adapter read it. */
export const PageReadSchema = z.object({
  url: text,
  site: z.enum(SITES),
  audience: AudienceSchema,
  extraction: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('page'),
      context: z.object({
        site: z.enum(SITES),
        pageId: text.check(z.minLength(1), z.maxLength(300)),
        title: text,
        keys: z.array(issueKey).check(z.maxLength(50)),
        searchText: text,
        entry: LogEntrySchema,
      }),
    }),
    z.object({ kind: z.literal('elsewhere'), message: text }),
    z.object({ kind: z.literal('unrecognised'), message: text }),
  ]),
});
export type PageRead = z.infer<typeof PageReadSchema>;
