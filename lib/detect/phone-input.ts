import { classifyLabel } from '@/lib/detect/context-labels';
import { countDigits } from '@/lib/detect/fold-separators';

// Input types whose value is not free text a phone number could be typed into. Anything else (tel,
// text, search, number, a missing or unknown type, which HTML treats as text) may hold one.
const NON_TEXT_TYPES = new Set([
  'hidden', 'password', 'email', 'url', 'checkbox', 'radio', 'file', 'submit', 'reset', 'button', 'image', 'range',
  'color', 'date', 'datetime-local', 'month', 'week', 'time',
]);

const MAX_FORMATTED = 40;

// A value that is nothing but a formatted phone number: optional "+", digits with blanks, dashes,
// dots, brackets (any Unicode blank or dash), and an optional extension.
const FORMATTED_PHONE =
  /^\+?[\d\s\u00a0\u2000-\u200b\u202f().\-\u2010-\u2015\u2212]+(?:[\s,]*(?:доб|вн|ext|x|х|#)\.?\s*\d{1,6})?$/iu;

/**
 * The value of an `<input>` to scan, or `undefined` to leave it alone. The value is only read, never
 * changed. An input is read when:
 *
 * 1. its type holds free text (tel, text, search, number, or a missing or unknown type) — never
 *    password, hidden, email, url, date and the like; and
 * 2. its value has at least seven digits; and
 * 3. its labels (`label` from {@link LabelFinder.labelOfInput}: type, name, id, autocomplete,
 *    placeholder, ARIA label, class, `<label>`, column header) do not name something else (ИНН, Order,
 *    Amount…); and
 * 4. either it is `type=tel`, or its labels say phone/tel/телефон, or its whole value is clearly a
 *    formatted phone number (`+7 916 123-45-67`; digits only or text with words are not enough).
 *
 * Reading "clearly formatted" values covers CRMs whose phone inputs have opaque names (amoCRM's
 * `CFV[123][0][VALUE]`); the detector still applies its neutral rules to them.
 */
export function phoneInputValue(input: Element, label: string): string | undefined {
  const type = (input.getAttribute('type') ?? 'text').trim().toLowerCase();
  if (NON_TEXT_TYPES.has(type)) return undefined;
  // The value as it is (not trimmed): offsets into it must be offsets into the input's value.
  const value = readValue(input);
  if (countDigits(value) < 7) return undefined;
  const verdict = classifyLabel(label);
  if (verdict === 'not-phone') return undefined;
  if (type === 'tel' || verdict === 'phone') return value;
  const trimmed = value.trim();
  // Longer than any formatted number with an extension: a note, not a phone field.
  if (trimmed.length > MAX_FORMATTED) return undefined;
  const formatted =
    FORMATTED_PHONE.test(trimmed) && (trimmed.startsWith('+') || /[\s().\-\u00a0\u2010-\u2015\u2212]/u.test(trimmed));
  return formatted ? value : undefined;
}

function readValue(input: Element): string {
  // The live value (what the user sees after typing), falling back to the attribute where a DOM
  // implementation has no value property.
  const live = (input as HTMLInputElement).value;
  return typeof live === 'string' ? live : (input.getAttribute('value') ?? '');
}
