import type { AuditRecord } from '../decision/audit.ts';
import type { Pattern } from '../decision/decision.ts';
import type { WaitingReason } from '../model/workflow.ts';
import { fail, ok, type Issue, type Result } from '../result.ts';
import { ANSWERS_OF, type ChatActor, type ChatAnswer, type ChatAnswerKind } from './chat-answer.ts';
import type { ChatMessage } from './chat-message.ts';

/**
 * What an answer given on a chat surface does to the case, as data the app carries out with the same
 * adapters, gate and audit as an answer given in Jira. Core decides; the app executes.
 */
export type AnswerEffect =
  /** A comment in the person's name (or the app's, with the attribution line, where they cannot comment). */
  | {
      readonly kind: 'comment';
      readonly author: string;
      readonly body: string;
      readonly attribution: string;
      readonly audience: 'internal' | 'customer';
    }
  /** The case now waits on someone: the app records the waiting reason the workflow map knows. */
  | { readonly kind: 'waiting'; readonly reason: WaitingReason }
  /** A person took the case: counts as human activity, so the charter's recent-touch rule holds the nudges. */
  | { readonly kind: 'touch'; readonly by: string }
  /** Ask the router for the next owner, leaving out the person who handed it on. */
  | { readonly kind: 'reroute'; readonly exclude: string }
  /** Carry out the suggested decision exactly as Accept does in the issue panel (same gate, same key). */
  | { readonly kind: 'execute'; readonly decisionId: string }
  /** Check the definition of ready again now that an answer arrived. */
  | { readonly kind: 'recheckReadiness' }
  /** Append to the case's audit chain. */
  | { readonly kind: 'audit'; readonly record: AuditRecord };

export type AnswerIssueCode =
  'chat.message' | 'chat.answerKind' | 'chat.unlinked' | 'chat.notAddressee' | 'chat.forbidden';
export interface AnswerIssue extends Issue {
  readonly code: AnswerIssueCode;
}

export interface AnswerContext {
  /** The pattern that proposed the message's decision (for the audit record). */
  readonly pattern: Pattern;
  /**
   * The system of record's verdict for the linked account: may this person do what the answer asks on
   * this case (approve: the permission Accept needs; others: comment)? Looked up by the caller first.
   */
  readonly permitted: boolean;
}

export interface AnswerPlan {
  readonly caseId: string;
  readonly effects: readonly AnswerEffect[];
}

const attribution = (by: ChatActor): string => `Answered on ${by.surface} by ${by.userId}`;
const via = (by: ChatActor) => ({ surface: by.surface, userId: by.userId });

type Effects = {
  [K in ChatAnswerKind]: (
    answer: Extract<ChatAnswer, { kind: K }>,
    message: Extract<ChatMessage, { decisionId: string }>,
    account: string,
    context: AnswerContext,
  ) => AnswerEffect[];
};

/** Each answer declares what it does; `planAnswer` stays generic. */
const EFFECTS: Effects = {
  onIt: (a, _m, account) => [{ kind: 'touch', by: account }],
  blocked: (a, _m, account) => [
    {
      kind: 'comment',
      author: account,
      body: `Blocked by: ${a.detail} (waiting on ${a.waitingReason})`,
      attribution: attribution(a.by),
      audience: 'internal',
    },
    { kind: 'waiting', reason: a.waitingReason },
    { kind: 'touch', by: account },
  ],
  reassign: (_a, _m, account) => [{ kind: 'reroute', exclude: account }],
  approve: (a, m, account, c) => [
    {
      kind: 'audit',
      record: {
        type: 'outcome',
        decisionId: m.decisionId,
        pattern: c.pattern,
        outcome: 'accepted',
        by: account,
        via: via(a.by),
      },
    },
    { kind: 'execute', decisionId: m.decisionId },
  ],
  override: (a, m, account, c) => [
    {
      kind: 'audit',
      record: {
        type: 'outcome',
        decisionId: m.decisionId,
        pattern: c.pattern,
        outcome: 'overridden',
        by: account,
        reason: a.reason.code,
        ...(a.reason.text === '' ? {} : { note: a.reason.text }),
        via: via(a.by),
      },
    },
  ],
  reply: (a, _m, account) => [
    { kind: 'comment', author: account, body: a.text, attribution: attribution(a.by), audience: 'customer' },
    { kind: 'touch', by: account },
    { kind: 'recheckReadiness' },
  ],
};

const refuse = (code: AnswerIssueCode, path: (string | number)[], message: string): Result<never, AnswerIssue> =>
  fail({ code, path, message });

/**
 * What `answer` to `message` does, or why it is refused: an answer to another message, one the message
 * does not offer, from a person not linked to an account, from someone the message was not for, or from
 * an account without the permission.
 * @example planAnswer(nudge, { kind: 'onIt', messageId: nudge.id, by }, { pattern: 'watchdog', permitted: true })
 */
export function planAnswer(
  message: ChatMessage,
  answer: ChatAnswer,
  context: AnswerContext,
): Result<AnswerPlan, AnswerIssue> {
  if (answer.messageId !== message.id)
    return refuse('chat.message', ['messageId'], `answers message ${answer.messageId}, not ${message.id}`);
  if (message.kind === 'report' || message.kind === 'update' || !ANSWERS_OF[message.kind].includes(answer.kind))
    return refuse('chat.answerKind', ['kind'], `a ${message.kind} message offers no '${answer.kind}' answer`);
  const account = answer.by.accountId;
  if (account === null)
    return refuse(
      'chat.unlinked',
      ['by', 'accountId'],
      `${answer.by.surface} user ${answer.by.userId} is not linked to a Jira account yet`,
    );
  if (account !== message.to.accountId)
    return refuse(
      'chat.notAddressee',
      ['by', 'accountId'],
      `the message was for ${message.to.accountId}, not ${account}`,
    );
  if (!context.permitted)
    return refuse(
      'chat.forbidden',
      ['by', 'accountId'],
      `${account} lacks the Jira permission to ${answer.kind} on ${message.case.caseId}`,
    );
  const effects = (EFFECTS[answer.kind] as Effects[ChatAnswerKind] as (...args: unknown[]) => AnswerEffect[])(
    answer,
    message,
    account,
    context,
  );
  return ok({ caseId: message.case.caseId, effects });
}
