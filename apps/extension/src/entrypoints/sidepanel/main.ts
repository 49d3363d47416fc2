import { browser } from 'wxt/browser';
import { createSendRequest } from '../../messaging/send-request.ts';
import { OVERLAY_CSS } from '../../overlay/overlay-styles.ts';
import { builtInSummarizer, summariseWithBuiltIn } from '../../model/built-in-summary.ts';
import { wordInBackground } from '../../model/word-in-background.ts';
import { readModelSettings } from '../../settings/model-settings.ts';
import { createSidePanel } from '../../sidepanel/start-side-panel.ts';

// The side panel (Chrome `side_panel`, Firefox `sidebar_action`): the same packet and drafts as the
// overlay, for the active tab's page. It reads the page through the tab's content script and talks to
// Jira through the background, like the overlay; it has no network access of its own.
const style = document.createElement('style');
// The overlay floats over a page; here the panel fills the browser's side panel.
style.textContent = `${OVERLAY_CSS}\n.baton.side { position: static; } .side .panel { width: auto; max-height: none; box-shadow: none; border: 0; } body { margin: 0; }`;
document.head.append(style);

const mount = document.getElementById('app')!;
// `?tabId=` pins the panel to one tab (how the tests open it); otherwise it follows the active tab.
const pinned = Number(new URLSearchParams(location.search).get('tabId'));
const send = createSendRequest((m) => browser.runtime.sendMessage(m));
const panel = createSidePanel({
  doc: document,
  mount,
  send,
  currentTabId: async () => {
    if (Number.isInteger(pinned) && pinned > 0) return pinned;
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    return tab?.id;
  },
  askTab: (tabId, message) => browser.tabs.sendMessage(tabId, message),
  // Only when the rep switched the built-in model on; read at each case so a change applies at once.
  polishView: async (view) => {
    const model = await readModelSettings();
    return model.provider === 'chrome-built-in'
      ? summariseWithBuiltIn(view, builtInSummarizer())
      : wordInBackground(view, send);
  },
});
void panel.show();
if (!(pinned > 0)) {
  browser.tabs.onActivated.addListener(() => void panel.show());
  browser.tabs.onUpdated.addListener((_id, change, tab) => {
    if (tab.active && (change.status === 'complete' || change.url !== undefined)) void panel.show();
  });
}
