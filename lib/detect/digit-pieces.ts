/**
 * The raw material of detection: stretches of digits joined by the punctuation phone numbers are
 * written with (`+7 (916) 123-45-67`, `030/12345678`, `212.555.0100`), cut wherever the punctuation
 * could not sit inside one number.
 */

/** A run of digits: `folded.slice(start, end)` is all digits. */
export interface DigitGroup {
  start: number;
  end: number;
}

/** Digit groups joined by phone punctuation, with nothing between them that could not be in a number. */
export interface DigitPiece {
  /** Where the piece starts in the folded text, including a leading `+` and/or `(`. */
  start: number;
  /** Just past the last digit. */
  end: number;
  /** Written with a leading `+`. */
  plus: boolean;
  groups: DigitGroup[];
  /** `seps[k]` is the folded text between `groups[k]` and `groups[k + 1]`. */
  seps: string[];
  digitCount: number;
}

// A digit, then any number of (up to four separator characters, a digit). Each repetition must end
// on a digit and separators are never digits, so the engine cannot backtrack more than four
// characters: linear in the input. The prefix takes `+`, `(`, `+(` or `(+`.
const SPAN = /(?:\+\(?|\(\+?)?\d(?:[ ./()-]{0,4}\d)*/g;
const DIGITS = /\d+/g;

// Separators that can sit between two digit groups of one number, once blanks are removed; a blank
// on either side is allowed, two blanks in a row are not (a gap that wide separates table columns).
const JOINING_SEPARATORS = new Set(['', '-', '.', '/', '(', ')', ')-', '-(', ').']);

/**
 * Finds every piece of at least `minDigits` digits in folded text (see {@link foldSeparators}).
 * Pieces never overlap and come in text order.
 */
export function findDigitPieces(folded: string, minDigits: number): DigitPiece[] {
  const pieces: DigitPiece[] = [];
  SPAN.lastIndex = 0;
  for (let m = SPAN.exec(folded); m; m = SPAN.exec(folded)) {
    const spanStart = m.index;
    const spanText = m[0];
    // Fewer digits than a phone number can have in the whole span: nothing to cut.
    if (spanText.length < minDigits) continue;
    splitSpan(folded, spanStart, spanText, minDigits, pieces);
  }
  return pieces;
}

function splitSpan(folded: string, spanStart: number, spanText: string, minDigits: number, out: DigitPiece[]): void {
  let current: DigitPiece | undefined;
  let prevEnd = -1;
  DIGITS.lastIndex = 0;
  for (let d = DIGITS.exec(spanText); d; d = DIGITS.exec(spanText)) {
    const group = { start: spanStart + d.index, end: spanStart + d.index + d[0].length };
    if (current && prevEnd >= 0) {
      const sep = folded.slice(prevEnd, group.start);
      if (isJoiningSeparator(sep)) {
        current.groups.push(group);
        current.seps.push(sep);
        current.end = group.end;
        current.digitCount += group.end - group.start;
        prevEnd = group.end;
        continue;
      }
      if (current.digitCount >= minDigits) out.push(current);
      current = undefined;
    }
    const start = current === undefined && prevEnd < 0 ? spanStart : leadingBracketStart(folded, group.start, prevEnd);
    current = {
      start,
      end: group.end,
      plus: folded[start] === '+' || folded[start + 1] === '+',
      groups: [group],
      seps: [],
      digitCount: group.end - group.start,
    };
    prevEnd = group.end;
  }
  if (current && current.digitCount >= minDigits) out.push(current);
}

/** A piece that starts after a cut still owns an opening bracket written right before its digits. */
function leadingBracketStart(folded: string, digitStart: number, floor: number): number {
  if (digitStart - 1 > floor && folded[digitStart - 1] === '(') return digitStart - 1;
  return digitStart;
}

function isJoiningSeparator(sep: string): boolean {
  if (sep.length > 3 || sep.includes('  ')) return false;
  return JOINING_SEPARATORS.has(sep.replace(/ /g, ''));
}

/** Whether a separator may also end one number and start the next: a blank or a slash is in it. */
export function isSplittableSeparator(sep: string): boolean {
  return sep.includes(' ') || sep.includes('/');
}
