import { browser, type Browser } from '#imports';
import { openPanel } from '@/lib/background/panel-presence';
import type { PhoneHub } from '@/lib/background/phone-hub';
import { tBackground } from '@/lib/i18n/background-messages';
import { BackgroundToContent } from '@/lib/messaging/background-to-content';
import { ContentToBackground } from '@/lib/messaging/content-to-background';
import { createClient, createHandler, type Handlers } from '@/lib/messaging/protocol';
import { listenRuntimeMessages, type RuntimeSender } from '@/lib/messaging/runtime-transport';
import { clickToCallItem, loadClickToCallSettings, pageConfigFor } from '@/lib/settings/click-to-call-settings';
import { loadEffectiveSettings } from '@/lib/settings/settings-store';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('click-to-call');

/** Id of the "Call <selection>" context menu item and of the keyboard command. */
export const CALL_SELECTION = 'call-selection';

/**
 * A content script of this extension in a web page's tab: the only senders that may use
 * {@link ContentToBackground}. Extension pages and other extensions are refused.
 */
export function isContentScriptSender(sender: RuntimeSender): boolean {
  if (sender.id !== browser.runtime.id || sender.tab?.id === undefined || !sender.url) return false;
  return !sender.url.startsWith(browser.runtime.getURL('/'));
}

/** How a number found on a page is dialled: the extension follows after a pause (RFC 3966 `;ext=`). */
function dialString(number: string, ext: string | undefined): string {
  const target = number.replace(/^tel:/i, '').replace(/;.*$/, '');
  return ext ? `${target} ext. ${ext}` : target;
}

/**
 * Click-to-call in the background: answers content scripts (their page's config; calls the user
 * clicked), the "Call <selection>" context menu and the keyboard shortcut.
 */
export function startClickToCallHub(hub: PhoneHub): void {
  const call = async (number: string): Promise<{ callId: string }> => {
    const result = await hub.dial(number);
    // Show the call where the user works; the browser may refuse without a fresh gesture.
    void openPanel();
    return result;
  };

  const handlers: Handlers<(typeof ContentToBackground)['methods'], RuntimeSender> = {
    getPageConfig: async (_data, sender) => {
      const [settings, { settings: phone }] = await Promise.all([loadClickToCallSettings(), loadEffectiveSettings()]);
      return pageConfigFor(sender.url ?? '', settings, phone.defaultCountry);
    },
    placeCall: async ({ number, ext }, sender) => {
      const [settings, { settings: phone }] = await Promise.all([loadClickToCallSettings(), loadEffectiveSettings()]);
      // A page where the user turned click-to-call off cannot place calls through it either.
      if (!pageConfigFor(sender.url ?? '', settings, phone.defaultCountry).enabled) {
        throw new Error(tBackground('error.clickToCallOff'));
      }
      return call(/^sips?:/i.test(number) ? number : dialString(number, ext)).catch((error: unknown) => {
        notifyFailure(error);
        throw error;
      });
    },
  };
  listenRuntimeMessages(createHandler(ContentToBackground, handlers, { isAllowedSender: isContentScriptSender }));

  // Tell open pages when click-to-call settings change, so turning it off takes effect at once.
  clickToCallItem.watch(() => {
    void browser.tabs.query({}).then((tabs) => {
      for (const tab of tabs) {
        if (tab.id === undefined) continue;
        const client = createClient(BackgroundToContent, (envelope) => browser.tabs.sendMessage(tab.id!, envelope));
        client.configChanged({}).catch(() => undefined); // tabs without our content script
      }
    });
  });

  browser.runtime.onInstalled.addListener(() => {
    browser.contextMenus.create(
      { id: CALL_SELECTION, title: tBackground('menu.callSelection'), contexts: ['selection'] },
      () => void browser.runtime.lastError,
    );
  });

  browser.contextMenus.onClicked.addListener((info) => {
    if (info.menuItemId !== CALL_SELECTION || !info.selectionText) return;
    call(info.selectionText).catch((error: unknown) => notifyFailure(error));
  });

  browser.commands.onCommand.addListener((command, tab) => {
    if (command !== CALL_SELECTION) return;
    void callSelectionIn(tab).catch((error: unknown) => notifyFailure(error));
  });

  async function callSelectionIn(tab: Browser.tabs.Tab | undefined): Promise<void> {
    const tabId = tab?.id ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id;
    if (tabId === undefined) return;
    const client = createClient(BackgroundToContent, (envelope) => browser.tabs.sendMessage(tabId, envelope));
    // Without page access the tab has no content script; the shortcut itself grants activeTab, so
    // the selection is read with a one-off script instead.
    const text = await client
      .getSelectedText({})
      .then((answer) => answer.text)
      .catch(() => selectionByActiveTab(tabId));
    if (text.trim() === '') throw new Error(tBackground('error.noSelection'));
    await call(text);
  }
}

/** The selection of a tab's top frame, read through the activeTab grant of a keyboard command. */
async function selectionByActiveTab(tabId: number): Promise<string> {
  try {
    const [result] = await browser.scripting.executeScript({
      target: { tabId },
      func: () => globalThis.getSelection()?.toString() ?? '',
    });
    return typeof result?.result === 'string' ? result.result : '';
  } catch (error) {
    // Pages no extension may script (the browser's own, the web store): as if nothing were selected.
    log.debug('selection not readable', error);
    return '';
  }
}

function notifyFailure(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  log.warn('click-to-call failed', message);
  void browser.notifications.create({
    type: 'basic',
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title: tBackground('notification.callFailedTitle'),
    message,
  });
}
