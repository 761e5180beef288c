import { describe, expect, it } from 'vitest';
import { createClickToCallModel, siteFromInput, type ClickToCallStore } from '@/lib/options/click-to-call-model';
import { DEFAULT_CLICK_TO_CALL, pageConfigFor, type ClickToCallSettings } from '@/lib/settings/click-to-call-settings';

function memoryStore(initial: ClickToCallSettings = DEFAULT_CLICK_TO_CALL): ClickToCallStore & { saved: ClickToCallSettings[] } {
  let value = initial;
  const saved: ClickToCallSettings[] = [];
  return {
    saved,
    load: () => Promise.resolve(value),
    save: (next) => {
      value = next;
      saved.push(next);
      return Promise.resolve();
    },
    watch: () => () => undefined,
  };
}

describe('siteFromInput', () => {
  it.each([
    ['crm.example.com', 'crm.example.com'],
    ['https://crm.example.com/leads/detail/5', 'crm.example.com'],
    ['  WWW.Example.COM ', 'example.com'],
    ['http://localhost:8080/page', 'localhost'],
    ['mycompany.amocrm.ru', 'mycompany.amocrm.ru'],
    ['', undefined],
    ['not a site', undefined],
    ['intranet', undefined],
  ])('%j → %j', (input, expected) => {
    expect(siteFromInput(input)).toBe(expected);
  });
});

describe('ClickToCallModel', () => {
  it('turns a site off, saves at once, and ignores duplicates', async () => {
    const store = memoryStore();
    const model = createClickToCallModel(store);
    await model.start();
    await model.disableSite('https://crm.example.com/x');
    await model.disableSite('crm.example.com');
    expect(model.settings.value.disabledSites).toEqual(['crm.example.com']);
    expect(store.saved.at(-1)?.disabledSites).toEqual(['crm.example.com']);
    await model.enableSite('crm.example.com');
    expect(model.settings.value.disabledSites).toEqual([]);
  });

  it('reports a bad site and saves nothing', async () => {
    const store = memoryStore();
    const model = createClickToCallModel(store);
    await model.start();
    await model.disableSite('not a site');
    expect(model.problem.value).toBe('settings.error.site');
    expect(store.saved).toHaveLength(0);
  });

  it('sets and removes a region per site, rejecting unknown countries', async () => {
    const store = memoryStore();
    const model = createClickToCallModel(store);
    await model.start();
    await model.setSiteRegion('shop.example.de', 'de');
    expect(model.settings.value.siteRegions).toEqual({ 'shop.example.de': 'DE' });
    await model.setSiteRegion('shop.example.fr', 'XX');
    expect(model.problem.value).toBe('settings.error.country');
    await model.removeSiteRegion('shop.example.de');
    expect(model.settings.value.siteRegions).toEqual({});
  });
});

describe('pageConfigFor', () => {
  const settings: ClickToCallSettings = {
    enabled: true,
    disabledSites: ['mail.example.com'],
    siteRegions: { 'example.de': 'DE', 'crm.example.de': 'AT' },
    interceptTelLinks: true,
  };

  it.each([
    ['https://crm.example.com/', { enabled: true, defaultRegion: 'RU', interceptTelLinks: true }],
    ['https://mail.example.com/inbox', { enabled: false, defaultRegion: 'RU', interceptTelLinks: false }],
    ['https://eu.mail.example.com/', { enabled: false, defaultRegion: 'RU', interceptTelLinks: false }],
    ['https://shop.example.de/', { enabled: true, defaultRegion: 'DE', interceptTelLinks: true }],
    ['https://crm.example.de/', { enabled: true, defaultRegion: 'AT', interceptTelLinks: true }],
    ['not a url', { enabled: false, defaultRegion: 'RU', interceptTelLinks: false }],
  ])('%s', (url, expected) => {
    expect(pageConfigFor(url, settings, 'RU')).toEqual(expected);
  });

  it('is off everywhere when switched off globally', () => {
    expect(pageConfigFor('https://crm.example.com/', { ...settings, enabled: false }, 'US').enabled).toBe(false);
  });
});
