import type { Action, Charter, HandoffPacket, Proposal } from '@baton/core';
import { whereFrom } from '@baton/jira/issue-state';
import { HANDOFF_RULE } from './jira-proposal.ts';
import type { IssueFacts } from './issue-facts.ts';
import type { AppDeps } from './app-deps.ts';
import { peopleIn } from './issue-packet.ts';
import { displayNames, withNames } from './people.ts';

/**
 * The clerk on a change of owner (from one person to another): the new owner receives the handoff
 * packet the way the charter says (`handoff.by`): an internal comment that mentions them (the default;
 * Jira notifies a mentioned person; in a service project the comment is internal, never shown to the
 * customer), or Jira's notification email to them alone (`POST /issue/{key}/notify`, no egress, nothing
 * on the issue). One decision per change of owner, keyed by who and when, so a redelivered event, a
 * retried invocation or a later watchdog tick finds it taken and sends nothing. Like every decision it
 * passes the charter's gate: `autonomy.comment` (or `notify` for the email) decides whether it is sent
 * or suggested. A handoff is no nudge (core's `handoff` mark on the email; a comment never is one): it
 * takes nothing from the nudge caps and is not held by a recent touch.
 */

/** A change of owner older than this gets no packet: an issue seen for the first time long after it changed hands is not a handoff. */
export const HANDOFF_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_ITEMS = 5;

/** The packet as a comment a person reads: people by name, a handful of items per section, each with its source. */
export function handoffText(p: HandoffPacket, names: ReadonlyMap<string, string>, to: string): string {
  const named = (t: string): string => withNames(t, names);
  const who = (id: string | null): string => (id === null ? 'someone' : (names.get(id) ?? id));
  const section = (title: string, lines: readonly string[]): string[] =>
    lines.length === 0
      ? []
      : [
          `${title}:\n${lines
            .slice(-MAX_ITEMS)
            .map((l) => `- ${l}`)
            .join('\n')}`,
        ];
  const said = (s: { text: string; by: string | null; evidence: string }): string =>
    `${named(s.text)} (${who(s.by)}, ${whereFrom(s.evidence)})`;
  const missing = (p.readiness?.items ?? []).filter((i) => i.status === 'missing').map((i) => i.requirement);
  return [
    `you now own ${p.caseId}. The handoff packet, ${names.get(to) ?? to}:`,
    named(p.summary.text),
    ...section('Decisions', p.decisions.map(said)),
    ...section('Open questions', p.openQuestions.map(said)),
    ...section('Commitments', p.commitments.map(said)),
    ...section(
      'Links',
      p.links.map(
        (l) => `${l.label ?? l.target}${l.label === undefined ? '' : ` ${l.target}`} (${whereFrom(l.evidence)})`,
      ),
    ),
    ...section(
      'Risks',
      p.risks.map((r) => `${r.severity}: ${named(r.message)}`),
    ),
    ...(missing.length === 0 ? [] : [`Missing before it can move on: ${missing.join(', ')}.`]),
  ].join('\n\n');
}

/** The handoff decision for the issue's latest change of owner, when it is recent and from one person to another. */
export async function handoffDecisions(
  deps: Pick<AppDeps, 'jira' | 'storage' | 'now'>,
  issue: IssueFacts,
  packet: HandoffPacket,
  charter: Pick<Charter, 'handoff'>,
  now: number,
): Promise<Proposal[]> {
  const last = issue.record.events.filter((e) => e.kind === 'owner').at(-1);
  if (last === undefined || now - last.at > HANDOFF_WINDOW_MS) return [];
  const from = last.from ?? null;
  const to = last.to ?? null;
  // A handoff is from one person to another: an issue taken from the queue (no owner before) has
  // nobody's context to lose, and the router's first assignment stays one decision, not two.
  if (from === null || to === null || to === from || to !== issue.assignee) return [];
  const names = await displayNames(deps, [...peopleIn(packet), to]);
  const body = handoffText(packet, names, to);
  // Account ids in what the audit keeps; what people read names them (`namedTexts`, `namedSuggestions`).
  const action: Action =
    charter.handoff.by === 'email'
      ? {
          kind: 'notify',
          to,
          via: 'email',
          subject: `${issue.key}: you now own it (the handoff packet)`,
          message: body,
          handoff: true,
        }
      : // The comment mentions the new owner (`to`), so that Jira tells them.
        { kind: 'comment', audience: 'internal', to, body };
  return [
    {
      caseId: issue.key,
      pattern: 'clerk',
      rule: HANDOFF_RULE,
      // One per change of owner: who, and when.
      threshold: `owner:${to}@${last.at}`,
      actions: [action],
      reason: `${to} became the owner on ${new Date(last.at).toISOString().slice(0, 16)}Z`,
      evidence: [{ label: 'new owner', value: to, source: 'field:assignee' }],
      confidence: 1,
      risk: 'low',
      at: now,
    },
  ];
}
