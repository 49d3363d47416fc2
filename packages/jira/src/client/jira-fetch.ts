/**
 * The transport the client runs over: a path relative to the site (`/rest/api/3/...`) and a minimal
 * request. Forge's `asApp().requestJira(route, init)`, the browser's `fetch` with the user's
 * session and a test's `fetch` to the sim all fit it.
 */
export interface JiraResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}
export interface JiraRequestInit {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
}
export type JiraFetch = (path: string, init: JiraRequestInit) => Promise<JiraResponseLike>;

/**
 * A `JiraFetch` over a `fetch` and a site URL. `credentials: 'include'` sends the browser's Jira
 * session (the extension); Jira then wants `X-Atlassian-Token: no-check` on writes, which the
 * client always sends.
 */
export function fetchFromBaseUrl(
  baseUrl: string,
  fetchImpl: typeof fetch = fetch,
  options: { credentials?: RequestCredentials; headers?: Record<string, string> } = {},
): JiraFetch {
  const root = baseUrl.replace(/\/+$/, '');
  return (path, init) =>
    fetchImpl(`${root}${path}`, {
      method: init.method,
      headers: { ...options.headers, ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
}
