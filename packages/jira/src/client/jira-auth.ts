/**
 * How a script proves who it is to Jira, outside a browser session or Forge:
 * - Jira Cloud: basic auth with the account's email and an API token
 *   (https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/);
 * - Jira Data Center: a personal access token as a bearer token
 *   (https://confluence.atlassian.com/enterprise/using-personal-access-tokens-1026032365.html).
 */
export type JiraAuth =
  | { readonly kind: 'cloud-api-token'; readonly email: string; readonly apiToken: string }
  | { readonly kind: 'personal-access-token'; readonly token: string };

/** The `Authorization` header value for `auth`. The token is in it: never log the result. */
export function jiraAuthorization(auth: JiraAuth): string {
  if (auth.kind === 'personal-access-token') return `Bearer ${auth.token}`;
  // btoa takes Latin-1 only: encode the UTF-8 bytes first, as RFC 7617 asks for non-ASCII names.
  const bytes = new TextEncoder().encode(`${auth.email}:${auth.apiToken}`);
  let latin1 = '';
  for (const b of bytes) latin1 += String.fromCharCode(b);
  return `Basic ${btoa(latin1)}`;
}
