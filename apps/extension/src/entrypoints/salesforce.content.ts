import { defineContentScript } from 'wxt/utils/define-content-script';
import { startBaton } from '../overlay/start-baton.ts';
import { salesforceAdapter, trackFields } from '../sites/salesforce/salesforce-adapter.ts';

// Salesforce Lightning: reads the open record (fields inside shadow roots too), draws the overlay.
export default defineContentScript({
  matches: ['https://*.lightning.force.com/*', 'https://*.my.salesforce.com/*'],
  runAt: 'document_idle',
  main: (ctx) => {
    trackFields(document);
    return startBaton(ctx, salesforceAdapter);
  },
});
