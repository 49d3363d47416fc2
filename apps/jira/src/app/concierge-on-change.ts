import { audienceOfRule, changesBetween, conciergeRetryAt, idempotencyKey, proposeOnChange } from '@baton/core';
import type { Charter, HandoffPacket, Proposal, SlaRisk } from '@baton/core';
import * as z from 'zod';
import type { SettledOutcome } from '../contracts/audit.ts';
import type { IssueFacts } from './issue-facts.ts';
import { slaReadings } from './sla.ts';
import { charterForIssue } from './watchdog-rules.ts';
import { RETENTION } from '../ports/record-store.ts';
import type { RecordStore } from '../ports/record-store.ts';

/**
 * The concierge on a change, live: when an evaluation of the issue finds a meaningful change since
 * the concierge last told an audience (core's `meaningfulChanges`, filtered by `worthPushing`), core's
 * `proposeOnChange` proposes that audience's update, for each audience the charter's
 * `concierge.onChange` names — the customer's a customer-visible comment, the team's an internal
 * comment, the executive's to the lead of the owner's team by Jira's notification email (or an
 * internal comment that mentions them). Each is a decision like any other: the charter's gate, caps and
 * audit; under `assist` (and always for the customer, unless `risk.autoCustomerFacing`) it waits in the panel,
 * where a person may edit its words before posting (`answerSuggestion` with `text`).
 *
 * Each audience keeps its own baseline (when it was last told). An update the gate holds back (a
 * recent touch, quiet hours, a day's cap) leaves its audience's baseline where it was, so the change is
 * still news when the update is proposed again — at the gate's next turn, when the watchdog's tick
 * reads the issue again (`conciergeIsDue`), or at the next event. A change seen again (a redelivered
 * event) is the same decision (its threshold names the change and its moment): never sent twice.
 */

const LookSchema = z.object({
  /** Per audience: up to when it has been told (or nothing was news to it). */
  seen: z.record(z.string(), z.number().int()),
  /** When an update held back by the gate is due again; null when none is held. */
  dueAt: z.number().int().nullable(),
});
type Look = z.infer<typeof LookSchema>;
export const conciergeKey = (issueKey: string): string => `concierge:${issueKey}`;

async function readLook(storage: RecordStore, issueKey: string): Promise<Look | null> {
  const parsed = LookSchema.safeParse(await storage.getJson(conciergeKey(issueKey)));
  return parsed.success ? parsed.data : null;
}

/** The issue's SLA risk at a moment: the worst of its clocks (`none` without goals). */
function slaRiskAt(issue: IssueFacts, charter: Charter): (at: number) => SlaRisk {
  return (at) => {
    const readings = slaReadings(issue, charter, at);
    if (readings.some((r) => r.breached)) return 'breached';
    if (readings.some((r) => r.atRisk)) return 'at-risk';
    return readings.length === 0 ? 'none' : 'ok';
  };
}

/**
 * An audience never told yet: from just before the issue's latest event (the change that brought the
 * issue here is news; what happened before the app was installed is not).
 */
function firstLook(issue: IssueFacts): number {
  const times = [...new Set(issue.record.events.map((e) => e.at))].sort((a, b) => a - b);
  return Math.max(issue.created, times.at(-2) ?? issue.created);
}

/** Core's update proposals for what changed on the issue since each audience was last told (none unless the charter turns it on). */
export async function conciergeProposals(
  deps: { storage: RecordStore },
  issue: IssueFacts,
  charter: Charter,
  packet: HandoffPacket,
  now: number,
): Promise<Proposal[]> {
  const audiences = charter.concierge.onChange;
  if (audiences.length === 0) return [];
  const compiled = charterForIssue(issue, charter);
  const look = await readLook(deps.storage, issue.key);
  const slaAt = slaRiskAt(issue, charter);
  const out: Proposal[] = [];
  for (const audience of audiences) {
    const since = look?.seen[audience] ?? firstLook(issue);
    if (since >= now) continue;
    const { before, after } = changesBetween(issue.record, since, now, compiled.resolve, slaAt);
    out.push(...proposeOnChange(before, after, compiled, { packet, priority: issue.priority }, [audience]));
  }
  return out;
}

/**
 * After the proposals were settled: each audience whose update was not held back has been told up to
 * `now`; a held one keeps its baseline and is due again when the gate turns. Returns that time (for
 * the due-time index), or null.
 */
export async function settleConcierge(
  deps: { storage: RecordStore },
  issue: IssueFacts,
  charter: Charter,
  proposals: readonly Proposal[],
  outcomes: readonly SettledOutcome[],
  now: number,
): Promise<number | null> {
  const audiences = charter.concierge.onChange;
  if (audiences.length === 0) return null;
  const deferred = new Set(outcomes.filter((o) => o.outcome === 'deferred').map((o) => o.key));
  const held = new Set(
    proposals.flatMap((p) => (deferred.has(idempotencyKey(p)) ? (audienceOfRule(p.rule) ?? []) : [])),
  );
  const previous = await readLook(deps.storage, issue.key);
  const seen: Record<string, number> = {};
  for (const a of audiences) seen[a] = held.has(a) ? (previous?.seen[a] ?? firstLook(issue)) : now;
  const dueAt =
    held.size === 0
      ? null
      : conciergeRetryAt(charterForIssue(issue, charter), { now, lastHumanActivityAt: issue.lastHumanActivityAt });
  await deps.storage.putJson(conciergeKey(issue.key), { seen, dueAt }, { ttl: RETENTION.watchRecord });
  return dueAt;
}

/** When an update the gate held back is due again, as last settled (null: none is held). */
export async function storedConciergeDue(storage: RecordStore, issueKey: string): Promise<number | null> {
  return (await readLook(storage, issueKey))?.dueAt ?? null;
}

/** The sweep's hook: is a held update due at `now`? Then the issue is read from Jira and the concierge looks again. */
export async function conciergeIsDue(storage: RecordStore, issueKey: string, now: number): Promise<boolean> {
  const dueAt = await storedConciergeDue(storage, issueKey);
  return dueAt !== null && dueAt <= now;
}
