import { defineConfig } from 'wxt';

// The production manifest. Content-script matches live next to each content script; the Jira host is
// not here: it is requested at runtime from the options page (optional_host_permissions), so an
// install asks for nothing but Gmail and Salesforce read access. The same goes for the rep's own
// model provider: any https origin, or plain http on this computer only (a local model server).
export default defineConfig({
  srcDir: 'src',
  modules: ['@wxt-dev/webextension-polyfill'],
  manifest: ({ browser }) => ({
    name: 'Baton',
    description:
      "The linked Jira case's handoff packet and drafts on Gmail and Salesforce; log what you learn back to Jira.",
    permissions: ['storage'],
    optional_host_permissions: ['https://*.atlassian.net/*', 'https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'],
    action: { default_title: 'Baton: show the linked Jira case' },
    // Shows or hides the overlay on the page (the background handles it); the rep can change the keys.
    commands: {
      'toggle-baton': { suggested_key: { default: 'Alt+Shift+B' }, description: 'Show or hide Baton on this page' },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'baton@baton.invalid',
              strict_min_version: '140.0',
              // Honest: email text, senders and page content go to the rep's Jira (and, if switched on,
              // the rep's own model). store/PRIVACY.md says the same; test/store-ready.test.ts compares them.
              data_collection_permissions: {
                required: ['personalCommunications', 'personallyIdentifyingInfo', 'websiteContent'],
              },
            },
            // data_collection_permissions needs Firefox for Android 142; without this key AMO's linter warns.
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
