/**
 * Folds the many ways a page writes a phone number's punctuation onto plain ASCII, one character for
 * one character, so every index into the folded string is an index into the original.
 *
 * - blanks that do not break a number: NBSP, thin, narrow NBSP, figure and other fixed-width spaces,
 *   zero-width space and BOM (sites insert them to stop auto-linking) → `' '`;
 * - hyphens, dashes and the minus sign (‐ ‑ ‒ – — ― − ﹣ －) → `'-'`;
 * - full-width digits, plus and brackets (CJK input methods) → ASCII;
 * - carriage return and form feed → `'\n'` (a line break, which ends any number).
 *
 * Everything else is kept, so letters, currency signs and `@` still reject what they touch.
 */
export function foldSeparators(text: string): string {
  if (!NEEDS_FOLDING.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    out += foldChar(text.charCodeAt(i), text[i]!);
  }
  return out;
}

/** Number of ASCII or full-width digits in `text` (a cheap pre-filter: no phone has fewer than 7). */
export function countDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0xff10 && c <= 0xff19)) n += 1;
  }
  return n;
}

// Any character foldChar would change; most page text has none, and then no copy is made.
const NEEDS_FOLDING = /[\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff\u2010-\u2015\u2212\ufe58\ufe63\uff0d\uff08\uff09\uff0b\uff10-\uff19\r\f]/;

function foldChar(c: number, ch: string): string {
  if (c < 0x80) return c === 0x0d || c === 0x0c ? '\n' : ch;
  if (c === 0xa0 || (c >= 0x2000 && c <= 0x200b) || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff) {
    return ' ';
  }
  if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212 || c === 0xfe58 || c === 0xfe63 || c === 0xff0d) return '-';
  if (c >= 0xff10 && c <= 0xff19) return String.fromCharCode(c - 0xff10 + 0x30);
  if (c === 0xff0b) return '+';
  if (c === 0xff08) return '(';
  if (c === 0xff09) return ')';
  return ch;
}
