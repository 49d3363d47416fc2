import type { JiraClient } from '../client/create-jira-client.ts';

/**
 * The Jira effect of each kind of decision the app carries out, as one table: the REST call, the
 * OAuth scope it needs, how to make it, and how to tell it already happened (an attempt that died
 * after its claim). Adding an action kind is one row.
 */
export const EFFECT_KINDS = ['assign', 'setDueDate', 'setField', 'nudge', 'escalate', 'comment'] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];

/** The comment property that ties a comment to the decision that wrote it. */
export const DECISION_PROPERTY = 'baton.decision';

/**
 * Jira Service Management shows a comment made through the REST API to the customer (portal and
 * email) unless it carries this property with `{ internal: true }`; on a project that is not a
 * service project the property is inert.
 */
export const JSM_PUBLIC_PROPERTY = 'sd.public.comment';
export const commentVisibility = (audience: unknown): { internal: boolean } => ({ internal: audience !== 'customer' });

/**
 * Automated field writes do not email watchers (`notifyUsers=false`): the audit log and the issue's
 * history say what the app did. A comment notifies as comments do.
 */
const SILENT = { notifyUsers: false } as const;

/** One decision's effect: the issue, the decision's idempotency key and its action's parameters. */
export interface EffectInput {
  issueKey: string;
  decisionKey: string;
  /**
   * `{ assignee }` (assign), `{ duedate }` (`YYYY-MM-DD`), `{ field, value }` (setField: `priority`
   * by name or id, one label or component added), `{ audience? }` for comments.
   */
  proposal: Readonly<Record<string, unknown>>;
  /** A comment's body (ADF), composed by the caller; comment kinds only. */
  body?: unknown;
}

export interface JiraEffect {
  /** The REST call, as Jira's reference names it. */
  rest: `${'PUT' | 'POST'} /rest/api/3/${string}`;
  /** Jira Cloud's classic OAuth scope the call needs (the manifest declares it). */
  scope: 'write:jira-work';
  apply(jira: JiraClient, e: EffectInput): Promise<void>;
  /** Is the effect already in Jira? Reads only. */
  inJira(jira: JiraClient, e: EffectInput): Promise<boolean>;
}

/** A priority as the charter names it: an id when it is all digits, else a name. */
export const priorityRef = (value: string): { id: string } | { name: string } =>
  /^\d+$/.test(value) ? { id: value } : { name: value };

/** The fields `setField` writes, each with its edit (a label or component is added: nothing is replaced). */
const FIELD_EDITS: Readonly<
  Record<
    string,
    (value: string) => { fields: Record<string, unknown>; update?: Record<string, readonly Record<string, unknown>[]> }
  >
> = {
  priority: (v) => ({ fields: { priority: priorityRef(v) } }),
  labels: (v) => ({ fields: {}, update: { labels: [{ add: v }] } }),
  components: (v) => ({ fields: {}, update: { components: [{ add: { name: v } }] } }),
};

const comment: JiraEffect = {
  rest: 'POST /rest/api/3/issue/{issueIdOrKey}/comment',
  scope: 'write:jira-work',
  async apply(jira, e) {
    if (e.body === undefined) throw new Error(`a comment needs its body (decision ${e.decisionKey})`);
    await jira.addComment(e.issueKey, e.body, {
      [DECISION_PROPERTY]: e.decisionKey,
      [JSM_PUBLIC_PROPERTY]: commentVisibility(e.proposal.audience),
    });
  },
  async inJira(jira, e) {
    const comments = await jira.listComments(e.issueKey, { withProperties: true });
    return comments.some((c) => c.properties?.some((p) => p.key === DECISION_PROPERTY && p.value === e.decisionKey));
  },
};

export const JIRA_EFFECTS: Readonly<Record<EffectKind, JiraEffect>> = {
  assign: {
    rest: 'PUT /rest/api/3/issue/{issueIdOrKey}/assignee',
    scope: 'write:jira-work',
    apply: (jira, e) => jira.assignIssue(e.issueKey, String(e.proposal.assignee)),
    async inJira(jira, e) {
      const a = (await jira.getIssue(e.issueKey, { fields: ['assignee'] })).fields?.assignee as
        { accountId?: string } | null | undefined;
      return a?.accountId === e.proposal.assignee;
    },
  },
  setDueDate: {
    rest: 'PUT /rest/api/3/issue/{issueIdOrKey}',
    scope: 'write:jira-work',
    apply: (jira, e) => jira.editIssue(e.issueKey, { duedate: String(e.proposal.duedate) }, undefined, SILENT),
    async inJira(jira, e) {
      return (await jira.getIssue(e.issueKey, { fields: ['duedate'] })).fields?.duedate === e.proposal.duedate;
    },
  },
  setField: {
    rest: 'PUT /rest/api/3/issue/{issueIdOrKey}',
    scope: 'write:jira-work',
    async apply(jira, e) {
      const field = String(e.proposal.field);
      const edit = FIELD_EDITS[field];
      if (edit === undefined) throw new Error(`setField: the app does not write field '${field}'`);
      const { fields, update } = edit(String(e.proposal.value));
      await jira.editIssue(e.issueKey, fields, update, SILENT);
    },
    async inJira(jira, e) {
      const field = String(e.proposal.field);
      const v = (await jira.getIssue(e.issueKey, { fields: [field] })).fields?.[field];
      return (Array.isArray(v) ? v : [v])
        .flatMap((x) =>
          typeof x === 'object' && x !== null ? [(x as { name?: unknown }).name, (x as { id?: unknown }).id] : [x],
        )
        .includes(e.proposal.value);
    },
  },
  nudge: comment,
  escalate: comment,
  comment,
};

/** The kinds whose effect is a comment (they count against the nudge cap). */
export const isCommentEffect = (kind: EffectKind): boolean => JIRA_EFFECTS[kind] === comment;
