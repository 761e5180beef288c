import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { RegionRules } from '@/lib/detect/region-rules';

/** A stretch of folded text that may be one phone number (without its extension). */
export interface Candidate {
  /** From the leading `+` or `(` (when written) to the last digit. */
  text: string;
  plus: boolean;
  /** The digit groups, in order (`['8', '916', '123', '45', '67']`). */
  groups: string[];
}

/**
 * What the context says before the digits are looked at:
 * - `vouched`: a phone label, a `tel:` link or a phone input — any valid number is taken;
 * - `neutral`: nothing — the number must be written like one;
 * - `doubted`: a label names something else (ИНН, Сумма) — only a number written like a phone
 *   beyond doubt is taken: international, or with trunk prefix and phone grouping (`8 800 555-35-35`).
 */
export type Stance = 'vouched' | 'neutral' | 'doubted';

/** Fewest digits a number can be written with, trunk or country code included. */
export const MIN_DIGITS = 7;
/** Most digits: fifteen for E.164, plus a two- or three-digit international prefix such as `00`. */
export const MAX_DIGITS = 18;

/**
 * Decides whether a candidate is a phone number and, if so, which: its E.164 form.
 *
 * The "min" metadata of libphonenumber-js checks little beyond length and leading digits, so the
 * way the digits are written has to carry the rest. Unless the context vouches for the number, it
 * must be written like one:
 *
 * - international (`+`, or an international prefix such as `00`, `810`, `011`): any grouping;
 * - national with the trunk prefix or country code (`8 916…`, `89161234567`, `79161234567`,
 *   `020 7946 0958`): any grouping, even none;
 * - national without either (`(916) 123-45-67`, `212 555 0100`): only where people write numbers so
 *   (see {@link RegionRules.trunkOptional}), and only grouped the local way
 *   ({@link RegionRules.trunklessGrouping}). A bare `9161234567` or `4506 123456` could be anything.
 *
 * @returns the number in E.164, or `undefined`.
 */
export function acceptCandidate(candidate: Candidate, rules: RegionRules, stance: Stance): string | undefined {
  const brackets = bracketContent(candidate.text);
  if (brackets === null) return undefined;
  // "+44 (0)20 7946 0958": the bracketed trunk prefix is not dialled from abroad.
  const groups =
    candidate.plus && brackets === '0' && candidate.groups.length > 2 ? dropBracketedZero(candidate) : candidate.groups;
  const digits = groups.join('');
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return undefined;
  // No way of writing a number ends it on a lone digit: "7707083893 8" is a number and a stray 8.
  if (groups.length > 1 && groups[groups.length - 1]!.length < 2) return undefined;

  const bare = groups.length === 1;
  if (stance === 'doubted' && !candidate.plus && (bare || !phoneLikeGrouping(groups))) return undefined;

  const international = candidate.plus ? digits : afterInternationalPrefix(digits, rules);
  if (international !== undefined) return validE164(`+${international}`);
  if (!rules.region) return undefined;

  const vouched = stance === 'vouched';
  const maybePrefixed =
    (rules.nationalPrefix !== undefined && digits.startsWith(rules.nationalPrefix)) ||
    (rules.callingCode !== undefined && digits.startsWith(rules.callingCode)) ||
    brackets !== undefined;
  if (!vouched) {
    if (bare && !maybePrefixed) return undefined;
    if (!bare && !rules.trunkOptional && !maybePrefixed) return undefined;
  }

  const parsed = parsePhoneNumberFromString(digits, { defaultCountry: rules.region });
  if (!parsed || !parsed.isValid()) return undefined;
  if (vouched) return parsed.number;
  // libphonenumber-js strips a trunk prefix or country code it recognises: what it stripped is what
  // the writer put there.
  const prefixed = parsed.nationalNumber.length < digits.length;
  if (prefixed) return parsed.number;
  if (bare || stance === 'doubted' || !rules.trunkOptional) return undefined;
  return trunklessGroupingFits(groups, brackets !== undefined, rules) ? parsed.number : undefined;
}

/**
 * The digits inside the candidate's one pair of brackets, `undefined` when it has none, `null` when
 * its brackets are not those of a phone number (unbalanced, nested, several pairs, or around more
 * than an area code).
 */
function bracketContent(text: string): string | undefined | null {
  const open = text.indexOf('(');
  const close = text.indexOf(')');
  if (open < 0 && close < 0) return undefined;
  if (open < 0 || close < open || text.indexOf('(', open + 1) >= 0 || text.indexOf(')', close + 1) >= 0) return null;
  const inside = text.slice(open + 1, close).replace(/ /g, '');
  return /^\+?\d{1,5}$/.test(inside) ? inside.replace('+', '') : null;
}

function dropBracketedZero(candidate: Candidate): string[] {
  const index = candidate.groups.indexOf('0', 1);
  return index < 0 ? candidate.groups : [...candidate.groups.slice(0, index), ...candidate.groups.slice(index + 1)];
}

/** The digits after an international dialling prefix (`00 44 20…` → `4420…`), or `undefined`. */
function afterInternationalPrefix(digits: string, rules: RegionRules): string | undefined {
  for (const prefix of rules.internationalPrefixes) {
    if (digits.startsWith(prefix) && digits.length - prefix.length >= MIN_DIGITS) return digits.slice(prefix.length);
  }
  return undefined;
}

function validE164(text: string): string | undefined {
  const parsed = parsePhoneNumberFromString(text);
  return parsed?.isValid() ? parsed.number : undefined;
}

// Grouped the way numbers are written: at least three groups, the first (trunk, area code) of up to
// five digits, the rest of one to four, the last two of two to four (8 800 555-35-35, 916 123-45-67,
// 212 555 0100, 8 (34342) 2-12-34).
function phoneLikeGrouping(groups: string[]): boolean {
  if (groups.length < 3 || groups[0]!.length > 5) return false;
  const rest = groups.slice(1);
  if (!rest.every((g) => g.length <= 4)) return false;
  return rest.slice(-2).every((g) => g.length >= 2);
}

function trunklessGroupingFits(groups: string[], bracketed: boolean, rules: RegionRules): boolean {
  const lengths = groups.map((g) => g.length);
  switch (rules.trunklessGrouping) {
    case 'nanp':
      // (212) 555-0100, (212) 5550100, 212-555-0100, 212.555.0100
      return (bracketed && lengths[0] === 3) || (lengths.length === 3 && lengths[0] === 3 && lengths[1] === 3 && lengths[2] === 4);
    case 'ru': {
      // 916 123-45-67, (3412) 12-34-56, 34342 2-12-34; or a bracketed code and one block: (495) 1234567.
      const n = lengths.length;
      if (n >= 3 && lengths[n - 1] === 2 && lengths[n - 2] === 2 && phoneLikeGrouping(groups)) return true;
      return bracketed && n === 2 && lengths[0]! >= 3 && lengths[0]! <= 5;
    }
    case 'generic':
      return bracketed || phoneLikeGrouping(groups);
  }
}
