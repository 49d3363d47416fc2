import * as z from 'zod';

/**
 * What happened to a case. Readers of every source (Jira changelogs, webhooks, XES and CSV event
 * logs) produce these; everything downstream (analytics, patterns) reads only these.
 *
 * - `created`: the case's first appearance (Jira: issue creation).
 * - `status`: a change of workflow state (Jira `status` field).
 * - `owner`: a change of owner (Jira `assignee`, or the `--owner` attribute of an event log).
 * - `field`: any other field change (`field` holds the Jira fieldId, never the localised name).
 * - `comment`: a comment or message on the case; `text` holds its plain text.
 * - `activity`: an event-log event (XES/CSV): `to` is the activity (state) it records.
 */
export const EVENT_KINDS = ['created', 'status', 'owner', 'field', 'comment', 'activity'] as const;
export const EventKindSchema = z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof EventKindSchema>;

export const CaseEventSchema = z.object({
  caseId: z.string().min(1),
  /** Epoch milliseconds (UTC). */
  at: z.number().int(),
  /** The source's UTC offset in minutes, kept so that output can show the time as the source did. */
  offsetMinutes: z
    .number()
    .int()
    .min(-18 * 60)
    .max(18 * 60),
  kind: EventKindSchema,
  /** Field id for `field`/`status`/`owner` changes (`status`, `assignee`, `customfield_10010`). */
  field: z.string().optional(),
  from: z.string().nullable().optional(),
  to: z.string().nullable().optional(),
  /** Who did it (account id, user name or resource). */
  actor: z.string().nullable().optional(),
  /** The case's workflow state after this event, when the source tells it. */
  state: z.string().nullable().optional(),
  /** The case's owner after this event (assignee, group, resource), when the source tells it. */
  owner: z.string().nullable().optional(),
  /** Plain text of a comment. */
  text: z.string().optional(),
});
export type CaseEvent = z.infer<typeof CaseEventSchema>;
