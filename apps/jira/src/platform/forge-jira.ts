import { asApp, asUser, assumeTrustedRoute } from '@forge/api';
import type { JiraFetch } from '@baton/jira';

/**
 * `JiraFetch` over Forge's product fetch. Paths are built by `@baton/jira`'s client with every
 * variable part URL-encoded, which is why trusting the route here is sound.
 */
export function appJiraFetch(): JiraFetch {
  return (path, init) => asApp().requestJira(assumeTrustedRoute(path), init);
}

/** As the user who is looking at the UI: Jira applies their permissions. */
export function userJiraFetch(accountId: string): JiraFetch {
  return (path, init) => asUser(accountId).requestJira(assumeTrustedRoute(path), init);
}
