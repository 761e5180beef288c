import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CALL_SELECTION, isContentScriptSender, startClickToCallHub } from '@/lib/background/click-to-call-hub';
import type { PhoneHub } from '@/lib/background/phone-hub';
import { clickToCallItem } from '@/lib/settings/click-to-call-settings';

const ORIGIN = 'chrome-extension://test-extension-id/';

function fakeHub(): PhoneHub & { dial: ReturnType<typeof vi.fn> } {
  return {
    engineEvents: {} as PhoneHub['engineEvents'],
    reconcile: vi.fn(),
    dial: vi.fn(async () => ({ callId: 'call-1' })),
    runCallAction: vi.fn(),
  };
}

/** An extension event with `trigger`, for the APIs WXT's fake browser leaves unimplemented. */
function fakeEvent<A extends unknown[]>() {
  const listeners: ((...args: A) => unknown)[] = [];
  return {
    addListener: (listener: (...args: A) => unknown) => void listeners.push(listener),
    removeListener: () => undefined,
    hasListener: () => listeners.length > 0,
    trigger: async (...args: A) => {
      for (const listener of listeners) await listener(...args);
    },
  };
}

let menuClicked: ReturnType<typeof fakeEvent<[object, unknown]>>;
let command: ReturnType<typeof fakeEvent<[string, unknown]>>;

beforeEach(() => {
  fakeBrowser.reset();
  menuClicked = fakeEvent();
  command = fakeEvent();
  Object.assign(fakeBrowser.contextMenus, { onClicked: menuClicked, create: vi.fn() });
  Object.assign(fakeBrowser.commands, { onCommand: command });
  vi.spyOn(fakeBrowser.runtime, 'getURL').mockImplementation((path: string) => `${ORIGIN}${path.replace(/^\//, '')}`);
  fakeBrowser.runtime.id = 'test-extension-id';
});

describe('isContentScriptSender', () => {
  it.each([
    ['a content script in a web page', { id: 'test-extension-id', tab: { id: 3 }, url: 'https://crm.example.com/' }, true],
    ['the side panel (an extension page)', { id: 'test-extension-id', url: `${ORIGIN}sidepanel.html` }, false],
    ['an extension page opened in a tab', { id: 'test-extension-id', tab: { id: 4 }, url: `${ORIGIN}options.html` }, false],
    ['another extension', { id: 'someone-else', tab: { id: 3 }, url: 'https://crm.example.com/' }, false],
    ['no tab', { id: 'test-extension-id', url: 'https://crm.example.com/' }, false],
  ])('%s → %s', (_name, sender, expected) => {
    expect(isContentScriptSender(sender as never)).toBe(expected);
  });
});

describe('startClickToCallHub', () => {
  it('"Call <selection>" from the context menu dials the selected text', async () => {
    const hub = fakeHub();
    startClickToCallHub(hub);
    await menuClicked.trigger(
      { menuItemId: CALL_SELECTION, selectionText: '+7 916 123-45-67', editable: false, pageUrl: 'https://x/' },
      undefined,
    );
    await vi.waitFor(() => expect(hub.dial).toHaveBeenCalledWith('+7 916 123-45-67'));
  });

  it('ignores other menu items and empty selections', async () => {
    const hub = fakeHub();
    startClickToCallHub(hub);
    await menuClicked.trigger({ menuItemId: 'other', selectionText: '123', editable: false, pageUrl: '' }, undefined);
    await menuClicked.trigger({ menuItemId: CALL_SELECTION, editable: false, pageUrl: '' }, undefined);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(hub.dial).not.toHaveBeenCalled();
  });

  it('the keyboard shortcut asks the active tab for its selection and dials it', async () => {
    const hub = fakeHub();
    const sendMessage = vi
      .spyOn(fakeBrowser.tabs, 'sendMessage')
      .mockResolvedValue({ ok: true, value: { text: '8 (495) 123-45-67' } } as never);
    startClickToCallHub(hub);
    await command.trigger(CALL_SELECTION, { id: 7 } as never);
    await vi.waitFor(() => expect(hub.dial).toHaveBeenCalledWith('8 (495) 123-45-67'));
    expect(sendMessage).toHaveBeenCalledWith(
      7,
      expect.objectContaining({ protocol: 'BackgroundToContent', method: 'getSelectedText' }),
    );
  });

  it('the keyboard shortcut reads the selection through activeTab where no content script runs (no page access)', async () => {
    const hub = fakeHub();
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockRejectedValue(new Error('Could not establish connection'));
    const executeScript = vi.fn(async () => [{ frameId: 0, result: '+7 916 123-45-67' }]);
    Object.assign(fakeBrowser, { scripting: { executeScript } });
    startClickToCallHub(hub);
    await command.trigger(CALL_SELECTION, { id: 9 } as never);
    await vi.waitFor(() => expect(hub.dial).toHaveBeenCalledWith('+7 916 123-45-67'));
    expect(executeScript).toHaveBeenCalledWith(expect.objectContaining({ target: { tabId: 9 } }));
  });

  it('tells open tabs when the click-to-call settings change', async () => {
    startClickToCallHub(fakeHub());
    const tab = await fakeBrowser.tabs.create({ url: 'https://crm.example.com/' });
    const sendMessage = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue({ ok: true, value: null } as never);
    await clickToCallItem.setValue({ enabled: false, disabledSites: [], siteRegions: {}, interceptTelLinks: true });
    await vi.waitFor(() =>
      expect(sendMessage).toHaveBeenCalledWith(tab.id, expect.objectContaining({ method: 'configChanged' })),
    );
  });
});
