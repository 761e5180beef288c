import { defineContentScript } from '#imports';
import { startClickToCallContent } from '@/lib/content/click-to-call-content';

export default defineContentScript({
  // Every page the user browses may show phone numbers; detection can be switched off per site.
  matches: ['http://*/*', 'https://*/*', 'file:///*'],
  runAt: 'document_idle',
  main(ctx) {
    startClickToCallContent(ctx);
  },
});
