/**
 * The extension's UI languages and a tiny typed message catalogue.
 *
 * Each screen declares its messages with {@link defineMessages}: English first, Russian typed against
 * the English keys, so a key missing (or extra) in either language fails type-checking, and a unit test
 * checks that no translation is left empty. Placeholders are written `{name}`.
 */
export type Locale = 'en' | 'ru';
export const LOCALES: readonly Locale[] = ['en', 'ru'];

export type Catalogue<K extends string> = Readonly<Record<Locale, Readonly<Record<K, string>>>>;

export function defineMessages<K extends string>(
  en: Readonly<Record<K, string>>,
  ru: Readonly<Record<NoInfer<K>, string>>,
): Catalogue<K> {
  return { en, ru };
}

let override: Locale | undefined;

/** Forces a locale (tests, or a future language setting). */
export function setLocale(locale: Locale | undefined): void {
  override = locale;
}

/** The UI language: Russian for a Russian browser, English otherwise. */
export function currentLocale(): Locale {
  if (override) return override;
  const language = typeof navigator === 'undefined' ? 'en' : navigator.language;
  return language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export type Translate<K extends string> = (key: K, params?: Record<string, string | number>) => string;

/** A function that returns a message of `catalogue` in the current language, placeholders filled. */
export function createTranslator<K extends string>(catalogue: Catalogue<K>): Translate<K> {
  return (key, params) => {
    const template = catalogue[currentLocale()][key] ?? catalogue.en[key] ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  };
}
