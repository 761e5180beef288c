import { browser, type ContentScriptContext } from '#imports';
import { warmUpDetection } from '@/lib/click-to-call/default-detector-core';
import { AmoPageWatcher } from '@/lib/content/amo-page-watcher';
import { installHighlightStyles } from '@/lib/click-to-call/highlight-painter';
import { PageScanner } from '@/lib/click-to-call/page-scanner';
import { BackgroundToContent } from '@/lib/messaging/background-to-content';
import { ContentToBackground } from '@/lib/messaging/content-to-background';
import { createClient, createHandler, type Handlers } from '@/lib/messaging/protocol';
import { listenRuntimeMessages, sendRuntimeMessage, type RuntimeSender } from '@/lib/messaging/runtime-transport';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('click-to-call');

/**
 * The click-to-call content script: asks the background for this page's config, runs the scanner
 * while detection is on, and turns a trusted click on our own UI into a call request. It never
 * reads settings storage (which holds SIP passwords) and never imports the phone engine.
 */
export function startClickToCallContent(ctx: ContentScriptContext): void {
  const client = createClient(ContentToBackground, sendRuntimeMessage);
  let scanner: PageScanner | undefined;
  // On the connected amoCRM account's pages: which card the tab shows (started once, kept running).
  let amoPage: AmoPageWatcher | undefined;
  // A settings change can arrive while an earlier apply() still waits: only the latest may start a scanner.
  let generation = 0;

  const apply = async (): Promise<void> => {
    const mine = ++generation;
    const config = await client.getPageConfig({});
    if (ctx.isInvalid || mine !== generation) return;
    scanner?.stop();
    scanner = undefined;
    if (config.crmPage && !amoPage) startAmoPageWatcher();
    if (!config.enabled) return;
    // Compile the detector's patterns while the page is still parsing, then scan once it is parsed.
    warmUpDetection(config.defaultRegion);
    await domParsed();
    if (ctx.isInvalid || mine !== generation) return;
    scanner = new PageScanner({
      document,
      defaultRegion: config.defaultRegion,
      interceptTelLinks: config.interceptTelLinks,
      onCall: (number) => {
        client
          .placeCall({
            number: number.e164,
            ...(number.ext ? { ext: number.ext } : {}),
            // The card as it is at the click: the SPA may have moved on since the last report.
            ...(amoPage ? { page: amoPage.current() } : {}),
          })
          .catch((error: unknown) => log.warn('call not placed', error));
      },
    });
    scanner.start();
  };

  const startAmoPageWatcher = (): void => {
    const watcher = new AmoPageWatcher({
      href: () => location.href,
      document,
      onChange: (context) => {
        client.setPageContext(context).catch((error: unknown) => {
          // Refused (e.g. the address changed again meanwhile): report afresh at the next check.
          watcher.refused(context);
          log.warn('page context not taken', error);
        });
      },
    });
    amoPage = watcher;
    watcher.start(ctx, window);
  };

  const handlers: Handlers<(typeof BackgroundToContent)['methods'], RuntimeSender> = {
    getSelectedText: () => ({ text: (getSelection()?.toString() ?? '').slice(0, 256) }),
    configChanged: async () => {
      await apply();
      return null;
    },
  };
  const stopListening = listenRuntimeMessages(
    createHandler(BackgroundToContent, handlers, {
      // Only the extension's own background may ask (it sends without a tab).
      isAllowedSender: (sender) => sender.id === browser.runtime.id && sender.tab === undefined,
    }),
  );

  // Runs at document_start: adding the highlight rule before the first layout avoids a whole-page
  // restyle later. The rule matches nothing until numbers are marked.
  installHighlightStyles(document);

  ctx.onInvalidated(() => {
    scanner?.stop();
    stopListening();
  });
  apply().catch((error: unknown) => log.warn('click-to-call not started', error));
}

/** Resolves once the document is parsed (at once if it already is). */
function domParsed(): Promise<void> {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
}
