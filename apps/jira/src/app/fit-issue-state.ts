import type { IssueState } from '../contracts/issue-state.ts';

/** Jira's limit for an issue property, in characters of JSON. */
export const ISSUE_PROPERTY_LIMIT = 32_768;

/**
 * Keeps the state under Jira's property limit: drops the oldest history first, then the
 * lowest-confidence suggestions, then truncates texts. What survives is what an agent needs first.
 */
export function fitIssueState(state: IssueState, limit = ISSUE_PROPERTY_LIMIT): IssueState {
  const size = (s: IssueState): number => JSON.stringify(s).length;
  let s: IssueState = { ...state, recent: [...state.recent], suggestions: [...state.suggestions] };
  while (size(s) > limit && s.recent.length > 0) s = { ...s, recent: s.recent.slice(1) };
  s.suggestions.sort((a, b) => b.confidence - a.confidence);
  while (size(s) > limit && s.suggestions.length > 1) s = { ...s, suggestions: s.suggestions.slice(0, -1) };
  if (size(s) > limit) {
    s = {
      ...s,
      suggestions: s.suggestions.map((x) => ({
        ...x,
        reason: x.reason.slice(0, 200),
        summary: x.summary.slice(0, 200),
        proposal: {},
      })),
    };
  }
  if (size(s) > limit && s.packet !== undefined) {
    const { packet: _dropped, ...rest } = s;
    s = rest;
  }
  if (size(s) > limit) s = { ...s, suggestions: [], ready: [] };
  return s;
}
