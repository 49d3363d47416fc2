import * as z from 'zod';
import { WaitingReasonSchema } from '../model/workflow.ts';
import type { ChatMessageKind } from './chat-message.ts';

/**
 * What a person answers on a chat surface, in Baton's terms. The adapter verifies the request, parses
 * the surface's payload into one of these, and names who answered on the surface and, once linked,
 * in the system of record; what the answer does to the case is `planAnswer`'s.
 */

/** Who answered: the surface's user and, when linked, their Jira account (null: not linked yet). */
export const ChatActorSchema = z.object({
  surface: z.string().min(1),
  /** The surface's user id (Slack `U0G9QF9C6`). */
  userId: z.string().min(1),
  /** The surface's workspace (Slack `team_id`), when it has one. */
  workspace: z.string().min(1).nullable(),
  accountId: z.string().min(1).nullable(),
});
export type ChatActor = z.infer<typeof ChatActorSchema>;

/** Jira's comment and Slack's text inputs both hold more; Baton keeps a reason short enough to read in a list. */
export const REASON_MAX = 500;
/** A free-text answer becomes a Jira comment; Slack's plain-text input takes at most 3,000 characters. */
export const REPLY_MAX = 3000;

const base = {
  /** The `id` of the message answered. */
  messageId: z.string().min(1).max(255),
  by: ChatActorSchema,
};

export const ChatAnswerSchema = z.discriminatedUnion('kind', [
  /** "On it": the owner takes the case; the nudges wait as after a person's touch. */
  z.object({ ...base, kind: z.literal('onIt') }),
  /** "Blocked by…": who or what the case waits on, and why in the person's words. */
  z.object({
    ...base,
    kind: z.literal('blocked'),
    waitingReason: WaitingReasonSchema,
    detail: z.string().trim().min(1).max(REASON_MAX),
  }),
  /** "Reassign": hand the case to the router's next choice. */
  z.object({ ...base, kind: z.literal('reassign') }),
  /** Approve a suggestion: it executes as Accept does in the issue panel. */
  z.object({ ...base, kind: z.literal('approve') }),
  /** Override a suggestion, with a reason from the offered list and free text. */
  z.object({
    ...base,
    kind: z.literal('override'),
    reason: z.object({ code: z.string().min(1), text: z.string().trim().max(REASON_MAX) }),
  }),
  /** A typed answer to a missing-information question. */
  z.object({ ...base, kind: z.literal('reply'), text: z.string().trim().min(1).max(REPLY_MAX) }),
]);
export type ChatAnswer = z.infer<typeof ChatAnswerSchema>;
export type ChatAnswerKind = ChatAnswer['kind'];
export const CHAT_ANSWER_KINDS = [
  'onIt',
  'blocked',
  'reassign',
  'approve',
  'override',
  'reply',
] as const satisfies readonly ChatAnswerKind[];

/** The answers each kind of message offers; anything else arriving for it is refused. */
export const ANSWERS_OF: Readonly<Record<ChatMessageKind, readonly ChatAnswerKind[]>> = {
  nudge: ['onIt', 'blocked', 'reassign'],
  question: ['reply'],
  approval: ['approve', 'override'],
  report: [],
  update: [],
};
