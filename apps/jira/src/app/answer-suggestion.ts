import type { Action, Decision } from '@baton/core';
import type { JiraClient } from '@baton/jira';
import type { OVERRIDE_REASONS } from '../contracts/audit.ts';
import { ISSUE_STATE_PROPERTY, IssueStateSchema } from '@baton/jira/issue-state';
import { kindsOf } from './jira-proposal.ts';
import type { AppDeps } from './app-deps.ts';
import { recordAudit } from './audit-entry.ts';
import { executeDecision } from './execute-decision.ts';
import { pendingSuggestions } from './evaluate-issue.ts';
import { noteRouterOverride } from './router-model.ts';

/**
 * The decision with a person's words in its one message (a comment, notification, question or
 * escalation; who reads it unchanged: a team update stays internal, an email stays an email), or null
 * when it posts no message or more than one.
 */
function withText(d: Decision, text: string): Decision | null {
  const [a, ...rest] = d.actions;
  if (a === undefined || rest.length > 0) return null;
  const action: Action | null =
    a.kind === 'comment'
      ? { ...a, body: text }
      : a.kind === 'notify' || a.kind === 'escalate' || a.kind === 'requestInfo'
        ? { ...a, message: text }
        : null;
  return action === null ? null : { ...d, actions: [action], reason: `${d.reason} (edited before posting)` };
}

/** Is every action of the decision an email to this one person? */
function emailsOnlyTo(d: Decision, accountId: string): boolean {
  return d.actions.length > 0 && d.actions.every((a) => a.kind === 'notify' && a.via === 'email' && a.to === accountId);
}

/** `refused`: Jira said no to the person's Accept (their permission, a field off the screen); `why` is Jira's reason. */
export type AnswerResult = { outcome: 'accepted' | 'overridden' | 'not-pending' } | { outcome: 'refused'; why: string };

/**
 * A person's answer to a pending suggestion, from the issue panel or a chat surface. Accept carries
 * out the stored decision, every action of it, as that person (Jira checks their permissions; from
 * chat, the app after `answerFromChat` checked them) through the same exactly-once path. The charter's
 * gate is not asked again: it decided when the decision was made, and a person's accept is theirs to
 * make; what can have changed since is checked when it runs (the decision's key not taken, a priority
 * not already at or above, Jira's own permissions), and a nudge accepted counts in the day's caps.
 * Override records the reason. Either way the suggestion leaves the panel and the audit log learns
 * the answer (the trust score).
 */
export async function answerSuggestion(
  deps: AppDeps,
  asUser: JiraClient,
  req: {
    issueKey: string;
    suggestionKey: string;
    verdict: 'accept' | 'override';
    accountId: string;
    reason?: { code: (typeof OVERRIDE_REASONS)[number]; text: string };
    /** Where the answer was given when not in the issue panel (a chat surface and its user). */
    via?: { surface: string; userId: string };
    /** Accept with the person's words instead of the draft's (a suggestion that posts one message). */
    text?: string;
  },
): Promise<AnswerResult> {
  const now = deps.now();
  const via = req.via === undefined ? {} : { via: req.via };
  // The proposal comes from app storage: the issue property is a cache any editor of the issue can rewrite.
  const suggestion = await deps.storage.getSuggestion(req.issueKey, req.suggestionKey);
  const effect = await deps.storage.getEffect(req.suggestionKey);
  if (!suggestion || effect?.state !== 'suggested') return { outcome: 'not-pending' };
  let d = suggestion.decision;
  if (req.verdict === 'accept' && req.text !== undefined) {
    const edited = withText(d, req.text);
    if (edited === null) return { outcome: 'refused', why: 'only a suggestion that posts one message can be edited' };
    d = edited;
  }
  let result: AnswerResult;
  // One answer per suggestion: two people answering at once (the panel and a chat button, say) race
  // here, and only the first claim goes on. The others find it answered.
  const answerKey = `${d.id}:answer`;
  if (!(await deps.storage.claimEffect(answerKey, now))) return { outcome: 'not-pending' };
  if (req.verdict === 'accept' && emailsOnlyTo(d, req.accountId)) {
    // The email's one reader accepted it where they read it: there is nothing left to send (and Jira's
    // notify would refuse an email to the person sending it). The panel showed them the whole text.
    await deps.storage.setEffect(d.id, { state: 'resolved', at: now, detail: 'read in the panel by its addressee' });
    await recordAudit(deps.storage, d, 'accepted', now, req.accountId, via);
    result = { outcome: 'accepted' };
  } else if (req.verdict === 'accept') {
    // The answer's claim is the decision's: this is the first attempt at its actions, not a retry of
    // one that died (which would count an email it cannot read back from Jira as already sent).
    await deps.storage.setEffect(d.id, { state: 'claimed', at: now });
    let done: Awaited<ReturnType<typeof executeDecision>>;
    try {
      done = await executeDecision({ jira: asUser, storage: deps.storage, now: deps.now }, d, req.accountId, {
        claimHeld: true,
      });
    } catch (error) {
      // Jira failed for now (rethrown for the platform's retry): the suggestion stays to be answered again.
      await deps.storage.setEffect(d.id, { state: 'suggested', at: now });
      await deps.storage.releaseEffect(answerKey);
      throw error;
    }
    if (done === 'failed') {
      // executeDecision audited the refusal with Jira's words; the person hears them, not "accepted".
      const why = (await deps.storage.getEffect(d.id))?.detail ?? 'Jira refused the change';
      result = { outcome: 'refused', why };
    } else {
      await recordAudit(deps.storage, d, 'accepted', now, req.accountId, via);
      result = { outcome: 'accepted' };
    }
  } else {
    await deps.storage.setEffect(d.id, {
      state: 'resolved',
      at: now,
      detail: `overridden: ${req.reason?.code ?? 'other'}`,
    });
    await recordAudit(
      deps.storage,
      d,
      'overridden',
      now,
      req.accountId,
      req.reason ? { overrideReason: req.reason, ...via } : via,
    );
    // A router suggestion overridden is training signal: the issue's final labels weigh more next time.
    if (d.pattern === 'router') await noteRouterOverride(deps, req.issueKey);
    result = { outcome: 'overridden' };
  }
  await deps.storage.deleteSuggestion(req.issueKey, suggestion.key);
  // The property is rebuilt from storage (the cache the extension reads).
  const stateRaw = IssueStateSchema.safeParse(await deps.jira.getIssueProperty(req.issueKey, ISSUE_STATE_PROPERTY));
  if (stateRaw.success) {
    const next = {
      ...stateRaw.data,
      updatedAt: now,
      suggestions: await pendingSuggestions(deps.storage, req.issueKey),
      recent: [...stateRaw.data.recent, { key: d.id, kind: kindsOf(d), outcome: result.outcome, at: now }].slice(-20),
    };
    await deps.jira.setIssueProperty(req.issueKey, ISSUE_STATE_PROPERTY, next);
  }
  return result;
}
