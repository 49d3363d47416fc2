import * as z from 'zod';
import { CaseEventSchema } from './event.ts';

export const AttributeValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type AttributeValue = z.infer<typeof AttributeValueSchema>;

/**
 * A case (a Jira issue, an event-log trace) with its events in time order.
 * `attributes` holds what the source knows about the case as a whole (project, issuetype,
 * priority, components, labels, reporter, impact, product, ...), flat and JSON-safe.
 */
export const CaseRecordSchema = z.object({
  id: z.string().min(1),
  /** Where it came from: a file name or `jira:<site>`. */
  source: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  attributes: z.record(z.string(), z.union([AttributeValueSchema, z.array(z.string())])),
  /** Epoch ms of a due date or deadline, when the source has one. */
  due: z.number().int().optional(),
  /** Current workflow state and owner, when known (Jira: the fields now). */
  state: z.string().nullable().optional(),
  owner: z.string().nullable().optional(),
  events: z.array(CaseEventSchema),
});
export type CaseRecord = z.infer<typeof CaseRecordSchema>;

/** Jira status categories (`new`, `indeterminate`, `done`) seen per state, used to derive a default workflow. */
export type StateCategoryHints = Map<string, 'new' | 'indeterminate' | 'done'>;
