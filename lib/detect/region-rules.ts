import { getCountryCallingCode, isSupportedCountry, Metadata, type CountryCode } from 'libphonenumber-js/min';

/** How numbers are written in the default region, as far as telling them from other digits goes. */
export interface RegionRules {
  /** The default region, or `undefined` when libphonenumber-js does not know it (then only `+` numbers are found). */
  region: CountryCode | undefined;
  /** Its country calling code (`7`, `1`, `44`). */
  callingCode: string | undefined;
  /** The trunk prefix dialled before national numbers (`8` in Russia, `0` in Germany, `1` in the US). */
  nationalPrefix: string | undefined;
  /**
   * Whether people write national numbers without the trunk prefix: `(916) 123-45-67` in Russia,
   * `(212) 555-0100` in the US. Elsewhere (`020 7946 0958`, `030 12345678`) a number without its `0`
   * is unusual enough that such digits are left alone unless a label vouches for them.
   */
  trunkOptional: boolean;
  /**
   * How a national number without its trunk prefix must be grouped to be taken for one without a
   * label: `nanp` (212) 555-0100 or 212-555-0100; `ru` (+7 zone, Belarus) ending in two pairs,
   * 916 123-45-67, or a bracketed code and one block, (495) 1234567; `generic` anything phone-like.
   * A US-style 555-0100 ending under Russia is a foreign number missing its +1, not a Russian one.
   */
  trunklessGrouping: 'nanp' | 'ru' | 'generic';
  /** Prefixes that stand for `+` when dialling abroad: `00` everywhere, `810` in Russia, `011` in the US. */
  internationalPrefixes: string[];
}

// Countries whose national numbers are commonly written without the trunk prefix although they have
// one: the +7 zone (Russia, Kazakhstan) and Belarus write "(495) 123-45-67" and "(029) 123-45-67";
// NANP countries (+1) dial the 1 only for long distance and rarely write it.
const TRUNK_OPTIONAL_CALLING_CODES = new Set(['1', '7']);
const TRUNK_OPTIONAL_REGIONS = new Set(['BY']);

const cache = new Map<string, RegionRules>();

/** The rules for a default region (an ISO 3166-1 alpha-2 code, any case). */
export function regionRules(defaultRegion: string): RegionRules {
  const key = defaultRegion.toUpperCase();
  const known = cache.get(key);
  if (known) return known;
  const rules = computeRules(key);
  cache.set(key, rules);
  return rules;
}

function computeRules(region: string): RegionRules {
  if (!isSupportedCountry(region)) {
    return {
      region: undefined,
      callingCode: undefined,
      nationalPrefix: undefined,
      trunkOptional: false,
      trunklessGrouping: 'generic',
      internationalPrefixes: ['00'],
    };
  }
  const metadata = new Metadata();
  metadata.selectNumberingPlan(region);
  const plan = metadata.numberingPlan;
  // `nationalPrefix()` exists on libphonenumber-js's numbering plans but is missing from its typings.
  const nationalPrefix = (plan as unknown as { nationalPrefix?: () => string | undefined } | undefined)?.nationalPrefix?.();
  const idd = plan?.IDDPrefix();
  const callingCode = getCountryCallingCode(region);
  const internationalPrefixes = ['00'];
  // IDD prefixes are patterns; only a plain digit string (810, 011) can be matched as written.
  if (idd && /^\d+$/.test(idd) && idd !== '00') internationalPrefixes.push(idd);
  return {
    region,
    callingCode,
    nationalPrefix: nationalPrefix || undefined,
    trunkOptional:
      !nationalPrefix || TRUNK_OPTIONAL_CALLING_CODES.has(callingCode) || TRUNK_OPTIONAL_REGIONS.has(region),
    trunklessGrouping: callingCode === '1' ? 'nanp' : callingCode === '7' || region === 'BY' ? 'ru' : 'generic',
    internationalPrefixes,
  };
}
