import { compileCharter } from '@baton/core';
import { JiraApiError } from '@baton/jira';
import type { JiraClient } from '@baton/jira';
import type { Charter } from '@baton/core';
import { WRITTEN_FIELDS } from '../contracts/field-writes.ts';
import type { FieldWrite, FieldWriteProblem, ProjectCheck, WrittenField } from '../contracts/field-writes.ts';

/** How many of a project's most recent issues are read to find one per issue type. */
export const RECENT_ISSUES = 50;

/**
 * The fields this charter makes the app write, and why: nothing while the `setField` dial is off;
 * else the due date when there is an SLA goal (the router's due date), priority for a priority
 * classify rule or a ladder's raise-priority step, labels and components for their classify rules.
 */
export function fieldsTheCharterWrites(charter: Charter): FieldWrite[] {
  if (compileCharter(charter).autonomy('setField') === 'off') return [];
  const out: FieldWrite[] = [];
  const add = (field: WrittenField, because: string) => out.push({ field, name: WRITTEN_FIELDS[field], because });
  if (charter.slaGoals.length > 0)
    add(
      'duedate',
      `SLA goal${charter.slaGoals.length === 1 ? '' : 's'} ${charter.slaGoals.map((g) => `'${g.id}'`).join(', ')} (the router's due date)`,
    );
  const rules = (f: WrittenField) => charter.routing.classify.filter((r) => r.field === f).map((r) => r.label);
  const raising = charter.escalation.ladders
    .filter((l) => l.steps.some((s) => s.do === 'raise-priority'))
    .map((l) => `'${l.id}'`);
  const priority = [
    ...(rules('priority').length > 0 ? [`classify rules (${rules('priority').join(', ')})`] : []),
    ...(raising.length > 0
      ? [`raise-priority steps of ladder${raising.length === 1 ? '' : 's'} ${raising.join(', ')}`]
      : []),
  ];
  if (priority.length > 0) add('priority', priority.join('; '));
  for (const f of ['labels', 'components'] as const)
    if (rules(f).length > 0) add(f, `classify rules (${rules(f).join(', ')})`);
  return out;
}

/**
 * Reads, for each project, the editmeta of its most recent issue of each issue type (among the last
 * `RECENT_ISSUES` created) and lists each field the project's charter writes that the edit screen
 * lacks — Jira would refuse the write with a 400, and the decision would end `failed`.
 */
export async function checkFieldWrites(
  jira: JiraClient,
  projects: readonly { projectKey: string; charter: Charter }[],
): Promise<{ projects: ProjectCheck[]; problems: FieldWriteProblem[] }> {
  const out: ProjectCheck[] = [];
  const problems: FieldWriteProblem[] = [];
  for (const { projectKey, charter } of projects) {
    const writes = fieldsTheCharterWrites(charter);
    const check: ProjectCheck = { projectKey, writes, checked: [] };
    out.push(check);
    if (writes.length === 0) continue;
    try {
      const page = await jira.searchJql({
        jql: `project = "${projectKey}" ORDER BY created DESC`,
        fields: ['issuetype'],
        maxResults: RECENT_ISSUES,
      });
      const byType = new Map<string, string>();
      for (const issue of page.issues) {
        const type = (issue.fields as { issuetype?: { name?: unknown } } | undefined)?.issuetype?.name;
        if (typeof type === 'string' && issue.key && !byType.has(type)) byType.set(type, issue.key);
      }
      if (byType.size === 0)
        check.unchecked = `no issue in ${projectKey} yet: its edit screens are read from an issue of each type`;
      for (const [issueType, issueKey] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
        const meta = await jira.editMeta(issueKey);
        check.checked.push({ issueType, issueKey });
        for (const w of writes) {
          if (meta[w.field] !== undefined) continue;
          problems.push({
            projectKey,
            issueType,
            issueKey,
            field: w.field,
            fieldName: w.name,
            fix: `Add ${w.name} to the edit screen of ${issueType} in ${projectKey} (Baton writes it for ${w.because}; until then Jira refuses the write and the decision ends failed).`,
          });
        }
      }
    } catch (e) {
      if (!(e instanceof JiraApiError)) throw e;
      check.unchecked = `Jira refused the check for ${projectKey}: ${e.message}`;
    }
  }
  return { projects: out, problems };
}
