import { idempotencyKey } from '@baton/core';
import type { Proposal } from '@baton/core';
import type { SettledOutcome } from '../contracts/audit.ts';
import type { IssueFacts } from './issue-facts.ts';
import { routerDecisions } from './router-rules.ts';
import type { AppDeps } from './app-deps.ts';
import { charterFor } from './charter-for.ts';
import { candidateLoad, settleDecisions } from './evaluate-issue.ts';
import { readIssue } from './read-issue.ts';
import { statusDirectory } from './status-directory.ts';

/** What became of an owner's "Reassign": the gate's outcome for the router's next choice, or nobody to hand it to. */
export type ReassignOutcome =
  | { readonly kind: 'handed'; readonly outcome: SettledOutcome; readonly to: string }
  | { readonly kind: 'nobody'; readonly why: string };

/** Load that no member can be under: the router's `pickMember` skips a person at their limit. */
const FULL = Number.MAX_SAFE_INTEGER;

/** The issue as if nobody owned it (the router proposes an owner only then), with `exclude` out of the running. */
function unowned(issue: IssueFacts): IssueFacts {
  return {
    ...issue,
    assignee: null,
    record: { ...issue.record, owner: null, events: issue.record.events.map((e) => ({ ...e, owner: null })) },
  };
}

/**
 * "Reassign" from a nudge: core's router picks the next owner as it would for an unowned issue (the
 * charter's ownership rules, skills and load) with the person handing it on out of the running, and
 * the choice goes through the charter's gate like any router decision: carried out when the charter
 * automates assignment, else suggested to the approver (in the panel, and in chat where approvals are
 * there), deferred or dropped. Its key comes from the answer (`answerKey`), so a redelivered answer
 * is the same decision and never assigns twice; the router's own first routing of the issue is another.
 */
export async function reassignFromChat(
  deps: AppDeps,
  issueKey: string,
  exclude: string,
  answerKey: string,
): Promise<ReassignOutcome> {
  const now = deps.now();
  const charter = await charterFor(deps.storage, issueKey.split('-')[0] as string);
  const issue = await readIssue(deps.jira, issueKey, charter, statusDirectory(deps));
  if (issue.phase === 'done') return { kind: 'nobody', why: `${issueKey} is done` };
  const view = unowned(issue);
  const load = await candidateLoad(deps, view, charter);
  load.set(exclude, FULL);
  const assignee = (p: Proposal): string | undefined => p.actions.find((a) => a.kind === 'assign')?.to;
  const choice = routerDecisions(view, load, charter, now).find((p) => {
    const to = assignee(p);
    return to !== undefined && to !== exclude;
  });
  if (choice === undefined)
    return { kind: 'nobody', why: `the router has nobody but ${exclude} for ${issueKey} under the charter` };
  const d: Proposal = {
    ...choice,
    rule: 'router.reassign',
    threshold: `reassign:${answerKey}`,
    reason: `${exclude} handed it on: ${choice.reason}`,
  };
  const { outcomes } = await settleDecisions(deps, charter, issueKey, [d], now, issue.lastHumanActivityAt);
  return {
    kind: 'handed',
    outcome: outcomes[0] ?? { key: idempotencyKey(d), outcome: 'duplicate' },
    to: assignee(d) as string,
  };
}
