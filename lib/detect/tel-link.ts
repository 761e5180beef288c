/**
 * `tel:` and `sip:` links (RFC 3966, RFC 3261 §19.1): which links dial a number, and which number.
 */

const DIAL_SCHEME = /^\s*(tel|sips?|callto):/i;
// RFC 3966 §5.1.1 lets the number carry visual separators: "-", ".", "(" and ")".
const VISUAL_SEPARATORS = /[\s\-.()]/g;
const DIALLABLE = /^\+?\d{3,20}$/;

/** The number a link dials, in RFC 3966 form (`+74951234567`, `84951234567;ext=12`). */
export type TelTarget = string;

/** Whether the element is a link whose `href` dials (tel:, sip:, sips:, callto:). */
export function isDialLink(element: Element): boolean {
  if (element.localName !== 'a' && element.localName !== 'area') return false;
  const href = element.getAttribute('href');
  return href !== null && DIAL_SCHEME.test(href);
}

/**
 * The phone number a `tel:`/`sip:` link dials: the digits of a `tel:` URI or of a SIP URI's user part
 * (`sip:+74951234567@pbx.example.com`), with `;ext=` kept. `undefined` for a SIP address that is a
 * name (`sip:alice@example.com`) or anything else that is not digits.
 */
export function telTarget(href: string): TelTarget | undefined {
  const scheme = DIAL_SCHEME.exec(href);
  if (!scheme) return undefined;
  let rest = safeDecode(href.slice(scheme[0].length)).trim();
  if (scheme[1]!.toLowerCase() !== 'tel') {
    rest = rest.replace(/^\/\//, '');
    const at = rest.indexOf('@');
    if (at >= 0) rest = rest.slice(0, at);
  }
  const [number = '', ...params] = rest.split(';');
  const digits = number.replace(VISUAL_SEPARATORS, '');
  if (!DIALLABLE.test(digits)) return undefined;
  const ext = params.map((p) => /^ext=(\d{1,6})$/i.exec(p.trim())?.[1]).find((e) => e !== undefined);
  return ext ? `${digits};ext=${ext}` : digits;
}

/** A target written as text the detector reads: `+74951234567;ext=12` → `+74951234567 ext. 12`. */
export function telTargetText(target: TelTarget): string {
  return target.replace(';ext=', ' ext. ');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    // A stray "%" in a hand-written href: use it as written.
    return value;
  }
}
