import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { LOCALES, setLocale } from '@/lib/i18n/i18n';
import { isOptionsMessageKey, optionsMessages, tOptions } from '@/lib/i18n/options-messages';
import { phoneMessages } from '@/lib/i18n/phone-messages';
import { RegistrationFailureSchema } from '@/lib/phone/phone-snapshot';

beforeEach(() => {
  fakeBrowser.reset();
  setLocale(undefined);
});

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
const source = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('optionsMessages', () => {
  const keys = Object.keys(optionsMessages.en) as (keyof typeof optionsMessages.en)[];

  it.each(LOCALES)('has every key, non-empty, in %s', (locale) => {
    expect(Object.keys(optionsMessages[locale]).sort()).toEqual([...keys].sort());
    for (const key of keys) expect(optionsMessages[locale][key].trim(), key).not.toBe('');
  });

  it('uses the same placeholders in every language', () => {
    for (const key of keys) {
      for (const locale of LOCALES) {
        expect(placeholders(optionsMessages[locale][key]), `${locale} ${key}`).toEqual(
          placeholders(optionsMessages.en[key]),
        );
      }
    }
  });

  it('has a sentence for every error key the settings schema uses', () => {
    const used = new Set(source('lib/settings/settings-schema.ts').match(/settings\.error\.\w+/g));
    expect(used.size).toBeGreaterThan(3);
    for (const key of used) expect(isOptionsMessageKey(key), key).toBe(true);
  });

  it('has a sentence for every reason a connection test can fail', () => {
    for (const failure of RegistrationFailureSchema.options) {
      expect(Object.hasOwn(phoneMessages.en, `failure.${failure}`), failure).toBe(true);
    }
  });

  it('fills placeholders in the chosen language', () => {
    setLocale('ru');
    expect(tOptions('test.ok', { ms: 480 })).toBe('Подключено и зарегистрировано за 480 мс.');
    setLocale('en');
    expect(tOptions('test.ok', { ms: 480 })).toBe('Connected and registered in 480 ms.');
  });
});

describe('extension locales', () => {
  it.each([
    ['en', 'CRM Softphone'],
    ['ru', 'CRM Софтфон'],
  ])('names the extension in public/_locales/%s', (locale, name) => {
    const messages = JSON.parse(source(`public/_locales/${locale}/messages.json`));
    expect(messages.extName.message).toBe(name);
    expect(messages.extDescription.message.length).toBeGreaterThan(20);
  });
});
