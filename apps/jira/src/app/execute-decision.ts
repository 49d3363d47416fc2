import { JiraBadRequestError, JiraNotFoundError } from '@baton/jira';
import type { JiraClient } from '@baton/jira';
import type { AppDecision } from '../domain/decision.ts';
import type { BatonStorage } from '../platform/baton-storage.ts';
import { adfParagraphs } from './adf-text.ts';
import { recordAudit, utcDay } from './audit-entry.ts';

/** The comment property that ties a comment to the decision that wrote it. */
export const DECISION_PROPERTY = 'baton.decision';

/**
 * Jira Service Management shows a comment made through the REST API to the customer (portal and email)
 * unless it carries this property with `{ internal: true }`. Every comment the app writes is internal
 * unless its decision is addressed to the customer (`proposal.audience: 'customer'`, core's comment
 * audience); on a project that is not a service project the property is inert.
 */
export const JSM_PUBLIC_PROPERTY = 'sd.public.comment';
export const commentVisibility = (audience: unknown): { internal: boolean } => ({ internal: audience !== 'customer' });

/**
 * Automated field writes do not email watchers (`notifyUsers=false`): the audit log and the issue's
 * history say what the app did. A nudge or escalation is a comment, which notifies as comments do.
 */
const SILENT = { notifyUsers: false } as const;

/** `deferred`: a nudge found the day's cap taken when it came to post (a concurrent one took the last slot). */
export type ExecuteResult = 'executed' | 'duplicate' | 'failed' | 'dropped' | 'deferred';

/** Has this decision's effect already happened in Jira? Used when an earlier attempt died after claiming. */
async function alreadyInJira(jira: JiraClient, d: AppDecision): Promise<boolean> {
  if (d.kind === 'assign') {
    const issue = await jira.getIssue(d.issueKey, { fields: ['assignee'] });
    const a = issue.fields?.assignee as { accountId?: string } | null | undefined;
    return a?.accountId === d.proposal.assignee;
  }
  if (d.kind === 'setDueDate') {
    const issue = await jira.getIssue(d.issueKey, { fields: ['duedate'] });
    return issue.fields?.duedate === d.proposal.duedate;
  }
  if (d.kind === 'setField') {
    const field = String(d.proposal.field);
    const issue = await jira.getIssue(d.issueKey, { fields: [field] });
    const v = issue.fields?.[field];
    const values = (Array.isArray(v) ? v : [v])
      .map((x) =>
        typeof x === 'object' && x !== null ? [(x as { name?: unknown }).name, (x as { id?: unknown }).id] : [x],
      )
      .flat();
    return values.includes(d.proposal.value);
  }
  const comments = await jira.listComments(d.issueKey, { withProperties: true });
  return comments.some((c) => c.properties?.some((p) => p.key === DECISION_PROPERTY && p.value === d.key));
}

/**
 * One field write: a priority by id (digits) or name; a label or component is added with Jira's
 * `update` verb, so nothing already on the issue is replaced or removed.
 */
/** A priority as the charter names it: an id when it is all digits, else a name. */
const priorityRef = (value: string): { id: string } | { name: string } =>
  /^\d+$/.test(value) ? { id: value } : { name: value };

async function setField(jira: JiraClient, key: string, field: string, value: string): Promise<void> {
  if (field === 'priority') await jira.editIssue(key, { priority: priorityRef(value) }, undefined, SILENT);
  else if (field === 'labels') await jira.editIssue(key, {}, { labels: [{ add: value }] }, SILENT);
  else if (field === 'components') await jira.editIssue(key, {}, { components: [{ add: { name: value } }] }, SILENT);
  else throw new Error(`setField: the app does not write field '${field}'`);
}

/**
 * The issue's priority when it is already at or above `target` in the site's order (highest first),
 * else null. An unknown target is left for Jira to refuse (the decision then fails with its message).
 */
async function atOrAbove(jira: JiraClient, key: string, target: string): Promise<string | null> {
  const order = await jira.priorities();
  const rank = (r: { id?: string; name?: string }): number =>
    order.findIndex((p) => (r.id !== undefined ? p.id === r.id : p.name.toLowerCase() === r.name?.toLowerCase()));
  const wanted = rank(priorityRef(target));
  const current = (await jira.getIssue(key, { fields: ['priority'] })).fields?.priority as
    { id?: string; name?: string } | null | undefined;
  if (wanted < 0 || current === null || current === undefined) return null;
  const now = rank(current.id !== undefined ? { id: current.id } : current);
  return now >= 0 && now <= wanted ? (current.name ?? current.id ?? target) : null;
}

