import { JiraBadRequestError, JiraNotFoundError, effectOf, isCommentEffect, priorityRef } from '@baton/jira';
import type { EffectInput, JiraClient, JiraEffect } from '@baton/jira';
import type { GateRule } from '@baton/core';
import { actionOf } from '../domain/core-decision.ts';
import type { AppDecision } from '../domain/decision.ts';
import type { BatonStorage } from '../platform/baton-storage.ts';
import { adfParagraphs } from '@baton/jira';
import { recordAudit, utcDay } from './audit-entry.ts';
import { nudgeInChat, type ChatConnector } from './chat.ts';

export { DECISION_PROPERTY, JSM_PUBLIC_PROPERTY, commentVisibility } from '@baton/jira';

/** `deferred`: a nudge found the day's cap taken when it came to post (a concurrent one took the last slot). */
export type ExecuteResult = 'executed' | 'duplicate' | 'failed' | 'dropped' | 'deferred';

/** The effect's input: the decision's issue, key and core action, and a comment's body. */
function effectInput(d: AppDecision): EffectInput {
  const action = actionOf(d);
  const base = { issueKey: d.issueKey, decisionKey: d.key, action };
  if (!isCommentEffect(action.kind)) return base;
  const to = typeof d.proposal.to === 'string' ? d.proposal.to : null;
  const text = `${String(d.proposal.text ?? d.summary)}\n\nWhy: ${d.reason} (Baton decision ${d.key})`;
  return { ...base, body: adfParagraphs(text, to) };
}

/**
 * The issue's priority when it is already at or above `target` in the site's order (highest first),
 * else null. An unknown target is left for Jira to refuse (the decision then fails with its message).
 */
async function atOrAbove(jira: JiraClient, key: string, target: string): Promise<string | null> {
  const order = await jira.priorities();
  const rank = (r: { id?: string; name?: string }): number =>
    order.findIndex((p) => (r.id !== undefined ? p.id === r.id : p.name.toLowerCase() === r.name?.toLowerCase()));
  const wanted = rank(priorityRef(target));
  const current = (await jira.getIssue(key, { fields: ['priority'] })).fields?.priority as
    { id?: string; name?: string } | null | undefined;
  if (wanted < 0 || current === null || current === undefined) return null;
  const now = rank(current.id !== undefined ? { id: current.id } : current);
  return now >= 0 && now <= wanted ? (current.name ?? current.id ?? target) : null;
}

/** Why Jira said no, in words an admin can act on: a field's own error first (with the fix when it is the edit screen). */
function refusal(e: JiraBadRequestError | JiraNotFoundError): string {
  const fields = Object.entries(e.errors);
  if (fields.length === 0) return e.message;
  return fields
    .map(([field, msg]) =>
      /not on the appropriate screen/i.test(msg)
        ? `${field}: ${msg} Add the field to the project's edit screen so that Baton can set it.`
        : `${field}: ${msg}`,
    )
    .join('; ');
}

/** The person a nudge is addressed to (an account id), if it names one. */
export const nudgeRecipient = (d: AppDecision): string | null =>
  d.kind === 'nudge' && typeof d.proposal.to === 'string' && d.proposal.to !== '' ? d.proposal.to : null;

/**
 * Takes the nudge's slot for the day under the person's cap (when it names a person and a cap is
 * given), then under the issue's; a person's slot whose issue turned out full is given back.
 */
async function reserveDaySlots(
  storage: BatonStorage,
  d: AppDecision,
  day: string,
  opts: { nudgeCap?: number; personCap?: number },
): Promise<boolean> {
  const person = opts.personCap === undefined ? null : nudgeRecipient(d);
  if (person !== null && !(await storage.reservePersonNudge(person, day, opts.personCap!))) return false;
  if (await storage.reserveNudge(d.issueKey, day, opts.nudgeCap ?? Number.POSITIVE_INFINITY)) return true;
  if (person !== null) await storage.releasePersonNudge(person, day);
  return false;
}

/**
 * Exactly-once effects on at-least-once delivery: the decision's key is claimed in KVS before Jira
 * is touched, marked done after. A second delivery finds the claim and stops; an attempt that died
 * between claim and done is resolved by looking for the effect itself in Jira (comments carry the
 * key as a property). Transient Jira failures are rethrown so the platform retries the invocation.
 */
export async function executeDecision(
  deps: { jira: JiraClient; storage: BatonStorage; now: () => number; chat?: ChatConnector },
  d: AppDecision,
  actor = 'app',
  /** `because`: the gate's rule that let the app act, for the audit chain (a person's accept has none). */
  /** `nudgeCap`: the issue's nudges per UTC day; `personCap`: the nudged person's, across issues. */
  opts: { nudgeCap?: number; personCap?: number; because?: GateRule } = {},
): Promise<ExecuteResult> {
  const { jira, storage } = deps;
  const now = deps.now();
  const input = effectInput(d);
  const effect: JiraEffect | null = effectOf(input.action);
  if (effect === null) throw new Error(`decision ${d.key}: Jira does not carry out '${input.action.kind}'`);
  if (!(await storage.claimEffect(d.key, now))) {
    const rec = await storage.getEffect(d.key);
    if (rec?.state !== 'claimed') return 'duplicate';
    if (await effect.inJira(jira, input)) {
      await storage.setEffect(d.key, { state: 'done', at: now, detail: 'found in Jira after an interrupted attempt' });
      return 'duplicate';
    }
  }
  if (d.kind === 'setField' && d.proposal.raise === true) {
    const already = await atOrAbove(jira, d.issueKey, String(d.proposal.value));
    if (already !== null) {
      // Raising never lowers: a person (or an earlier step) put the issue at least this high.
      const why = `priority is already ${already}, at or above ${String(d.proposal.value)}`;
      await storage.setEffect(d.key, { state: 'resolved', at: now, detail: why });
      await recordAudit(storage, d, 'dropped', now, actor, { reason: `${d.reason} (${why})` });
      return 'dropped';
    }
  }
  try {
    // A comment's day slots (the person's, then the issue's) are taken before posting: the caps hold
    // however many evaluations and ticks run at once.
    if (isCommentEffect(input.action.kind) && !(await reserveDaySlots(storage, d, utcDay(now), opts))) {
      await storage.releaseEffect(d.key);
      return 'deferred';
    }
    // A nudge goes to the owner's chat when the admin chose so and they are linked; else it is the Jira comment.
    if (!(await nudgeInChat(deps, d, now))) await effect.apply(jira, input);
  } catch (e) {
    if (e instanceof JiraBadRequestError || e instanceof JiraNotFoundError) {
      // Jira refused for good (user cannot be assigned, field not on the edit screen, issue gone): retrying will not help.
      const why = refusal(e);
      await storage.setEffect(d.key, { state: 'resolved', at: now, detail: why });
      await recordAudit(storage, d, 'failed', now, actor, { reason: `${d.reason} — Jira refused: ${why}` });
      return 'failed';
    }
    throw e;
  }
  await storage.setEffect(d.key, { state: 'done', at: now });
  await recordAudit(storage, d, 'executed', now, actor, {}, opts.because);
  return 'executed';
}
