import { WaitingReasonSchema } from '@baton/core';
import * as z from 'zod';

/**
 * The issue property where Baton keeps what people told it outside Jira ("Blocked by…", "On it" and typed
 * answers in chat), read back by `mapIssue` as events of that person: a `blocked` starts a `blockedState`
 * visit that holds until the status next changes, another block, or an `onIt` (which is also the
 * owner's touch, so the charter's recent-touch rule holds the nudges); a `reply` names the comment the app
 * posted with their words, which is then read as theirs (readiness counts it; the app's own words never).
 * docs/adr/0019-chat-port-and-slack-edition.md.
 */
export const WAITING_PROPERTY = 'baton.waiting';
/** What is kept: Jira's property values hold 32,768 bytes; 20 entries with 500-character reasons fit well inside. */
export const WAITING_KEPT = 20;

const said = {
  /** The answer that said it (stable across redelivery): writing the same key twice is one entry. */
  key: z.string().min(1).max(300),
  /** Epoch ms the person said it. */
  at: z.number().int(),
  /** The Jira account that said it (the activity is theirs, not the app's). */
  by: z.string().min(1),
  /** Where they said it, when not in Jira. */
  via: z.object({ surface: z.string().min(1), userId: z.string().min(1) }).optional(),
};
export const WaitingSaidSchema = z.discriminatedUnion('kind', [
  z.object({ ...said, kind: z.literal('blocked'), reason: WaitingReasonSchema, detail: z.string().max(500) }),
  z.object({ ...said, kind: z.literal('onIt') }),
  /** Jira comment ids are numeric strings (`10000`); the comment holds the words, the property only whose they are. */
  z.object({ ...said, kind: z.literal('reply'), commentId: z.string().regex(/^\d{1,20}$/) }),
]);
export type WaitingSaid = z.infer<typeof WaitingSaidSchema>;

export const WaitingPropertySchema = z.object({
  version: z.literal(1),
  /** Oldest first. */
  said: z.array(WaitingSaidSchema).max(WAITING_KEPT),
});
export type WaitingProperty = z.infer<typeof WaitingPropertySchema>;

/** The property with `entry` added in time order, keeping the last `WAITING_KEPT`; the same key twice changes nothing. */
export function withSaid(
  p: WaitingProperty | undefined,
  entry: WaitingSaid,
): { property: WaitingProperty; changed: boolean } {
  const prev = p?.said ?? [];
  if (prev.some((s) => s.key === entry.key)) return { property: p ?? { version: 1, said: [] }, changed: false };
  const next = [...prev, entry].sort((a, b) => a.at - b.at).slice(-WAITING_KEPT);
  return { property: { version: 1, said: next }, changed: true };
}
