import { PageReadSchema } from '../messaging/requests.ts';
import type { CaseView, PageRead } from '../messaging/protocol.ts';
import type { SendRequest } from '../messaging/send-request.ts';
import { h } from '../overlay/h.ts';
import { createOverlayController } from '../overlay/overlay-controller.ts';
import type { OverlayController } from '../overlay/overlay-controller.ts';
import type { SiteAdapter } from '../sites/site-adapter.ts';

/** What the side panel needs from the browser, injected so tests can drive it. */
export interface SidePanelDeps {
  doc: Document;
  mount: HTMLElement;
  send: SendRequest;
  /** The tab the panel describes: the `tabId` it was opened for, else the active tab. */
  currentTabId(): Promise<number | undefined>;
  /** Asks the tab's content script what its page is about (`page.read`). */
  askTab(tabId: number, message: { type: 'page.read' }): Promise<unknown>;
  copyText?: (text: string) => Promise<void>;
  polishView?: (view: CaseView) => Promise<CaseView>;
}

export const NO_PAGE_MESSAGE = 'Open a Gmail thread or a Salesforce record: Baton shows its Jira case here.';

/**
 * The page as the content script read it, dressed as a site adapter, so the side panel draws exactly
 * what the overlay draws (same controller, same packet and drafts). It has no reply box to write
 * into: drafts are copied from here; inserting stays in the page's own overlay.
 */
export function pageReadAdapter(read: PageRead): SiteAdapter {
  return {
    site: read.site,
    audience: read.audience,
    isCasePage: () => read.extraction.kind === 'page',
    extract: () => read.extraction,
  };
}

/**
 * Loads the current tab's case into the panel; call `show` again when the tab changes. `close` drops
 * the case shown (its controller stops watching the page and clears its timers) and ignores a `show`
 * still in flight.
 */
export function createSidePanel(deps: SidePanelDeps): { show(): Promise<void>; close(): void } {
  let controller: OverlayController | null = null;
  let generation = 0;

  // The controller is let go before it is closed: its `onClose` then sees it is no longer the panel's
  // and draws nothing (closing it while still held made `onClose` close it again, without end).
  function drop(): void {
    const c = controller;
    controller = null;
    c?.close();
  }

  const say = (message: string): void =>
    deps.mount.replaceChildren(h(deps.doc, 'p', { class: 'muted', attrs: { 'data-role': 'no-page' } }, message));

  function plain(message: string): void {
    drop();
    say(message);
  }

  return {
    async show() {
      const gen = ++generation;
      const tabId = await deps.currentTabId();
      if (gen !== generation) return;
      if (tabId === undefined) return plain(NO_PAGE_MESSAGE);
      let raw: unknown;
      try {
        raw = await deps.askTab(tabId, { type: 'page.read' });
      } catch {
        // No content script there: not Gmail or Salesforce (or the tab loaded before Baton did).
        raw = undefined;
      }
      if (gen !== generation) return;
      const read = PageReadSchema.safeParse(raw);
      if (!read.success) return plain(NO_PAGE_MESSAGE);
      drop();
      const shown: OverlayController = createOverlayController({
        doc: deps.doc,
        mount: deps.mount,
        adapter: pageReadAdapter(read.data),
        send: deps.send,
        url: () => new URL(read.data.url),
        settleMs: 0,
        ...(deps.copyText ? { copyText: deps.copyText } : {}),
        ...(deps.polishView ? { polishView: deps.polishView } : {}),
        // The rep minimised it (when the panel itself closes it, `drop` has let go of it first).
        onClose: () => {
          if (controller !== shown) return;
          controller = null;
          say('Closed. Switch tabs or reopen the panel to see the case again.');
        },
      });
      controller = shown;
      await shown.open();
    },
    close() {
      generation++;
      drop();
    },
  };
}
