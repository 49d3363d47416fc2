import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createMemoryCacheStore } from '@baton/core/llm';
import { createRequestHandler } from '../background/handle-request.ts';
import { createStorageAuditSink, createStorageCounterStore } from '../model/model-stores.ts';
import { createOwnModel, openAIProviderFor } from '../model/own-model.ts';
import { originPattern } from '../settings/host-pattern.ts';
import { createLinkStore } from '../settings/links.ts';
import { readModelSettings } from '../settings/model-settings.ts';
import { readSettings } from '../settings/settings.ts';

// The only part of Baton that touches the network: the rep's Jira site and, only when the rep chose
// it, the rep's own model provider. The model key is read here and goes nowhere but that provider.
export default defineBackground(() => {
  // Answers keyed by the redacted input, for this worker's lifetime only: no text is written to disk.
  const modelCache = createMemoryCacheStore(100);
  const counters = createStorageCounterStore();
  const audit = createStorageAuditSink();
  const handle = createRequestHandler({
    readModelSettings,
    ownModel: (own) =>
      createOwnModel(own, {
        createProvider: (o) => openAIProviderFor(o, (input, init) => fetch(input, init)),
        now: () => Date.now(),
        counters,
        cache: modelCache,
        audit,
        after: (ms, onAnswer) =>
          new Promise((resolve) => {
            const timer = setTimeout(resolve, ms);
            onAnswer(() => clearTimeout(timer));
          }),
      }),
    readSettings,
    hasHostPermission: (origin) => browser.permissions.contains({ origins: [originPattern(origin)] }),
    fetch: (input, init) => fetch(input, init),
    links: createLinkStore(() => Date.now()),
    openOptions: () => browser.runtime.openOptionsPage(),
    now: () => Date.now(),
  });

  browser.runtime.onMessage.addListener((message: unknown, sender) => {
    // Only our own pages and content scripts; web pages cannot reach this listener without
    // externally_connectable, but the check keeps it true if that ever changes.
    if (sender.id !== browser.runtime.id) return undefined;
    return handle(message);
  });

  // The toolbar button opens the side panel where the browser has one (Chrome's sidePanel, Firefox's
  // sidebar); both must be asked inside the click's user gesture, so before any await. Otherwise it
  // toggles the overlay in the current tab.
  browser.action.onClicked.addListener((tab) => {
    if (tab.id === undefined) return;
    const sidePanel = (globalThis as { chrome?: { sidePanel?: { open(o: { tabId: number }): Promise<void> } } }).chrome
      ?.sidePanel;
    if (sidePanel !== undefined) return void sidePanel.open({ tabId: tab.id }).catch(() => toggleOverlay(tab.id!));
    const sidebar = (browser as { sidebarAction?: { open(): Promise<void> } }).sidebarAction;
    if (sidebar !== undefined) return void sidebar.open().catch(() => toggleOverlay(tab.id!));
    toggleOverlay(tab.id);
  });

  // The keyboard shortcut (manifest `commands`, Alt+Shift+B by default) shows or hides the overlay.
  browser.commands.onCommand.addListener((command, tab) => {
    if (command === TOGGLE_COMMAND && tab?.id !== undefined) toggleOverlay(tab.id);
  });
});

/** The `commands` entry that toggles the overlay; wxt.config.ts declares it. */
const TOGGLE_COMMAND = 'toggle-baton';

function toggleOverlay(tabId: number): void {
  browser.tabs.sendMessage(tabId, { type: 'overlay.toggle' }).catch(() => {
    // Not a Gmail or Salesforce page: there is no content script to answer. Open the options instead.
    void browser.runtime.openOptionsPage();
  });
}
