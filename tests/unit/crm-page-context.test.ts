import { describe, expect, it, vi } from 'vitest';
import { createCrmPageContexts, type StoredPageContext } from '@/lib/background/crm-page-contexts';
import { amoAccountHost, entityOfPageCall, isAmoAccountPage } from '@/lib/crm/amocrm/amo-page-context';
import { amoEntityOfUrl } from '@/lib/crm/amocrm/amo-page-entity';
import { AmoPageWatcher } from '@/lib/content/amo-page-watcher';
import { mergeCallSnapshot } from '@/lib/history/merge-call-snapshot';
import { PageContextSchema } from '@/lib/messaging/content-to-background';
import { CallState } from '@/lib/phone/call-state';
import type { CallSnapshot } from '@/lib/phone/phone-snapshot';
import type { CrmSettings } from '@/lib/settings/crm-settings';
import * as z from 'zod/mini';

const HOST = 'romashka.amocrm.ru';
const CRM: CrmSettings = { kind: 'amocrm', amocrm: { host: HOST, auth: { type: 'token', token: 't' } } };

describe('amoEntityOfUrl', () => {
  it.each([
    ['https://romashka.amocrm.ru/leads/detail/123', { kind: 'lead', id: '123' }],
    ['https://romashka.amocrm.ru/contacts/detail/403181', { kind: 'contact', id: '403181' }],
    ['https://romashka.amocrm.ru/companies/detail/40318188', { kind: 'company', id: '40318188' }],
    ['https://romashka.amocrm.ru/leads/detail/123/', { kind: 'lead', id: '123' }],
    ['https://romashka.amocrm.ru/leads/detail/123?tab=notes&compose=1', { kind: 'lead', id: '123' }],
    ['https://romashka.amocrm.ru/leads/detail/123#feed', { kind: 'lead', id: '123' }],
    ['https://romashka.kommo.com/ru/contacts/detail/77', { kind: 'contact', id: '77' }],
    ['https://romashka.kommo.com/pt-br/leads/detail/9', { kind: 'lead', id: '9' }],
    ['https://ROMASHKA.amocrm.ru/Leads/Detail/5', { kind: 'lead', id: '5' }],
    ['http://test.amocrm.ru:8080/leads/detail/123', { kind: 'lead', id: '123' }],
    ['https://romashka.amocrm.ru/leads/detail/999999999999999', { kind: 'lead', id: '999999999999999' }],
  ])('%s is %o', (url, entity) => {
    expect(amoEntityOfUrl(url)).toEqual(entity);
  });

  it.each([
    ['a list', 'https://romashka.amocrm.ru/leads/list/'],
    ['the pipeline', 'https://romashka.amocrm.ru/leads/pipeline/7001'],
    ['a new-record form (id 0)', 'https://romashka.amocrm.ru/leads/detail/0'],
    ['a new-record form (add)', 'https://romashka.amocrm.ru/leads/add/'],
    ['a leading zero', 'https://romashka.amocrm.ru/leads/detail/0123'],
    ['a negative id', 'https://romashka.amocrm.ru/leads/detail/-5'],
    ['a word for an id', 'https://romashka.amocrm.ru/contacts/detail/abc'],
    ['a 16-digit id', 'https://romashka.amocrm.ru/leads/detail/1234567890123456'],
    ['no id', 'https://romashka.amocrm.ru/leads/detail/'],
    ['a page under the card', 'https://romashka.amocrm.ru/leads/detail/12/edit'],
    ['the id only in the query', 'https://romashka.amocrm.ru/leads/?detail=12'],
    ['the id only in the hash', 'https://romashka.amocrm.ru/#/leads/detail/12'],
    ['a customer (not a record kind we log to)', 'https://romashka.amocrm.ru/customers/detail/12'],
    ['a deeper prefix', 'https://romashka.amocrm.ru/x/y/leads/detail/12'],
    ['not a URL', 'leads/detail/12'],
  ])('%s is no card', (_what, url) => {
    expect(amoEntityOfUrl(url)).toBeUndefined();
  });
});

