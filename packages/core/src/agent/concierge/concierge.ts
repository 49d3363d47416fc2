import * as z from 'zod';
import { formatTimestamp } from '../../time/timestamp.ts';
import type { HandoffPacket } from '../clerk/clerk-packet.ts';
import type { ChangeKind, MeaningfulChange } from './concierge-changes.ts';
import type { CaseSnapshot } from '../../model/case-snapshot.ts';
import { AUDIENCES } from './audiences.ts';
import type { Audience } from './audiences.ts';

/**
 * Stakeholder updates from one context, for each audience what matters to it:
 * - customer: progress, ETA, what we need from them — never internal names, comments or SLA talk;
 * - internal team: owners, blockers, inputs required, who acts next;
 * - executive: risk and impact, one paragraph.
 * Each audience declares which changes it cares about and how it words them; the engine stays generic.
 * Deterministic templates: a language model may reword a draft (`draft-update`), never choose its
 * audience or its facts.
 */

export { AUDIENCES };
export type { Audience };
export const AudienceSchema = z.enum(AUDIENCES);

export const AudienceDraftSchema = z.object({
  audience: AudienceSchema,
  /** True when the text leaves the company: the charter's gate treats it as risky. */
  customerFacing: z.boolean(),
  subject: z.string().min(1),
  body: z.string().min(1),
  /** The changes the draft reports. */
  changes: z.array(z.string()),
});
export type AudienceDraft = z.infer<typeof AudienceDraftSchema>;

/** Everything an update may draw on. One context, several audiences. */
export interface UpdateContext {
  readonly before: CaseSnapshot;
  readonly after: CaseSnapshot;
  readonly changes: readonly MeaningfulChange[];
  /** The handoff packet at `after.at`, for open questions and the definition of ready. */
  readonly packet?: HandoffPacket;
  /** What the customer must provide (requirement labels written by the charter's author). */
  readonly customerNeeds?: readonly string[];
  /** Expected resolution (epoch ms); defaults to the due date. */
  readonly eta?: number | null;
  readonly priority?: string | null;
  /** What is at stake, for the executive paragraph ("order line down at a plant"). */
  readonly impact?: string | null;
  /** How the customer knows the case (their reference); defaults to the case id. */
  readonly customerReference?: string;
  /** The customer's latest question, in their words: the customer's update answers it first. */
  readonly customerQuestion?: string | null;
}

interface AudiencePolicy {
  readonly audience: Audience;
  readonly customerFacing: boolean;
  /** Whether this change is news to the audience. */
  wants(change: MeaningfulChange, ctx: UpdateContext): boolean;
  render(ctx: UpdateContext, news: readonly MeaningfulChange[]): { subject: string; body: string };
}

function day(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : formatTimestamp(ms).slice(0, 10);
}

function customerProgress(s: CaseSnapshot): string {
  if (s.phase === 'done') return 'Your request has been resolved.';
  if (s.phase === 'waiting' && s.waitingReason === 'customer')
    return 'We are waiting for information from you before we can continue.';
  if (s.phase === 'waiting')
    return 'We are waiting on a dependency before we can continue; we will come back to you as soon as it clears.';
  if (s.phase === 'active') return 'We are working on your request.';
  if (s.phase === 'queue') return 'Your request is in our queue and will be picked up shortly.';
  return 'We have received your request.';
}

function customerNeedsOf(ctx: UpdateContext): string[] {
  if (ctx.customerNeeds !== undefined) return [...ctx.customerNeeds];
  if (ctx.after.waitingReason !== 'customer') return [];
  const missing = ctx.packet?.readiness?.items.filter((i) => i.status === 'missing').map((i) => i.requirement) ?? [];
  return missing.length > 0 ? missing : ['a reply to our latest question on the request'];
}

const describe: Record<ChangeKind, (c: MeaningfulChange) => string> = {
  phase: (c) => `phase ${c.from ?? 'none'} → ${c.to ?? 'none'}`,
  state: (c) => `state ${c.from ?? 'none'} → ${c.to ?? 'none'}`,
  owner: (c) => (c.to === null ? `unassigned (was ${c.from ?? 'nobody'})` : `owner ${c.from ?? 'nobody'} → ${c.to}`),
  blocked: (c) => `blocked: ${c.to ?? 'unknown'}`,
  unblocked: (c) => `unblocked (was ${c.from ?? 'blocked'})`,
  sla: (c) => `SLA ${c.from ?? 'none'} → ${c.to ?? 'none'}`,
  due: (c) => (c.to === null ? `due date removed (was ${c.from ?? 'none'})` : `due ${c.from ?? 'none'} → ${c.to}`),
};

const CUSTOMER: AudiencePolicy = {
  audience: 'customer',
  customerFacing: true,
  // Phase, blockers on their side and promised dates are theirs; owner, state names and SLA are ours.
  wants: (c, ctx) =>
    c.kind === 'phase' ||
    c.kind === 'due' ||
    ((c.kind === 'blocked' || c.kind === 'unblocked') &&
      (c.to === 'waiting:customer' || c.from === 'waiting:customer')) ||
    (c.kind === 'owner' && ctx.before.owner === null && c.to !== null),
  render: (ctx) => {
    const ref = ctx.customerReference ?? ctx.after.caseId;
    const lines = [`Update on your request ${ref}.`, ''];
    const asked = ctx.customerQuestion?.trim();
    if (asked) lines.push(`You asked: "${asked}"`, '');
    lines.push(customerProgress(ctx.after));
    if (ctx.before.owner === null && ctx.after.owner !== null && ctx.after.phase !== 'done') {
      lines.push('A specialist has been assigned to it.');
    }
    const eta = day(ctx.eta ?? ctx.after.due);
    if (ctx.after.phase !== 'done' && eta !== null) lines.push(`Expected by: ${eta}.`);
    const needs = customerNeedsOf(ctx);
    if (ctx.after.phase !== 'done' && needs.length > 0) {
      lines.push('', 'What we need from you:', ...needs.map((n) => `- ${n}`));
    }
    const subject = ctx.after.phase === 'done' ? `Resolved: your request ${ref}` : `Update on your request ${ref}`;
    return { subject, body: lines.join('\n') };
  },
};

