import { ACTION_KINDS } from '@baton/core';
import type { Action, ActionKind } from '@baton/core';
import type { JiraClient } from '../client/create-jira-client.ts';
import { JiraAuthError, JiraBadRequestError } from '../client/jira-api-error.ts';

/**
 * The Jira effect of each of core's action kinds, as one table: the REST call, the OAuth scope it
 * needs, how to make it, and how to tell it already happened (an attempt that died after its
 * claim). Adding an action kind is one row; a kind Jira does not carry out (yet) is `null`.
 */

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
 * Who sees a comment an action writes: a `comment` says; a nudge, question or escalation is internal
 * unless the charter made that kind public (`serviceDesk.publicMessages`, passed as `EffectInput.public`).
 */
const audienceOf = (e: EffectInput): unknown =>
  e.action.kind === 'comment' ? e.action.audience : e.public === true ? 'customer' : 'internal';

/**
 * Automated field writes do not email watchers (`notifyUsers=false`): the audit log and the issue's
 * history say what the app did. A comment notifies as comments do.
 */
const SILENT = { notifyUsers: false } as const;

/**
 * An app write of a field the edit screen does not show: Jira refuses it with a 400 naming the field
 * ("not on the appropriate screen"), and lets an app acting with Administer Jira write it anyway with
 * `overrideScreenSecurity=true`
 * (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put).
 * So the write is tried as is, then once with the override; an app without that permission gets
 * Jira's 403 for the override, and the screen's refusal is what the caller sees (the admin's fix).
 */
async function editSilently(
  jira: JiraClient,
  issueKey: string,
  fields: Record<string, unknown>,
  update: Record<string, readonly Record<string, unknown>[]> | undefined,
): Promise<void> {
  try {
    await jira.editIssue(issueKey, fields, update, SILENT);
  } catch (e) {
    const offScreen =
      e instanceof JiraBadRequestError &&
      e.status === 400 &&
      Object.values(e.errors).some((m) => /not on the appropriate screen/i.test(m));
    if (!offScreen) throw e;
    try {
      await jira.editIssue(issueKey, fields, update, { ...SILENT, overrideScreenSecurity: true });
    } catch (again) {
      if (again instanceof JiraAuthError) throw e;
      throw again;
    }
  }
}

/** One decision's effect: the issue, the decision's idempotency key and core's action. */
export interface EffectInput<A extends Action = Action> {
  issueKey: string;
  decisionKey: string;
  /**
   * Core's action as Jira takes it: a `setField` of `duedate` carries the Jira date (`YYYY-MM-DD`),
   * `priority` a name or id; `labels`/`components` add one value.
   */
  action: A;
  /** A comment's body (ADF), composed by the caller; comment kinds only. */
  body?: unknown;
  /**
   * The charter lets a Service Management customer read this message (`serviceDesk.publicMessages`);
   * absent or false, a comment other than a `customer` update is internal.
   */
  public?: boolean;
}

export interface JiraEffect<A extends Action = Action> {
  /** The REST call, as Jira's reference names it. */
  rest: `${'PUT' | 'POST'} /rest/api/3/${string}`;
  /** Jira Cloud's classic OAuth scope the call needs (the manifest declares it). */
  scope: 'write:jira-work';
  apply(jira: JiraClient, e: EffectInput<A>): Promise<void>;
  /** Is the effect already in Jira? Reads only. */
  inJira(jira: JiraClient, e: EffectInput<A>): Promise<boolean>;
}

/** The table's type: one row per core action kind, each typed by its own action. */
export type JiraEffects = { readonly [K in ActionKind]: JiraEffect<Extract<Action, { kind: K }>> | null };

/** A priority as the charter names it: an id when it is all digits, else a name. */
export const priorityRef = (value: string): { id: string } | { name: string } =>
  /^\d+$/.test(value) ? { id: value } : { name: value };

/** The fields `setField` writes, each with its edit (a label or component is added: nothing is replaced). */
export const WRITTEN_FIELDS = ['duedate', 'priority', 'labels', 'components'] as const;
const FIELD_EDITS: Readonly<
  Record<
    string,
    (value: string) => { fields: Record<string, unknown>; update?: Record<string, readonly Record<string, unknown>[]> }
  >
> = {
  duedate: (v) => ({ fields: { duedate: v } }),
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
      [JSM_PUBLIC_PROPERTY]: commentVisibility(audienceOf(e)),
    });
  },
  async inJira(jira, e) {
    const comments = await jira.listComments(e.issueKey, { withProperties: true });
    return comments.some((c) => c.properties?.some((p) => p.key === DECISION_PROPERTY && p.value === e.decisionKey));
  },
};

/**
 * A `notify` by email (`via: 'email'`): Jira's own notification email about the issue
 * (`POST /issue/{key}/notify`, no egress), to that one person, and only if they may browse the issue;
 * no comment, so nobody else on the issue (a JSM customer included) sees it. Otherwise the comment
 * that mentions them.
 */
