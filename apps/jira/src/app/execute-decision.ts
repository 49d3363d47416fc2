import { JiraBadRequestError, JiraNotFoundError, effectOf, isCommentEffect, priorityRef } from '@baton/jira';
import type { EffectInput, JiraClient, JiraEffect } from '@baton/jira';
import { traitsOf } from '@baton/core';
import type { Charter, Decision } from '@baton/core';
import { charterFor } from './charter-for.ts';
import { commentText, personOf, raisesOnly } from './jira-proposal.ts';
import type { EffectLedger } from '../ports/effect-ledger.ts';
import type { NudgeCaps } from '../ports/nudge-caps.ts';
import type { BatonStorage } from '../ports/storage.ts';
import type { DeferringRule } from '../contracts/audit.ts';
import { adfParagraphs } from '@baton/jira';
import { recordAudit, utcDay } from './audit-entry.ts';
import type { ChatConnector } from '../ports/chat.ts';
import { nudgeInChat, updateInChannel } from './chat-deliver.ts';
import { displayNames, namedTexts, peopleNamedBy } from './people.ts';

export { DECISION_PROPERTY, JSM_PUBLIC_PROPERTY, commentVisibility } from '@baton/jira';

/**
 * What carrying out a decision came to. A deferral names the cap it found taken when it came to post (a
 * concurrent nudge took the day's last slot), as core's gate rule.
 */
export type ExecuteResult = 'executed' | 'duplicate' | 'failed' | 'dropped' | { deferred: DeferringRule };

/**
 * The key one action's effect is made and found under: the decision's own for its first action (as
 * every decision before them had one), `<key>#<n>` for the n-th after it.
 */
const effectKey = (d: Decision, i: number): string => (i === 0 ? d.id : `${d.id}#${i + 1}`);

