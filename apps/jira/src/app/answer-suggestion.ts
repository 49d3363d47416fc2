import type { JiraClient } from '@baton/jira';
import type { OVERRIDE_REASONS } from '../contracts/audit.ts';
import { ISSUE_STATE_PROPERTY, IssueStateSchema } from '@baton/jira/issue-state';
import { kindsOf } from './jira-proposal.ts';
import type { AppDeps } from './app-deps.ts';
import { recordAudit } from './audit-entry.ts';
import { executeDecision } from './execute-decision.ts';
import { pendingSuggestions } from './evaluate-issue.ts';
import { noteRouterOverride } from './router-model.ts';

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
  },
): Promise<AnswerResult> {
  const now = deps.now();
  const via = req.via === undefined ? {} : { via: req.via };
  // The proposal comes from app storage: the issue property is a cache any editor of the issue can rewrite.
  const suggestion = await deps.storage.getSuggestion(req.issueKey, req.suggestionKey);
  const effect = await deps.storage.getEffect(req.suggestionKey);
  if (!suggestion || effect?.state !== 'suggested') return { outcome: 'not-pending' };
  const d = suggestion.decision;
  let result: AnswerResult;
  if (req.verdict === 'accept') {
    // Release the suggestion's claim so the execution path can claim it for the actions.
    await deps.storage.setEffect(d.id, { state: 'claimed', at: now });
    const done = await executeDecision({ jira: asUser, storage: deps.storage, now: deps.now }, d, req.accountId);
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
