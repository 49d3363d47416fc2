import { fail, fromZodIssues, ok, type Result } from '@baton/core';
import { BulkChangelogResponseSchema } from './schemas.ts';

/** What a Jira JSON document holds: issues to map, or changelogs to join to issues by id. */
export type JiraDocument =
  | { readonly kind: 'issues'; readonly issues: readonly unknown[]; readonly nextPageToken?: string | null }
  | {
      readonly kind: 'changelogs';
      /** issue id → raw histories (validated when joined, so a bad one fails only its issue). */
      readonly changelogs: ReadonlyMap<string, readonly unknown[]>;
      readonly nextPageToken?: string | null;
    };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Tells the shapes apart: a search response (`{issues}`; v2 `startAt/total` or v3 `search/jql`
 * `nextPageToken/isLast`), a single issue (`{key, fields}`), a JSON array of issues, or a bulk
 * changelog response (`{issueChangeLogs}`).
 */
export function classifyJiraDocument(json: unknown): Result<JiraDocument> {
  if (Array.isArray(json)) return ok({ kind: 'issues', issues: json });
  if (!isRecord(json)) {
    return fail({ code: 'jira.shape', path: [], message: 'expected a JSON object or array of Jira issues' });
  }
  if (Array.isArray(json.issues)) {
    const token = typeof json.nextPageToken === 'string' ? json.nextPageToken : null;
    return ok({ kind: 'issues', issues: json.issues, nextPageToken: token });
  }
  if ('issueChangeLogs' in json) {
    const parsed = BulkChangelogResponseSchema.safeParse(json);
    if (!parsed.success) return fail(...fromZodIssues(parsed.error.issues));
    const changelogs = new Map<string, unknown[]>();
    for (const log of parsed.data.issueChangeLogs) {
      const id = String(log.issueId);
      const list = changelogs.get(id) ?? [];
      // Pages of a bulk fetch may split one issue's histories: keep appending.
      list.push(...log.changeHistories);
      changelogs.set(id, list);
    }
    return ok({ kind: 'changelogs', changelogs, nextPageToken: parsed.data.nextPageToken ?? null });
  }
  if (typeof json.key === 'string' && isRecord(json.fields)) return ok({ kind: 'issues', issues: [json] });
  return fail({
    code: 'jira.shape',
    path: [],
    message:
      'expected a Jira issue ({key, fields}), a search response ({issues: [...]}), an array of issues, or a bulk changelog response ({issueChangeLogs: [...]})',
  });
}
