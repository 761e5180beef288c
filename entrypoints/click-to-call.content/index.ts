import { defineContentScript } from '#imports';
import { startClickToCallContent } from '@/lib/content/click-to-call-content';

export default defineContentScript({
  // Every page the user browses may show phone numbers; detection can be switched off per site.
  matches: ['http://*/*', 'https://*/*', 'file:///*'],
  // Early, to install the highlight style before the first layout; scanning waits for the parsed DOM.
  runAt: 'document_start',
  main(ctx) {
    startClickToCallContent(ctx);
  },
});
