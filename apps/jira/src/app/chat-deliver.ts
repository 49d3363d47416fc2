import {
  type ApprovalMessage,
  type ChatDelivery,
  type ChatMessage,
  type DeliveryIssue,
  type NudgeMessage,
  type QuestionMessage,
  type UpdateMessage,
  type Result,
} from '@baton/core';
import { OVERRIDE_REASON_LABELS, OVERRIDE_REASONS } from '../contracts/audit.ts';
import type { Action, ActionKind, Decision } from '@baton/core';
import type { Suggestion } from '@baton/jira/issue-state';
import { commentText } from './jira-proposal.ts';
import type { AppDeps } from './app-deps.ts';
import { namedSuggestions } from './people.ts';
import { missingInfoQuestion, type MissingInfoQuestion } from './missing-info.ts';
import type { AppChat, ChatConnector } from '../ports/chat.ts';

/*
 * What the app sends to chat on its own (outbound): approvals offered, nudges, questions and the
 * concierge's channel updates, each at most once per id. Answers coming back are `chat-answer.ts`.
 */

/** Delivers a message at most once per id and keeps it for the answers to come. */
export async function deliverInChat(chat: AppChat, message: ChatMessage): Promise<Result<ChatDelivery, DeliveryIssue>> {
  const delivered = await chat.surface.deliver(message);
  if (delivered.ok && !delivered.value.repeated) await chat.remember(message, delivered.value);
  return delivered;
}

/** A pending suggestion as core's approval message: its id is the decision's idempotency key. */
export function approvalMessage(s: Suggestion, approver: string, at: number): ApprovalMessage {
  const d = s.decision;
  return {
    kind: 'approval',
    id: d.id,
    at,
    to: { kind: 'person', accountId: approver },
    case: { caseId: d.caseId, title: s.summary, url: null },
    decisionId: d.id,
    actions: [s.summary],
    text: d.reason,
    evidence: [],
    confidence: d.confidence,
    risk: d.risk,
    overrideReasons: OVERRIDE_REASONS.map((code) => ({ code, label: OVERRIDE_REASON_LABELS[code] })),
  };
}

/**
 * Offers a just-suggested decision to the chat approver, when the admin chose approvals in chat and the
 * approver is linked. The panel keeps the suggestion either way: a delivery Slack refuses or delays is
 * logged, and the suggestion waits in Jira.
 */
export async function offerInChat(deps: AppDeps, s: Suggestion, at: number): Promise<void> {
  const chat = await deps.chat?.();
  const approver = chat?.settings.approver ?? null;
  if (chat === undefined || !chat.settings.deliver.approval || approver === null) return;
  if (!(await chat.isLinked(approver))) return;
  // The approver reads people by their Jira names; the message's id and the stored decision keep ids.
  const [named] = await namedSuggestions(deps, [s]);
  const delivered = await deliverInChat(chat, approvalMessage(named ?? s, approver, at));
  if (!delivered.ok) console.warn(`baton: approval ${s.key} not delivered in chat: ${delivered.issues[0]?.message}`);
}

/** A watchdog nudge as core's chat message: its id is the decision's idempotency key (one DM per nudge). */
export function nudgeMessage(d: Decision, action: Action, owner: string, at: number): NudgeMessage {
  const text = commentText(action);
  return {
    kind: 'nudge',
    id: d.id,
    at,
    to: { kind: 'person', accountId: owner },
    case: { caseId: d.caseId, title: null, url: null },
    decisionId: d.id,
    text: text === '' ? d.reason : text,
    evidence: d.evidence,
  };
}

/** The actions that may go to their person's chat instead of Jira, and who that person is: a nudge or a question. */
const CHAT_RECIPIENT: { [K in ActionKind]?: (a: Extract<Action, { kind: K }>) => string } = {
  notify: (a) => a.to,
  requestInfo: (a) => a.from,
};

/**
 * Sends a nudge as a direct message instead of a Jira comment, when the admin chose nudges in chat and
 * the owner is linked; true when it is in chat (now, or from an earlier attempt of the same decision).
 * False leaves the nudge to Jira: no chat, nudges not chosen, the owner not linked, or Slack refusing or
 * out of patience (the comment then carries it, so nothing is lost).
 */
export async function nudgeInChat(
  deps: { chat?: ChatConnector },
  d: Decision,
  action: Action,
  at: number,
): Promise<boolean> {
  const question = action.kind === 'requestInfo' ? missingInfoQuestion(d) : null;
  if (question !== null) return askInChat(deps, d, question, at);
  const owner = (CHAT_RECIPIENT[action.kind] as ((a: Action) => string) | undefined)?.(action) ?? null;
  if (owner === null || owner === '') return false;
  const chat = await deps.chat?.();
  if (chat === undefined || !chat.settings.deliver.nudge || !(await chat.isLinked(owner))) return false;
  const delivered = await deliverInChat(chat, nudgeMessage(d, action, owner, at));
  if (!delivered.ok) console.warn(`baton: nudge ${d.id} falls back to a Jira comment: ${delivered.issues[0]?.message}`);
  return delivered.ok;
}

/** The concierge's internal update as core's channel message: its id is the decision's key (one post per change). */
export function updateMessage(d: Decision, body: string, channel: string, at: number): UpdateMessage {
  return {
    kind: 'update',
    id: d.id,
    at,
    to: { kind: 'channel', channel },
    case: { caseId: d.caseId, title: null, url: null },
    decisionId: d.id,
    text: body,
  };
}

/**
 * The concierge's internal update on a meaningful change, also posted to the team's channel when the admin
 * chose updates in chat and named a channel. The Jira comment stays the record, so a post Slack refuses or
 * delays past the adapter's patience is logged, not retried (the effect is already done in Jira).
 */
export async function updateInChannel(
  deps: { chat?: ChatConnector },
  d: Decision,
  action: Action,
  at: number,
): Promise<void> {
  if (d.pattern !== 'concierge' || action.kind !== 'comment' || action.audience !== 'internal') return;
  const chat = await deps.chat?.();
  const channel = chat?.settings.channel ?? null;
  if (chat === undefined || !chat.settings.deliver.update || channel === null) return;
  const delivered = await deliverInChat(chat, updateMessage(d, action.body, channel, at));
  if (!delivered.ok) console.warn(`baton: update ${d.id} not posted to ${channel}: ${delivered.issues[0]?.message}`);
}

/** The missing-information loop's request or reminder as core's question: its id is the decision's key. */
export function questionMessage(d: Decision, q: MissingInfoQuestion, at: number): QuestionMessage {
  return {
    kind: 'question',
    id: d.id,
    at,
    to: { kind: 'person', accountId: q.to },
    case: { caseId: d.caseId, title: null, url: null },
    decisionId: d.id,
    text: q.message,
    items: [...q.items],
  };
}

/**
 * Asks the loop's question as a direct message instead of the @mention comment, when the admin chose
 * questions in chat and the reporter is linked; false leaves it to Jira (as for nudges: nothing is lost).
 */
async function askInChat(
  deps: { chat?: ChatConnector },
  d: Decision,
  q: MissingInfoQuestion,
  at: number,
): Promise<boolean> {
  const chat = await deps.chat?.();
  if (chat === undefined || !chat.settings.deliver.question || q.items.length === 0) return false;
  if (!(await chat.isLinked(q.to))) return false;
  const delivered = await deliverInChat(chat, questionMessage(d, q, at));
  if (!delivered.ok)
    console.warn(`baton: question ${d.id} falls back to a Jira comment: ${delivered.issues[0]?.message}`);
  return delivered.ok;
}
