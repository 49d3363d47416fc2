import type { JiraAccount } from './schemas.ts';

/**
 * The identity of a Jira user: Cloud `accountId`, else Server `key` (what Server changelogs store),
 * else `name`, else the display name (exports that keep nothing else). `null` for nobody.
 */
export function accountOf(user: JiraAccount | null | undefined): string | null {
  if (user === null || user === undefined) return null;
  return user.accountId ?? user.key ?? user.name ?? user.displayName ?? null;
}
