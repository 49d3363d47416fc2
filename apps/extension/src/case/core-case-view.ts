import {
  HandoffPacketSchema,
  buildHandoffPacket,
  changesBetween,
  createWorkflowResolver,
  draftUpdates,
} from '@baton/core';
import type { HandoffPacket, SlaRisk } from '@baton/core';
import { mapIssue } from '@baton/jira';
import type { Audience, Draft, Packet, Sla } from '../messaging/protocol.ts';

// The same clerk and concierge the Jira app runs, here on the issue as the rep's browser reads it:
// Jira JSON → core case (via @baton/jira) → handoff packet and audience drafts. Deterministic, no model.

const CONCIERGE_AUDIENCE: Record<Audience, 'customer' | 'internal'> = {
  customer: 'customer',
  'account-team': 'internal',
};

/** Display names by account id, from every user object in the issue JSON. */
export function accountNames(raw: unknown): Map<string, string> {
  const names = new Map<string, string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if (typeof o.accountId === 'string' && typeof o.displayName === 'string') names.set(o.accountId, o.displayName);
      Object.values(o).forEach(walk);
    }
  };
  walk(raw);
  return names;
}

function slaRisk(sla: Sla | null): SlaRisk {
  if (sla === null) return 'none';
  return sla.state === 'on-track' ? 'ok' : sla.state === 'at-risk' || sla.state === 'breached' ? sla.state : 'none';
}

export function displayPacket(
  p: HandoffPacket,
  names: Map<string, string>,
  browseUrl: (key: string) => string,
  source: Packet['source'],
): Packet {
  const name = (id: string | null): string | null => (id === null ? null : (names.get(id) ?? id));
  const by = (s: { text: string; by: string | null }): string => (s.by === null ? s.text : `${s.text} (${name(s.by)})`);
  const owner = name(p.nextOwner.who);
  return {
    summary: withNames(p.summary.text, names),
    decisions: p.decisions.map(by),
    openQuestions: p.openQuestions.map(by),
    links: p.links.map((l) => ({
      title: l.label ?? l.target,
      url: l.kind === 'issue' ? browseUrl(l.target) : l.target,
    })),
    nextOwner: owner === null ? null : `${owner} (${withNames(p.nextOwner.reason, names)})`,
    definitionOfReady: (p.readiness?.items ?? []).map((i) => ({
      item: i.requirement,
      present: i.status === 'present',
    })),
    source,
  };
}

function withNames(text: string, names: Map<string, string>): string {
  let out = text;
  for (const [id, display] of names) if (id.length >= 3) out = out.split(id).join(display);
  return out;
}

export interface CoreCaseView {
  readonly packet: Packet;
  /** null when nothing changed that this audience should hear about; the caller falls back to a template. */
  readonly draft: Draft | null;
}

/**
 * @param raw the issue as `GET /rest/api/3/issue/{key}?expand=changelog` returns it
 * @param stored the `packet` the Jira app stored in `baton.state`, when there is one
 * @returns null when the issue cannot be read as a case (the caller falls back to a simpler view)
 */
export function coreCaseView(
  raw: unknown,
  o: {
    site: string;
    now: number;
    audience: Audience;
    sla: Sla | null;
    browseUrl: (key: string) => string;
    stored?: unknown;
  },
): CoreCaseView | null {
  const mapped = mapIssue(raw, { source: `jira:${o.site}` });
  if (!mapped.ok) return null;
  const { record, hints } = mapped.value;
  const resolve = createWorkflowResolver(undefined, hints);
  const names = accountNames(raw);
  const stored = HandoffPacketSchema.safeParse(o.stored);
  const handoff = stored.success
    ? stored.data
    : // No charter here, so no state's definition of ready: the caller fills in basic field checks.
      // (Passing made-up requirements would also make the customer draft ask for internal items.)
      buildHandoffPacket(record, { at: o.now, resolve, sla: slaRisk(o.sla) });
  const packet = displayPacket(handoff, names, o.browseUrl, stored.success ? 'jira-app' : 'browser');

  // What changed since the reporter (the customer) last wrote: that is what the update is about.
  const reporter = typeof record.attributes['reporter'] === 'string' ? record.attributes['reporter'] : null;
  const fromCustomer = record.events.filter((e) => e.kind === 'comment' && e.actor === reporter).at(-1);
  const from = fromCustomer?.at ?? record.events[0]?.at ?? o.now;
  const { before, after, changes } = changesBetween(record, from, o.now, resolve, () => slaRisk(o.sla));
  const wanted = CONCIERGE_AUDIENCE[o.audience];
  const d = draftUpdates({ before, after, changes, packet: handoff, customerReference: record.id }).find(
    (x) => x.audience === wanted,
  );
  return {
    packet,
    draft:
      d === undefined
        ? null
        : { audience: o.audience, subject: withNames(d.subject, names), text: withNames(d.body, names) },
  };
}
