import * as z from 'zod';

/**
 * What the sim starts with. Kept close to how a person describes a Jira site (status names,
 * account ids, ISO times); the sim derives ids, `self` links and Jira's wire shapes from it.
 */
export const SimUserSchema = z.object({
  accountId: z.string().min(1),
  displayName: z.string(),
  emailAddress: z.string().optional(),
  active: z.boolean().default(true),
  accountType: z.enum(['atlassian', 'app', 'customer']).default('atlassian'),
  timeZone: z.string().default('UTC'),
});
export type SimUser = z.infer<typeof SimUserSchema>;

export const SimStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  category: z.enum(['new', 'indeterminate', 'done']),
});
export type SimStatus = z.infer<typeof SimStatusSchema>;

export const SimTransitionSchema = z.object({ id: z.string(), name: z.string(), to: z.string() });
export type SimTransition = z.infer<typeof SimTransitionSchema>;

export const SimProjectSchema = z.object({
  id: z.string(),
  key: z.string().regex(/^[A-Z][A-Z0-9_]+$/),
  name: z.string(),
  /** Status ids this project's workflow uses, in workflow order. */
  statuses: z.array(z.string()).min(1),
  /** Transitions by target; when absent every status can move to every other (a simplified workflow). */
  transitions: z.array(SimTransitionSchema).optional(),
  /** Account ids that may be assigned issues here. */
  assignable: z.array(z.string()),
  /** The project's component names (ids are given in order, from 10000). */
  components: z.array(z.string().min(1)).default([]),
});
export type SimProject = z.infer<typeof SimProjectSchema>;

/** A site priority; the list is in Jira's order, highest first. */
export const SimPrioritySchema = z.object({
  id: z.string(),
  name: z.string(),
  isDefault: z.boolean().default(false),
  statusColor: z.string().default('#f79232'),
  description: z.string().default(''),
});
export type SimPriority = z.infer<typeof SimPrioritySchema>;

/** Jira Cloud's priorities on a new site, Medium the default. */
export const DEFAULT_PRIORITIES: z.input<typeof SimPrioritySchema>[] = [
  { id: '1', name: 'Highest', statusColor: '#d04437', description: 'This problem will block progress.' },
  { id: '2', name: 'High', statusColor: '#f15C75', description: 'Serious problem that could block progress.' },
  {
    id: '3',
    name: 'Medium',
    isDefault: true,
    statusColor: '#f79232',
    description: 'Has the potential to affect progress.',
  },
  { id: '4', name: 'Low', statusColor: '#707070', description: 'Minor problem or easily worked around.' },
  {
    id: '5',
    name: 'Lowest',
    statusColor: '#999999',
    description: 'Trivial problem with little or no impact on progress.',
  },
];

export const SimHistoryItemSchema = z.object({
  field: z.string(),
  /** `custom` for a custom field's change (as recorded); the sim's own writes are `jira`. */
  fieldtype: z.enum(['jira', 'custom']).default('jira'),
  fieldId: z.string().optional(),
  from: z.string().nullable().default(null),
  fromString: z.string().nullable().default(null),
  to: z.string().nullable().default(null),
  toString: z.string().nullable().default(null),
});
export const SimHistorySchema = z.object({
  /** Jira's history id, kept from a recording; generated when absent. */
  id: z.string().regex(/^\d+$/).optional(),
  author: z.string().nullable(),
  created: z.string(),
  items: z.array(SimHistoryItemSchema).min(1),
});
export type SimHistory = z.input<typeof SimHistorySchema>;

export const SimCommentSeedSchema = z.object({
  /** Jira's comment id, kept from a recording; generated when absent. */
  id: z.string().regex(/^\d+$/).optional(),
  author: z.string(),
  created: z.string(),
  updated: z.string().optional(),
  /** Plain text (becomes one ADF paragraph) or an ADF document. */
  body: z.union([z.string(), z.record(z.string(), z.unknown())]),
  properties: z.record(z.string(), z.unknown()).optional(),
});

/** A custom field's id as Jira names it. */
export const CUSTOM_FIELD_ID = /^customfield_\d+$/;

export const SimIssueSeedSchema = z.object({
  /** Jira's issue id, kept from a recording; generated when absent. */
  id: z.string().regex(/^\d+$/).optional(),
  key: z.string().regex(/^[A-Z][A-Z0-9_]+-\d+$/),
  summary: z.string(),
  /** Plain text (becomes one ADF paragraph) or an ADF document. */
  description: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .nullable()
    .optional(),
  issuetype: z.string().default('Task'),
  priority: z.string().default('Medium'),
  status: z.string(),
  assignee: z.string().nullable().default(null),
  reporter: z.string().nullable().default(null),
  labels: z.array(z.string()).default([]),
  components: z.array(z.string()).default([]),
  duedate: z.string().nullable().default(null),
  /**
   * The fields on the issue's edit screen (what Jira's editmeta lists): `PUT /issue/{key}` refuses
   * any other field with a 400, as Jira does when a field is not on the screen.
   */
  editableFields: z
    .array(z.string())
    .default(['summary', 'description', 'priority', 'labels', 'components', 'duedate', 'assignee']),
  /**
   * Custom fields by id (`customfield_10019`), each value exactly as Jira serves it: the sim returns
   * them unchanged when `fields` selects them (by id, `*all` or `*navigable`).
   */
  customFields: z
    .record(z.string().regex(CUSTOM_FIELD_ID, 'expected a custom field id such as customfield_10019'), z.unknown())
    .default({}),
  created: z.string(),
  updated: z.string().optional(),
  histories: z.array(SimHistorySchema).default([]),
  comments: z.array(SimCommentSeedSchema).default([]),
  properties: z.record(z.string(), z.unknown()).default({}),
});
export type SimIssueSeed = z.input<typeof SimIssueSeedSchema>;

/** A field as Jira's field list describes it (`GET /field`, or an issue's `editmeta`): for `expand=names,schema`. */
export const SimFieldSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  custom: z.boolean(),
  schema: z.record(z.string(), z.unknown()).optional(),
});
export type SimField = z.infer<typeof SimFieldSchema>;

export const SimSeedSchema = z.object({
  /** The account that answers `/myself` when no session says otherwise (the app, under Forge). */
  me: z.string(),
  /** Jira administrators (global ADMINISTER, and ADMINISTER_PROJECTS everywhere). Others may browse; customers may not. */
  admins: z.array(z.string()).default([]),
  users: z.array(SimUserSchema),
  statuses: z.array(SimStatusSchema),
  projects: z.array(SimProjectSchema),
  /** The site's priorities, highest first (default: Jira Cloud's five, Medium the default). */
  priorities: z.array(SimPrioritySchema).default(DEFAULT_PRIORITIES.map((p) => SimPrioritySchema.parse(p))),
  issues: z.array(SimIssueSeedSchema),
  /** The site's field definitions, when known (recorded): names and schemas for `expand=names,schema`. */
  fields: z.array(SimFieldSchema).default([]),
});
export type SimSeed = z.input<typeof SimSeedSchema>;
export type ParsedSimSeed = z.output<typeof SimSeedSchema>;
