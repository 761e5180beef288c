import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { LOCALES, type Catalogue } from '@/lib/i18n/i18n';
import { phoneMessages } from '@/lib/i18n/phone-messages';
import { CallEndReason, CallState } from '@/lib/phone/call-state';
import { RegistrationFailureSchema } from '@/lib/phone/phone-snapshot';
import { RegistrationState } from '@/lib/phone/registration-state';

/**
 * Every catalogue in lib/i18n (found at test time, so a new screen's catalogue is covered without
 * editing this file): both languages have the same keys, no empty text, the same placeholders, and
 * every key is used somewhere in the code.
 */

const root = join(import.meta.dirname, '../..');
const i18nDir = join(root, 'lib/i18n');
const catalogueFiles = readdirSync(i18nDir)
  .filter((name) => name.endsWith('-messages.ts'))
  .sort();

interface Found {
  file: string;
  exportName: string;
  catalogue: Catalogue<string>;
}

function isCatalogue(value: unknown): value is Catalogue<string> {
  if (typeof value !== 'object' || value === null) return false;
  return LOCALES.every((locale) => {
    const messages = (value as Record<string, unknown>)[locale];
    return typeof messages === 'object' && messages !== null && !Array.isArray(messages);
  });
}

const catalogues: Found[] = [];
for (const file of catalogueFiles) {
  const module = (await import(/* @vite-ignore */ join(i18nDir, file))) as Record<string, unknown>;
  for (const [exportName, value] of Object.entries(module)) {
    if (isCatalogue(value)) catalogues.push({ file, exportName, catalogue: value });
  }
}

/** Source files that may use a key: lib/, components/ and entrypoints/, without the catalogues themselves. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}
const sources = ['lib', 'components', 'entrypoints']
  .flatMap((dir) => sourceFiles(join(root, dir)))
  .filter((path) => !(dirname(path) === i18nDir && path.endsWith('-messages.ts')))
  .map((path) => ({ path: relative(root, path), text: readFileSync(path, 'utf8') }));
const allSource = sources.map((s) => s.text).join('\n');

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `key` is used: as a string literal (`'key'`, `"key"`, `` `key` ``), or built from its prefix
 * up to the last dot (`'failure.' + x`, `` `failure.${x}` ``).
 */
function isUsed(key: string): boolean {
  const literal = new RegExp(`(['"\`])${escapeRegExp(key)}\\1`);
  if (literal.test(allSource)) return true;
  const dot = key.lastIndexOf('.');
  if (dot < 0) return false;
  const prefix = escapeRegExp(key.slice(0, dot + 1));
  return new RegExp(`'${prefix}'|"${prefix}"|\`${prefix}\\$\\{`).test(allSource);
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('i18n catalogues', () => {
  it('finds the catalogues of lib/i18n', () => {
    expect(catalogueFiles).toEqual(expect.arrayContaining(['background-messages.ts', 'phone-messages.ts']));
    // One catalogue per file, so each screen's words stay together.
    expect(catalogues.map((c) => c.file)).toEqual(catalogueFiles);
    expect(sources.some((s) => s.path.startsWith('lib/i18n/'))).toBe(true);
    expect(sources.some((s) => s.path.endsWith('-messages.ts'))).toBe(false);
  });

  it.each(catalogues)('$file: declares each catalogue with defineMessages and a translator', ({ file }) => {
    const text = readFileSync(join(i18nDir, file), 'utf8');
    expect(text).toMatch(/= defineMessages\(/);
    expect(text).toMatch(/= createTranslator\(/);
  });

  describe.each(catalogues)('$file ($exportName)', ({ catalogue }) => {
    const keys = Object.keys(catalogue.en).sort();

    it('has messages', () => {
      expect(keys.length).toBeGreaterThan(0);
    });

    it.each(LOCALES)('has the same keys in %s as in en', (locale) => {
      expect(Object.keys(catalogue[locale]).sort()).toEqual(keys);
    });

    it.each(LOCALES)('has no empty or blank message in %s', (locale) => {
      const blank = Object.entries(catalogue[locale])
        .filter(([, text]) => typeof text !== 'string' || text.trim() === '')
        .map(([key]) => key);
      expect(blank).toEqual([]);
    });

    it('uses the same placeholders in en and ru for each key', () => {
      const mismatched = keys
        .map((key) => ({ key, en: placeholders(catalogue.en[key]!), ru: placeholders(catalogue.ru[key] ?? '') }))
        .filter(({ en, ru }) => en.join() !== ru.join());
      expect(mismatched).toEqual([]);
    });

    it('uses every key somewhere in lib/, components/ or entrypoints/', () => {
      expect(keys.filter((key) => !isUsed(key))).toEqual([]);
    });
  });
});

describe('phoneMessages', () => {
  // The panel, the badge and the options page build these keys from the states: each must resolve.
  it.each([
    { prefix: 'registration.', values: Object.values(RegistrationState) },
    { prefix: 'call.', values: Object.values(CallState) },
    { prefix: 'end.', values: Object.values(CallEndReason) },
    { prefix: 'failure.', values: RegistrationFailureSchema.options },
  ])('has a message for $prefix<each value>', ({ prefix, values }) => {
    const missing = values.map((value) => `${prefix}${value}`).filter((key) => !Object.hasOwn(phoneMessages.en, key));
    expect(missing).toEqual([]);
  });
});

describe('isUsed (the unused-key check itself)', () => {
  it('does not count a key that appears nowhere', () => {
    expect(isUsed('no.such.key.anywhere')).toBe(false);
    expect(isUsed('nosuchkeyanywhere')).toBe(false);
  });

  it('counts keys built dynamically from their prefix', () => {
    // badge.ts: tPhone(`failure.${account.failure}`)
    expect(isUsed('failure.some-new-failure')).toBe(true);
  });
});
