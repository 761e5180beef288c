/**
 * What the scanner looks at on a page: text nodes with a digit (a number needs at least one, so a block
 * is worth extracting only when one of its text nodes has one), and the few elements whose number is
 * not in a text node: form fields (amoCRM shows a contact's phones in inputs) and `tel:`/`sip:` links.
 */

/** Subtrees never scanned: not page text, or text the user cannot see as such. */
const SKIPPED_TAGS: ReadonlySet<string> = new Set([
  'SCRIPT',
  'STYLE',
  'TEMPLATE',
  'NOSCRIPT',
  'HEAD',
  'TITLE',
  'SVG',
  'svg',
  'MATH',
  'math',
  'CANVAS',
  'OBJECT',
  'VIDEO',
  'AUDIO',
  'SELECT',
  'TEXTAREA',
  'IFRAME',
  'FRAME',
  'CRM-SOFTPHONE-UI',
]);

/** Input types whose value cannot be a phone number (as lib/detect's phone-input reads them). */
const NON_TEXT_INPUT_TYPES: ReadonlySet<string> = new Set([
  'hidden', 'password', 'email', 'url', 'checkbox', 'radio', 'file', 'submit', 'reset', 'button', 'image', 'range',
  'color', 'date', 'datetime-local', 'month', 'week', 'time',
]);

const DIGIT = /[0-9\uff10-\uff19]/;

/** Whether the element's subtree holds no page text we scan (scripts, styles, our own UI…). */
export function isSkippedElement(element: Element): boolean {
  return SKIPPED_TAGS.has(element.tagName);
}

/** Whether a text node may hold (part of) a number. */
export function mayHoldNumber(text: Text): boolean {
  return DIGIT.test(text.data);
}

/** Whether text (a text node's data, read once by the caller) has a digit. */
export function hasDigit(data: string): boolean {
  return DIGIT.test(data);
}

/** A `tel:` or `sip:` link's href, or undefined. */
export function telHref(element: Element): string | undefined {
  if (element.tagName !== 'A' && element.tagName !== 'a') return undefined;
  const href = element.getAttribute('href');
  if (!href) return undefined;
  const trimmed = href.trim();
  return /^(tel|sips?):/i.test(trimmed) ? trimmed : undefined;
}

/** Whether the element is a text field (input of a text-like type, or a textarea). */
export function isTextField(element: Element): element is HTMLInputElement | HTMLTextAreaElement {
  if (element.tagName === 'TEXTAREA') return true;
  if (element.tagName !== 'INPUT') return false;
  return !NON_TEXT_INPUT_TYPES.has((element.getAttribute('type') ?? 'text').trim().toLowerCase());
}

/**
 * Whether the element itself may supply a number's characters (not through its text nodes): an input
 * with a digit in its value, or a `tel:`/`sip:` link. (Textareas are left alone by the detector.)
 */
export function isElementSource(element: Element): boolean {
  if (element.tagName === 'INPUT') return isTextField(element) && DIGIT.test((element as HTMLInputElement).value);
  return telHref(element) !== undefined;
}
