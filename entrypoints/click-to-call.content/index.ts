import { defineContentScript } from '#imports';
import { startClickToCallContent } from '@/lib/content/click-to-call-content';

export default defineContentScript({
  // Not in the manifest: the background registers it for the pages the user allowed
  // (`lib/background/click-to-call-registration.ts`), so the extension reads no page without consent.
  // Detection can still be switched off per site.
  registration: 'runtime',
  // Early, to install the highlight style before the first layout; scanning waits for the parsed DOM.
  runAt: 'document_start',
  main(ctx) {
    startClickToCallContent(ctx);
  },
});
