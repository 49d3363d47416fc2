import * as z from 'zod';
import type { CaseRecord } from '../../model/case.ts';
import type { WorkflowResolver } from '../../model/workflow.ts';
import { formatTimestamp } from '../../time/timestamp.ts';
import { snapshotCase, type CaseSnapshot, type SlaRisk } from '../../model/case-snapshot.ts';

/**
 * Which changes are news. A stakeholder update is triggered by a change that alters what someone
 * should expect or do — the state or phase, the owner, a blocker appearing or clearing, the SLA
 * risk, the due date — never by an edit of labels, rank or other housekeeping fields, which the
 * snapshot does not even carry.
 */
export const CHANGE_KINDS = ['state', 'phase', 'owner', 'blocked', 'unblocked', 'sla', 'due'] as const;
export const ChangeKindSchema = z.enum(CHANGE_KINDS);
export type ChangeKind = z.infer<typeof ChangeKindSchema>;

export const MeaningfulChangeSchema = z.object({
  kind: ChangeKindSchema,
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type MeaningfulChange = z.infer<typeof MeaningfulChangeSchema>;

const SLA_ORDER: Record<SlaRisk, number> = { none: 0, ok: 0, 'at-risk': 1, breached: 2 };

function isoDay(ms: number | null): string | null {
  return ms === null ? null : formatTimestamp(ms).slice(0, 10);
}

/**
 * The meaningful changes from one snapshot of a case to a later one, in a fixed order (phase before
 * state, so that the most telling change comes first). Net changes only: a case that went A → B → A
 * between the two has not changed.
 * @example meaningfulChanges(snapshotCase(c, monday, resolve), snapshotCase(c, tuesday, resolve))
 */
export function meaningfulChanges(before: CaseSnapshot, after: CaseSnapshot): MeaningfulChange[] {
  const out: MeaningfulChange[] = [];
  if (before.phase !== after.phase) out.push({ kind: 'phase', from: before.phase, to: after.phase });
  if (before.state !== after.state) out.push({ kind: 'state', from: before.state, to: after.state });
  if (before.owner !== after.owner) out.push({ kind: 'owner', from: before.owner, to: after.owner });
  if (before.blocker !== after.blocker) {
    if (after.blocker !== null) out.push({ kind: 'blocked', from: before.blocker, to: after.blocker });
    else out.push({ kind: 'unblocked', from: before.blocker, to: null });
  }
  // `none` and `ok` both mean "no risk": moving between them (a goal starting) is not news.
  if (SLA_ORDER[before.sla] !== SLA_ORDER[after.sla]) out.push({ kind: 'sla', from: before.sla, to: after.sla });
  // A due date moved within the same day (a time-zone normalisation) is not a new promise.
  if (isoDay(before.due) !== isoDay(after.due))
    out.push({ kind: 'due', from: isoDay(before.due), to: isoDay(after.due) });
  return out;
}

/**
 * The meaningful changes of a case over an event range (`from`, `to`]: the snapshots at both ends
 * compared. `slaAt` gives the SLA clocks' verdict at a moment, when the caller has them.
 */
export function changesBetween(
  record: CaseRecord,
  from: number,
  to: number,
  resolve: WorkflowResolver,
  slaAt: (at: number) => SlaRisk = () => 'none',
): { before: CaseSnapshot; after: CaseSnapshot; changes: MeaningfulChange[] } {
  const before = snapshotCase(record, from, resolve, slaAt(from));
  const after = snapshotCase(record, to, resolve, slaAt(to));
  return { before, after, changes: meaningfulChanges(before, after) };
}
