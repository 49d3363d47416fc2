import {
  planAnswer,
  type AnswerIssue,
  type ChatAnswer,
  type ChatDelivery,
  type NudgeMessage,
  type QuestionMessage,
} from '@baton/core';
import { OVERRIDE_REASONS } from '../contracts/audit.ts';
import type { DeferringRule, Outcome, SettledOutcome } from '../contracts/audit.ts';
import type { ActionKind, Decision } from '@baton/core';
import { answerSuggestion } from './answer-suggestion.ts';
import type { AppDeps } from './app-deps.ts';
import {
  DECISION_PROPERTY,
  JIRA_EFFECTS,
  JSM_PUBLIC_PROPERTY,
  WAITING_PROPERTY,
  commentVisibility,
  WaitingPropertySchema,
  adfParagraphs,
  withSaid,
  type WaitingSaid,
} from '@baton/jira';
import { auditEntry } from './audit-entry.ts';
import { displayNames, namedSuggestions } from './people.ts';
import { reassignFromChat } from './chat-reassign.ts';
import type { AppChat } from '../ports/chat.ts';
import { RetryLaterError } from '../ports/retry-later.ts';

/** How long a line said to a chat user is remembered against a redelivered queue item. */
const SAID_MS = 24 * 3_600_000;

/**
 * Says a line to a chat user who wrote to Baton (the web trigger queued it to answer Slack at once), once per
 * item id. Slack's rate limit past the adapter's patience goes back to the queue with its wait (delayed, not
 * lost); a surface that refuses is logged, not retried (the person can write again).
 */
export async function sayInChat(deps: AppDeps, item: { id: string; userId: string; text: string }): Promise<void> {
  const chat = await deps.chat?.();
  const hold = `said:${item.id}`;
  if (chat === undefined || !(await chat.hold(hold, SAID_MS))) return;
  const said = await chat.say(item.userId, item.text);
  if (said.ok) return;
  const issue = said.issues[0];
  if (issue?.code === 'chat.retryLater') {
    await chat.release(hold);
    throw new RetryLaterError(`a chat answer waits for Slack: ${issue.message}`, issue.retryAfterMs ?? 60_000);
  }
  console.warn(`baton: could not answer ${item.userId} in chat: ${issue?.message}`);
}

/** What Jira must grant the approver on the issue before the app carries out each kind of action as itself. */
const PERMISSION_OF_KIND: Readonly<Record<ActionKind, string>> = {
  assign: 'ASSIGN_ISSUES',
  setField: 'EDIT_ISSUES',
  addLabel: 'EDIT_ISSUES',
  transition: 'TRANSITION_ISSUES',
  notify: 'ADD_COMMENTS',
  requestInfo: 'ADD_COMMENTS',
  escalate: 'ADD_COMMENTS',
  comment: 'ADD_COMMENTS',
};
/** Every permission the decision's actions need (an override needs only to see the issue). */
const permissionsFor = (answer: ChatAnswer, d: Decision): string[] =>
  answer.kind === 'approve'
    ? ['BROWSE_PROJECTS', ...new Set(d.actions.map((a) => PERMISSION_OF_KIND[a.kind]))]
    : ['BROWSE_PROJECTS'];

/** What became of an answer given in chat. */
export type ChatAnswerOutcome =
  | { outcome: 'accepted' | 'overridden' | 'not-pending' | 'unknown-message' | 'no-chat' | 'noted' | 'not-here' }
  | { outcome: 'refused'; code: AnswerIssue['code'] | 'jira'; why: string };

const WHAT_TO_DO: Readonly<Record<AnswerIssue['code'], string>> = {
  'chat.message': 'This answer is for another message.',
  'chat.answerKind': 'This message does not take that answer.',
  'chat.unlinked':
    'Link your Slack account to Jira first: open Baton in any Jira issue for a one-time code and send it to me here.',
  'chat.notAddressee': 'This suggestion was sent to someone else; only they can answer it.',
  'chat.forbidden': 'Your Jira account may not make this change on the issue, so nothing was done.',
};

