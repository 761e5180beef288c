import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import type { DialFormat } from '@/lib/settings/settings-schema';

/** What the user typed, read as something a SIP account can dial. */
export type DialTarget =
  | {
      kind: 'phone';
      /** E.164, e.g. `+79161234567`. */
      e164: string;
      /** The user part sent to the PBX, shaped by the account's dial format. */
      dial: string;
      /** Human-readable international form. */
      display: string;
      extension?: string;
    }
  /** A short internal number (PBX extension) or feature code, dialled as typed. */
  | { kind: 'extension'; dial: string; display: string }
  /** A full SIP address, dialled as is. */
  | { kind: 'sip'; uri: string; display: string };

export type DialTargetError = 'empty' | 'invalid' | 'too-long';

export interface NormalizeOptions {
  defaultCountry: string;
  dialFormat: DialFormat;
}

/** Longest internal number we dial verbatim; longer digit strings must be real phone numbers. */
const MAX_EXTENSION_DIGITS = 6;

// Unicode separators people paste from CRMs and documents: NBSP, thin/narrow spaces, dashes, minus.
const SEPARATORS = /[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\u2010-\u2015\u2212().\-/]/g;

/**
 * Reads a dial string typed or pasted by a user: `+7 (916) 123-45-67`, `8 916 123 45 67`,
 * `00 44 20 7946 0958`, `101`, `*97`, `sip:bob@pbx.example.com`, `+1 212 555 0100 ext. 12`.
 *
 * @returns the target, or an error code the UI turns into a message (`undefined` is never returned).
 */
export function normalizeDialTarget(
  input: string,
  options: NormalizeOptions,
): { ok: true; target: DialTarget } | { ok: false; error: DialTargetError } {
  const raw = input.trim();
  if (raw.length === 0) return { ok: false, error: 'empty' };
  if (raw.length > 64) return { ok: false, error: 'too-long' };

  const sip = /^sips?:([^@\s]+@[A-Za-z0-9.-]+(:\d+)?)(;[^\s]*)?$/i.exec(raw);
  if (sip) return { ok: true, target: { kind: 'sip', uri: raw, display: sip[1]! } };
  if (/^sips?:/i.test(raw)) return { ok: false, error: 'invalid' };

  const compact = raw.replace(SEPARATORS, '');
  // Internal extensions and feature codes (*97, #21#) are not phone numbers: dial them untouched.
  if (/^[*#0-9]+$/.test(compact) && (compact.length <= MAX_EXTENSION_DIGITS || /[*#]/.test(compact))) {
    return { ok: true, target: { kind: 'extension', dial: compact, display: compact } };
  }

  // "00" is the international prefix in most of the world; "+"-less numbers otherwise use the default country.
  // libphonenumber-js does not accept every Unicode separator (thin spaces, for one): give it the compact form.
  const prepared = /^00[1-9]/.test(compact) ? `+${compact.slice(2)}` : compact;
  const parsed = parsePhoneNumberFromString(prepared, {
    defaultCountry: options.defaultCountry as CountryCode,
    extract: false,
  });
  if (!parsed || !parsed.isPossible()) return { ok: false, error: 'invalid' };

  const e164 = parsed.number;
  let dial: string;
  switch (options.dialFormat) {
    case 'e164':
      dial = e164;
      break;
    case 'e164-no-plus':
      dial = e164.slice(1);
      break;
    case 'national':
      dial =
        parsed.country === options.defaultCountry
          ? parsed.formatNational().replace(/[^0-9]/g, '')
          : e164;
      break;
  }
  return {
    ok: true,
    target: {
      kind: 'phone',
      e164,
      dial,
      display: parsed.formatInternational(),
      ...(parsed.ext ? { extension: parsed.ext } : {}),
    },
  };
}

/**
 * The SIP request URI for a target on an account whose domain is `host`. User parts are escaped
 * (RFC 3261 §25.1: `+`, `*`, `#` need care; `#` must be escaped).
 */
export function toSipUri(target: DialTarget, host: string): string {
  if (target.kind === 'sip') return target.uri;
  const user = target.dial.replace(/#/g, '%23');
  return `sip:${user}@${host}`;
}
