import { browser, type Browser } from '#imports';
import type { EngineLink } from '@/lib/background/engine-link';
import { BackgroundToEngine } from '@/lib/messaging/background-to-engine';
import { createClient } from '@/lib/messaging/protocol';
import { sendRuntimeMessage } from '@/lib/messaging/runtime-transport';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('offscreen-link');

const OFFSCREEN_PATH = '/offscreen.html';

let creating: Promise<void> | undefined;

/**
 * Creates the offscreen document unless it exists. Only one may exist per extension, and two
 * concurrent `createDocument` calls race, so creation is shared through one promise and a
 * "single offscreen document" error from a lost race counts as success.
 */
export async function ensureOffscreenDocument(): Promise<void> {
  const url = browser.runtime.getURL(OFFSCREEN_PATH);
  const existing = await browser.runtime.getContexts({
    contextTypes: ['OFFSCREEN_DOCUMENT' as Browser.runtime.ContextType],
    documentUrls: [url],
  });
  if (existing.length > 0) return;
  creating ??= browser.offscreen
    .createDocument({
      url: OFFSCREEN_PATH,
      reasons: ['USER_MEDIA', 'WEB_RTC'] as Browser.offscreen.Reason[],
      justification: 'Runs the SIP phone: WebRTC calls and microphone audio.',
    })
    .catch((error: unknown) => {
      if (String(error).includes('single offscreen')) return;
      throw error;
    })
    .finally(() => {
      creating = undefined;
    });
  await creating;
  log.info('offscreen document ready');
}

/** {@link EngineLink} for Chrome: messages to the offscreen document. */
export function createOffscreenEngineLink(): EngineLink {
  const client = createClient(BackgroundToEngine, sendRuntimeMessage);
  return {
    async connect() {
      await ensureOffscreenDocument();
      return client;
    },
  };
}
