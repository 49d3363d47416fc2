import { SLA_WORDS } from '@baton/jira/sla-display';
import type { SlaState } from '@baton/jira/sla-display';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { ShadowOf } from '../dom/deep-query.ts';
import { TabMessageSchema } from '../messaging/protocol.ts';
import type { PageRead } from '../messaging/protocol.ts';
import { createSendRequest } from '../messaging/send-request.ts';
import type { SiteAdapter } from '../sites/site-adapter.ts';
import { wordInBackground } from '../model/word-in-background.ts';
import { h } from './h.ts';
import { createOverlayController, extractWhenReady } from './overlay-controller.ts';
import { OVERLAY_CSS } from './overlay-styles.ts';
import { mountClosedRoot } from './closed-root.ts';
import type { PanelSide } from './panel-side.ts';

const NO_CASE = 'Baton: show the Jira case';

/** Closed shadow roots too, where the browser lets an extension see them. */
function browserShadowOf(): ShadowOf {
  const dom = (globalThis as { chrome?: { dom?: { openOrClosedShadowRoot?: (el: Element) => ShadowRoot | null } } })
    .chrome?.dom;
  if (typeof dom?.openOrClosedShadowRoot === 'function') {
    const fn = dom.openOrClosedShadowRoot;
    return (el) => (el instanceof HTMLElement ? fn(el) : el.shadowRoot);
  }
  // Firefox gives content scripts `openOrClosedShadowRoot` as a property (not a method) of elements.
  return (el) =>
    (el as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot ?? el.shadowRoot;
}

/**
 * The content script's whole life on a site: a launcher button on case pages, the overlay on click
 * or on the toolbar button, re-reading the page on SPA navigation, and cleaning up when the
 * extension is updated or disabled (`ctx.onInvalidated`).
 */
export async function startBaton(ctx: ContentScriptContext, adapter: SiteAdapter): Promise<void> {
  const send = createSendRequest((m) => browser.runtime.sendMessage(m));
  const shadowOf = browserShadowOf();
  let launcher: HTMLButtonElement | null = null;
  let panelMount: HTMLElement | null = null;
  let badge: HTMLElement | null = null;
  let launcherName: HTMLElement | null = null;

  // Closed: the page's JavaScript gets null from host.shadowRoot, and events it sees from inside are
  // retargeted to the host, so neither the packet nor the buttons are reachable from the page.
  const root = mountClosedRoot(document, OVERLAY_CSS);
  ctx.onInvalidated(root.remove);
  const host = root.host;
  panelMount = h(document, 'div', { attrs: { 'data-role': 'panel-mount' } });
  badge = h(document, 'span', { class: 'badge', attrs: { 'data-role': 'badge', hidden: '' } });
  // The button's name is its text: "Baton: " (for screen readers only) and the badge, or "show the Jira case".
  launcherName = h(document, 'span', { class: 'sr-only', attrs: { 'data-role': 'launcher-name' } }, NO_CASE);
  launcher = h(
    document,
    'button',
    {
      class: 'launcher',
      attrs: { title: 'Baton (Alt+Shift+B)', 'data-role': 'launcher' },
      on: { click: () => void toggle() },
    },
    launcherName,
    badge,
    h(document, 'span', { class: 'mark', attrs: { 'aria-hidden': 'true' } }, 'B'),
  );
  const baton = h(document, 'div', { class: 'baton' }, panelMount, launcher);
  root.container.append(baton);
  // The side the rep docked the panel to on this site, remembered on this device.
  let side: PanelSide = 'right';
  const placeSide = (): void => {
    baton.classList.toggle('dock-left', side === 'left');
  };
  void send({ type: 'panel.side', site: adapter.site }).then((r) => {
    if (r.ok) side = r.data.side;
    placeSide();
  });

  const controller = createOverlayController({
    doc: document,
    mount: panelMount!,
    adapter,
    send,
    url: () => new URL(location.href),
    shadowOf,
    // Absolute time: an isolated world and the page each have their own performance time origin.
    onMark: (mark) => host?.setAttribute(`data-baton-${mark}`, String(performance.timeOrigin + performance.now())),
    onClose: () => {
      syncLauncher();
      // Minimised: focus goes back to the launcher, which keeps the case's status.
      launcher?.focus();
    },
    onCase: (shown) => showBadge(shown),
    // The rules' view is drawn first; the rep's own model (when on) rewords it after, in the background.
    polishView: (view) => wordInBackground(view, send),
    dockSide: () => side,
    onDock: () => {
      side = side === 'right' ? 'left' : 'right';
      placeSide();
      void send({ type: 'panel.side', site: adapter.site, side });
    },
  });

  /** "SUP-2 · at risk" on the launcher, so the case's state shows while the panel is minimised. */
  function showBadge(shown: { key: string; sla: { state: SlaState } | null } | null): void {
    if (badge === null || launcherName === null) return;
    if (shown === null) {
      badge.hidden = true;
      badge.textContent = '';
      launcherName.textContent = NO_CASE;
      return;
    }
    const text = shown.sla === null ? shown.key : `${shown.key} · ${SLA_WORDS[shown.sla.state].toLowerCase()}`;
    badge.textContent = text;
    badge.className = `badge sla-${shown.sla?.state ?? 'none'}`;
    badge.hidden = false;
    launcherName.textContent = 'Baton: ';
  }

  function syncLauncher(url = new URL(location.href)): void {
    if (launcher === null) return;
    launcher.hidden = !adapter.isCasePage(url) && !controller.isOpen;
    launcher.setAttribute('aria-expanded', String(controller.isOpen));
  }
  async function toggle(): Promise<void> {
    if (controller.isOpen) controller.close();
    else {
      const opening = controller.open();
      syncLauncher();
      await opening;
    }
  }

  syncLauncher();
  // Gmail moves between threads with hash routes, Lightning with history.pushState: WXT reports both.
  // The event can come before location.href changes (Navigation API), so it carries the new URL.
  ctx.addEventListener(window, 'wxt:locationchange', (event) => {
    syncLauncher(event.newUrl);
    void controller.refresh();
  });

  async function readPage(): Promise<PageRead> {
    const url = new URL(location.href);
    const x = await extractWhenReady(adapter, document, url, shadowOf, 3000);
    const extraction: PageRead['extraction'] =
      x.kind === 'page' ? { kind: 'page', context: { ...x.context, keys: [...x.context.keys] } } : x;
    return { url: url.href, site: adapter.site, audience: adapter.audience, extraction };
  }

  const onMessage = (message: unknown): Promise<unknown> | undefined => {
    const m = TabMessageSchema.safeParse(message);
    if (!m.success) return undefined;
    if (m.data.type === 'page.read') return readPage();
    void toggle();
    return Promise.resolve({ ok: true });
  };
  browser.runtime.onMessage.addListener(onMessage);
  ctx.onInvalidated(() => {
    browser.runtime.onMessage.removeListener(onMessage);
    controller.close();
  });
}
