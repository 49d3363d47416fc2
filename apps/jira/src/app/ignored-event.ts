import type { IssueEvent } from '../contracts/product-event.ts';

/**
 * Why the app ignores a product event from its payload alone, before any storage or Jira call; or
 * `null` when it may matter. The manifest's trigger filter (`TRIGGER_FILTER_EXPRESSION`) drops the
 * same events on Forge's side, so most never invoke the app at all.
 */
export function whyIgnored(event: IssueEvent): string | null {
  if (event.selfGenerated === true) return 'self-generated';
  if (event.comment?.author?.accountType === 'app') return 'comment by an app';
  const items = event.changelog?.items;
  if (items !== undefined && items.length > 0 && items.every((i) => IGNORED_FIELDS.has(i.field)))
    return `only ${[...new Set(items.map((i) => i.field))].join(', ')} changed`;
  return null;
}

/** Fields whose change tells the app nothing: a board's rank (dragging cards fires an update per card). */
const IGNORED_FIELDS = new Set(['Rank']);

/**
 * The `filter.expression` of the `baton-issue-events` trigger in manifest.yml (a test keeps them equal):
 * Forge evaluates it on the event before invoking the function
 * (https://developer.atlassian.com/platform/forge/manifest-reference/modules/trigger/ , "Filter reference").
 * It keeps an event unless a comment's author is an app or every changelog item is a rank change. Its
 * `onError` is `RECEIVE_AND_LOG`: an event the expression cannot evaluate is delivered, and `whyIgnored`
 * decides.
 */
export const TRIGGER_FILTER_EXPRESSION =
  "event.comment?.author?.accountType != 'app' && (event.changelog?.items == null || event.changelog.items.length == 0 || event.changelog.items.some(item => item.field != 'Rank'))";
