import * as z from 'zod';
import type { CaseRecord } from '../../model/case.ts';
import type { WorkflowResolver } from '../../model/workflow.ts';
import { formatTimestamp } from '../../time/timestamp.ts';
import { MeaningfulChangeSchema, meaningfulChanges } from './concierge-changes.ts';
import { snapshotCase, type CaseSnapshot, type SlaRisk } from '../../model/case-snapshot.ts';

/**
 * The daily operational report: what changed over a period, what is at risk at its end, and who
 * must act next. Structured first (zod schema, for the Forge dashboard and `baton replay`), then
 * rendered as Markdown or plain text.
 */

export const DailyReportSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  totals: z.object({
    open: z.number().int().min(0),
    /** Cases whose first event falls in the period. */
    created: z.number().int().min(0),
    changed: z.number().int().min(0),
    atRisk: z.number().int().min(0),
    closedInPeriod: z.number().int().min(0),
  }),
  changed: z.array(
    z.object({ caseId: z.string(), title: z.string().nullable(), changes: z.array(MeaningfulChangeSchema) }),
  ),
  atRisk: z.array(
    z.object({
      caseId: z.string(),
      title: z.string().nullable(),
      owner: z.string().nullable(),
      severity: z.enum(['medium', 'high']),
      reasons: z.array(z.string()),
    }),
  ),
  actNext: z.array(
    z.object({ who: z.string().nullable(), cases: z.array(z.object({ caseId: z.string(), why: z.string() })) }),
  ),
});
export type DailyReport = z.infer<typeof DailyReportSchema>;

export interface DailyReportOptions {
  readonly from: number;
  readonly to: number;
  readonly resolve: WorkflowResolver;
  /** The SLA clocks' verdict for a case at a moment, when the caller has them. */
  readonly slaAt?: (caseId: string, at: number) => SlaRisk;
  /** Idle time (wall clock ms) after which an open case is at risk. Default 3 days. */
  readonly idleMs?: number;
  /** How many entries each list keeps (most urgent first). Default 50. */
  readonly limit?: number;
}

const DAY = 86_400_000;

function reasonsOf(
  s: CaseSnapshot,
  to: number,
  idleMs: number,
): { severity: 'medium' | 'high'; reasons: string[] } | undefined {
  const high: string[] = [];
  const medium: string[] = [];
  if (s.sla === 'breached') high.push('SLA breached');
  if (s.sla === 'at-risk') medium.push('SLA at risk');
  if (s.due !== null && s.due < to) high.push(`overdue since ${formatTimestamp(s.due).slice(0, 10)}`);
  else if (s.due !== null && s.due - to < 2 * DAY) medium.push(`due ${formatTimestamp(s.due).slice(0, 10)}`);
  if (s.blocker !== null) medium.push(`blocked (${s.blocker})`);
  if (s.owner === null) medium.push('no owner');
  if (s.lastActivityAt !== null && to - s.lastActivityAt > idleMs)
    medium.push(`idle ${Math.floor((to - s.lastActivityAt) / DAY)} days`);
  const reasons = [...high, ...medium];
  if (reasons.length === 0) return undefined;
  return { severity: high.length > 0 ? 'high' : 'medium', reasons };
}

function whoActs(s: CaseSnapshot, record: CaseRecord): { who: string | null; why: string } {
  if (s.waitingReason === 'customer') {
    const reporter = record.attributes['reporter'];
    return { who: typeof reporter === 'string' ? reporter : 'the customer', why: 'waits on the customer' };
  }
  if (s.owner === null) return { who: null, why: 'nobody owns it' };
  if (s.blocker !== null) return { who: s.owner, why: `owner of a blocked case (${s.blocker})` };
  return { who: s.owner, why: s.sla === 'none' || s.sla === 'ok' ? 'owner' : `owner; SLA ${s.sla}` };
}

/**
 * Builds the report for the period (`from`, `to`] over the given cases, in a stable order: the
 * most severe first, then by case id.
 */
