import { isSupportedCountry } from 'libphonenumber-js/min';
import { DEFAULT_SETTINGS } from '@/lib/settings/settings-schema';

/**
 * The default country for a new install, from the browser's language tag: its region when it has one
 * (`en-GB` → GB), otherwise the region the language is most likely spoken in (`ru` → RU, `en` → US,
 * via `Intl.Locale#maximize`). Falls back to the schema's default when neither is a country
 * libphonenumber-js knows.
 */
export function countryForLanguage(language: string | undefined): string {
  if (language) {
    try {
      const region = new Intl.Locale(language).maximize().region;
      if (region && isSupportedCountry(region)) return region;
    } catch {
      // Not a well-formed language tag: use the default below.
    }
  }
  return DEFAULT_SETTINGS.defaultCountry;
}