/** Whether Jira grants the account every permission in `need` on the issue. */
async function grantedOn(deps: AppDeps, account: string, issueKey: string, need: readonly string[]): Promise<boolean> {
  const issueId = String((await deps.jira.getIssue(issueKey, { fields: ['summary'] })).id);
  const has = await deps.jira.permissionsOn(account, issueId, need);
  return need.every((p) => has[p] === true);
}

/** The audit row of an answer to a nudge or a question: who answered, from where, and what became of it. */
function answerAudit(
  deps: AppDeps,
  message: NudgeMessage | QuestionMessage,
  answer: ChatAnswer,
  pattern: 'watchdog' | 'router',
  now: number,
) {
  const via = { surface: answer.by.surface, userId: answer.by.userId };
  return (outcome: 'answered' | 'refused', reason: string, id: string) =>
    deps.storage.appendAudit({
      id,
      decisionKey: message.decisionId,
      issueKey: message.case.caseId,
      at: now,
      pattern,
      kind: 'nudge',
      outcome,
      reason,
      actor: answer.by.accountId ?? `${via.surface}:${via.userId}`,
      via,
    });
}

/** Why an answer to a nudge or a question was refused: the plan's first issue, or an answer it does not take. */
function refusalOf(
  plan: ReturnType<typeof planAnswer>,
  what: 'a nudge' | 'a question',
  answer: ChatAnswer,
): Extract<ChatAnswerOutcome, { outcome: 'refused' }> {
  const issue = plan.ok ? undefined : (plan.issues[0] as AnswerIssue);
  return issue === undefined
    ? { outcome: 'refused', code: 'chat.answerKind', why: `${what} takes no '${answer.kind}' answer` }
    : { outcome: 'refused', code: issue.code, why: `${issue.message}. ${WHAT_TO_DO[issue.code]}` };
}

/**
 * Settles the answered message (its buttons give way to what became of the answer). Slack's rate limit
 * past the adapter's patience goes back to the queue with its wait: the redelivered answer finds its
 * key done and settles with the words kept with it, changing nothing in Jira again. An approval's
 * redelivery finds the suggestion no longer pending and would not settle, so its settle is only logged,
 * as is a surface that refuses: the answer itself was carried out.
 */
async function settleInChat(
  chat: AppChat,
  delivery: ChatDelivery,
  text: string,
  redelivered: 'settles again' | 'does not settle' = 'settles again',
): Promise<void> {
  const settled = await chat.surface.settle(delivery, text);
  if (settled.ok) return;
  const issue = settled.issues[0];
  if (issue?.code === 'chat.retryLater' && redelivered === 'settles again')
    throw new RetryLaterError(
      `settling a chat message waits for Slack: ${issue.message}`,
      issue.retryAfterMs ?? 60_000,
    );
  console.warn(`baton: could not settle chat message ${delivery.ref}: ${issue?.message}`);
}

/**
 * Carries out an answer once per key and gives the words its message settles with. The key is claimed
 * before Jira is touched; an attempt that died after claiming is finished (each step checks Jira first);
 * a redelivered answer gets the words kept with the claim; `undefined` while another attempt holds it.
 */
async function onceForAnswer(
  deps: AppDeps,
  key: string,
  now: number,
  act: () => Promise<string>,
): Promise<string | undefined> {
  const claimed = await deps.storage.claimEffect(key, now);
  const effect = claimed ? undefined : await deps.storage.getEffect(key);
  if (!claimed && effect?.state !== 'claimed') return effect?.state === 'done' ? effect.detail : undefined;
  const settled = await act();
  await deps.storage.setEffect(key, { state: 'done', at: now, detail: settled });
  return settled;
}

