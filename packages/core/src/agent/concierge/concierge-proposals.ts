import { nextGateChangeAt } from '../../charter/apply-charter.ts';
import type { CompiledCharter } from '../../charter/compile-charter.ts';
import { formatTimestamp } from '../../time/timestamp.ts';
import type { Action } from '../../decision/action.ts';
import type { Proposal } from '../../decision/decision.ts';
import type { CaseSnapshot } from '../../model/case-snapshot.ts';
import { CONCIERGE_UPDATE_RULE } from './audiences.ts';
import { meaningfulChanges, type MeaningfulChange } from './concierge-changes.ts';
import { draftUpdates, type Audience, type AudienceDraft, type UpdateContext } from './concierge.ts';

/**
 * The concierge as proposals: one per audience with news, each carrying its draft. The customer's
 * draft is a customer-visible comment (the gate never sends it alone unless the charter allows
 * customer-facing automation); the team's is an internal comment; the executive's a notification
 * to the lead of the owner's team.
 */

// How sure the concierge is that the update is worth sending: the change detection is exact, the
// audience's interest is a policy guess, least sure for the customer.
const CONFIDENCE: Record<Audience, number> = { internal: 0.95, executive: 0.9, customer: 0.85 };

function leadOf(charter: CompiledCharter, owner: string | null): string | null {
  for (const team of charter.charter.routing.teams) {
    if (team.lead !== undefined && (owner === null || team.id === owner || team.members.some((m) => m.id === owner)))
      return team.lead;
  }
  return null;
}

/** Where `proposeUpdates` sends what. */
export interface ProposeUpdatesOptions {
  /**
   * Who hears the executive update when no team lead is named for the owner: a stand-in the replay
   * counts (`executive-sponsor`, the default), or null for no executive update at all.
   */
  readonly withoutLead?: string | null;
  /** The audiences proposed an update (default all three). */
  readonly audiences?: readonly Audience[];
  /** The executive update by the tracker's notification email (`notify` with `via: 'email'`) or a comment (default). */
  readonly executiveBy?: 'email' | 'comment';
}

function actionFor(draft: AudienceDraft, executive: string | null, by: 'email' | 'comment'): Action | null {
  if (draft.audience === 'customer')
    return { kind: 'comment', audience: 'customer', body: `${draft.subject}\n\n${draft.body}` };
  if (draft.audience === 'internal') return { kind: 'comment', audience: 'internal', body: draft.body };
  if (executive === null) return null;
  return by === 'email'
    ? { kind: 'notify', to: executive, message: draft.body, via: 'email', subject: draft.subject }
    : { kind: 'notify', to: executive, message: draft.body };
}

function signature(changes: readonly MeaningfulChange[]): string {
  return changes.map((c) => `${c.kind}:${c.from ?? ''}>${c.to ?? ''}`).join(',');
}

const QUEUE_OR_ACTIVE = new Set(['queue', 'active']);

/**
 * Whether a change is worth an update nobody asked for. Drafts on demand (the extension, the panel)
 * cover every meaningful change; pushed updates skip what the team already sees in the tracker: a
 * new state name, work moving between queue and hands, and a handoff to someone (the clerk's
 * packet announces it).
 */
export function worthPushing(change: MeaningfulChange): boolean {
  if (change.kind === 'state') return false;
  if (change.kind === 'owner' && change.to !== null) return false;
  if (change.kind === 'phase' && QUEUE_OR_ACTIVE.has(change.from ?? '') && QUEUE_OR_ACTIVE.has(change.to ?? ''))
    return false;
  return true;
}

/**
 * Proposals for the updates that the change from `before` to `after` warrants. The threshold names
 * the change and the moment, so the same change seen again is the same firing.
 * @example proposeUpdates(snapshotCase(c, seenAt, resolve), snapshotCase(c, now, resolve), charter)
 */