/** Each action's effect input: the decision's issue, the action's key and core's action, and a comment's body. */
function effectInputs(d: Decision, publicKinds: readonly string[]): EffectInput[] {
  return d.actions.map((action, i) => {
    const base = { issueKey: d.caseId, decisionKey: effectKey(d, i), action };
    if (!isCommentEffect(action.kind)) return base;
    const text = `${commentText(action)}\n\nWhy: ${d.reason} (Baton decision ${d.id})`;
    const body = adfParagraphs(text, personOf(action));
    return publicKinds.includes(action.kind) ? { ...base, body, public: true } : { ...base, body };
  });
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

/** The people the decision's nudges go to (account ids), for the charter's per-person cap: core's traits say who. */
export const nudgeRecipients = (d: Pick<Decision, 'actions'>): string[] => [
  ...new Set(
    d.actions.flatMap((a) => {
      const t = traitsOf(a);
      return t.nudge && t.recipient !== null && t.recipient !== '' ? [t.recipient] : [];
    }),
  ),
];

/**
 * Takes the decision's slot for the day under each nudged person's cap (when a cap is given), then
 * under the issue's; slots taken for a decision that turned out over a cap are given back. Null when
 * every slot was taken, else the cap that was full.
 */
async function reserveDaySlots(
  storage: EffectLedger & NudgeCaps,
  d: Decision,
  day: string,
  opts: { nudgeCap?: number; personCap?: number },
): Promise<DeferringRule | null> {
  const people = opts.personCap === undefined ? [] : nudgeRecipients(d);
  const taken: string[] = [];
  const giveBack = async (full: DeferringRule): Promise<DeferringRule> => {
    for (const person of taken) await storage.releasePersonNudge(person, day);
    return full;
  };
  for (const person of people) {
    if (!(await storage.reservePersonNudge(person, day, opts.personCap!)))
      return giveBack({ code: 'caps.perPersonDay' });
    taken.push(person);
  }
  if (await storage.reserveNudge(d.caseId, day, opts.nudgeCap ?? Number.POSITIVE_INFINITY)) return null;
  return giveBack({ code: 'caps.perCaseDay' });
}

/**
 * Carries out core's decision, every action in order, exactly once on at-least-once delivery: the
 * decision's key is claimed in KVS before Jira is touched, marked done after. A second delivery finds
 * the claim and stops; an attempt that died between claim and done finishes what it cannot find in
 * Jira (comments carry their key as a property). Transient Jira failures are rethrown so the platform
 * retries the invocation. The gate is not asked again: it decided when the decision was made.
 */
export async function executeDecision(
  deps: { jira: JiraClient; storage: BatonStorage; now: () => number; chat?: ChatConnector },
  d: Decision,
  actor = 'app',
  /**
   * `nudgeCap`: the issue's nudges per UTC day; `personCap`: each nudged person's, across issues.
   * `byGate`: the gate decided to act (the audit chain records its decision); a person's accept did not.
   * `charter`: the one the caller decided under (who may read a comment); read from storage when absent.
   * `claimHeld`: the caller already holds the decision's claim (a person's accept of a suggestion took
   * it), so this attempt is the first, not one finishing an interrupted attempt.
   */
  opts: { nudgeCap?: number; personCap?: number; byGate?: boolean; charter?: Charter; claimHeld?: boolean } = {},
): Promise<ExecuteResult> {
  const { jira, storage } = deps;
  const now = deps.now();
  // Which messages a Service Management customer may read is the charter's say (the caller's, else read now).
  const publicKinds = d.actions.some((a) => isCommentEffect(a.kind))
    ? (opts.charter ?? (await charterFor(storage, d.caseId.split('-')[0] as string))).serviceDesk.publicMessages
    : [];
  // What people read names people (Jira's display names); the claim, the effects' keys and the audit keep
  // core's decision, ids only.
  const reads = d.actions.some((a) => isCommentEffect(a.kind));
  const shown = reads ? namedTexts(d, await displayNames(deps, peopleNamedBy(d))) : d;
  const inputs = effectInputs(shown, publicKinds);
  const effects = inputs.map((input) => {
    const effect: JiraEffect | null = effectOf(input.action);
    if (effect === null) throw new Error(`decision ${d.id}: Jira does not carry out '${input.action.kind}'`);
    return { input, effect };
  });
  let todo = effects;
  if (opts.claimHeld !== true && !(await storage.claimEffect(d.id, now))) {
    const rec = await storage.getEffect(d.id);
    if (rec?.state !== 'claimed') return 'duplicate';
    // An attempt died between its claim and done: what it made is found in Jira, the rest is made now.
    todo = [];
    for (const e of effects) if (!(await e.effect.inJira(jira, e.input))) todo.push(e);
    if (todo.length === 0) {
      await storage.setEffect(d.id, { state: 'done', at: now, detail: 'found in Jira after an interrupted attempt' });
      return 'duplicate';
    }
  }
  // Raising never lowers: a priority a person (or an earlier step) put at least this high is left.
  const moot: string[] = [];
  const kept: typeof todo = [];
  for (const e of todo) {
    const a = e.input.action;
    if (!raisesOnly(d, a) || a.kind !== 'setField') {
      kept.push(e);
      continue;
    }
    const already = await atOrAbove(jira, d.caseId, String(a.value));
    if (already === null) kept.push(e);
    else moot.push(`priority is already ${already}, at or above ${String(a.value)}`);
  }
  if (kept.length === 0) {
    const why = moot.join('; ');
    await storage.setEffect(d.id, { state: 'resolved', at: now, detail: why });
    await recordAudit(storage, d, 'dropped', now, actor, { reason: `${d.reason} (${why})` });
    return 'dropped';
  }
  try {
    // A nudge's day slots (the people's, then the issue's) are taken before posting: the caps hold
    // however many evaluations and ticks run at once. What core's traits call no nudge (a handoff, an
    // update) takes no slot, as the gate counted none for it.
    const full = kept.some((e) => traitsOf(e.input.action).nudge)
      ? await reserveDaySlots(storage, d, utcDay(now), opts)
      : null;
    if (full !== null) {
      await storage.releaseEffect(d.id);
      return { deferred: full };
    }
    for (const { input, effect } of kept) {
      // A nudge goes to the owner's chat when the admin chose so and they are linked; else it is the Jira comment.
      if (!(await nudgeInChat(deps, shown, input.action, now))) await effect.apply(jira, input);
      // The concierge's internal update reaches the team's channel too (the comment stays the record).
      await updateInChannel(deps, shown, input.action, now);
    }
  } catch (e) {
    if (e instanceof JiraBadRequestError || e instanceof JiraNotFoundError) {
      // Jira refused for good (user cannot be assigned, field not on the edit screen, issue gone): retrying will not help.
      const why = refusal(e);
      await storage.setEffect(d.id, { state: 'resolved', at: now, detail: why });
      await recordAudit(storage, d, 'failed', now, actor, { reason: `${d.reason} — Jira refused: ${why}` });
      return 'failed';
    }
    throw e;
  }
  await storage.setEffect(d.id, { state: 'done', at: now });
  const left = moot.length === 0 ? {} : { reason: `${d.reason} (${moot.join('; ')})` };
  await recordAudit(storage, d, 'executed', now, actor, left, opts.byGate === true);
  return 'executed';
}
