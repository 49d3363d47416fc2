import type { Suggestion } from '@baton/jira/issue-state';

/**
 * Pending suggestions, kept in app storage (the source of truth: the issue property any editor can
 * rewrite is only a cache of them). One key per suggestion, so two evaluations of one issue at once
 * each add theirs without reading and rewriting a shared list.
 */
export interface SuggestionStore {
  putSuggestion(issueKey: string, s: Suggestion): Promise<void>;
  getSuggestion(issueKey: string, key: string): Promise<Suggestion | undefined>;
  /** Every stored suggestion of the issue, oldest first (paged by the platform's query limit). */
  listSuggestions(issueKey: string): Promise<Suggestion[]>;
  deleteSuggestion(issueKey: string, key: string): Promise<void>;
}
