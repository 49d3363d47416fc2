import * as z from 'zod';
import { CUSTOM_FIELD_ID } from './seed.ts';
import type { SimField, SimHistory, SimIssueSeed, SimProject, SimSeed, SimStatus, SimUser } from './seed.ts';

// Recorded Jira REST responses (v2 or v3: `GET /issue/{key}?expand=changelog`, a field list or an
// editmeta) turned into a sim seed, so that a test serves a real issue — its custom fields, comments
// and changelog — through the sim's endpoints in v3 shape instead of handing the recording to code
// directly. Only what the sim models is read; everything else in the recording is ignored.

const RecordedUser = z.looseObject({
  accountId: z.string().optional(),
  key: z.string().optional(),
  name: z.string().optional(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
  active: z.boolean().optional(),
  timeZone: z.string().optional(),
  accountType: z.enum(['atlassian', 'app', 'customer']).optional(),
});
type RecordedUser = z.infer<typeof RecordedUser>;

const Named = z.looseObject({ name: z.string() });
const RecordedStatus = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  statusCategory: z.looseObject({ key: z.enum(['new', 'indeterminate', 'done']) }).optional(),
});

const RecordedHistory = z.looseObject({
  id: z.string().optional(),
  author: RecordedUser.nullable().optional(),
  created: z.string(),
  items: z
    .array(
      z.looseObject({
        field: z.string(),
        fieldtype: z.enum(['jira', 'custom']).optional(),
        fieldId: z.string().optional(),
        from: z.string().nullable().optional(),
        fromString: z.string().nullable().optional(),
        to: z.string().nullable().optional(),
        toString: z.string().nullable().optional(),
      }),
    )
    .min(1),
});

const RecordedComment = z.looseObject({
  id: z.string().optional(),
  author: RecordedUser,
  body: z.union([z.string(), z.record(z.string(), z.unknown())]),
  created: z.string(),
  updated: z.string().optional(),
});

const RecordedIssue = z.looseObject({
  id: z.string().optional(),
  key: z.string().regex(/^[A-Z][A-Z0-9_]+-\d+$/, 'expected an issue key such as SUP-1'),
  fields: z.looseObject({
    summary: z.string(),
    description: z
      .union([z.string(), z.record(z.string(), z.unknown())])
      .nullable()
      .optional(),
    issuetype: Named.optional(),
    priority: Named.nullable().optional(),
    status: RecordedStatus,
    project: z.looseObject({ id: z.string(), key: z.string(), name: z.string() }).optional(),
    assignee: RecordedUser.nullable().optional(),
    reporter: RecordedUser.nullable().optional(),
    creator: RecordedUser.nullable().optional(),
    labels: z.array(z.string()).optional(),
    components: z.array(Named).optional(),
    duedate: z.string().nullable().optional(),
    created: z.string(),
    updated: z.string().optional(),
    comment: z.looseObject({ comments: z.array(RecordedComment) }).optional(),
  }),
  changelog: z.looseObject({ histories: z.array(RecordedHistory) }).optional(),
});

/** `GET /field` (a list) or an issue's `editmeta` (`{ fields: { id: { name, schema } } }`). */
const RecordedFieldList = z.array(
  z.looseObject({
    id: z.string(),
    name: z.string(),
    custom: z.boolean(),
    schema: z.record(z.string(), z.unknown()).optional(),
  }),
);
const RecordedEditmeta = z.looseObject({
  fields: z.record(
    z.string(),
    z.looseObject({ name: z.string(), schema: z.record(z.string(), z.unknown()).optional() }),
  ),
});

export interface RecordedSeedInput {
  /** The account the sim answers as (the app under Forge); added as an app user when the recording lacks it. */
  me: { accountId: string; displayName: string };
  /** Recorded issue responses (with `fields`, and `changelog` when recorded with `expand=changelog`). */
  issues: readonly unknown[];
  /** Recorded field definitions of the same site: a `GET /field` list or an `editmeta` response. */
  fields?: unknown;
  /**
   * Status categories for statuses recorded without one (some responses carry only the name).
   * A status with neither is an error naming it.
   */
  statusCategories?: Readonly<Record<string, SimStatus['category']>>;
  admins?: readonly string[];
}

function problem(where: string, error: z.ZodError): Error {
  const issues = error.issues.map((i) => `${[where, ...i.path].join('.')}: ${i.message}`);
  return new Error(`recorded payload is not a Jira response the sim can serve: ${issues.join('; ')}`);
}

/**
 * Cloud recordings identify people by `accountId`, Server ones by `key`/`name`; trimmed ones only by
 * `displayName`, which then stands in as the id (the sim needs one to serve the person).
 */
const idOf = (u: RecordedUser): string | undefined => u.accountId ?? u.key ?? u.name ?? u.displayName;

function fieldsFrom(raw: unknown): SimField[] {
  const list = RecordedFieldList.safeParse(raw);
  if (list.success)
    return list.data.map((f) => ({
      id: f.id,
      name: f.name,
      custom: f.custom,
      ...(f.schema ? { schema: f.schema } : {}),
    }));
  const meta = RecordedEditmeta.safeParse(raw);
  if (meta.success) {
    return Object.entries(meta.data.fields).map(([id, f]) => ({
      id,
      name: f.name,
      custom: CUSTOM_FIELD_ID.test(id),
      ...(f.schema ? { schema: f.schema } : {}),
    }));
  }
  throw problem('fields', meta.error);
}