const INTERNAL: AudiencePolicy = {
  audience: 'internal',
  customerFacing: false,
  wants: () => true,
  render: (ctx, news) => {
    const a = ctx.after;
    const lines = [`${a.caseId}${a.title === null ? '' : ` — ${a.title}`}`];
    if (news.length > 0) lines.push('', 'What changed:', ...news.map((c) => `- ${describe[c.kind](c)}`));
    lines.push('', `Now: ${a.state ?? 'unknown state'} (${a.phase ?? 'unknown phase'}), owner ${a.owner ?? 'nobody'}.`);
    if (a.blocker !== null) lines.push(`Blocked: ${a.blocker}.`);
    if (a.sla === 'at-risk' || a.sla === 'breached') lines.push(`SLA: ${a.sla}.`);
    const p = ctx.packet;
    const missing = p?.readiness?.items.filter((i) => i.status === 'missing').map((i) => i.requirement) ?? [];
    if (missing.length > 0) lines.push(`Inputs required: ${missing.join(', ')}.`);
    if (p !== undefined && p.openQuestions.length > 0) {
      lines.push(
        'Open questions:',
        ...p.openQuestions
          .slice(-3)
          .map((q) => `- ${q.text}${q.addressedTo.length > 0 ? ` (for ${q.addressedTo.join(', ')})` : ''}`),
      );
    }
    if (p !== undefined && p.decisions.length > 0) lines.push(`Decided: ${p.decisions.at(-1)?.text ?? ''}`);
    if (p !== undefined) lines.push(`Next: ${p.nextOwner.who ?? 'the queue'} — ${p.nextOwner.reason}.`);
    const subject = news.length > 0 ? news.map((c) => describe[c.kind](c)).join('; ') : 'status';
    return { subject: `[${a.caseId}] ${subject}`, body: lines.join('\n') };
  },
};

const EXECUTIVE: AudiencePolicy = {
  audience: 'executive',
  customerFacing: false,
  // Executives hear about risk: the SLA getting worse or better, a high-priority case blocked or done.
  wants: (c, ctx) =>
    c.kind === 'sla' ||
    (isHighPriority(ctx.priority) && (c.kind === 'blocked' || (c.kind === 'phase' && c.to === 'done'))),
  render: (ctx, news) => {
    const a = ctx.after;
    const standing =
      a.sla === 'breached'
        ? 'has breached its SLA'
        : a.sla === 'at-risk'
          ? 'is at risk of breaching its SLA'
          : a.phase === 'done'
            ? 'is resolved'
            : 'is back on track';
    const parts = [`${a.caseId}${ctx.priority ? ` (${ctx.priority} priority)` : ''} ${standing}.`];
    if (news.length > 0) parts.push(`Change: ${news.map((c) => describe[c.kind](c)).join('; ')}.`);
    if (ctx.impact) parts.push(`Impact: ${ctx.impact}.`);
    if (a.blocker !== null) parts.push(`It is blocked (${a.blocker}).`);
    const due = day(ctx.eta ?? a.due);
    if (due !== null && a.phase !== 'done') parts.push(`Due ${due}.`);
    if (a.phase !== 'done') parts.push(`${a.owner ?? 'Nobody yet'} owns the next step.`);
    return { subject: `${a.caseId}: ${standing}`, body: parts.join(' ') };
  },
};

function isHighPriority(p: string | null | undefined): boolean {
  return p !== null && p !== undefined && /^(highest|high|critical|blocker|urgent|major|p[01]|1|2)\b/i.test(p.trim());
}

/** The audiences in the order drafts are produced. */
export const AUDIENCE_POLICIES: readonly AudiencePolicy[] = [CUSTOMER, INTERNAL, EXECUTIVE];

/**
 * Drafts one update per audience that has news in `ctx.changes`; an audience with no news gets
 * nothing (no update for the sake of an update).
 * @example draftUpdates({ before, after, changes: meaningfulChanges(before, after) })
 */
export function draftUpdates(ctx: UpdateContext): AudienceDraft[] {
  const out: AudienceDraft[] = [];
  for (const policy of AUDIENCE_POLICIES) {
    const news = ctx.changes.filter((c) => policy.wants(c, ctx));
    if (news.length === 0) continue;
    const { subject, body } = policy.render(ctx, news);
    out.push({
      audience: policy.audience,
      customerFacing: policy.customerFacing,
      subject,
      body,
      changes: news.map((c) => c.kind),
    });
  }
  return out;
}

/**
 * One draft for one audience whether or not anything changed: the update a person asks for ("tell the
 * customer where we are"), with the news of `ctx.changes` that this audience cares about, if any.
 * @example draftForAudience('executive', { before, after, changes, packet })
 */
export function draftForAudience(audience: Audience, ctx: UpdateContext): AudienceDraft {
  const policy = AUDIENCE_POLICIES.find((p) => p.audience === audience) as AudiencePolicy;
  const news = ctx.changes.filter((c) => policy.wants(c, ctx));
  const { subject, body } = policy.render(ctx, news);
  return { audience, customerFacing: policy.customerFacing, subject, body, changes: news.map((c) => c.kind) };
}
