import * as z from 'zod';
import { SLA_STATES } from '../messaging/protocol.ts';

/**
 * The issue property `baton.state` that the Jira app writes (SLA clock, handoff packet). Read
 * leniently: a field the app adds later must not break the extension, and a malformed part is dropped
 * rather than shown wrong.
 */
const StringList = z.array(z.string()).catch([]);

const SlaObject = z
  .object({
    state: z.enum(SLA_STATES).catch('none'),
    label: z.string().optional(),
    goal: z.string().optional(),
    dueAt: z.union([z.string(), z.number()]).nullable().optional(),
  })
  .loose();
export type StoredSla = z.infer<typeof SlaObject>;

/** The Forge app stores one clock per SLA goal; the overlay shows the one closest to trouble. */
const SEVERITY: Record<string, number> = { breached: 5, 'at-risk': 4, 'on-track': 3, paused: 2, met: 1, none: 0 };
function worstClock(clocks: StoredSla[]): StoredSla | undefined {
  return [...clocks].sort((a, b) => (SEVERITY[b.state] ?? 0) - (SEVERITY[a.state] ?? 0))[0];
}

export const BatonStateSchema = z
  .object({
    version: z.number().optional().catch(undefined),
    updatedAt: z.union([z.string(), z.number()]).optional().catch(undefined),
    // One clock (`{state, goal, dueAt}`) or the Forge app's list of clocks (apps/jira contracts/issue-state.ts).
    sla: z
      .union([SlaObject, z.array(SlaObject).transform(worstClock)])
      .optional()
      .catch(undefined),
    /** The Forge app's definition-of-ready checklist for the next state. */
    ready: z
      .array(z.object({ item: z.string(), present: z.boolean() }))
      .optional()
      .catch(undefined),
    packet: z
      .object({
        summary: z.string().default(''),
        decisions: StringList.default([]),
        openQuestions: StringList.default([]),
        links: z
          .array(z.object({ title: z.string(), url: z.string() }))
          .catch([])
          .default([]),
        nextOwner: z.string().nullable().optional(),
        definitionOfReady: z
          .array(z.object({ item: z.string(), present: z.boolean() }))
          .catch([])
          .default([]),
      })
      .loose()
      .optional()
      .catch(undefined),
  })
  .loose();
export type BatonState = z.infer<typeof BatonStateSchema>;

export function parseBatonState(value: unknown): BatonState | undefined {
  if (value === undefined) return undefined;
  const r = BatonStateSchema.safeParse(value);
  return r.success ? r.data : undefined;
}
