import type { ShadowOf } from '../dom/deep-query.ts';
import type { Audience, LogEntry, Site } from '../messaging/protocol.ts';

/** What the overlay needs from the page: who/what it is about, and what "Log to Jira" would write. */
export interface PageContext {
  readonly site: Site;
  /** Stable id of the thread or record, to remember the rep's link. */
  readonly pageId: string;
  readonly title: string;
  /** Jira keys mentioned on the page, most prominent first. */
  readonly keys: readonly string[];
  /** What to search Jira for when no key is mentioned (subject, record name). */
  readonly searchText: string;
  readonly entry: LogEntry;
}

/**
 * - `page`: a thread or record was read;
 * - `elsewhere`: a part of the site without a case (inbox list, a Lightning home page);
 * - `unrecognised`: the right kind of page, but its structure is not what the selectors know.
 */
export type Extraction =
  | { readonly kind: 'page'; readonly context: PageContext }
  | { readonly kind: 'elsewhere'; readonly message: string }
  | { readonly kind: 'unrecognised'; readonly message: string };

/**
 * `later`: nothing to write into yet, but the rep can open it (a reply to the thread): Baton waits
 * for it to appear and writes then. Baton never clicks the page's own controls for the rep.
 */
export type InsertResult =
  | { readonly ok: true; readonly into?: string }
  | { readonly ok: false; readonly message: string; readonly later?: boolean };

export interface SiteAdapter {
  readonly site: Site;
  readonly audience: Audience;
  /** A route where a case can be shown (a thread, a record), judged from the URL alone. */
  isCasePage(url: URL): boolean;
  extract(doc: Document, url: URL, shadowOf?: ShadowOf): Extraction;
  /** Puts text into the open reply box without sending; absent where the site has no reply box. */
  insertDraft?(doc: Document, text: string): InsertResult;
}
