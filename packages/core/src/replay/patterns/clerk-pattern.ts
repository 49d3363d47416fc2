import { formatTimestamp } from '../../time/timestamp.ts';
import { buildHandoffPacket } from '../../agent/clerk/clerk.ts';
import { fitPacket } from '../../agent/clerk/clerk-fit.ts';
import type { HandoffPacket } from '../../agent/clerk/clerk-packet.ts';
import type { Proposal } from '../../decision/decision.ts';
import type { ReplayPattern } from '../replay.ts';

/**
 * The clerk as proposals: when ownership changes to someone, the new owner gets the handoff packet
 * as an internal comment (the Forge app also stores the fitted packet in the issue property). The
 * packet's definition-of-ready checklist comes from the charter's state.
 */
export const clerkPattern: ReplayPattern = {
  id: 'clerk',
  name: 'clerk',
  onEvent(c, event, before, ctx) {
    const to = c.snapshot.owner;
    if (to === null || to === before.owner || before.eventCount === 0) return [];
    const state = c.snapshot.state;
    const requirements = state === null ? undefined : ctx.charter.states.get(state.toLowerCase())?.ready;
    const packet = buildHandoffPacket(c.record, {
      at: event.at,
      resolve: ctx.charter.resolve,
      ...(requirements === undefined || requirements.length === 0 ? {} : { requirements }),
    });
    return [handoffProposal(packet, before.owner, to, event.at)];
  },
};

/** The proposal that hands a packet to the new owner. */
export function handoffProposal(packet: HandoffPacket, from: string | null, to: string, at: number): Proposal {
  const fitted = fitPacket(packet, 4000);
  const text = fitted.ok ? fitted.value.packet.summary.text : packet.summary.text.slice(0, 4000);
  const missing = packet.readiness?.items.filter((i) => i.status === 'missing').length ?? 0;
  return {
    caseId: packet.caseId,
    pattern: 'clerk',
    rule: 'clerk.handoff',
    threshold: `owner:${to}@${at}`,
    actions: [{ kind: 'comment', audience: 'internal', body: `Handoff packet for ${to}: ${text}` }],
    reason: `handoff ${from ?? 'nobody'} → ${to}: packet with ${packet.decisions.length} decisions, ${packet.openQuestions.length} open questions, ${packet.risks.length} risks${missing > 0 ? `, ${missing} missing artifacts` : ''}`,
    evidence: [
      { label: 'from', value: from, source: `event:${formatTimestamp(at)}` },
      { label: 'to', value: to, source: `event:${formatTimestamp(at)}` },
      { label: 'open questions', value: packet.openQuestions.length, source: 'packet' },
    ],
    // The packet restates the case's own facts: nothing in it is a guess.
    confidence: 0.95,
    risk: 'low',
    at,
  };
}
