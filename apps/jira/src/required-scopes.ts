import type { JiraClient } from '@baton/jira';

/**
 * The OAuth scope each Jira client method needs (Jira Cloud's classic scopes), and KVS's.
 * test/scopes.test.ts proves the manifest declares exactly the scopes the code's calls need.
 */
export const SCOPE_OF_CLIENT_METHOD: Record<keyof JiraClient, string> = {
  searchJql: 'read:jira-work',
  searchAll: 'read:jira-work',
  approximateCount: 'read:jira-work',
  // Jira Data Center's search (baton pull); the app never calls it on Cloud.
  searchStartAt: 'read:jira-work',
  getIssue: 'read:jira-work',
  bulkChangelogs: 'read:jira-work',
  listComments: 'read:jira-work',
  getTransitions: 'read:jira-work',
  getIssueProperty: 'read:jira-work',
  statuses: 'read:jira-work',
  projectStatuses: 'read:jira-work',
  priorities: 'read:jira-work',
  fields: 'read:jira-work',
  projectComponents: 'read:jira-work',
  editMeta: 'read:jira-work',
  assignIssue: 'write:jira-work',
  editIssue: 'write:jira-work',
  addComment: 'write:jira-work',
  // Send notification for issue (the daily report by email): Jira's REST v3 documents write:jira-work.
  notify: 'write:jira-work',
  transitionIssue: 'write:jira-work',
  setIssueProperty: 'write:jira-work',
  // Remote issue links (the extension's shared links; the app does not call them): Jira's REST v3
  // documents write:jira-work for create/update and delete.
  putRemoteLink: 'write:jira-work',
  deleteRemoteLink: 'write:jira-work',
  // Create issue (the extension's "Create a Jira issue"): Jira's REST v3 documents write:jira-work.
  createIssue: 'write:jira-work',
  // Get remote issue links (by global id): Jira's REST v3 documents read:jira-work.
  hasRemoteLink: 'read:jira-work',
  assignableUsers: 'read:jira-user',
  // Bulk get users: Jira's REST v3 documents read:jira-user.
  users: 'read:jira-user',
  myself: 'read:jira-user',
  myPermissions: 'read:jira-user',
  // Bulk permission check (another account's permissions on an issue): Jira's REST v3 documents read:jira-work.
  permissionsOn: 'read:jira-work',
};
export const KVS_SCOPE = 'storage:app';
/** `privacy.reportPersonalData` of `@forge/api` (the weekly personal-data report). */
export const PERSONAL_DATA_SCOPE = 'report:personal-data';
