/** A `tel:` or `sip:` link's target, read for dialling. */
export interface TelTarget {
  /** Digits with an optional leading `+` (`tel:+7-916-123-45-67` → `+79161234567`), or a SIP URI. */
  number: string;
  ext?: string;
  /** A `sip:` URI whose user part is not a phone number (dialled as a SIP address). */
  isSipUri: boolean;
}

/** Visual separators RFC 3966 allows in a `tel:` number (`-`, `.`, `(`, `)`), and spaces people add. */
const VISUAL_SEPARATORS = /[\s().\-\u00a0]/g;

/**
 * Reads a `tel:` (RFC 3966) or `sip:`/`sips:` (RFC 3261) href: `tel:+7-916-123-45-67;ext=12`,
 * `tel:8(916)1234567`, `sip:+79161234567@pbx.example.com;user=phone`, `sip:alice@pbx.example.com`.
 *
 * @returns undefined for anything else, or a `tel:` without digits.
 */
export function parseTelHref(href: string): TelTarget | undefined {
  const match = /^\s*(tel|sips?):(.*)$/is.exec(href);
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  let rest: string;
  try {
    rest = decodeURIComponent(match[2]!.trim());
  } catch {
    rest = match[2]!.trim();
  }
  if (scheme === 'tel') {
    const [numberPart = '', ...params] = rest.split(';');
    const number = numberPart.replace(VISUAL_SEPARATORS, '');
    if (!/^\+?\d{2,}$/.test(number)) return undefined;
    const ext = extensionOf(params);
    return ext ? { number, ext, isSipUri: false } : { number, isSipUri: false };
  }
  const uri = `${scheme}:${rest}`;
  const user = /^([^@;?]+)@/.exec(rest)?.[1];
  const compact = user?.replace(VISUAL_SEPARATORS, '');
  if (compact && /^\+?\d{5,}$/.test(compact)) {
    const ext = extensionOf(rest.split(';').slice(1));
    return ext ? { number: compact, ext, isSipUri: false } : { number: compact, isSipUri: false };
  }
  return /^[^@\s]+@[^@\s]+$/.test(rest.split(/[;?]/)[0]!) ? { number: uri, isSipUri: true } : undefined;
}

function extensionOf(params: readonly string[]): string | undefined {
  for (const param of params) {
    const [name, value] = param.split('=');
    if (name && /^(ext|extension|postd)$/i.test(name.trim()) && value) {
      const digits = value.replace(/[^\d*#]/g, '');
      if (digits) return digits;
    }
  }
  return undefined;
}
