import { buildHandoffPacket, createWorkflowResolver } from '@baton/core';
import type { HandoffPacket, ReadinessRequirement, SlaRisk } from '@baton/core';
import type { Charter } from '../contracts/charter.ts';
import type { PacketView, SlaClock } from '../contracts/issue-state.ts';
import type { IssueFacts } from './issue-facts.ts';

/** What an issue needs before it moves on, until the app's charter form lets admins say per state. */
export const DEFAULT_READY: readonly ReadinessRequirement[] = [{ kind: 'field', field: 'priority', label: 'priority set' }];

const worst = (sla: readonly SlaClock[]): SlaRisk =>
  sla.length === 0 ? 'none' : sla.some((c) => c.state === 'breached') ? 'breached' : sla.some((c) => c.state === 'at-risk') ? 'at-risk' : 'ok';

/** Core's clerk on the issue at `now`: decisions, open questions, links, next owner, readiness. */
export function handoffPacket(issue: IssueFacts, charter: Charter, sla: readonly SlaClock[], now: number): HandoffPacket {
  return buildHandoffPacket(issue.record, {
    at: now,
    resolve: createWorkflowResolver({ states: charter.workflow }, issue.hints),
    requirements: DEFAULT_READY,
    sla: worst(sla),
  });
}

const MAX_ITEMS = 5;
const clip = (t: string): string => (t.length > 280 ? `${t.slice(0, 279)}…` : t);

/**
 * The packet as the issue property carries it (the extension's `packet` shape): a handful of short
 * lines per section, the definition of ready with the owner first. The full packet is rebuilt on demand.
 */
export function packetView(p: HandoffPacket, owner: string | null): PacketView {
  return {
    summary: clip(p.summary.text),
    decisions: p.decisions.slice(-MAX_ITEMS).map((d) => clip(d.text)),
    openQuestions: p.openQuestions.slice(-MAX_ITEMS).map((q) => clip(q.text)),
    links: p.links.slice(0, MAX_ITEMS).map((l) => ({ title: clip(l.label ?? l.target), url: l.target })),
    nextOwner: p.nextOwner.who,
    definitionOfReady: [
      { item: 'owner assigned', present: owner !== null },
      ...(p.readiness?.items ?? []).map((i) => ({ item: i.requirement, present: i.status === 'present' })),
    ],
    risks: p.risks.slice(0, MAX_ITEMS).map((r) => clip(r.message)),
  };
}
