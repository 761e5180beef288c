/**
 * What touches a candidate on either side. Digits glued to letters, `@`, `_`, `=`, `#` or a currency
 * sign are part of a word, an address, an identifier or an amount; digits continued by `,5` or `.50`
 * are a decimal; by `:8080` a port. A phone number stands apart from such neighbours.
 */

// Characters that may never touch a number's first character from the left.
const BAD_BEFORE = /[\p{L}\p{M}\d_@#№$€£¥₽₴₸\\=&%^~]/u;
// A leading "+" starts a token of its own, so only address and identifier punctuation rejects it:
// "₽+7 (843)…" is a price and a phone in glued spans, "?q=+7…" and "id_+7…" are not phones.
const BAD_BEFORE_PLUS = /[\d_@#№\\=&/]/u;
// Characters that may never touch a number's last character from the right.
const BAD_AFTER = /[\p{L}\p{M}\d_@%°′″‰$€£¥₽₴₸=&^~]/u;
// Punctuation that glues two digit strings into one non-phone token (decimal point, thousands comma,
// time or port colon, ratio slash, minus) when a digit sits on its other side.
const GLUE = /[.,:/-]/;

// Currencies, money multipliers and counts written after a number: "9 876 543 210 ₽", "1500000 руб.",
// "12 млн", "1234567 шт". Case-insensitive; `р` and `k` only as whole words.
const AMOUNT_AFTER = /^ ?(?:[₽$€£¥₴₸%]|руб|rub|usd|eur|gbp|uah|kzt|byn|грн|тенге|тг(?!\p{L})|р(?:\.|(?!\p{L}))|тыс|млн|млрд|k(?!\p{L})|шт|ед(?!\p{L}))/iu;
// Currencies written before a number: "$ 1234567", "USD 1 234 567", "₽1234567".
const AMOUNT_BEFORE = /(?:[₽$€£¥₴₸]|(?<!\p{L})(?:rub|usd|eur|gbp|uah|kzt|byn|руб\.?)) ?$/iu;

/** Whether `folded[start]` (a number's first character) touches something it cannot from the left. */
export function badLeftEdge(folded: string, start: number): boolean {
  if (start === 0) return false;
  const before = folded[start - 1]!;
  if (folded[start] === '+') return BAD_BEFORE_PLUS.test(before);
  if (BAD_BEFORE.test(before)) return true;
  // "-7 916…" after a letter or digit is "ID-79161234567" or a range; after a blank it is a dash.
  if (GLUE.test(before) && start >= 2) {
    const prev = folded[start - 2]!;
    if (before === ',' && /\d/.test(prev)) return digitRunBefore(folded, start - 1) <= SHORT_RUN;
    if (/\d/.test(prev)) return true;
    if (before === '-' && /[\p{L}]/u.test(prev)) return true;
    if (before === '/' && /[\p{L}]/u.test(prev)) return true;
  }
  return false;
}

/** Whether the character at `end` (just past a number) touches it in a way a phone number cannot be touched. */
export function badRightEdge(folded: string, end: number): boolean {
  if (end >= folded.length) return false;
  const after = folded[end]!;
  if (BAD_AFTER.test(after)) return true;
  if (!GLUE.test(after) || end + 1 >= folded.length || !/\d/.test(folded[end + 1]!)) return false;
  return after !== ',' || digitRunAfter(folded, end + 1) <= SHORT_RUN;
}

// A comma between digits is a decimal comma or thousands separator when the digits on its other side
// are few ("1234567,89", "1,234"), and a list separator between numbers otherwise
// ("89161234567,84951234567").
const SHORT_RUN = 4;

function digitRunBefore(folded: string, end: number): number {
  let i = end;
  while (i > 0 && /\d/.test(folded[i - 1]!)) i -= 1;
  return end - i;
}

function digitRunAfter(folded: string, start: number): number {
  let i = start;
  while (i < folded.length && /\d/.test(folded[i]!)) i += 1;
  return i - start;
}

/**
 * Whether a currency, money multiplier or count sits right before `start` or after `end`. A number
 * starting with "+" is not an amount of the currency before it ("49 990 ₽ +7 495…").
 */
export function hasAmountCue(folded: string, start: number, end: number): boolean {
  if (end < folded.length && AMOUNT_AFTER.test(folded.slice(end, end + 8))) return true;
  return start > 0 && folded[start] !== '+' && AMOUNT_BEFORE.test(folded.slice(Math.max(0, start - 6), start));
}
