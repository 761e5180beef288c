import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { LOCALES } from '@/lib/i18n/i18n';
import { panelMessages } from '@/lib/i18n/panel-messages';

beforeEach(() => {
  fakeBrowser.reset();
});

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('panelMessages', () => {
  const keys = Object.keys(panelMessages.en) as (keyof typeof panelMessages.en)[];

  it.each(LOCALES)('has every key, non-empty, in %s', (locale) => {
    expect(Object.keys(panelMessages[locale]).sort()).toEqual([...keys].sort());
    for (const key of keys) expect(panelMessages[locale][key].trim(), key).not.toBe('');
  });

  it('uses the same placeholders in every language', () => {
    for (const key of keys) {
      for (const locale of LOCALES) {
        expect(placeholders(panelMessages[locale][key]), `${locale} ${key}`).toEqual(
          placeholders(panelMessages.en[key]),
        );
      }
    }
  });
});
