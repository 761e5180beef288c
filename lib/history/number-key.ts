import { normalizeDialTarget } from '@/lib/numbers/normalize-dial-target';

/** A remote party's number as history keeps it. */
export interface NumberIdentity {
  /** The key that ties a number's calls, notes, recordings and messages together. */
  key: string;
  /** E.164, when the number reads as a phone number. */
  e164?: string;
}

/** Digits a PBX may present an international number with, without `+` (e.g. `442079460958`). */
const BARE_INTERNATIONAL = /^\d{8,15}$/;

/**
 * Reads a number as dialled or presented (`+7 916 123-45-67`, `89161234567`, `101`, `anonymous`)
 * into its history key. Phone numbers become E.164 with `region` (the default country, ISO 3166
 * alpha-2) for national forms; a bare digit string that is not a national number of `region` is
 * tried as international without its `+`, as many PBXs present them. Extensions keep their digits;
 * anything else (SIP addresses, `anonymous`) is lower-cased, so it still has a timeline of its own.
 */
export function numberKeyOf(raw: string, region: string): NumberIdentity {
  const input = raw.trim();
  if (input.length === 0) return { key: 'unknown' };
  const options = { defaultCountry: region, dialFormat: 'e164' } as const;
  const parsed = normalizeDialTarget(input, options);
  if (parsed.ok) {
    const target = parsed.target;
    if (target.kind === 'phone') return { key: target.e164, e164: target.e164 };
    if (target.kind === 'extension') return { key: target.dial };
    return { key: target.uri.toLowerCase() };
  }
  if (BARE_INTERNATIONAL.test(input)) {
    const international = normalizeDialTarget(`+${input}`, options);
    if (international.ok && international.target.kind === 'phone') {
      return { key: international.target.e164, e164: international.target.e164 };
    }
  }
  return { key: input.toLowerCase() };
}

/** The digits of a number key, for digit search (`+79161234567` → `79161234567`). */
export function digitsOf(text: string): string {
  return text.replace(/\D+/g, '');
}
