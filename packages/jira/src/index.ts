// Public surface of @baton/jira.

// REST client (over an injected transport)
export type { JiraClient, JiraClientOptions, SearchParams } from './client/create-jira-client.ts';
export { createJiraClient, ISSUE_PROPERTY_MAX_CHARS } from './client/create-jira-client.ts';
export type { JiraFetch, JiraRequestInit, JiraResponseLike } from './client/jira-fetch.ts';
export { fetchFromBaseUrl } from './client/jira-fetch.ts';
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
export type { ChangeHistory, JiraComment, JiraIssue, JiraStatus, JiraTransition, JiraUser, SearchPage } from './client/jira-schemas.ts';
