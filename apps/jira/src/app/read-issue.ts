import { createWorkflowResolver } from '@baton/core';
import type { JiraClient } from '@baton/jira';
import { z } from 'zod';
import type { Charter } from '../contracts/charter.ts';
import type { IssueFacts } from '../domain/issue-facts.ts';

export const ISSUE_FIELDS = ['summary', 'status', 'assignee', 'reporter', 'priority', 'created', 'updated', 'project', 'labels', 'comment'] as const;

const User = z.looseObject({ accountId: z.string(), accountType: z.string().optional() }).nullable().optional();
const Fields = z.looseObject({
  summary: z.string().default(''),
  status: z.looseObject({ name: z.string(), statusCategory: z.looseObject({ key: z.string() }) }),
  assignee: User,
  reporter: User,
  priority: z.looseObject({ name: z.string() }).nullable().optional(),
  created: z.string(),
  updated: z.string(),
  project: z.looseObject({ key: z.string() }),
  labels: z.array(z.string()).default([]),
  comment: z.looseObject({ comments: z.array(z.looseObject({ author: User, created: z.string() })) }).optional(),
});
const History = z.looseObject({
  author: User,
  created: z.string(),
  items: z.array(
    z.looseObject({ field: z.string(), fieldId: z.string().optional(), to: z.string().nullable().optional(), toString: z.string().nullable().optional() }),
  ),
});

/** Jira's `+0000` offsets → epoch ms. */
export const jiraTime = (t: string): number => Date.parse(t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
const CATEGORY = (k: string): IssueFacts['statusCategory'] => (k === 'new' || k === 'done' ? k : 'indeterminate');

/**
 * Reads one issue with its changelog and turns it into the facts the rules use. The app always
 * re-reads Jira instead of trusting an event payload: events arrive late, twice, or out of order.
 */
export async function readIssue(jira: JiraClient, key: string, charter: Charter): Promise<IssueFacts> {
  const raw = await jira.getIssue(key, { fields: ISSUE_FIELDS, expand: 'changelog' });
  const f = Fields.parse(raw.fields);
  const histories = z.array(History).parse(raw.changelog?.histories ?? []);
  const hints = new Map([[f.status.name, CATEGORY(f.status.statusCategory.key)]]);
  const resolve = createWorkflowResolver({ states: charter.workflow }, hints);
  const human = (u: z.infer<typeof User>): boolean => u?.accountType !== 'app';
  const statusChanges = histories
    .flatMap((h) => h.items.filter((i) => (i.fieldId ?? i.field) === 'status').map((i) => ({ at: jiraTime(h.created), to: i.toString ?? '' })))
    .sort((a, b) => a.at - b.at)
    .map((c) => ({ ...c, phase: resolve(c.to).phase }));
  const activity = [
    jiraTime(f.created),
    ...histories.filter((h) => human(h.author)).map((h) => jiraTime(h.created)),
    ...(f.comment?.comments ?? []).filter((c) => human(c.author)).map((c) => jiraTime(c.created)),
  ];
  const assigneeChanges = histories
    .flatMap((h) => h.items.filter((i) => (i.fieldId ?? i.field) === 'assignee').map((i) => ({ at: jiraTime(h.created), to: i.to ?? null })))
    .sort((a, b) => a.at - b.at);
  return {
    key: raw.key ?? key,
    projectKey: f.project.key,
    summary: f.summary,
    status: f.status.name,
    statusCategory: CATEGORY(f.status.statusCategory.key),
    phase: resolve(f.status.name).phase,
    assignee: f.assignee?.accountId ?? null,
    reporter: f.reporter?.accountId ?? null,
    priority: f.priority?.name ?? null,
    created: jiraTime(f.created),
    updated: jiraTime(f.updated),
    statusChanges,
    lastHumanActivityAt: Math.max(...activity),
    humanActivity: [...activity].sort((a, b) => a - b),
    assigneeChanges,
    labels: f.labels,
  };
}