export function proposeUpdates(
  before: CaseSnapshot,
  after: CaseSnapshot,
  charter: CompiledCharter,
  extra: Omit<UpdateContext, 'before' | 'after' | 'changes'> = {},
  options: ProposeUpdatesOptions = {},
): Proposal[] {
  const changes = meaningfulChanges(before, after).filter(worthPushing);
  if (changes.length === 0) return [];
  const drafts = draftUpdates({ ...extra, before, after, changes }).filter(
    (d) => options.audiences?.includes(d.audience) ?? true,
  );
  const at = after.lastActivityAt ?? after.at;
  // The people the drafts may name by id (owners before and after, whoever an owner change or the packet's
  // next step names, those an open question is for): a caller shows each by name.
  const people = [
    ...new Set(
      [
        before.owner,
        after.owner,
        ...changes.flatMap((c) => (c.kind === 'owner' ? [c.from, c.to] : [])),
        extra.packet?.nextOwner.who,
        ...(extra.packet?.openQuestions.flatMap((q) => q.addressedTo) ?? []),
      ].filter((id): id is string => typeof id === 'string' && id !== ''),
    ),
  ];
  const executive =
    leadOf(charter, after.owner) ?? (options.withoutLead === undefined ? 'executive-sponsor' : options.withoutLead);
  return drafts.flatMap((d): Proposal[] => {
    const action = actionFor(d, executive, options.executiveBy ?? 'comment');
    return action === null
      ? []
      : [
          {
            caseId: after.caseId,
            pattern: 'concierge',
            rule: CONCIERGE_UPDATE_RULE[d.audience],
            threshold: `${signature(changes.filter((c) => d.changes.includes(c.kind)))}@${at}`,
            actions: [action],
            reason: `${d.audience} update: ${d.subject}`,
            evidence: [
              ...changes
                .filter((c) => d.changes.includes(c.kind))
                .map((c) => ({
                  label: c.kind,
                  value: `${c.from ?? '—'} → ${c.to ?? '—'}`,
                  source: `event:${formatTimestamp(at)}`,
                })),
            ],
            confidence: CONFIDENCE[d.audience],
            risk: d.customerFacing ? 'medium' : 'low',
            at,
            ...(people.length === 0 ? {} : { people }),
          },
        ];
  });
}

/**
 * The concierge on a change, as the charter's `concierge` section says: updates only for the audiences
 * it names (none by default), the executive one to the lead of the owner's team (none when no lead is
 * named) by notification email or comment. The charter's gate decides what is sent, suggested or held.
 * @example proposeOnChange(snapshotCase(c, seenAt, resolve), snapshotCase(c, now, resolve), charter, { packet })
 */
export function proposeOnChange(
  before: CaseSnapshot,
  after: CaseSnapshot,
  charter: CompiledCharter,
  extra: Omit<UpdateContext, 'before' | 'after' | 'changes'> = {},
  /** Only these of the charter's audiences (a caller that keeps a baseline per audience). */
  only?: readonly Audience[],
): Proposal[] {
  const { onChange, executiveBy } = charter.charter.concierge;
  const audiences = onChange.filter((a) => only?.includes(a) ?? true);
  if (audiences.length === 0) return [];
  return proposeUpdates(before, after, charter, extra, { withoutLead: null, audiences, executiveBy });
}

const UTC_DAY_MS = 86_400_000;

/**
 * When an update the gate held back (a recent touch, quiet hours, a day's cap) may be proposed again:
 * when the gate's clock next turns, or the next UTC day (the caps' day), whichever comes first.
 */
export function conciergeRetryAt(
  charter: CompiledCharter,
  context: { readonly now: number; readonly lastHumanActivityAt?: number | null },
): number {
  const midnight = (Math.floor(context.now / UTC_DAY_MS) + 1) * UTC_DAY_MS;
  return Math.min(midnight, nextGateChangeAt(charter, context) ?? Infinity);
}