/** Why Jira said no, in words an admin can act on: a field's own error first (with the fix when it is the edit screen). */
function refusal(e: JiraBadRequestError | JiraNotFoundError): string {
  const fields = Object.entries(e.errors);
  if (fields.length === 0) return e.message;
  return fields
    .map(([field, msg]) =>
      /not on the appropriate screen/i.test(msg)
        ? `${field}: ${msg} Add the field to the project's edit screen so that Baton can set it.`
        : `${field}: ${msg}`,
    )
    .join('; ');
}

/**
 * Exactly-once effects on at-least-once delivery: the decision's key is claimed in KVS before Jira
 * is touched, marked done after. A second delivery finds the claim and stops; an attempt that died
 * between claim and done is resolved by looking for the effect itself in Jira (comments carry the
 * key as a property). Transient Jira failures are rethrown so the platform retries the invocation.
 */
export async function executeDecision(
  deps: { jira: JiraClient; storage: BatonStorage; now: () => number },
  d: AppDecision,
  actor = 'app',
  opts: { nudgeCap?: number } = {},
): Promise<ExecuteResult> {
  const { jira, storage } = deps;
  const now = deps.now();
  if (!(await storage.claimEffect(d.key, now))) {
    const rec = await storage.getEffect(d.key);
    if (rec?.state !== 'claimed') return 'duplicate';
    if (await alreadyInJira(jira, d)) {
      await storage.setEffect(d.key, { state: 'done', at: now, detail: 'found in Jira after an interrupted attempt' });
      return 'duplicate';
    }
  }
  if (d.kind === 'setField' && d.proposal.raise === true) {
    const already = await atOrAbove(jira, d.issueKey, String(d.proposal.value));
    if (already !== null) {
      // Raising never lowers: a person (or an earlier step) put the issue at least this high.
      const why = `priority is already ${already}, at or above ${String(d.proposal.value)}`;
      await storage.setEffect(d.key, { state: 'resolved', at: now, detail: why });
      await recordAudit(storage, d, 'dropped', now, actor, { reason: `${d.reason} (${why})` });
      return 'dropped';
    }
  }
  try {
    if (d.kind === 'assign') {
      await jira.assignIssue(d.issueKey, String(d.proposal.assignee));
    } else if (d.kind === 'setDueDate') {
      await jira.editIssue(d.issueKey, { duedate: String(d.proposal.duedate) }, undefined, SILENT);
    } else if (d.kind === 'setField') {
      await setField(jira, d.issueKey, String(d.proposal.field), String(d.proposal.value));
    } else {
      // The day's slot is taken before posting: the cap holds however many evaluations run at once.
      if (!(await storage.reserveNudge(d.issueKey, utcDay(now), opts.nudgeCap ?? Number.POSITIVE_INFINITY))) {
        await storage.releaseEffect(d.key);
        return 'deferred';
      }
      const to = typeof d.proposal.to === 'string' ? d.proposal.to : null;
      const text = `${String(d.proposal.text ?? d.summary)}\n\nWhy: ${d.reason} (Baton decision ${d.key})`;
      await jira.addComment(d.issueKey, adfParagraphs(text, to), {
        [DECISION_PROPERTY]: d.key,
        [JSM_PUBLIC_PROPERTY]: commentVisibility(d.proposal.audience),
      });
    }
  } catch (e) {
    if (e instanceof JiraBadRequestError || e instanceof JiraNotFoundError) {
      // Jira refused for good (user cannot be assigned, field not on the edit screen, issue gone): retrying will not help.
      const why = refusal(e);
      await storage.setEffect(d.key, { state: 'resolved', at: now, detail: why });
      await recordAudit(storage, d, 'failed', now, actor, { reason: `${d.reason} — Jira refused: ${why}` });
      return 'failed';
    }
    throw e;
  }
  await storage.setEffect(d.key, { state: 'done', at: now });
  await recordAudit(storage, d, 'executed', now, actor, {}, 'confidence.act');
  return 'executed';
}