describe('isAmoAccountPage (the background’s sender check)', () => {
  it.each([
    ['https://romashka.amocrm.ru/leads/detail/1', true],
    ['http://romashka.amocrm.ru:8080/leads/detail/1', true],
    ['https://ROMASHKA.AMOCRM.RU/', true],
    ['https://other.amocrm.ru/leads/detail/1', false],
    ['https://evil.romashka.amocrm.ru/leads/detail/1', false],
    ['https://romashka.amocrm.ru.evil.example/leads/detail/1', false],
    ['https://evil.example/romashka.amocrm.ru/leads/detail/1', false],
    ['https://romashka.amocrm.ru@evil.example/leads/detail/1', false],
    ['chrome-extension://abc/sidepanel.html', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (url, allowed) => {
    expect(isAmoAccountPage(url, amoAccountHost(CRM))).toBe(allowed);
  });

  it('no amoCRM connected: no page is one', () => {
    expect(amoAccountHost({ kind: 'none' })).toBeUndefined();
    expect(isAmoAccountPage(`https://${HOST}/leads/detail/1`, amoAccountHost({ kind: 'none' }))).toBe(false);
  });
});

describe('entityOfPageCall', () => {
  const lead = { kind: 'lead' as const, id: '123' };
  it('a number of the card’s phones is logged to the card, however it is written', () => {
    const context = { entity: lead, phones: ['+7 (916) 123-45-67', '8 495 765-43-21'] };
    expect(entityOfPageCall(context, '+79161234567', 'RU')).toEqual({ crm: 'amocrm', kind: 'lead', id: '123' });
    expect(entityOfPageCall(context, '84957654321', 'RU')).toEqual({ crm: 'amocrm', kind: 'lead', id: '123' });
  });

  it('another number on a card that lists its phones is placed by its number', () => {
    expect(entityOfPageCall({ entity: lead, phones: ['+7 916 123-45-67'] }, '+74991112233', 'RU')).toBeUndefined();
  });

  it('a card whose phones could not be read: every call from it is the card’s', () => {
    expect(entityOfPageCall({ entity: lead, phones: [] }, '+74991112233', 'RU')).toEqual({ crm: 'amocrm', ...lead });
  });

  it('no card (a list page), or no context: nothing', () => {
    expect(entityOfPageCall({ phones: ['+79161234567'] }, '+79161234567', 'RU')).toBeUndefined();
    expect(entityOfPageCall(undefined, '+79161234567', 'RU')).toBeUndefined();
  });
});

describe('the page context message', () => {
  it.each([
    [{ entity: { kind: 'lead', id: '0' }, phones: [] }],
    [{ entity: { kind: 'lead', id: '12a' }, phones: [] }],
    [{ entity: { kind: 'customer', id: '12' }, phones: [] }],
    [{ entity: { kind: 'lead', id: '12' }, phones: [''] }],
    [{ entity: { kind: 'lead', id: '12' }, phones: Array.from({ length: 21 }, () => '+79161234567') }],
    [{ entity: { kind: 'lead', id: '12' }, phones: ['9'.repeat(65)] }],
  ])('refuses %o', (data) => {
    expect(z.safeParse(PageContextSchema, data).success).toBe(false);
  });
});

function memoryStore() {
  const store = {
    value: {} as Record<string, StoredPageContext>,
    getValue: async () => store.value,
    setValue: async (value: Record<string, StoredPageContext>) => {
      store.value = value;
    },
  };
  return store;
}

describe('createCrmPageContexts', () => {
  const setup = (crm: CrmSettings = CRM) => {
    const store = memoryStore();
    const pages = createCrmPageContexts({ store, crm: async () => crm, now: () => 1000 });
    return { store, pages };
  };
  const card = `https://${HOST}/leads/detail/123`;
  const context = { entity: { kind: 'lead' as const, id: '123' }, phones: ['+7 916 123-45-67'] };

  it('keeps the card of a tab on the connected account, per tab, with the address the browser gave', async () => {
    const { store, pages } = setup();
    await pages.report(context, { tabId: 7, url: card });
    expect(store.value).toEqual({ '7': { ...context, url: card, at: 1000 } });
    await pages.forget(7);
    expect(store.value).toEqual({});
  });

  it.each([
    ['another site', 'https://evil.example/leads/detail/123'],
    ['another amoCRM account', 'https://other.amocrm.ru/leads/detail/123'],
    ['a card other than the one claimed', `https://${HOST}/leads/detail/999`],
    ['a list page while a card is claimed', `https://${HOST}/leads/list/`],
    ['no address', undefined],
  ])('refuses a report from %s', async (_what, url) => {
    const { store, pages } = setup();
    await expect(pages.report(context, { tabId: 7, url })).rejects.toThrow(/connected amoCRM account/);
    expect(store.value).toEqual({});
  });

  it('refuses every report when no amoCRM account is connected', async () => {
    const { pages } = setup({ kind: 'none' });
    await expect(pages.report(context, { tabId: 7, url: card })).rejects.toThrow();
  });

  it('a call placed from the card carries it; the same claim from any other page carries nothing', async () => {
    const { pages } = setup();
    expect(await pages.entityForCall({ tabId: 7, url: card }, '+79161234567', 'RU', context)).toEqual({
      crm: 'amocrm',
      kind: 'lead',
      id: '123',
    });
    expect(await pages.entityForCall({ tabId: 8, url: 'https://evil.example/leads/detail/123' }, '+79161234567', 'RU', context)).toBeUndefined();
    expect(await pages.entityForCall({ tabId: 7, url: `https://${HOST}/leads/detail/5` }, '+79161234567', 'RU', context)).toBeUndefined();
  });

  it('the context menu uses the tab’s reported card only while the tab still shows it', async () => {
    const { pages } = setup();
    await pages.report(context, { tabId: 7, url: card });
    expect(await pages.entityForCall({ tabId: 7, url: `${card}?tab=notes` }, '+79161234567', 'RU')).toMatchObject({ id: '123' });
    expect(await pages.entityForCall({ tabId: 7, url: `https://${HOST}/contacts/detail/77` }, '+79161234567', 'RU')).toBeUndefined();
    expect(await pages.entityForCall({ tabId: 7, url: 'https://evil.example/leads/detail/123' }, '+79161234567', 'RU')).toBeUndefined();
    expect(await pages.entityForCall({ tabId: 8, url: card }, '+79161234567', 'RU')).toBeUndefined();
  });

  it('two tabs reporting at once both stay', async () => {
    const { store, pages } = setup();
    await Promise.all([
      pages.report(context, { tabId: 1, url: card }),
      pages.report({ entity: { kind: 'contact', id: '77' }, phones: [] }, { tabId: 2, url: `https://${HOST}/contacts/detail/77` }),
    ]);
    expect(Object.keys(store.value).sort()).toEqual(['1', '2']);
  });
});

describe('AmoPageWatcher', () => {
  const page = (href: string, phones: string[]) => {
    const state = { href, phones };
    const document = {
      querySelectorAll: () => state.phones.map((value) => ({ value })),
    } as unknown as Pick<Document, 'querySelectorAll'>;
    return { state, document };
  };

  it('reports the card at the first check, then only changes: an SPA move, phones rendered after the move', () => {
    const { state, document } = page(`https://${HOST}/leads/detail/123`, ['+7 916 123-45-67', ' ', '+7 916 123-45-67']);
    const onChange = vi.fn();
    const watcher = new AmoPageWatcher({ href: () => state.href, document, onChange });
    watcher.check();
    watcher.check();
    state.href = `https://${HOST}/contacts/detail/77`;
    state.phones = [];
    watcher.check();
    state.phones = ['8 495 765-43-21'];
    watcher.check();
    state.href = `https://${HOST}/leads/list/`;
    watcher.check();
    expect(onChange.mock.calls.map(([context]) => context)).toEqual([
      { entity: { kind: 'lead', id: '123' }, phones: ['+7 916 123-45-67'] },
      { entity: { kind: 'contact', id: '77' }, phones: [] },
      { entity: { kind: 'contact', id: '77' }, phones: ['8 495 765-43-21'] },
      { phones: [] },
    ]);
  });

  it('a refused report is sent again at the next checks, but not forever', () => {
    const { state, document } = page(`https://${HOST}/leads/detail/123`, []);
    const onChange = vi.fn();
    const watcher = new AmoPageWatcher({ href: () => state.href, document, onChange });
    for (let i = 0; i < 6; i += 1) {
      watcher.check();
      watcher.refused(watcher.current());
    }
    expect(onChange).toHaveBeenCalledTimes(3);
    state.href = `https://${HOST}/leads/detail/124`;
    watcher.check();
    expect(onChange).toHaveBeenCalledTimes(4);
  });
});

describe('history keeps the card a call was started on', () => {
  const snapshot = (state: CallState, extra: Partial<CallSnapshot> = {}): CallSnapshot => ({
    id: 'call-1',
    accountId: 'main',
    direction: 'outbound',
    remoteUri: 'sip:79161234567@pbx',
    remoteNumber: '+79161234567',
    state,
    muted: false,
    startedAt: 1_000,
    ...extra,
  });
  const lead = { crm: 'amocrm' as const, kind: 'lead' as const, id: '123' };

  it('from the first row to the finished call', () => {
    const first = mergeCallSnapshot(undefined, snapshot(CallState.Dialing, { crmEntity: lead }), 1_000, { region: 'RU' });
    expect(first?.crmEntity).toEqual(lead);
    const ended = mergeCallSnapshot(first, snapshot(CallState.Ended, { crmEntity: lead, endedAt: 5_000 }), 5_000, { region: 'RU' });
    expect(ended).toMatchObject({ crmEntity: lead, crmState: 'pending' });
  });

  it('a call from anywhere else has none', () => {
    expect(mergeCallSnapshot(undefined, snapshot(CallState.Dialing), 1_000, { region: 'RU' })).not.toHaveProperty('crmEntity');
  });
});
