import { idempotencyKey, missingInfoDueAt, proposeRoutes, watchCaseOf } from '@baton/core';
import type { Charter, CaseRecord, CompiledCharter, Decision, Proposal } from '@baton/core';
import { proposalForJira } from './jira-proposal.ts';
import { withoutAgentComments } from './issue-facts.ts';
import type { IssueFacts } from './issue-facts.ts';
import { AGENT_ACTOR, charterForIssue } from './watchdog-rules.ts';
import type { EffectLedger } from '../ports/effect-ledger.ts';
import type { MissingInfoStore } from '../ports/missing-info-store.ts';

/**
 * The missing-information loop live: core's router (`routeCase`, its `ready` step) on the issue as
 * Jira has it, with the steps this visit of the state already settled read back from the effect
 * ledger — request → remind after `missingInfo.remindAfter` → escalate after `escalateAfter` (to the
 * owner's team lead, else the charter's `missingInfo.escalateTo`) → closed when the information
 * arrives (the owner told; `onReady` names where the issue moves). Readiness is checked again on
 * every evaluation, so the loop stops the moment the information is there. Each step is a decision
 * like any other: the charter's gate, caps and audit. When the next step comes though nothing
 * changes in Jira (a reminder line, a request the gate held back because the reporter had just
 * created the issue) is core's `missingInfoDueAt`; the watchdog's tick brings the issue back then
 * (`missingInfoIsDue`, read by the sweep).
 */

/** The loop's steps, as core's router names its rules (`router.ready.<step>`). */
export const MISSING_INFO_STEPS = ['request', 'remind', 'escalate', 'timeout', 'closed'] as const;
export type MissingInfoStep = (typeof MISSING_INFO_STEPS)[number];

/** The readiness record core reads: the app's own comments never count as information arriving. */
const readinessRecord = (issue: IssueFacts): CaseRecord => withoutAgentComments(issue.record, AGENT_ACTOR);

/**
 * The loop's thresholds of the issue's current visit of its state that are settled: a decision with
 * a record in the effect ledger other than an open claim (executed, suggested, dropped for good). A
 * step the gate deferred leaves no record and is proposed again.
 */
async function settledSteps(
  storage: EffectLedger,
  record: CaseRecord,
  compiled: CompiledCharter,
  now: number,
): Promise<Set<string>> {
  const { state, enteredStateAt } = watchCaseOf(record, compiled, now, new Set(), AGENT_ACTOR);
  const taken = new Set<string>();
  if (state === null) return taken;
  for (const step of MISSING_INFO_STEPS) {
    const threshold = `ready:${state}@${enteredStateAt}:${step}`;
    const key = idempotencyKey({ caseId: record.id, pattern: 'router', rule: `router.ready.${step}`, threshold });
    const effect = await storage.getEffect(key);
    if (effect !== undefined && effect.state !== 'claimed') taken.add(threshold);
  }
  return taken;
}

/** The loop's proposal for the issue now (at most one step), as core's router makes it; the app's gate settles it. */
export async function missingInfoDecisions(
  deps: { storage: EffectLedger },
  issue: IssueFacts,
  charter: Charter,
  now: number,
): Promise<Proposal[]> {
  const compiled = charterForIssue(issue, charter);
  const record = readinessRecord(issue);
  const takenSteps = await settledSteps(deps.storage, record, compiled, now);
  return proposeRoutes(record, compiled, { now, takenSteps, steps: ['ready'] }).flatMap(
    (p) => proposalForJira(p, { timeZone: compiled.calendar.timeZone }) ?? [],
  );
}

/**
 * After the loop's decision was settled: when its next step comes (core's `missingInfoDueAt`),
 * remembered for the sweep and returned for the due-time index; null when the loop waits for nothing.
 */
export async function scheduleMissingInfo(
  deps: { storage: EffectLedger & MissingInfoStore },
  issue: IssueFacts,
  charter: Charter,
  now: number,
): Promise<number | null> {
  const compiled = charterForIssue(issue, charter);
  const record = readinessRecord(issue);
  const dueAt = missingInfoDueAt(record, compiled, {
    now,
    takenSteps: await settledSteps(deps.storage, record, compiled, now),
    lastHumanActivityAt: issue.lastHumanActivityAt,
  });
  await deps.storage.setMissingInfoDue(issue.key, dueAt);
  return dueAt;
}

/** When the issue's loop has its next step, as last scheduled (null: it waits for nothing). */
export const storedMissingInfoDue = (storage: MissingInfoStore, issueKey: string): Promise<number | null> =>
  storage.getMissingInfoDue(issueKey);

/**
 * The sweep's hook: is a step of the issue's loop due at `now`? Then the issue is read from Jira
 * (readiness checked again) rather than judged from the stored watch record alone.
 */
export async function missingInfoIsDue(storage: MissingInfoStore, issueKey: string, now: number): Promise<boolean> {
  const dueAt = await storedMissingInfoDue(storage, issueKey);
  return dueAt !== null && dueAt <= now;
}

/** A question of the loop, for a surface that asks it elsewhere (chat): who is asked what, at which step. */
export interface MissingInfoQuestion {
  readonly issueKey: string;
  readonly step: 'request' | 'remind';
  /** The reporter's account id. */
  readonly to: string;
  readonly items: readonly string[];
  readonly message: string;
}

/** The question a decision asks when it is the loop's request or reminder (core's `requestInfo`), else null. */
export function missingInfoQuestion(d: Proposal | Decision): MissingInfoQuestion | null {
  const action = d.actions.find((a) => a.kind === 'requestInfo');
  const step = (['request', 'remind'] as const).find((s) => d.rule === `router.ready.${s}`);
  if (action?.kind !== 'requestInfo' || step === undefined) return null;
  return { issueKey: d.caseId, step, to: action.from, items: action.items, message: action.message };
}
