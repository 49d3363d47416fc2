import * as z from 'zod';

// The shape of a Jira issue as the extension's case view reads it (the client's own schema keeps
// `fields` as unknowns). Shared by the background and the pure case-view code; no network here.

const UserSchema = z.object({ accountId: z.string().optional(), displayName: z.string() }).nullable().optional();

export const JiraIssueSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    fields: z
      .object({
        summary: z.string().default(''),
        status: z
          .object({ name: z.string(), statusCategory: z.object({ key: z.string() }).optional() })
          .nullable()
          .optional(),
        assignee: UserSchema,
        reporter: UserSchema,
        priority: z.object({ name: z.string() }).nullable().optional(),
        duedate: z.string().nullable().optional(),
        updated: z.string().optional(),
        description: z.unknown().optional(),
        comment: z
          .object({
            comments: z.array(z.object({ id: z.string(), author: UserSchema, created: z.string(), body: z.unknown() })),
          })
          .optional(),
      })
      .loose(),
    properties: z.record(z.string(), z.unknown()).optional(),
  })
  // Loose: the changelog and anything else Jira sends stay for the mapping to core's case model.
  .loose();
export type JiraIssue = z.infer<typeof JiraIssueSchema>;

export const SUMMARY_FIELDS = ['summary', 'status', 'assignee', 'priority', 'updated'];
export const VIEW_FIELDS = [
  ...SUMMARY_FIELDS,
  'reporter',
  'creator',
  'duedate',
  'description',
  'comment',
  'created',
  'resolutiondate',
  'issuetype',
  'labels',
  'components',
  'issuelinks',
  'project',
];
