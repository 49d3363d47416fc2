import type { HandoffPacket } from '@baton/core';
import * as z from 'zod/mini';
import { SLA_STATES } from './sla-display.ts';

/**
 * The views of `baton.state` a person is shown, defined once: the handoff packet as the property
 * carries it and the SLA display. zod/mini, so the browser extension's content scripts can check
 * the messages that carry them and stay small; `issue-state.ts` composes them into the property's
 * schema. The packet view is built from core's packet by `packetView`, by the Jira app (which stores
 * it) and by the extension (on an issue the app has not evaluated yet).
 */

export const ReadyItemSchema = z.object({ item: z.string(), present: z.boolean() });
export type ReadyItem = z.infer<typeof ReadyItemSchema>;

/** Core's handoff packet as the property carries it: a handful of short lines per section. */
export const PacketViewSchema = z.object({
  summary: z.string(),
  decisions: z.array(z.string()),
  openQuestions: z.array(z.string()),
  /** `url` is an address, or an issue key for a link to another issue. */
  links: z.array(z.object({ title: z.string(), url: z.string() })),
  /** The account id (or name, when Jira gives no id) of who acts next. */
  nextOwner: z.nullable(z.string()),
  definitionOfReady: z.array(ReadyItemSchema),
  risks: z._default(z.array(z.string()), []),
});
export type PacketView = z.infer<typeof PacketViewSchema>;

/** One SLA as a person is shown it (`slaDisplay` in `sla-display.ts` builds it from a clock). */
export const SlaDisplaySchema = z.object({
  state: z.enum(SLA_STATES),
  label: z.string(),
  dueAt: z.nullable(z.string()),
});

/**
 * Where a packet item came from, as a person reads it: core's evidence ref (`comment-3`,
 * `description`, `field:customfield_10010`) as `comment 3`, `the description`, `field customfield_10010`.
 */
export function whereFrom(evidence: string): string {
  if (evidence === 'description') return 'the description';
  const comment = /^comment-(\d+)$/.exec(evidence);
  if (comment) return `comment ${comment[1]}`;
  if (evidence.startsWith('field:')) return `field ${evidence.slice('field:'.length)}`;
  return evidence;
}

const MAX_ITEMS = 5;
const clip = (t: string): string => (t.length > 280 ? `${t.slice(0, 279)}…` : t);

/**
 * The packet as the issue property carries it: a handful of short lines per section, the definition
 * of ready for leaving the current status. The full packet is rebuilt on demand.
 */
export function packetView(p: HandoffPacket): PacketView {
  return {
    summary: clip(p.summary.text),
    decisions: p.decisions.slice(-MAX_ITEMS).map((d) => clip(d.text)),
    openQuestions: p.openQuestions.slice(-MAX_ITEMS).map((q) => clip(q.text)),
    links: p.links.slice(0, MAX_ITEMS).map((l) => ({ title: clip(l.label ?? l.target), url: l.target })),
    nextOwner: p.nextOwner.who,
    definitionOfReady: (p.readiness?.items ?? []).map((i) => ({
      item: i.requirement,
      present: i.status === 'present',
    })),
    risks: p.risks.slice(0, MAX_ITEMS).map((r) => clip(r.message)),
  };
}