/**
 * An answer given in chat to a suggestion, carried out on the Accept path of the issue panel
 * (`answerSuggestion`: the same gate, idempotency key, caps and audit), after Jira confirmed that the
 * linked account may do it (`POST /permissions/check` as the app: the chat click has no Jira user
 * session, so the change itself is made by the app in that person's name). Refusals change nothing in
 * Jira, are audited with both people, and are told to the person where they clicked.
 */
export async function answerFromChat(deps: AppDeps, answer: ChatAnswer): Promise<ChatAnswerOutcome> {
  const chat = await deps.chat?.();
  if (chat === undefined) return { outcome: 'no-chat' };
  const kept = await chat.recall(answer.messageId);
  if (kept === undefined) return { outcome: 'unknown-message' };
  if (kept.message.kind === 'nudge')
    return answerNudge(deps, chat, { message: kept.message, delivery: kept.delivery }, answer);
  if (kept.message.kind === 'question')
    return answerQuestion(deps, chat, { message: kept.message, delivery: kept.delivery }, answer);
  if (kept.message.kind !== 'approval') return { outcome: 'unknown-message' };
  const { message, delivery } = kept;
  const issueKey = message.case.caseId;
  const suggestion = await deps.storage.getSuggestion(issueKey, message.decisionId);
  if (suggestion === undefined) return { outcome: 'not-pending' };
  const d = suggestion.decision;
  const account = answer.by.accountId;
  let permitted = false;
  if (account !== null && account === message.to.accountId)
    permitted = await grantedOn(deps, account, issueKey, permissionsFor(answer, d));
  const plan = planAnswer(message, answer, { pattern: d.pattern, permitted });
  const via = { surface: answer.by.surface, userId: answer.by.userId };
  if (!plan.ok) {
    const issue = plan.issues[0] as AnswerIssue;
    const why = `${issue.message}. ${WHAT_TO_DO[issue.code]}`;
    // Audited as a row (who, from where, why), not in the hash chain: nothing was decided or done.
    await deps.storage.appendAudit({
      ...auditEntry(d, 'refused', deps.now(), account ?? `${via.surface}:${via.userId}`, { reason: why, via }),
      id: `${d.id}#refused#${via.userId}#${deps.now()}`,
    });
    await chat.reopen(message.id);
    await chat.surface.tell(delivery, answer.by.userId, why);
    return { outcome: 'refused', code: issue.code, why };
  }
  const accountId = account as string;
  const executes = plan.value.effects.some((e) => e.kind === 'execute');
  const result = await answerSuggestion(deps, deps.jira, {
    issueKey,
    suggestionKey: suggestion.key,
    verdict: executes ? 'accept' : 'override',
    accountId,
    via,
    ...(answer.kind === 'override' ? { reason: overrideReason(answer.reason) } : {}),
  });
  if (result.outcome === 'refused') {
    await chat.surface.tell(delivery, answer.by.userId, `Jira refused the change: ${result.why}`);
    return { outcome: 'refused', code: 'jira', why: result.why };
  }
  if (result.outcome !== 'not-pending') {
    const [named] = await namedSuggestions(deps, [suggestion]);
    const by = (await displayNames(deps, [accountId])).get(accountId) ?? accountId;
    const what = named?.summary ?? suggestion.summary;
    await settleInChat(
      chat,
      delivery,
      result.outcome === 'accepted'
        ? `Approved by ${by}: ${what} (${issueKey})`
        : `Overridden by ${by}: ${what} (${issueKey})`,
      'does not settle',
    );
  }
  return { outcome: result.outcome };
}

