import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The browser's own catalogues, `public/_locales/{en,ru}/messages.json`: the manifest's name,
 * description and shortcut names (`__MSG_key__`), which the browser and the stores show. Both
 * languages have the same keys and placeholders, every `__MSG_key__` the manifest uses exists, and
 * no key is unused. The UI's own words are in lib/i18n (`i18n-catalogues.test.ts`).
 */

const root = join(import.meta.dirname, '../..');
const LANGUAGES = ['en', 'ru'] as const;

interface LocaleMessage {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string }>;
}

function catalogue(language: string): Record<string, LocaleMessage> {
  return JSON.parse(readFileSync(join(root, 'public/_locales', language, 'messages.json'), 'utf8')) as Record<
    string,
    LocaleMessage
  >;
}

const catalogues = Object.fromEntries(LANGUAGES.map((language) => [language, catalogue(language)]));
const keys = Object.keys(catalogues.en!).sort();

/** Where `__MSG_key__` can come from: the manifest's source and the entrypoints' HTML (WXT copies titles into it). */
function manifestSources(): string[] {
  const entrypoints = readdirSync(join(root, 'entrypoints'), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(html|ts|tsx)$/.test(entry.name))
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
  return [readFileSync(join(root, 'wxt.config.ts'), 'utf8'), ...entrypoints];
}

const usedInSources = new Set(manifestSources().flatMap((text) => [...text.matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]!)));

/** The built manifests, when a build exists (`npm test` builds before the e2e suite; unit tests alone may not). */
const builtManifests = ['chrome-mv3', 'firefox-mv2']
  .map((target) => join(root, '.output', target, 'manifest.json'))
  .filter((file) => existsSync(file))
  .map((file) => ({ file, text: readFileSync(file, 'utf8') }));

const placeholderNames = (text: string): string[] => [...text.matchAll(/\$(\w+)\$/g)].map((m) => m[1]!.toLowerCase()).sort();

describe('public/_locales', () => {
  it('has the default locale the manifest names, and only the languages the UI speaks', () => {
    expect(readFileSync(join(root, 'wxt.config.ts'), 'utf8')).toMatch(/default_locale: 'en'/);
    expect(readdirSync(join(root, 'public/_locales')).sort()).toEqual([...LANGUAGES].sort());
  });

  it.each(LANGUAGES)('%s has the same keys as en, each with a non-empty message', (language) => {
    const messages = catalogues[language]!;
    expect(Object.keys(messages).sort()).toEqual(keys);
    expect(Object.entries(messages).filter(([, entry]) => !entry.message?.trim()).map(([key]) => key)).toEqual([]);
  });

  it('ru says each message in Russian (Cyrillic), not a copy of the English', () => {
    const untranslated = keys.filter((key) => !/[а-яё]/i.test(catalogues.ru![key]!.message));
    expect(untranslated).toEqual([]);
  });

  it('uses the same placeholders in en and ru', () => {
    const mismatched = keys.filter(
      (key) => placeholderNames(catalogues.en![key]!.message).join() !== placeholderNames(catalogues.ru![key]!.message).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('has every __MSG_key__ the manifest uses, and no key it does not use', () => {
    expect([...usedInSources].filter((key) => !keys.includes(key))).toEqual([]);
    expect(keys.filter((key) => !usedInSources.has(key))).toEqual([]);
  });

  it.each(builtManifests.length > 0 ? builtManifests : [{ file: '(no build yet)', text: '' }])(
    'the built manifest $file resolves every __MSG_key__',
    ({ text }) => {
      const missing = [...text.matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]!).filter((key) => !keys.includes(key));
      expect(missing).toEqual([]);
    },
  );

  it.each(LANGUAGES)('%s fits the stores’ limits: name ≤ 75 characters, description ≤ 132', (language) => {
    expect(catalogues[language]!.extName!.message.length).toBeLessThanOrEqual(75);
    expect(catalogues[language]!.extDescription!.message.length).toBeLessThanOrEqual(132);
  });
});
