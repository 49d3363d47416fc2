import { z } from 'zod';
import { SLA_STATES } from '../messaging/protocol.ts';

/**
 * The issue property `baton.state` that the Jira app writes (SLA clock, handoff packet). Read
 * leniently: a field the app adds later must not break the extension, and a malformed part is dropped
 * rather than shown wrong.
 */
const StringList = z.array(z.string()).catch([]);

export const BatonStateSchema = z
  .object({
    version: z.number().optional(),
    updatedAt: z.string().optional(),
    sla: z
      .object({
        state: z.enum(SLA_STATES).catch('none'),
        label: z.string().optional(),
        goal: z.string().optional(),
        dueAt: z.string().nullable().optional(),
      })
      .loose()
      .optional()
      .catch(undefined),
    packet: z
      .object({
        summary: z.string().default(''),
        decisions: StringList.default([]),
        openQuestions: StringList.default([]),
        links: z.array(z.object({ title: z.string(), url: z.string() })).catch([]).default([]),
        nextOwner: z.string().nullable().optional(),
        definitionOfReady: z.array(z.object({ item: z.string(), present: z.boolean() })).catch([]).default([]),
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
