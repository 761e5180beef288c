import { getCountries, getCountryCallingCode } from 'libphonenumber-js/min';

/** One entry of the default-country select. */
export interface CountryChoice {
  code: string;
  /** Localized name with the calling code, e.g. `Russia (+7)`. */
  label: string;
}

/** Countries most of our users call, shown first. */
export const COMMON_COUNTRIES: readonly string[] = [
  'RU', 'BY', 'KZ', 'UZ', 'KG', 'AM', 'GE', 'AZ', 'UA',
  'US', 'GB', 'DE', 'FR', 'ES', 'IT', 'PL', 'TR', 'AE', 'IL', 'IN', 'CN',
];

/**
 * The choices of the default-country select in `locale`: the common countries, then every country
 * libphonenumber-js supports, alphabetically by localized name.
 */
export function countryChoices(locale: string): { common: CountryChoice[]; all: CountryChoice[] } {
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames([locale], { type: 'region' });
  } catch {
    names = undefined;
  }
  const supported = getCountries();
  const choice = (code: (typeof supported)[number]): CountryChoice => ({
    code,
    label: `${names?.of(code) ?? code} (+${getCountryCallingCode(code)})`,
  });
  const common = supported.filter((code) => COMMON_COUNTRIES.includes(code));
  common.sort((a, b) => COMMON_COUNTRIES.indexOf(a) - COMMON_COUNTRIES.indexOf(b));
  const all = supported.map(choice).sort((a, b) => a.label.localeCompare(b.label, locale));
  return { common: common.map(choice), all };
}
