/**
 * Stretches of text whose digits belong to something that is not a phone number: web addresses,
 * e-mail addresses, dates, times, IP addresses and IBANs. A digit group that touches one is never
 * part of a candidate, and it also separates what stands on either side of it
 * (`12.03.2024 8 916 123-45-67` keeps the phone number, loses the date).
 */

/** `[start, end)` of a string. */
export interface TextRange {
  start: number;
  end: number;
}

// Each pattern runs only when its gate is in the text, and each is anchored on literal characters
// with bounded quantifiers, so none can backtrack catastrophically. (E-mail addresses are found
// around each `@` instead: a pattern starting with a run of word characters is quadratic on a long
// word.) `u` is not needed: folded text is searched and offsets are UTF-16 code units, as in the DOM.
const PATTERNS: Array<{ gate: RegExp; pattern: RegExp }> = [
  // Web addresses with a scheme or www. (`tel:` has no `//` and is not blocked: it is a phone).
  { gate: /:\/\/|www\./i, pattern: /(?:\b[a-z][a-z0-9+.-]{1,15}:\/\/|\bwww\.)[^\s<>"'«»]+/gi },
  // Dates: 12.03.2024, 12/03/2024, 12-03-2024, 03/12/2024 (day and month both ≤ 31 suffice).
  {
    gate: /[./-]/,
    pattern: /(?<![\d.,/-])(?:0?[1-9]|[12]\d|3[01])([./-])(?:0?[1-9]|[12]\d|3[01])\1(?:19|20)\d\d(?!\d|[.,/-]\d)/g,
  },
  // Dates with a two-digit year, dots only (12.03.24): dashes and slashes of that shape are phones.
  { gate: /\./, pattern: /(?<![\d.,/-])(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])\.\d\d(?!\d|[.,/-]\d)/g },
  // ISO and year-first dates: 2024-03-12, 2024.03.12, 2024/03/12.
  {
    gate: /[./-]/,
    pattern: /(?<![\d.,/-])(?:19|20)\d\d([./-])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?!\d|[.,/-]\d)/g,
  },
  // Times and durations: 14:30, 14:30:05, 01:02:03.456.
  { gate: /:/, pattern: /(?<!\d)\d{1,2}:\d\d(?::\d\d)?(?:[.,]\d{1,6})?(?!\d)/g },
  // IBANs: two letters, two check digits, then blocks of letters and digits.
  { gate: /[A-Z]{2}\d\d/, pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g },
];

// IPv4: four dotted numbers of at most three digits, each ≤ 255 (checked after the match), so dotted
// phone numbers such as 916.123.45.67 are not taken for addresses.
const IPV4 = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/g;

/** All blocked ranges of folded text, sorted by start (they may overlap). */
export function findBlockedRanges(folded: string): TextRange[] {
  const ranges: TextRange[] = [];
  for (const { gate, pattern } of PATTERNS) {
    if (!gate.test(folded)) continue;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(folded); m; m = pattern.exec(folded)) {
      ranges.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  for (let at = folded.indexOf('@'); at >= 0; at = folded.indexOf('@', at + 1)) {
    const range = emailAround(folded, at);
    if (range) ranges.push(range);
  }
  IPV4.lastIndex = 0;
  for (let m = folded.includes('.') ? IPV4.exec(folded) : null; m; m = IPV4.exec(folded)) {
    if (m.slice(1, 5).every((octet) => Number(octet) <= 255)) {
      ranges.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/** Whether `[start, end)` overlaps any of the sorted `ranges`. */
export function overlapsAny(ranges: readonly TextRange[], start: number, end: number): boolean {
  for (const r of ranges) {
    if (r.start >= end) return false;
    if (r.end > start) return true;
  }
  return false;
}

// RFC 5321 §4.5.3.1: a local part has at most 64 octets, a domain at most 255.
const MAX_LOCAL = 64;
const MAX_DOMAIN = 255;
const LOCAL_CHAR = /[\w.%+-]/;
const DOMAIN_CHAR = /[\w.-]/;

/** The e-mail address whose `@` is at `at` (ivan89161234567@mail.ru), when the text has one there. */
function emailAround(folded: string, at: number): TextRange | undefined {
  let start = at;
  while (start > 0 && at - start < MAX_LOCAL && LOCAL_CHAR.test(folded[start - 1]!)) start -= 1;
  let end = at + 1;
  while (end < folded.length && end - at <= MAX_DOMAIN && DOMAIN_CHAR.test(folded[end]!)) end += 1;
  const domain = folded.slice(at + 1, end);
  if (start === at || !/[\w-]\.[\w-]/.test(domain)) return undefined;
  return { start, end };
}
