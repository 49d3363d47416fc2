/**
 * Every Gmail selector Baton uses, most stable first: data attributes and ARIA roles, then Gmail's
 * obfuscated class names (which Gmail renames from time to time). Checked against the saved Gmail
 * DOM in test/fixtures/gmail (see SOURCE.md there). When Gmail changes, this is the one file to edit.
 */
export const gmailSelectors = {
  /** The main pane; present on every Gmail view, used to tell "Gmail, but changed" from "not loaded". */
  main: ['div[role="main"]'],
  /** Thread subject; the `h2` carries the thread ids. */
  subject: ['h2[data-legacy-thread-id]', 'h2[data-thread-perm-id]', 'h2.hP'],
  /** One expanded message of the thread. */
  message: ['div.adn[data-message-id]', 'div[data-message-id]', 'div[data-legacy-message-id]'],
  /** The message body inside a message. */
  body: ['div.a3s', 'div.ii.gt', 'div[dir="ltr"]'],
  /** The sender inside a message header: the element carries the address and the display name. */
  sender: ['span.gD[email]', 'h3 span[email]', 'span[email][name]'],
  /** The date inside a message header; its `title` has the full date, its text a short one. */
  date: ['span.g3[title]', 'span[title][alt]', 'td.gH span[title]'],
  /**
   * An open reply body. Searched inside the shown thread's pane only: a new message or a popped-out
   * compose window lives in the compose dock, outside it, and must never receive the thread's draft.
   * No selector names a label ("Message Body", "Reply"): Gmail translates them.
   */
  compose: [
    'div[role="textbox"][contenteditable="true"][g_editable="true"]',
    'div.Am.Al.editable[contenteditable="true"]',
    'div[role="textbox"][contenteditable="true"]',
  ],
} as const;

/** Gmail thread routes end with the thread id: `#inbox/FMfcgz…`, `#label/Work/FMfcgz…`, `#search/q/…`. */
export const THREAD_ROUTE = /^#(?:[^/]+\/)+([A-Za-z0-9_-]{16,})$/;
