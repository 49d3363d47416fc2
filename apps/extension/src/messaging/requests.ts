import * as z from 'zod/mini';
import { AudienceSchema, COMMENT_VISIBILITIES, MAX_THREAD_MESSAGES, SITES, issueKey, text } from './protocol.ts';

// What the background parses: every request from a content script, the side panel or the options
// page, and the page read a content script answers the side panel with. Kept apart from protocol.ts so
// the content scripts, which only send these, do not carry their schemas.

/** One message of an email thread, as read from the page. */
export const EmailMessageSchema = z.object({
  from: z.object({ name: text, email: text }),
  date: text,
  text: text.check(z.maxLength(20_000)),
});
export type EmailMessage = z.infer<typeof EmailMessageSchema>;

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

export const CommentVisibilitySchema = z.enum(COMMENT_VISIBILITIES);
export type CommentVisibility = z.infer<typeof CommentVisibilitySchema>;

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
  /** Words (a text search) or JQL, as the rep typed them in the overlay. */
  z.object({ type: z.literal('jira.search'), query: text.check(z.minLength(1), z.maxLength(500)) }),
  /** What the rep may do to the issue now: its transitions and who it can be assigned to. */
  z.object({ type: z.literal('jira.options'), key: issueKey }),
  z.object({ type: z.literal('jira.transition'), key: issueKey, transitionId: text.check(z.regex(/^\d+$/)) }),
  z.object({ type: z.literal('jira.assign'), key: issueKey, accountId: z.nullable(text.check(z.maxLength(128))) }),
  /**
   * A new issue from the page: project, type, summary and description as the rep left them; the page's
   * entry (the email, the record) becomes its first comment, an internal note, and the page is linked.
   */
  z.object({
    type: z.literal('jira.create'),
    project: text.check(z.regex(/^[A-Z][A-Z0-9_]+$/)),
    issueType: text.check(z.minLength(1), z.maxLength(60)),
    summary: text.check(z.minLength(1), z.maxLength(255)),
    description: text.check(z.maxLength(20_000)),
    pageId: text.check(z.minLength(1), z.maxLength(300)),
    page: LinkedPageSchema,
    entry: LogEntrySchema,
  }),
  /** The options page's "Test my model": a sample draft through the rep's own model. */
  z.object({ type: z.literal('model.test') }),
  z.object({ type: z.literal('options.open') }),
  /** The side the panel is docked to on a site: read it, or (with `side`) remember it on this device. */
  z.object({ type: z.literal('panel.side'), site: z.enum(SITES), side: z.optional(z.enum(['left', 'right'])) }),
]);
export type Request = z.infer<typeof RequestSchema>;
export type RequestType = Request['type'];

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