const notify: JiraEffect<Extract<Action, { kind: 'notify' }>> = {
  rest: comment.rest,
  scope: 'write:jira-work',
  async apply(jira, e) {
    if (e.action.via !== 'email') return comment.apply(jira, e);
    await jira.notify(e.issueKey, {
      subject: e.action.subject ?? `${e.issueKey}: an update from Baton`,
      textBody: `${e.action.message}\n\n(Baton decision ${e.decisionKey})`,
      users: [e.action.to],
      restrictToPermissions: ['BROWSE_PROJECTS'],
    });
  },
  async inJira(jira, e) {
    // An email leaves nothing on the issue to read back: an attempt that died after its claim counts
    // as sent (at most once: a second copy in a lead's inbox is worse than a lost one).
    if (e.action.via === 'email') return true;
    return comment.inJira(jira, e);
  },
};

/** Does the issue's field hold the value (one of its values, by name or id for an object)? */
async function fieldHolds(jira: JiraClient, issueKey: string, field: string, value: unknown): Promise<boolean> {
  const v = (await jira.getIssue(issueKey, { fields: [field] })).fields?.[field];
  return (Array.isArray(v) ? v : [v])
    .flatMap((x) =>
      typeof x === 'object' && x !== null ? [(x as { name?: unknown }).name, (x as { id?: unknown }).id] : [x],
    )
    .includes(value);
}

export const JIRA_EFFECTS = {
  assign: {
    rest: 'PUT /rest/api/3/issue/{issueIdOrKey}/assignee',
    scope: 'write:jira-work',
    apply: (jira, e) => jira.assignIssue(e.issueKey, e.action.to),
    async inJira(jira, e) {
      const a = (await jira.getIssue(e.issueKey, { fields: ['assignee'] })).fields?.assignee as
        { accountId?: string } | null | undefined;
      return a?.accountId === e.action.to;
    },
  },
  setField: {
    rest: 'PUT /rest/api/3/issue/{issueIdOrKey}',
    scope: 'write:jira-work',
    async apply(jira, e) {
      const { field, value } = e.action;
      const edit = FIELD_EDITS[field];
      if (edit === undefined) throw new Error(`setField: the app does not write field '${field}'`);
      const { fields, update } = edit(String(value));
      await editSilently(jira, e.issueKey, fields, update);
    },
    inJira: (jira, e) => fieldHolds(jira, e.issueKey, e.action.field, e.action.value),
  },
  addLabel: {
    rest: 'PUT /rest/api/3/issue/{issueIdOrKey}',
    scope: 'write:jira-work',
    apply: (jira, e) => editSilently(jira, e.issueKey, {}, { labels: [{ add: e.action.label }] }),
    inJira: (jira, e) => fieldHolds(jira, e.issueKey, 'labels', e.action.label),
  },
  notify,
  requestInfo: comment,
  escalate: comment,
  comment,
  transition: {
    rest: 'POST /rest/api/3/issue/{issueIdOrKey}/transitions',
    scope: 'write:jira-work',
    async apply(jira, e) {
      // Core names the status to reach; Jira moves an issue by the id of a transition its workflow
      // offers from where the issue is now (`GET /issue/{key}/transitions`: only those the caller may do).
      const target = e.action.to.toLowerCase();
      const offered = await jira.getTransitions(e.issueKey);
      const t =
        offered.find((x) => x.to.name.toLowerCase() === target) ?? offered.find((x) => x.name.toLowerCase() === target);
      if (t === undefined) {
        const path = `/rest/api/3/issue/${e.issueKey}/transitions`;
        const message = `The workflow offers no transition to '${e.action.to}' from where ${e.issueKey} is (offered: ${offered.map((x) => x.to.name).join(', ') || 'none'}).`;
        throw new JiraBadRequestError(message, { status: 400, method: 'POST', path, errorMessages: [message] });
      }
      await jira.transitionIssue(e.issueKey, t.id);
    },
    async inJira(jira, e) {
      const status = (await jira.getIssue(e.issueKey, { fields: ['status'] })).fields?.status as
        { name?: string } | null | undefined;
      return status?.name?.toLowerCase() === e.action.to.toLowerCase();
    },
  },
} as const satisfies JiraEffects;

/** Core's action kinds the app carries out in Jira (a row that is not `null`). */
export const EFFECT_KINDS: readonly ActionKind[] = ACTION_KINDS.filter(
  (k) => (JIRA_EFFECTS as JiraEffects)[k] !== null,
);

/** The row for an action, typed by it; null when Jira does not carry the kind out. */
export const effectOf = <A extends Action>(action: A): JiraEffect<A> | null =>
  (JIRA_EFFECTS as JiraEffects)[action.kind] as JiraEffect<A> | null;

/** The kinds whose effect is a comment or a notification to a person (they count against the nudge cap). */
export const isCommentEffect = (kind: ActionKind): boolean =>
  (JIRA_EFFECTS as JiraEffects)[kind] === comment || kind === 'notify';
