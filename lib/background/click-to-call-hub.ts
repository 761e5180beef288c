import { browser, type Browser } from '#imports';
import { createCrmPageContexts, crmPageContextsItem, type PageSender } from '@/lib/background/crm-page-contexts';
import { openPanel } from '@/lib/background/panel-presence';
import type { PhoneHub } from '@/lib/background/phone-hub';
import { tBackground } from '@/lib/i18n/background-messages';
import type { CrmEntityRef } from '@/lib/crm/crm-adapter';
import { BackgroundToContent } from '@/lib/messaging/background-to-content';
import { ContentToBackground } from '@/lib/messaging/content-to-background';
import { createClient, createHandler, type Handlers } from '@/lib/messaging/protocol';
import { listenRuntimeMessages, type RuntimeSender } from '@/lib/messaging/runtime-transport';
import { clickToCallItem, loadClickToCallSettings, pageConfigFor } from '@/lib/settings/click-to-call-settings';
import { loadEffectiveSettings, loadLocalSettings } from '@/lib/settings/settings-store';
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
  // On the connected amoCRM account's cards, a call is logged against the card's record.
  const pages = createCrmPageContexts({
    store: crmPageContextsItem,
    crm: async () => (await loadLocalSettings()).crm,
  });
  const call = async (number: string, crmEntity?: CrmEntityRef): Promise<{ callId: string }> => {
    const result = await (crmEntity ? hub.dial(number, undefined, crmEntity) : hub.dial(number));
    // Show the call where the user works; the browser may refuse without a fresh gesture.
    void openPanel();
    return result;
  };

  const handlers: Handlers<(typeof ContentToBackground)['methods'], RuntimeSender> = {
    getPageConfig: async (_data, sender) => {
      const [settings, { settings: phone }] = await Promise.all([loadClickToCallSettings(), loadEffectiveSettings()]);
      const config = pageConfigFor(sender.url ?? '', settings, phone.defaultCountry);
      return (await pages.isAccountPage(sender.url)) ? { ...config, crmPage: true } : config;
    },
    placeCall: async ({ number, ext, page }, sender) => {
      const [settings, { settings: phone }] = await Promise.all([loadClickToCallSettings(), loadEffectiveSettings()]);
      // A page where the user turned click-to-call off cannot place calls through it either.
      const config = pageConfigFor(sender.url ?? '', settings, phone.defaultCountry);
      if (!config.enabled) {
        throw new Error(tBackground('error.clickToCallOff'));
      }
      const entity = page ? await pages.entityForCall(pageSender(sender), number, config.defaultRegion, page) : undefined;
      return call(/^sips?:/i.test(number) ? number : dialString(number, ext), entity).catch((error: unknown) => {
        notifyFailure(error);
        throw error;
      });
    },
    setPageContext: async (context, sender) => {
      await pages.report(context, pageSender(sender));
      return null;
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

  browser.tabs.onRemoved.addListener((tabId) => {
    pages.forget(tabId).catch((error: unknown) => log.warn('page context not dropped', error));
  });

  /** The card's record when the selection was called on a card of the connected amoCRM account. */
  const entityOfTab = async (tab: Browser.tabs.Tab | undefined, text: string): Promise<CrmEntityRef | undefined> => {
    if (tab?.id === undefined) return undefined;
    const { settings: phone } = await loadEffectiveSettings();
    return pages.entityForCall({ tabId: tab.id, url: tab.url }, text, phone.defaultCountry);
  };

  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId !== CALL_SELECTION || !info.selectionText) return;
    const text = info.selectionText;
    entityOfTab(tab, text)
      .then((entity) => call(text, entity))
      .catch((error: unknown) => notifyFailure(error));
  });

  browser.commands.onCommand.addListener((command, tab) => {
    if (command !== CALL_SELECTION) return;
    void callSelectionIn(tab).catch((error: unknown) => notifyFailure(error));
  });

  async function callSelectionIn(tab: Browser.tabs.Tab | undefined): Promise<void> {
    const target = tab ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0];
    const tabId = target?.id;
    if (tabId === undefined) return;
    const client = createClient(BackgroundToContent, (envelope) => browser.tabs.sendMessage(tabId, envelope));
    // Without page access the tab has no content script; the shortcut itself grants activeTab, so
    // the selection is read with a one-off script instead.
    const text = await client
      .getSelectedText({})
      .then((answer) => answer.text)
      .catch(() => selectionByActiveTab(tabId));
    if (text.trim() === '') throw new Error(tBackground('error.noSelection'));
    await call(text, await entityOfTab(target, text));
  }
}

/**
 * The sender as the browser reported it: the tab and the page's address (never the page's words).
 * For the top frame the tab's address is taken: Chromium's `sender.url` is the address the document
 * was loaded with and misses the SPA's `history.pushState` moves, while `tab.url` follows them (same
 * document, so same origin). A subframe, or a tab whose address we may not see, gives `sender.url`.
 */
export function pageSender(sender: RuntimeSender): PageSender {
  const url = sender.frameId === 0 && sender.tab?.url ? sender.tab.url : sender.url;
  return { tabId: sender.tab?.id, url };
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
