import { actionsDrift, ActionSchema, finalActionsOf, PROPOSAL_SOURCES, traitsOf } from '@baton/core';
import type { Action, Decision, Pattern } from '@baton/core';
import * as z from 'zod';
import type { AuditEntry, Outcome } from '../contracts/audit.ts';
import { kindsOf } from './jira-proposal.ts';
import { AGENT_ACTOR } from './watchdog-rules.ts';
import type { RecordStore } from '../ports/record-store.ts';
import type { AppDeps } from './app-deps.ts';
import { charterFor } from './charter-for.ts';
import { readIssue } from './read-issue.ts';
import { statusDirectory } from './status-directory.ts';

/**
 * Drift made real: what a person finally did about a decision. When the agent carries out a decision
 * that sets a field (an assignment, a due date, a priority) or a person overrides such a suggestion,
 * the issue is watched for a week; the first change a person makes to that field in that time (an
 * assignment given to someone else, a due date moved, an owner removed) is the decision's final action.
 * It is recorded twice over, as the audit does everything: a `final` record in the issue's hash chain
 * (core's trust score compares it with the decision's actions) and a `final` row with `drifted` for the
 * project's trust report.
 */

/** How long after the agent acted, or the suggestion was made, a person's change counts as its final action. */
export const FINAL_ACTION_WINDOW_MS = 7 * 86_400_000;

const WatchSchema = z.object({
  decisionKey: z.string(),
  pattern: z.string(),
  rule: z.string(),
  /** Who made the decision (`model` for a language model's guess); absent: the rules. */
  source: z.enum(PROPOSAL_SOURCES).optional(),
  kind: z.string(),
  actions: z.array(ActionSchema).min(1),
  /** Changes after this instant count (the agent's act; for an override, when the suggestion was made). */
  since: z.number(),
  /** Whether the agent (or a person accepting) carried the decision out. */
  afterAct: z.boolean(),
});
type Watch = z.infer<typeof WatchSchema>;
const WatchesSchema = z.array(WatchSchema);

/** The app storage key of an issue's watched decisions (purged with the issue). */
export const finalWatchKey = (issueKey: string): string => `final-watch:${issueKey}`;

/** Actions a person's later change can show: those that set a field. */
const setsField = (a: Action): boolean => a.kind === 'assign' || a.kind === 'setField';

async function readWatches(storage: RecordStore, issueKey: string): Promise<Watch[]> {
  const r = WatchesSchema.safeParse(await storage.getJson(finalWatchKey(issueKey)));
  return r.success ? r.data : [];
}

async function writeWatches(storage: RecordStore, issueKey: string, watches: Watch[]): Promise<void> {
  if (watches.length === 0) await storage.deleteJson(finalWatchKey(issueKey));
  else
    await storage.putJson(finalWatchKey(issueKey), watches, {
      ttl: { value: Math.ceil(FINAL_ACTION_WINDOW_MS / 86_400_000) + 1, unit: 'DAYS' },
    });
}

/**
 * Called by `recordAudit` for every outcome: an executed decision or an overridden suggestion that sets
 * a field starts a watch of the issue (one per decision; the newest kept first).
 */
export async function watchForFinalAction(
  storage: RecordStore,
  d: Decision,
  outcome: Outcome,
  at: number,
): Promise<void> {
  if (outcome !== 'executed' && outcome !== 'overridden') return;
  const actions = d.actions.filter(setsField);
  if (actions.length === 0) return;
  const watches = (await readWatches(storage, d.caseId)).filter((w) => w.decisionKey !== d.id);
  watches.unshift({
    decisionKey: d.id,
    pattern: d.pattern,
    rule: d.rule,
    ...(d.source === undefined ? {} : { source: d.source }),
    kind: kindsOf(d),
    actions,
    since: outcome === 'overridden' ? Math.min(d.at, at) : at,
    afterAct: outcome === 'executed',
  });
  await writeWatches(storage, d.caseId, watches.slice(0, 20));
}

/**
 * Called on each event of an issue: for each watched decision, the first change a person made since to
 * the fields it set becomes its final action (claimed once per decision, so a redelivered event records
 * nothing more). Watches past the window are dropped. Reads the issue only when something is watched.
 */
export async function recordFinalActions(deps: AppDeps, issueKey: string): Promise<AuditEntry[]> {
  const watches = await readWatches(deps.storage, issueKey);
  if (watches.length === 0) return [];
  const now = deps.now();
  const charter = await charterFor(deps.storage, issueKey.split('-')[0] as string);
  const issue = await readIssue(deps.jira, issueKey, charter, statusDirectory(deps));
  const recorded: AuditEntry[] = [];
  const kept: Watch[] = [];
  for (const w of watches) {
    const until = w.since + FINAL_ACTION_WINDOW_MS;
    const final = finalActionsOf(issue.record, w.actions, {
      after: w.since,
      until,
      isAgent: (actor) => actor === AGENT_ACTOR || actor === null,
    });
    if (final === null) {
      if (until > now) kept.push(w);
      continue;
    }
    if (!(await deps.storage.claimEffect(`final:${w.decisionKey}`, now))) continue;
    const by = final.by ?? 'unknown';
    const pattern = w.pattern as Pattern;
    const chained = await deps.storage.appendChain(
      issueKey,
      { type: 'final', decisionId: w.decisionKey, pattern, by, finalActions: final.actions },
      final.at,
    );
    const row: AuditEntry = {
      id: `${w.decisionKey}#final`,
      decisionKey: w.decisionKey,
      issueKey,
      projectKey: issueKey.split('-')[0] as string,
      rule: w.rule,
      ...(w.source === undefined ? {} : { source: w.source }),
      at: final.at,
      pattern: w.pattern,
      kind: w.kind,
      outcome: 'final',
      reason: `finally: ${final.actions.map((a) => traitsOf(a).summary).join('; ')}`,
      actor: by,
      final: {
        actions: final.actions.map((a) => traitsOf(a).summary),
        drifted: actionsDrift(w.actions, final.actions),
        afterAct: w.afterAct,
      },
      chain: { seq: chained.seq, hash: chained.hash },
    };
    await deps.storage.appendAudit(row);
    recorded.push(row);
  }
  await writeWatches(deps.storage, issueKey, kept);
  return recorded;
}
