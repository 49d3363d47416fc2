import * as z from 'zod';
import { EvidenceSchema, RiskSchema } from '../decision/decision.ts';
import { DailyReportSchema } from '../agent/concierge/report-daily.ts';

/**
 * What Baton says to people on a chat surface. A message names its recipient in Baton's terms (a Jira
 * account, or a channel the charter names); the adapter resolves that to its own ids. Each message
 * has a stable `id`: delivering the same id twice is one message (redelivery, retries).
 */

/** A person, by the account of the system of record (Jira's `accountId`). */
export const ChatPersonSchema = z.object({ kind: z.literal('person'), accountId: z.string().min(1) });
/** A channel the charter or the admin names, in the surface's own id (`C024BE91L`). */
export const ChatChannelSchema = z.object({ kind: z.literal('channel'), channel: z.string().min(1) });
export const ChatTargetSchema = z.discriminatedUnion('kind', [ChatPersonSchema, ChatChannelSchema]);
export type ChatTarget = z.infer<typeof ChatTargetSchema>;

/** The case a message is about, with a link back to the system of record. */
export const ChatCaseSchema = z.object({
  caseId: z.string().min(1),
  title: z.string().nullable(),
  url: z.url().nullable(),
});
export type ChatCase = z.infer<typeof ChatCaseSchema>;

/** A reason a person may give for overriding a suggestion: a code the audit counts and a label people read. */
export const ChatReasonChoiceSchema = z.object({ code: z.string().min(1), label: z.string().min(1).max(75) });
export type ChatReasonChoice = z.infer<typeof ChatReasonChoiceSchema>;

const base = {
  /** Stable across redelivery: the decision's idempotency key, or `report:<channel>:<day>`. */
  id: z.string().min(1).max(255),
  /** Epoch ms of the moment Baton decided to say it. */
  at: z.number().int(),
};

/** The watchdog's nudge to an owner: what is blocked, since when, what is needed, the SLA at stake. */
export const NudgeMessageSchema = z.object({
  ...base,
  kind: z.literal('nudge'),
  to: ChatPersonSchema,
  case: ChatCaseSchema,
  decisionId: z.string().min(1),
  /** The decision's reason, as core wrote it. */
  text: z.string().min(1),
  /** The facts behind it (state, idle time, SLA line), shown as context. */
  evidence: z.array(EvidenceSchema),
});

/** The router's missing-information question to a reporter or requester. */
export const QuestionMessageSchema = z.object({
  ...base,
  kind: z.literal('question'),
  to: ChatPersonSchema,
  case: ChatCaseSchema,
  decisionId: z.string().min(1),
  text: z.string().min(1),
  /** What is missing, one item per entry. */
  items: z.array(z.string().min(1)).min(1),
});

/** A suggestion (assist mode) for an approver to approve or override. */
export const ApprovalMessageSchema = z.object({
  ...base,
  kind: z.literal('approval'),
  to: ChatPersonSchema,
  case: ChatCaseSchema,
  decisionId: z.string().min(1),
  /** One line per action the suggestion would carry out. */
  actions: z.array(z.string().min(1)).min(1),
  text: z.string().min(1),
  evidence: z.array(EvidenceSchema),
  confidence: z.number().min(0).max(1),
  risk: RiskSchema,
  /** The reasons the override picker offers (the charter's list); free text is always allowed beside them. */
  overrideReasons: z.array(ChatReasonChoiceSchema).min(1),
});

/** The concierge's daily operational report, posted to the channel the charter names. */
export const ReportMessageSchema = z.object({
  ...base,
  kind: z.literal('report'),
  to: ChatChannelSchema,
  /** The UTC day the report covers (`2026-12-07`): at most one report per channel and day. */
  day: z.iso.date(),
  report: DailyReportSchema,
  /** The report as plain text (`renderDailyReportText`), for surfaces and notifications without blocks. */
  text: z.string().min(1),
});

/**
 * The concierge's internal update on a meaningful change of a case, posted to the team's channel (the Jira
 * comment stays the record); its id is the update decision's key, so one change is one post.
 */
export const UpdateMessageSchema = z.object({
  ...base,
  kind: z.literal('update'),
  to: ChatChannelSchema,
  case: ChatCaseSchema,
  decisionId: z.string().min(1),
  text: z.string().min(1),
});

export const ChatMessageSchema = z.discriminatedUnion('kind', [
  NudgeMessageSchema,
  QuestionMessageSchema,
  ApprovalMessageSchema,
  ReportMessageSchema,
  UpdateMessageSchema,
]);
export type ChatMessage = z.infer<typeof ChatMessageSchema>;
export type ChatMessageKind = ChatMessage['kind'];
export type NudgeMessage = z.infer<typeof NudgeMessageSchema>;
export type QuestionMessage = z.infer<typeof QuestionMessageSchema>;
export type ApprovalMessage = z.infer<typeof ApprovalMessageSchema>;
export type ReportMessage = z.infer<typeof ReportMessageSchema>;
export type UpdateMessage = z.infer<typeof UpdateMessageSchema>;
export const CHAT_MESSAGE_KINDS = [
  'nudge',
  'question',
  'approval',
  'report',
  'update',
] as const satisfies readonly ChatMessageKind[];

/**
 * The id of the daily report for a channel and day: posting it twice is one post.
 * @example reportMessageId('C024BE91L', '2026-12-07') // 'report:C024BE91L:2026-12-07'
 */
export function reportMessageId(channel: string, day: string): string {
  return `report:${channel}:${day}`;
}
