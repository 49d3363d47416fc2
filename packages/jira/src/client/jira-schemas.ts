import * as z from 'zod';
import { ChangeItemSchema } from '../mapping/schemas.ts';

/**
 * The parts of Jira's responses the client relies on. Loose objects: Jira adds fields all the time,
 * and the mapping layer (`../mapping`) reads the rest of an issue.
 */
export const JiraUserSchema = z.looseObject({
  accountId: z.string(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
  active: z.boolean().optional(),
  accountType: z.string().optional(),
  timeZone: z.string().optional(),
});
export type JiraUser = z.infer<typeof JiraUserSchema>;

/** Jira's PageBean of users (`GET /user/bulk`). */
export const UserPageSchema = z.looseObject({
  startAt: z.number().optional(),
  total: z.number().optional(),
  isLast: z.boolean().optional(),
  values: z.array(JiraUserSchema),
});

export const JiraStatusSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  statusCategory: z.looseObject({ key: z.string(), name: z.string().optional() }),
});
export type JiraStatus = z.infer<typeof JiraStatusSchema>;

export const JiraPrioritySchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  isDefault: z.boolean().optional(),
});
export type JiraPriority = z.infer<typeof JiraPrioritySchema>;
/** Jira's PageBean of priorities (`GET /priority/search`). */
export const PriorityPageSchema = z.looseObject({
  startAt: z.number().optional(),
  total: z.number().optional(),
  isLast: z.boolean().optional(),
  values: z.array(JiraPrioritySchema),
});

/** One field of `GET /field` (Jira's FieldDetails): system fields by name (`duedate`), custom ones as `customfield_10010`. */
export const JiraFieldSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  custom: z.boolean().optional(),
  schema: z.looseObject({ type: z.string().optional() }).optional(),
});
export type JiraField = z.infer<typeof JiraFieldSchema>;
/** One component of `GET /project/{key}/components`. */
export const JiraComponentSchema = z.looseObject({ id: z.string(), name: z.string() });
export type JiraComponent = z.infer<typeof JiraComponentSchema>;

export const JiraIssueSchema = z.looseObject({
  id: z.string(),
  key: z.string().optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  changelog: z.looseObject({ histories: z.array(z.unknown()) }).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});
export type JiraIssue = z.infer<typeof JiraIssueSchema>;

export const SearchPageSchema = z.looseObject({
  issues: z.array(JiraIssueSchema),
  nextPageToken: z.string().nullable().optional(),
  isLast: z.boolean().optional(),
});
export type SearchPage = z.infer<typeof SearchPageSchema>;

/** `POST /rest/api/3/search/approximate-count`: `{ count }`. */
export const ApproximateCountSchema = z.looseObject({ count: z.number().int().min(0) });

/** Jira Data Center's `POST /rest/api/2/search`: offset pages with a `total`. */
export const StartAtSearchPageSchema = z.looseObject({
  startAt: z.number(),
  maxResults: z.number(),
  total: z.number(),
  issues: z.array(JiraIssueSchema),
});
export type StartAtSearchPage = z.infer<typeof StartAtSearchPageSchema>;

export const ChangeHistorySchema = z.looseObject({
  id: z.string(),
  author: JiraUserSchema.optional(),
  created: z.string(),
  items: z.array(ChangeItemSchema),
});
export type ChangeHistory = z.infer<typeof ChangeHistorySchema>;

export const BulkChangelogPageSchema = z.looseObject({
  issueChangeLogs: z
    .array(z.looseObject({ issueId: z.string(), changeHistories: z.array(ChangeHistorySchema) }))
    .optional(),
  nextPageToken: z.string().nullable().optional(),
});

export const CommentSchema = z.looseObject({
  id: z.string(),
  author: JiraUserSchema.optional(),
  body: z.unknown(),
  created: z.string(),
  properties: z.array(z.looseObject({ key: z.string(), value: z.unknown() })).optional(),
});
export type JiraComment = z.infer<typeof CommentSchema>;

export const CommentPageSchema = z.looseObject({
  startAt: z.number(),
  maxResults: z.number(),
  total: z.number(),
  comments: z.array(CommentSchema),
});

export const TransitionSchema = z.looseObject({ id: z.string(), name: z.string(), to: JiraStatusSchema });
export type JiraTransition = z.infer<typeof TransitionSchema>;
export const TransitionsSchema = z.looseObject({ transitions: z.array(TransitionSchema) });

export const PropertySchema = z.looseObject({ key: z.string(), value: z.unknown() });

export const ProjectStatusesSchema = z.array(z.looseObject({ name: z.string(), statuses: z.array(JiraStatusSchema) }));

export const MyPermissionsSchema = z.looseObject({
  permissions: z.record(z.string(), z.looseObject({ havePermission: z.boolean() })),
});

/** `POST /rest/api/3/permissions/check`: per project permission, the issues and projects it is granted on. */
export const BulkPermissionGrantsSchema = z.looseObject({
  globalPermissions: z.array(z.string()),
  projectPermissions: z.array(
    z.looseObject({ permission: z.string(), issues: z.array(z.number()), projects: z.array(z.number()) }),
  ),
});

/** One field of `GET /issue/{key}/editmeta`: only the fields on the issue's edit screen are listed. */
export const EditMetaFieldSchema = z.looseObject({
  required: z.boolean(),
  name: z.string(),
  key: z.string().optional(),
  operations: z.array(z.string()).default([]),
  schema: z
    .looseObject({ type: z.string().optional(), system: z.string().optional(), custom: z.string().optional() })
    .optional(),
});
export type EditMetaField = z.infer<typeof EditMetaFieldSchema>;
export const EditMetaSchema = z.looseObject({ fields: z.record(z.string(), EditMetaFieldSchema).default({}) });

/**
 * A remote issue link as Baton writes it (`POST /issue/{key}/remotelink`): the thing outside Jira
 * (a Gmail thread, a CRM record) under a `globalId` (≤ 255 characters) that makes the write an upsert
 * and lets JQL find the issue (`issuesWithRemoteLinksByGlobalId`).
 */
export interface RemoteLinkInput {
  readonly globalId: string;
  readonly url: string;
  readonly title: string;
  readonly summary?: string;
  readonly relationship?: string;
  readonly application?: { readonly type: string; readonly name: string };
}

/** Jira's answer to a remote link write. */
export const RemoteLinkIdSchema = z.object({ id: z.number(), self: z.string().optional() });
