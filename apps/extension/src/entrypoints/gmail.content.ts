import { defineContentScript } from 'wxt/utils/define-content-script';
import { startBaton } from '../overlay/start-baton.ts';
import { gmailAdapter } from '../sites/gmail/gmail-adapter.ts';

// Gmail: reads the open thread, draws the overlay; writes only into a reply box the rep asked for.
export default defineContentScript({
  matches: ['https://mail.google.com/*'],
  runAt: 'document_idle',
  main: (ctx) => startBaton(ctx, gmailAdapter),
});