export function buildDailyReport(cases: Iterable<CaseRecord>, options: DailyReportOptions): DailyReport {
  const { from, to, resolve } = options;
  const slaAt = options.slaAt ?? (() => 'none' as const);
  const idleMs = options.idleMs ?? 3 * DAY;
  const limit = options.limit ?? 50;
  const changed: DailyReport['changed'] = [];
  const atRisk: DailyReport['atRisk'] = [];
  const acts = new Map<string | null, { caseId: string; why: string }[]>();
  let open = 0;
  let closed = 0;
  let created = 0;
  for (const record of cases) {
    if (record.events.length === 0 || record.events[0]!.at > to) continue;
    const before = snapshotCase(record, from, resolve, slaAt(record.id, from));
    const after = snapshotCase(record, to, resolve, slaAt(record.id, to));
    // A case that appeared in the period is news as a whole: its changes are against nothing.
    const changes = meaningfulChanges(before, after);
    if (before.eventCount === 0) created++;
    if (after.phase === 'done') {
      if (before.phase !== 'done' && after.eventCount > before.eventCount) closed++;
    } else open++;
    if (changes.length > 0) changed.push({ caseId: record.id, title: after.title, changes });
    if (after.phase === 'done') continue;
    const risk = reasonsOf(after, to, idleMs);
    if (risk !== undefined) atRisk.push({ caseId: record.id, title: after.title, owner: after.owner, ...risk });
    if (risk !== undefined || changes.length > 0) {
      const { who, why } = whoActs(after, record);
      const list = acts.get(who) ?? [];
      list.push({ caseId: record.id, why });
      acts.set(who, list);
    }
  }
  changed.sort((a, b) => b.changes.length - a.changes.length || a.caseId.localeCompare(b.caseId));
  atRisk.sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'high' ? -1 : 1) ||
      b.reasons.length - a.reasons.length ||
      a.caseId.localeCompare(b.caseId),
  );
  const actNext = [...acts.entries()]
    .map(([who, list]) => ({ who, cases: list.sort((a, b) => a.caseId.localeCompare(b.caseId)).slice(0, limit) }))
    .sort((a, b) => b.cases.length - a.cases.length || (a.who ?? '').localeCompare(b.who ?? ''));
  return {
    from,
    to,
    totals: { open, created, changed: changed.length, atRisk: atRisk.length, closedInPeriod: closed },
    changed: changed.slice(0, limit),
    atRisk: atRisk.slice(0, limit),
    actNext: actNext.slice(0, limit),
  };
}

function when(ms: number): string {
  return formatTimestamp(ms).slice(0, 16).replace('T', ' ');
}

/** The report as Markdown: headings, tables of at-risk cases, a list per person who acts next. */
export function renderDailyReportMarkdown(r: DailyReport): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [
    `# Operational report ${when(r.from)} → ${when(r.to)} UTC`,
    '',
    `${r.totals.open} open · ${r.totals.created} new · ${r.totals.changed} changed · ${r.totals.atRisk} at risk · ${r.totals.closedInPeriod} closed in the period`,
    '',
    '## What changed',
    '',
  ];
  if (r.changed.length === 0) lines.push('Nothing meaningful changed.');
  for (const c of r.changed) {
    lines.push(
      `- **${esc(c.caseId)}**${c.title === null ? '' : ` ${esc(c.title)}`}: ${c.changes.map((x) => `${x.kind} ${x.from ?? '–'} → ${x.to ?? '–'}`).join('; ')}`,
    );
  }
  lines.push('', '## At risk', '');
  if (r.atRisk.length === 0) lines.push('Nothing is at risk.');
  else {
    lines.push('| case | severity | owner | why |', '| --- | --- | --- | --- |');
    for (const c of r.atRisk)
      lines.push(`| ${esc(c.caseId)} | ${c.severity} | ${esc(c.owner ?? '—')} | ${esc(c.reasons.join('; '))} |`);
  }
  lines.push('', '## Who must act next', '');
  if (r.actNext.length === 0) lines.push('Nobody needs to act.');
  for (const a of r.actNext) {
    lines.push(
      `- **${esc(a.who ?? 'the queue (unassigned)')}**: ${a.cases.map((c) => `${esc(c.caseId)} (${esc(c.why)})`).join(', ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The report as plain text for e-mail or a terminal. */
export function renderDailyReportText(r: DailyReport): string {
  const lines = [
    `Operational report ${when(r.from)} -> ${when(r.to)} UTC`,
    `${r.totals.open} open, ${r.totals.created} new, ${r.totals.changed} changed, ${r.totals.atRisk} at risk, ${r.totals.closedInPeriod} closed in the period`,
    '',
    'WHAT CHANGED',
    ...(r.changed.length === 0
      ? ['  nothing meaningful']
      : r.changed.map(
          (c) => `  ${c.caseId}: ${c.changes.map((x) => `${x.kind} ${x.from ?? '-'} -> ${x.to ?? '-'}`).join('; ')}`,
        )),
    '',
    'AT RISK',
    ...(r.atRisk.length === 0
      ? ['  nothing']
      : r.atRisk.map((c) => `  [${c.severity}] ${c.caseId} (${c.owner ?? 'no owner'}): ${c.reasons.join('; ')}`)),
    '',
    'WHO MUST ACT NEXT',
    ...(r.actNext.length === 0
      ? ['  nobody']
      : r.actNext.map((a) => `  ${a.who ?? 'the queue'}: ${a.cases.map((c) => c.caseId).join(', ')}`)),
  ];
  return `${lines.join('\n')}\n`;
}
