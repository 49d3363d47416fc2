import type { ChangeItem } from './schemas.ts';

// Display names of system fields as old Jira Server changelogs write them (no `fieldId`), mapped to
// their ids. Only English names: a localised name ("Статус") is never guessed — Jira versions that
// localise names also send `fieldId`.
const WELL_KNOWN: Readonly<Record<string, string>> = {
  status: 'status',
  assignee: 'assignee',
  reporter: 'reporter',
  resolution: 'resolution',
  priority: 'priority',
  summary: 'summary',
  description: 'description',
  environment: 'environment',
  labels: 'labels',
  component: 'components',
  components: 'components',
  'fix version': 'fixVersions',
  fixversions: 'fixVersions',
  version: 'versions',
  'affects version': 'versions',
  duedate: 'duedate',
  'due date': 'duedate',
  issuetype: 'issuetype',
  'issue type': 'issuetype',
  project: 'project',
  key: 'key',
  workflow: 'workflow',
  parent: 'parent',
  attachment: 'attachment',
  link: 'issuelinks',
  comment: 'comment',
  timeestimate: 'timeestimate',
  timeoriginalestimate: 'timeoriginalestimate',
  timespent: 'timespent',
  worklogid: 'worklog',
  security: 'security',
};

/**
 * The field a change is about: its `fieldId` when Jira sends one (display names can be localised
 * or renamed), else the id of a well-known English system field name, else the display name as is.
 */
export function changeFieldKey(item: Pick<ChangeItem, 'field' | 'fieldId'>): string {
  if (item.fieldId !== undefined && item.fieldId !== '') return item.fieldId;
  return WELL_KNOWN[item.field.toLowerCase()] ?? item.field;
}
