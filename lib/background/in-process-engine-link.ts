import type { EngineLink } from '@/lib/background/engine-link';
import type { PhoneHub } from '@/lib/background/phone-hub';
import { createEngineHandlers } from '@/lib/engine/engine-handlers';
import { toRecordingFinished } from '@/lib/engine/recording-finished';
import { BackgroundToEngine } from '@/lib/messaging/background-to-engine';
import { createClient, createHandler, type Client } from '@/lib/messaging/protocol';
import { BrowserMediaHost } from '@/lib/phone/browser-media-host';
import { PhoneEngine } from '@/lib/phone/phone-engine';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('in-process-link');

/**
 * {@link EngineLink} for Firefox, whose persistent background page has WebRTC: the engine lives in the
 * same page. Calls still go through the protocol's schemas, so both browsers validate the same way.
 */
export function createInProcessEngineLink(hub: () => PhoneHub): EngineLink {
  let client: Client<(typeof BackgroundToEngine)['methods']> | undefined;
  return {
    connect() {
      if (!client) {
        const engine = new PhoneEngine({
          media: new BrowserMediaHost(),
          delegate: {
            onSnapshot: (snapshot) => {
              Promise.resolve(hub().engineEvents.snapshotChanged({ snapshot }, undefined)).catch(
                (error: unknown) => log.warn('snapshot not mirrored', error),
              );
            },
            onMessage: (message) => {
              Promise.resolve(hub().engineEvents.messageReceived(message, undefined)).catch(
                (error: unknown) => log.warn('received message not journaled', error),
              );
            },
            // Same page, but the same validated shape as on Chrome, so one background path stores it.
            onRecordingFinished: (segment) => {
              toRecordingFinished(segment)
                .then((data) => hub().engineEvents.recordingFinished(data, undefined))
                .catch((error: unknown) => log.error('recording not stored', error));
            },
            onRecordingFailed: (failure) => {
              Promise.resolve(hub().engineEvents.recordingFailed(failure, undefined)).catch((error: unknown) =>
                log.warn('recording failure not reported', error),
              );
            },
          },
        });
        (globalThis as { phoneEngine?: PhoneEngine }).phoneEngine = engine;
        const handle = createHandler(BackgroundToEngine, createEngineHandlers(engine), {
          isAllowedSender: () => true,
        });
        client = createClient(BackgroundToEngine, (envelope) => handle(envelope, undefined) ?? Promise.resolve());
      }
      return Promise.resolve(client);
    },
  };
}
