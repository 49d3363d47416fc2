import * as z from 'zod';
import { ISSUE_DELETED_EVENT, PRODUCT_EVENTS } from '../product-events.ts';

/**
 * The documented shape of a Forge Jira issue event, as far as the app reads it. Loose: Jira adds
 * fields. The payload is a hint about *which* issue changed; its contents are never trusted as the
 * issue's current state (deliveries repeat and arrive out of order).
 */
export const IssueEventSchema = z.looseObject({
  eventType: z.enum(PRODUCT_EVENTS),
  issue: z.looseObject({
    id: z.string(),
    key: z.string(),
    fields: z.looseObject({ project: z.looseObject({ key: z.string() }).optional() }).optional(),
  }),
  atlassianId: z.string().optional(),
  /** True when the app itself caused the event (the manifest's `ignoreSelf` should already drop these). */
  selfGenerated: z.boolean().optional(),
  changelog: z
    .looseObject({ id: z.string().optional(), items: z.array(z.looseObject({ field: z.string() })).optional() })
    .optional(),
  comment: z
    .looseObject({
      id: z.string(),
      author: z.looseObject({ accountId: z.string(), accountType: z.string().optional() }).optional(),
    })
    .optional(),
});
export type IssueEvent = z.infer<typeof IssueEventSchema>;

/** `avi:jira:deleted:issue`: only which issue is read (Forge's Jira issue event payload). */
export const IssueDeletedEventSchema = z.looseObject({
  eventType: z.literal(ISSUE_DELETED_EVENT),
  issue: z.looseObject({ id: z.string(), key: z.string() }),
});
