import { findJiraKeys, searchableSubject } from '../../case/jira-keys.ts';
import { deepText } from '../../dom/deep-query.ts';
import { isShown } from '../../dom/is-shown.ts';
import { MAX_THREAD_MESSAGES } from '../../messaging/protocol.ts';
import type { Extraction, InsertResult, SiteAdapter } from '../site-adapter.ts';
import { THREAD_ROUTE, gmailSelectors as S } from './selectors.ts';

// Gmail's DOM is light (no shadow roots in the thread view), so plain queries with fallbacks.

function first(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const s of selectors) {
    const hit = root.querySelector(s);
    if (hit !== null) return hit;
  }
  return null;
}

function all(root: ParentNode, selectors: readonly string[]): Element[] {
  for (const s of selectors) {
    const hits = Array.from(root.querySelectorAll(s));
    if (hits.length > 0) return hits;
  }
  return [];
}

/**
 * The pane of the thread on screen: the shown main pane that holds a thread subject. Gmail keeps
 * other views (the inbox list, earlier threads) in the DOM, hidden.
 */
export function shownThreadPane(doc: Document): Element | null {
  const panes = S.main.flatMap((s) => Array.from(doc.querySelectorAll(s)));
  return panes.filter((pane) => first(pane, S.subject) !== null && isShown(pane)).at(-1) ?? null;
}

export function gmailThreadId(url: URL): string | null {
  return THREAD_ROUTE.exec(url.hash)?.[1] ?? null;
}

export const gmailAdapter: SiteAdapter = {
  site: 'gmail',
  audience: 'customer',
  isCasePage: (url) => gmailThreadId(url) !== null,

  extract(doc, url): Extraction {
    const routeId = gmailThreadId(url);
    if (routeId === null) return { kind: 'elsewhere', message: 'Open an email thread to see its Jira case.' };
    if (first(doc, S.main) === null) {
      return { kind: 'unrecognised', message: 'Baton does not recognise this Gmail page (no main pane found).' };
    }
    const pane = shownThreadPane(doc);
    const subjectEl = pane === null ? null : first(pane, S.subject);
    const messages = pane === null ? [] : all(pane, S.message);
    if (subjectEl === null || messages.length === 0) {
      return {
        kind: 'unrecognised',
        message: `Baton does not recognise this Gmail thread's structure (${subjectEl === null ? 'no subject' : 'no messages'} found); Gmail may have changed.`,
      };
    }
    const subject = deepText(subjectEl);
    const threadId =
      subjectEl.getAttribute('data-legacy-thread-id') ?? subjectEl.getAttribute('data-thread-perm-id') ?? routeId;
    const read = messages.map((m) => {
      const sender = first(m, S.sender);
      const date = first(m, S.date);
      const body = first(m, S.body);
      return {
        name: sender?.getAttribute('name') ?? (sender === null ? '' : deepText(sender)),
        email: sender?.getAttribute('email') ?? '',
        date: date?.getAttribute('title') ?? (date === null ? '' : deepText(date)),
        text: body === null ? '' : deepText(body),
      };
    });
    return {
      kind: 'page',
      context: {
        site: 'gmail',
        pageId: `gmail:${threadId}`,
        title: subject,
        keys: findJiraKeys([subject, ...read.map((r) => r.text).reverse()].join('\n')),
        searchText: searchableSubject(subject),
        entry: {
          kind: 'email',
          subject,
          messages: read
            .slice(-MAX_THREAD_MESSAGES)
            .map((m) => ({ from: { name: m.name, email: m.email }, date: m.date, text: m.text.slice(0, 20_000) })),
          link: url.href,
        },
      },
    };
  },

  insertDraft(doc, text): InsertResult {
    const pane = shownThreadPane(doc);
    if (pane === null) return { ok: false, message: 'Open the email thread to reply to, then Insert again.' };
    // The reply of the thread on screen (the last one, if the rep opened several), never a new message.
    const box = all(pane, S.compose).filter(isShown).at(-1) as HTMLElement | undefined;
    // Baton does not click Reply for the rep: a click it made would be one the page cannot tell from
    // the rep's, on a control that is the page's. The rep opens the reply; the draft goes in then.
    if (box === undefined)
      return {
        ok: false,
        later: true,
        message: 'Click Reply under the last message: Baton puts the draft in as soon as the reply opens.',
      };
    box.focus();
    // insertText keeps Gmail's own editor state and undo history; it is plain text by definition.
    const done =
      typeof doc.execCommand === 'function' &&
      doc.queryCommandSupported?.('insertText') &&
      doc.execCommand('insertText', false, text);
    if (!done) {
      // Gmail's editor keeps one div per line.
      for (const line of text.split('\n')) {
        const div = doc.createElement('div');
        if (line === '') div.appendChild(doc.createElement('br'));
        else div.textContent = line;
        box.appendChild(div);
      }
      box.dispatchEvent(new Event('input', { bubbles: true }));
    }
    return { ok: true };
  },
};
