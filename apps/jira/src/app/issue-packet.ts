import type { HandoffPacket } from '@baton/core';
import { handoffPacket } from './packet-view.ts';
import { clockOf, slaReadings } from './sla.ts';
import type { AppDeps } from './app-deps.ts';
import { charterFor } from './charter-for.ts';
import { displayNames, withNames } from './people.ts';
import { readIssue } from './read-issue.ts';
import { statusDirectory } from './status-directory.ts';

/** Every account id a packet names: owner, reporter, next owner, stakeholders, who said what. */
export function peopleIn(p: HandoffPacket): string[] {
  const ids = [
    p.owner,
    p.facts.reporter,
    p.nextOwner.who,
    ...p.stakeholders.map((s) => s.who),
    ...[...p.decisions, ...p.commitments, ...p.openQuestions].map((s) => s.by),
    ...p.openQuestions.flatMap((q) => q.addressedTo),
  ];
  return [...new Set(ids.filter((x): x is string => x !== null && x !== ''))];
}

/**
 * Core's clerk on the issue as it is in Jira now (read as the app, the issue's own charter): the whole
 * packet, every item with its evidence, and the display name of each person it names.
 */
export async function issuePacket(
  deps: AppDeps,
  issueKey: string,
): Promise<{ packet: HandoffPacket; people: Record<string, string> }> {
  const now = deps.now();
  const charter = await charterFor(deps.storage, issueKey.split('-')[0] as string);
  const issue = await readIssue(deps.jira, issueKey, charter, statusDirectory(deps));
  const packet = handoffPacket(issue, charter, slaReadings(issue, charter, now).map(clockOf), now);
  const names = await displayNames(deps, peopleIn(packet));
  return { packet: namedProse(packet, names), people: Object.fromEntries(names) };
}

/**
 * The packet's prose (core words it with account ids: `owned by u-ada`) with people by name; the
 * structured fields keep their ids, named through `people` by whoever shows them.
 */
export function namedProse(p: HandoffPacket, names: ReadonlyMap<string, string>): HandoffPacket {
  return {
    ...p,
    summary: { ...p.summary, text: withNames(p.summary.text, names) },
    nextOwner: { ...p.nextOwner, reason: withNames(p.nextOwner.reason, names) },
    risks: p.risks.map((r) => ({ ...r, message: withNames(r.message, names) })),
  };
}