/**
 * A sim seed from recorded Jira REST payloads: the issues with their custom fields (kept verbatim),
 * comments and changelog histories (ids kept), the people, statuses and projects they mention, and
 * the site's field names and schemas when a field list or editmeta was recorded. Assignable people
 * are the ones the recording shows assigned. Throws an error naming the payload path when a
 * recording lacks what the sim needs.
 * @example
 * const seed = seedFromRecorded({ me: { accountId: 'app', displayName: 'App' }, issues: [JSON.parse(recordedIssue)] });
 */
export function seedFromRecorded(input: RecordedSeedInput): SimSeed {
  const users = new Map<string, SimUser>();
  const person = (u: RecordedUser | null | undefined, where: string): string | null => {
    if (u === null || u === undefined) return null;
    const id = idOf(u);
    if (id === undefined) throw new Error(`recorded payload: ${where} has no accountId, key, name or displayName`);
    if (!users.has(id)) {
      users.set(id, {
        accountId: id,
        displayName: u.displayName ?? id,
        ...(u.emailAddress === undefined ? {} : { emailAddress: u.emailAddress }),
        active: u.active ?? true,
        accountType: u.accountType ?? 'atlassian',
        timeZone: u.timeZone ?? 'UTC',
      });
    }
    return id;
  };
  const statuses = new Map<string, SimStatus>();
  const projects = new Map<string, SimProject>();
  const issues: SimIssueSeed[] = [];

  input.issues.forEach((raw, n) => {
    const where = `issues[${n}]`;
    const parsed = RecordedIssue.safeParse(raw);
    if (!parsed.success) throw problem(where, parsed.error);
    const r = parsed.data;
    const f = r.fields;
    const category = f.status.statusCategory?.key ?? input.statusCategories?.[f.status.name];
    if (category === undefined) {
      throw new Error(
        `recorded payload: ${where}.fields.status.statusCategory is missing for '${f.status.name}'; pass statusCategories`,
      );
    }
    const statusId =
      f.status.id ?? [...statuses.values()].find((s) => s.name === f.status.name)?.id ?? String(90_000 + statuses.size);
    statuses.set(statusId, { id: statusId, name: f.status.name, category });

    const projectKey = f.project?.key ?? r.key.split('-')[0]!;
    const project = projects.get(projectKey) ?? {
      // A recording without `fields.project` (some responses trim it): the key is the issue key's prefix.
      id: f.project?.id ?? String(80_000 + projects.size),
      key: projectKey,
      name: f.project?.name ?? projectKey,
      statuses: [],
      assignable: [],
      components: [],
    };
    if (!project.statuses.includes(statusId)) project.statuses.push(statusId);
    // The project's components are the ones its recorded issues carry (so that edits can name them).
    for (const c of f.components ?? []) if (!project.components.includes(c.name)) project.components.push(c.name);
    projects.set(projectKey, project);

    const assignee = person(f.assignee, `${where}.fields.assignee`);
    if (assignee !== null && !project.assignable.includes(assignee)) project.assignable.push(assignee);
    const reporter = person(f.reporter ?? f.creator, `${where}.fields.reporter`);

    const histories: SimHistory[] = (r.changelog?.histories ?? []).map((h, i) => ({
      ...(h.id === undefined ? {} : { id: h.id }),
      author: person(h.author, `${where}.changelog.histories[${i}].author`),
      created: h.created,
      items: h.items.map((it) => ({
        field: it.field,
        fieldtype: it.fieldtype ?? 'jira',
        ...(it.fieldId === undefined ? {} : { fieldId: it.fieldId }),
        from: it.from ?? null,
        fromString: it.fromString ?? null,
        to: it.to ?? null,
        toString: it.toString ?? null,
      })),
    }));
    const comments = (f.comment?.comments ?? []).map((c, i) => ({
      ...(c.id === undefined ? {} : { id: c.id }),
      author: person(c.author, `${where}.fields.comment.comments[${i}].author`) as string,
      created: c.created,
      ...(c.updated === undefined ? {} : { updated: c.updated }),
      body: c.body,
    }));
    const customFields = Object.fromEntries(Object.entries(f).filter(([id]) => CUSTOM_FIELD_ID.test(id)));

    issues.push({
      ...(r.id === undefined ? {} : { id: r.id }),
      key: r.key,
      summary: f.summary,
      ...(f.description === undefined ? {} : { description: f.description }),
      ...(f.issuetype ? { issuetype: f.issuetype.name } : {}),
      ...(f.priority ? { priority: f.priority.name } : {}),
      status: statusId,
      assignee,
      reporter,
      labels: f.labels ?? [],
      components: (f.components ?? []).map((c) => c.name),
      duedate: f.duedate ?? null,
      customFields,
      created: f.created,
      ...(f.updated === undefined ? {} : { updated: f.updated }),
      histories,
      comments,
    });
  });

  if (!users.has(input.me.accountId))
    users.set(input.me.accountId, {
      accountId: input.me.accountId,
      displayName: input.me.displayName,
      active: true,
      accountType: 'app',
      timeZone: 'UTC',
    });
  return {
    me: input.me.accountId,
    admins: [...(input.admins ?? [])],
    users: [...users.values()],
    statuses: [...statuses.values()],
    projects: [...projects.values()],
    issues,
    fields: input.fields === undefined ? [] : fieldsFrom(input.fields),
  };
}