/** A short, stable digest of an answer's words (the key that keeps a redelivered answer from commenting twice). */
function digest(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

/** What Jira must grant the owner before the app carries out their answer to a nudge in their name. */
const NUDGE_PERMISSIONS: Readonly<Record<'onIt' | 'blocked' | 'reassign', readonly string[]>> = {
  onIt: ['BROWSE_PROJECTS'],
  blocked: ['BROWSE_PROJECTS', 'ADD_COMMENTS'],
  reassign: ['BROWSE_PROJECTS', 'ASSIGN_ISSUES'],
};

/** The words of an answer that make it this answer and no other (its idempotency key's tail). */
const answerWords = (answer: ChatAnswer): string =>
  answer.kind === 'blocked' ? `${answer.waitingReason}:${answer.detail}` : answer.kind;

/** What the audit row of an answer to a nudge says the owner said. */
const SAID: Readonly<Record<'onIt' | 'blocked' | 'reassign', (a: ChatAnswer) => string>> = {
  onIt: () => 'On it: the owner took the case; nudges wait as after a touch',
  blocked: (a) => (a.kind === 'blocked' ? `Blocked by: ${a.detail} (waiting on ${a.waitingReason})` : 'Blocked'),
  reassign: () => "Reassign: hand the case to the router's next choice",
};

/**
 * An owner's answer to a nudge, carried out once per answer (an effect claim keyed by the message and
 * the answer's words), after Jira confirmed the linked account may do it on the issue:
 * - "Blocked by…" lands in Jira as a comment (the app's, since a chat click has no Jira user session,
 *   with a line naming the Slack user and the Jira account) and as the waiting reason: an entry of the
 *   `baton.waiting` issue property, which the mapper reads as a visit of core's `blockedState`, so the
 *   time counts as waiting on that reason and the watchdog's stall starts over in it;
 * - "On it" is the owner's touch in the same property: the charter's recent-touch rule holds the nudges,
 *   and it ends a block the owner had reported;
 * - "Reassign" asks core's router for the next owner without the person (`reassignFromChat`), and the
 *   choice goes through the charter's gate: assigned, suggested to the approver, deferred or dropped.
 * The issue is then evaluated again on the queue (the app's own writes fire no event it listens to).
 * Each answer and each refusal is an audit row with both people; the settled message's words are kept
 * with the claim, so a redelivered answer settles it the same way.
 */
async function answerNudge(
  deps: AppDeps,
  chat: AppChat,
  kept: { message: NudgeMessage; delivery: ChatDelivery },
  answer: ChatAnswer,
): Promise<ChatAnswerOutcome> {
  const { message, delivery } = kept;
  const issueKey = message.case.caseId;
  const account = answer.by.accountId;
  const via = { surface: answer.by.surface, userId: answer.by.userId };
  const kind = answer.kind === 'onIt' || answer.kind === 'blocked' || answer.kind === 'reassign' ? answer.kind : null;
  let permitted = false;
  if (kind !== null && account !== null && account === message.to.accountId)
    permitted = await grantedOn(deps, account, issueKey, NUDGE_PERMISSIONS[kind]);
  const plan = planAnswer(message, answer, { pattern: 'watchdog', permitted });
  const now = deps.now();
  const row = answerAudit(deps, message, answer, 'watchdog', now);
  if (!plan.ok || kind === null) {
    const refusal = refusalOf(plan, 'a nudge', answer);
    await row('refused', refusal.why, `${message.decisionId}#refused#${via.userId}#${now}`);
    await chat.surface.tell(delivery, answer.by.userId, refusal.why);
    return refusal;
  }
  const accountId = account as string;
  const key = `${message.id}#${kind}#${digest(answerWords(answer))}`;
  const settled = await onceForAnswer(deps, key, now, async () => {
    let said = SAID[kind](answer);
    let words: string;
    if (kind === 'reassign') {
      // The router's next choice, through the charter's gate, under a key of this answer.
      const r = await reassignFromChat(deps, issueKey, accountId, key);
      said += r.kind === 'nobody' ? `: ${r.why}` : `: ${r.to} (${r.outcome.outcome})`;
      words =
        r.kind === 'nobody'
          ? `Reassign: ${r.why}; ${issueKey} stays with you for now.`
          : `Reassign: ${issueKey} ${reassignedText(r.outcome, r.to)}`;
    } else {
      await tellBaton(deps, issueKey, answer, key, accountId, now);
      const comment = plan.value.effects.find((e) => e.kind === 'comment');
      if (comment !== undefined && comment.kind === 'comment') {
        const action = { kind: 'comment' as const, body: comment.body, audience: 'internal' as const };
        if (!(await JIRA_EFFECTS.comment.inJira(deps.jira, { issueKey, decisionKey: key, action }))) {
          const text = `${comment.body}\n\n${comment.attribution} (Jira account ${comment.author})`;
          await deps.jira.addComment(issueKey, adfParagraphs(text, message.to.accountId), {
            [DECISION_PROPERTY]: key,
          });
        }
      }
      words =
        kind === 'blocked'
          ? `${SAID.blocked(answer)}: noted on ${issueKey} in Jira.`
          : `On it: ${issueKey} is yours; Baton holds the nudges for now.`;
    }
    await row('answered', said, `${key}#answered`);
    // The app's own writes fire no event it listens to: look at the issue again now that it changed.
    await deps.queue.push([{ kind: 'evaluate', keys: [issueKey], reason: `chat:${kind}` }]);
    return words;
  });
  if (settled !== undefined) await settleInChat(chat, delivery, settled);
  return { outcome: 'noted' };
}

/** How the settled nudge reads after "Reassign", by the gate's outcome for the router's choice. */
const REASSIGNED: Readonly<Partial<Record<Outcome, string>>> = {
  executed: 'is now assigned to {to}.',
  suggested: 'goes to {to} once an approver accepts it.',
  duplicate: 'was already handed to {to}.',
  dropped: 'stays with you: the charter does not let Baton reassign it.',
};

/** …and, when the gate deferred it, by the rule that holds it. */
const REASSIGN_DEFERRED: Readonly<Record<DeferringRule['code'], string>> = {
  'caps.perCaseDay': 'goes to {to} later (a cap holds it today).',
  'caps.perPersonDay': 'goes to {to} later (a cap holds it today).',
  'caps.quietHours': 'goes to {to} after quiet hours.',
  'caps.recentTouch': 'goes to {to} once the issue has been quiet for a while.',
};

/** What the settled nudge says the reassignment came to. */
const reassignedText = (o: SettledOutcome, to: string): string =>
  (
    (o.outcome === 'deferred' ? REASSIGN_DEFERRED[o.because.code] : REASSIGNED[o.outcome]) ??
    `goes to {to} (${o.outcome})`
  ).replace('{to}', to);

/**
 * Records what the owner said in the issue's `baton.waiting` property, under the answer's key (a second
 * write of the same answer changes nothing): the mapper reads it as their event, a block as a visit of
 * `blockedState(reason)`.
 */
async function tellBaton(
  deps: AppDeps,
  issueKey: string,
  answer: ChatAnswer,
  key: string,
  by: string,
  at: number,
): Promise<void> {
  const via = { surface: answer.by.surface, userId: answer.by.userId };
  const entry: WaitingSaid =
    answer.kind === 'blocked'
      ? { kind: 'blocked', key, reason: answer.waitingReason, detail: answer.detail, at, by, via }
      : { kind: 'onIt', key, at, by, via };
  const current = WaitingPropertySchema.safeParse(await deps.jira.getIssueProperty(issueKey, WAITING_PROPERTY));
  // A property the app cannot read is replaced: it is the app's own, and the mapper would refuse it anyway.
  const next = withSaid(current.success ? current.data : undefined, entry);
  if (next.changed) await deps.jira.setIssueProperty(issueKey, WAITING_PROPERTY, next.property);
}

/** The override reason as the audit keeps it: a code from the app's list (anything else is "other", with its words). */
function overrideReason(reason: { code: string; text: string }): {
  code: (typeof OVERRIDE_REASONS)[number];
  text: string;
} {
  const known = (OVERRIDE_REASONS as readonly string[]).includes(reason.code);
  return known
    ? { code: reason.code as (typeof OVERRIDE_REASONS)[number], text: reason.text }
    : { code: 'other', text: `${reason.code}${reason.text === '' ? '' : `: ${reason.text}`}` };
}

/**
 * A reporter's typed answer to the loop's question, carried out once per answer (an effect claim keyed by the
 * message and the words): posted on the issue as the app's comment with the attribution line (a chat click
 * has no Jira user session, so nobody's own comment can be made), visible to the customer on a service
 * desk; the comment is named as theirs in the `baton.waiting` property, so the mapper reads it as the
 * reporter's words and their touch (readiness counts it, where the app's own words never count); then the
 * issue is evaluated again on the queue, so readiness is checked at once and the loop closes when the
 * answer carries what was missing. Only the person asked may answer; nothing of theirs is used in Jira
 * (the app writes), so no Jira permission of theirs is checked: a service desk customer may answer too.
 */
async function answerQuestion(
  deps: AppDeps,
  chat: AppChat,
  kept: { message: QuestionMessage; delivery: ChatDelivery },
  answer: ChatAnswer,
): Promise<ChatAnswerOutcome> {
  const { message, delivery } = kept;
  const issueKey = message.case.caseId;
  const account = answer.by.accountId;
  const via = { surface: answer.by.surface, userId: answer.by.userId };
  const plan = planAnswer(message, answer, { pattern: 'router', permitted: true });
  const now = deps.now();
  const row = answerAudit(deps, message, answer, 'router', now);
  if (!plan.ok || answer.kind !== 'reply') {
    const refusal = refusalOf(plan, 'a question', answer);
    await row('refused', refusal.why, `${message.decisionId}#refused#${via.userId}#${now}`);
    if (refusal.code === 'chat.unlinked') await chat.reopen(message.id);
    await chat.surface.tell(delivery, answer.by.userId, refusal.why);
    return refusal;
  }
  const accountId = account as string;
  const key = `${message.id}#reply#${digest(answer.text)}`;
  const settled = await onceForAnswer(deps, key, now, async () => {
    const comment = plan.value.effects.find((e) => e.kind === 'comment');
    if (comment === undefined || comment.kind !== 'comment')
      throw new Error(`a reply to ${message.id} plans no comment`);
    const commentId = await replyComment(deps, issueKey, key, comment);
    const entry: WaitingSaid = { kind: 'reply', key, at: now, by: accountId, via, commentId };
    const current = WaitingPropertySchema.safeParse(await deps.jira.getIssueProperty(issueKey, WAITING_PROPERTY));
    const next = withSaid(current.success ? current.data : undefined, entry);
    if (next.changed) await deps.jira.setIssueProperty(issueKey, WAITING_PROPERTY, next.property);
    await row('answered', `Answered the question on ${issueKey}: ${clip(answer.text)}`, `${key}#answered`);
    // Readiness at once: the app's own writes fire no event it listens to.
    await deps.queue.push([{ kind: 'evaluate', keys: [issueKey], reason: 'chat:reply' }]);
    return `Thanks: your answer is on ${issueKey} in Jira.`;
  });
  if (settled !== undefined) await settleInChat(chat, delivery, settled);
  return { outcome: 'noted' };
}

const clip = (text: string): string => (text.length > 120 ? `${text.slice(0, 119)}…` : text);

/** The comment with the person's words and who said them, found again after an interrupted attempt. */
async function replyComment(
  deps: AppDeps,
  issueKey: string,
  key: string,
  comment: { body: string; attribution: string; author: string; audience: 'internal' | 'customer' },
): Promise<string> {
  const existing = (await deps.jira.listComments(issueKey, { withProperties: true })).find((c) =>
    c.properties?.some((p) => p.key === DECISION_PROPERTY && p.value === key),
  );
  if (existing !== undefined) return String(existing.id);
  const text = `${comment.body}\n\n${comment.attribution} (Jira account ${comment.author})`;
  const posted = await deps.jira.addComment(issueKey, adfParagraphs(text, null), {
    [DECISION_PROPERTY]: key,
    [JSM_PUBLIC_PROPERTY]: commentVisibility(comment.audience),
  });
  return String(posted.id);
}
