import { browser } from '#imports';
import { createEngineHandlers } from '@/lib/engine/engine-handlers';
import { toRecordingFinished } from '@/lib/engine/recording-finished';
import { BackgroundToEngine } from '@/lib/messaging/background-to-engine';
import { EngineToBackground } from '@/lib/messaging/engine-to-background';
import { createClient, createHandler } from '@/lib/messaging/protocol';
import { isOwnExtensionPage, listenRuntimeMessages, sendRuntimeMessage } from '@/lib/messaging/runtime-transport';
import { BrowserMediaHost } from '@/lib/phone/browser-media-host';
import { PhoneEngine } from '@/lib/phone/phone-engine';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('engine-document');

/**
 * Starts the phone engine in Chrome's offscreen document: it answers the background's
 * {@link BackgroundToEngine} messages (only from the extension's own service worker) and reports every
 * snapshot back. Offscreen documents can use only `runtime` among extension APIs, so everything else
 * (storage, badge, notifications) is the background's job.
 */
export function startEngineInDocument(): PhoneEngine {
  const toBackground = createClient(EngineToBackground, sendRuntimeMessage);
  const media = new BrowserMediaHost();
  const engine = new PhoneEngine({
    media,
    delegate: {
      onSnapshot: (snapshot) => {
        toBackground.snapshotChanged({ snapshot }).catch((error: unknown) => {
          log.warn('snapshot not delivered', error);
        });
      },
      onMessage: (message) => {
        toBackground.messageReceived(message).catch((error: unknown) => {
          log.warn('received message not delivered', error);
        });
      },
      onRecordingFinished: (segment) => {
        toRecordingFinished(segment)
          .then((data) => toBackground.recordingFinished(data))
          .catch((error: unknown) => {
            log.error('recording not delivered', error);
            const message = error instanceof Error ? error.message : String(error);
            return toBackground.recordingFailed({ callId: segment.callId, message: message.slice(0, 1000) });
          })
          .catch((error: unknown) => log.warn('recording failure not delivered', error));
      },
      onRecordingFailed: ({ callId, message }) => {
        toBackground.recordingFailed({ callId, message: message.slice(0, 1000) }).catch((error: unknown) => {
          log.warn('recording failure not delivered', error);
        });
      },
    },
  });
  listenRuntimeMessages(
    createHandler(BackgroundToEngine, createEngineHandlers(engine), {
      isAllowedSender: (sender) => isOwnExtensionPage(sender, '/background.js') && !sender.tab,
    }),
  );
  toBackground.engineReady({ engineId: engine.engineId }).catch((error: unknown) => {
    log.warn('engineReady not delivered', error);
  });
  // Exposed for end-to-end tests and debugging from DevTools of the offscreen document.
  (globalThis as { phoneEngine?: PhoneEngine }).phoneEngine = engine;
  (globalThis as { phoneMedia?: BrowserMediaHost }).phoneMedia = media;
  log.info(`engine ${engine.engineId} started in ${browser.runtime.getURL('/')}`);
  return engine;
}
