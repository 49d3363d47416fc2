// Public surface of @baton/jira.

// REST client (over an injected transport)
export type {
  EditIssueOptions,
  IssueNotification,
  JiraClient,
  JiraClientOptions,
  SearchParams,
} from './client/create-jira-client.ts';
export { createJiraClient } from './client/create-jira-client.ts';
export { ISSUE_PROPERTY_MAX_CHARS } from './client/limits.ts';
export type { JiraFetch, JiraRequestInit, JiraResponseLike } from './client/jira-fetch.ts';
export { fetchFromBaseUrl } from './client/jira-fetch.ts';
export type { JiraAuth } from './client/jira-auth.ts';
export { jiraAuthorization } from './client/jira-auth.ts';
export type { JiraErrorDetails } from './client/jira-api-error.ts';
export {
  JiraApiError,
  JiraBadRequestError,
  JiraAuthError,
  JiraNotFoundError,
  RateLimitedError,
  JiraServerError,
  JiraNetworkError,
  JiraResponseShapeError,
  jiraErrorFrom,
  parseRetryAfter,
} from './client/jira-api-error.ts';
export type { RetryPolicy } from './client/retry-policy.ts';
export { DEFAULT_RETRY_POLICY, retryDelayMs } from './client/retry-policy.ts';
export { jqlTimeFor, jqlWallTime } from './client/jql-time.ts';
export type {
  ChangeHistory,
  EditMetaField,
  JiraComment,
  JiraComponent,
  JiraField,
  JiraIssue,
  JiraPriority,
  JiraStatus,
  JiraTransition,
  JiraUser,
  RemoteLinkInput,
  SearchPage,
  StartAtSearchPage,
} from './client/jira-schemas.ts';

// Mapping: Jira REST and webhook JSON → core cases and events
export type { KnownStatus, MapIssueOptions, MappedIssue } from './mapping/map-issue.ts';
export { mapIssue } from './mapping/map-issue.ts';
export type { WaitingSaid, WaitingProperty } from './mapping/waiting-property.ts';
export {
  WAITING_PROPERTY,
  WAITING_KEPT,
  WaitingPropertySchema,
  WaitingSaidSchema,
  withSaid,
} from './mapping/waiting-property.ts';
export type { JiraDocument } from './mapping/classify-document.ts';
export { classifyJiraDocument } from './mapping/classify-document.ts';
export type { WebhookEvents, MapWebhookOptions } from './mapping/map-webhook.ts';
export { mapWebhook } from './mapping/map-webhook.ts';
export type { JiraAccount, ChangeItem, History, IssueInput } from './mapping/schemas.ts';
export {
  IssueInputSchema,
  HistorySchema,
  ChangeItemSchema,
  JiraAccountSchema,
  BulkChangelogResponseSchema,
} from './mapping/schemas.ts';
export { accountOf } from './mapping/account-of.ts';
export { changeFieldKey } from './mapping/change-field-key.ts';
export { adfToText } from './mapping/adf-to-text.ts';
export { adfParagraphs } from './mapping/text-to-adf.ts';
export { wikiToText } from './mapping/wiki-to-text.ts';
export { bodyToText } from './mapping/body-to-text.ts';

// The Jira effect of each of core's action kinds (REST call, scope, apply, already-in-Jira)
export type { EffectInput, JiraEffect, JiraEffects } from './effects/action-effects.ts';
export {
  DECISION_PROPERTY,
  EFFECT_KINDS,
  JIRA_EFFECTS,
  JSM_PUBLIC_PROPERTY,
  WRITTEN_FIELDS,
  commentVisibility,
  effectOf,
  isCommentEffect,
  priorityRef,
} from './effects/action-effects.ts';
