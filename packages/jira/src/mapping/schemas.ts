import * as z from 'zod';

// What the mapping reads from Jira's JSON, for REST v2 and v3, Cloud and Server. Loose objects (Jira
// adds fields all the time) and optional almost everywhere: Server users have `name`/`key` and no
// `accountId`; exports drop `id`s; v3 bodies are ADF documents, v2 bodies wiki text.

/** A user as Jira sends it: Cloud has `accountId`, Server `name` and `key`; exports may have only `displayName`. */
export const JiraAccountSchema = z.looseObject({
  accountId: z.string().optional(),
  name: z.string().optional(),
  key: z.string().optional(),
  displayName: z.string().optional(),
});
export type JiraAccount = z.infer<typeof JiraAccountSchema>;
const Account = JiraAccountSchema.nullable().optional();

const Named = z.looseObject({ name: z.string() });

export const JiraStatusFieldSchema = z.looseObject({
  name: z.string(),
  id: z.string().optional(),
  statusCategory: z.looseObject({ key: z.string() }).optional(),
});

/** One field change of a changelog history. `fieldId` is absent on old Server versions. */
export const ChangeItemSchema = z.looseObject({
  field: z.string(),
  fieldId: z.string().optional(),
  from: z.string().nullable().optional(),
  fromString: z.string().nullable().optional(),
  to: z.string().nullable().optional(),
  toString: z.string().nullable().optional(),
  tmpFromAccountId: z.string().nullable().optional(),
  tmpToAccountId: z.string().nullable().optional(),
});
export type ChangeItem = z.infer<typeof ChangeItemSchema>;

export const HistorySchema = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  author: Account,
  created: z.string(),
  items: z.array(ChangeItemSchema),
});
export type History = z.infer<typeof HistorySchema>;

export const IssueCommentSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  author: Account,
  body: z.unknown().optional(),
  created: z.string(),
});
export type IssueComment = z.infer<typeof IssueCommentSchema>;

export const IssueFieldsSchema = z.looseObject({
  created: z.string(),
  updated: z.string().nullable().optional(),
  summary: z.string().nullable().optional(),
  description: z.unknown().optional(),
  status: JiraStatusFieldSchema.nullable().optional(),
  assignee: Account,
  reporter: Account,
  creator: Account,
  project: z.looseObject({ key: z.string() }).nullable().optional(),
  issuetype: Named.nullable().optional(),
  priority: Named.nullable().optional(),
  resolution: Named.nullable().optional(),
  components: z.array(Named).nullable().optional(),
  labels: z.array(z.string()).nullable().optional(),
  fixVersions: z.array(Named).nullable().optional(),
  duedate: z.string().nullable().optional(),
  resolutiondate: z.string().nullable().optional(),
  comment: z
    .looseObject({ comments: z.array(IssueCommentSchema) })
    .nullable()
    .optional(),
});

/** An issue as REST returns it (`GET /issue/{key}?expand=changelog`, one element of a search). */
export const IssueInputSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  key: z.string().min(1),
  fields: IssueFieldsSchema,
  changelog: z
    .looseObject({
      histories: z.array(HistorySchema),
      total: z.number().optional(),
    })
    .optional(),
  /** Entity properties asked for with `properties=` (`GET /issue/{key}?properties=baton.waiting`), by key. */
  properties: z.record(z.string(), z.unknown()).optional(),
});
export type IssueInput = z.infer<typeof IssueInputSchema>;

/** `POST /rest/api/3/changelog/bulkfetch` response. */
export const BulkChangelogResponseSchema = z.looseObject({
  issueChangeLogs: z.array(
    z.looseObject({ issueId: z.union([z.string(), z.number()]), changeHistories: z.array(z.unknown()) }),
  ),
  nextPageToken: z.string().nullable().optional(),
});
