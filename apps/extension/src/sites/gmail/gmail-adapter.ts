import { findJiraKeys, searchableSubject } from '../../case/jira-keys.ts';
import { deepText } from '../../dom/deep-query.ts';
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
    const subjectEl = first(doc, S.subject);
    const messages = all(doc, S.message);
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
    const last = read[read.length - 1]!;
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
          from: { name: last.name, email: last.email },
          date: last.date,
          text: last.text,
          link: url.href,
        },
      },
    };
  },

  insertDraft(doc, text): InsertResult {
    const box = first(doc, S.compose) as HTMLElement | null;
    if (box === null) return { ok: false, message: 'No reply box is open: click Reply in Gmail, then Insert again.' };
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

  openReply(doc) {
    const button = first(doc, S.reply) as HTMLElement | null;
    if (button === null) return false;
    button.click();
    return true;
  },
};
