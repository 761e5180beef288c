import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CALL_SELECTION, isContentScriptSender, pageSender, startClickToCallHub } from '@/lib/background/click-to-call-hub';
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

describe('startClickToCallHub on the connected amoCRM account’s cards', () => {
  const HOST = 'romashka.amocrm.ru';
  const CARD = `https://${HOST}/leads/detail/123`;
  const page = { entity: { kind: 'lead', id: '123' }, phones: ['+7 916 123-45-67'] };

  /** The hub's `runtime.onMessage` listeners, called as the browser would with `sender`. */
  async function send(method: string, data: unknown, url: string, tabId = 5, loadedUrl = url): Promise<unknown> {
    const listeners = onMessage.mock.calls.map((args: unknown[]) => args[0] as (m: unknown, s: unknown) => unknown);
    const sender = { id: 'test-extension-id', tab: { id: tabId, url }, url: loadedUrl, frameId: 0 };
    for (const listener of listeners) {
      const reply = listener({ protocol: 'ContentToBackground', method, data }, sender);
      if (reply !== undefined) return reply;
    }
    throw new Error('no listener answered');
  }

  let onMessage: ReturnType<typeof vi.spyOn>;
  beforeEach(async () => {
    onMessage = vi.spyOn(fakeBrowser.runtime.onMessage, 'addListener');
    await fakeBrowser.storage.local.set({
      settings: { crm: { kind: 'amocrm', amocrm: { host: HOST, auth: { type: 'token', token: 't' } } } },
    });
  });

  it('the card page is told it is one; a call from it carries the lead', async () => {
    const hub = fakeHub();
    startClickToCallHub(hub);
    expect(await send('getPageConfig', {}, CARD)).toMatchObject({ ok: true, value: { crmPage: true } });
    expect(await send('getPageConfig', {}, 'https://crm.example.com/')).toMatchObject({ ok: true, value: { enabled: true } });
    expect(await send('placeCall', { number: '+79161234567', page }, CARD)).toEqual({ ok: true, value: { callId: 'call-1' } });
    expect(hub.dial).toHaveBeenCalledWith('+79161234567', undefined, { crm: 'amocrm', kind: 'lead', id: '123' });
  });

  it('the same claim from another site places the call by number, and its page context is refused', async () => {
    const hub = fakeHub();
    startClickToCallHub(hub);
    const evil = 'https://evil.example/leads/detail/123';
    await send('placeCall', { number: '+79161234567', page }, evil);
    expect(hub.dial).toHaveBeenCalledWith('+79161234567');
    expect(await send('setPageContext', page, evil)).toMatchObject({ ok: false, error: { name: 'ForbiddenSenderError' } });
    expect(await fakeBrowser.storage.session.get('crmPageContexts')).toEqual({});
  });

  it('after the SPA moved (pushState) the tab’s address counts, not the one the document loaded with', async () => {
    const hub = fakeHub();
    startClickToCallHub(hub);
    const contact = { entity: { kind: 'contact', id: '77' }, phones: [] };
    const moved = `https://${HOST}/contacts/detail/77`;
    expect(await send('setPageContext', contact, moved, 5, CARD)).toEqual({ ok: true, value: null });
    await send('placeCall', { number: '+79161234567', page: contact }, moved, 5, CARD);
    expect(hub.dial).toHaveBeenCalledWith('+79161234567', undefined, { crm: 'amocrm', kind: 'contact', id: '77' });
  });

  it.each([
    ['the top frame: the tab’s address', { frameId: 0, tab: { id: 1, url: 'https://a.example/2' }, url: 'https://a.example/1' }, 'https://a.example/2'],
    ['a subframe: its own address', { frameId: 3, tab: { id: 1, url: 'https://a.example/2' }, url: 'https://b.example/' }, 'https://b.example/'],
    ['a tab whose address is hidden', { frameId: 0, tab: { id: 1 }, url: 'https://a.example/1' }, 'https://a.example/1'],
  ])('pageSender: %s', (_what, sender, url) => {
    expect(pageSender(sender as never)).toEqual({ tabId: 1, url });
  });

  it('a malformed id is refused before any handler runs', async () => {
    startClickToCallHub(fakeHub());
    const reply = await send('setPageContext', { entity: { kind: 'lead', id: '1; DROP' }, phones: [] }, CARD);
    expect(reply).toMatchObject({ ok: false, error: { name: 'InvalidMessageError' } });
  });

  it('the context menu on the card carries the card the tab reported', async () => {
    const hub = fakeHub();
    startClickToCallHub(hub);
    expect(await send('setPageContext', page, CARD, 9)).toEqual({ ok: true, value: null });
    await menuClicked.trigger(
      { menuItemId: CALL_SELECTION, selectionText: '+7 916 123-45-67', editable: false, pageUrl: CARD },
      { id: 9, url: CARD },
    );
    await vi.waitFor(() =>
      expect(hub.dial).toHaveBeenCalledWith('+7 916 123-45-67', undefined, { crm: 'amocrm', kind: 'lead', id: '123' }),
    );
  });
});
