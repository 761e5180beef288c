import { acceptCandidate, MAX_DIGITS, MIN_DIGITS, type Stance } from '@/lib/detect/accept-candidate';
import { findBlockedRanges, overlapsAny, type TextRange } from '@/lib/detect/blocked-ranges';
import { classifyInlineLabel, classifyLabel, type LabelVerdict } from '@/lib/detect/context-labels';
import type { DetectOptions, Detection } from '@/lib/detect/detection';
import { findDigitPieces, isSplittableSeparator, type DigitPiece } from '@/lib/detect/digit-pieces';
import { badLeftEdge, badRightEdge, hasAmountCue } from '@/lib/detect/edge-rules';
import { readExtension } from '@/lib/detect/extension-suffix';
import { countDigits, foldSeparators } from '@/lib/detect/fold-separators';
import { nonPhoneShape } from '@/lib/detect/non-phone-shape';
import { regionRules, type RegionRules } from '@/lib/detect/region-rules';

/** How far back from a number a label in the same text is looked for ("Тел. моб.: ", "ИНН "). */
const LABEL_WINDOW = 40;

const LETTER = /\p{L}/u;

/**
 * Finds the phone numbers in a piece of text, such as one run of a page (see {@link TextRun}).
 *
 * 1. Unicode blanks and dashes are folded to ASCII (one character for one, so offsets hold).
 * 2. Digits joined by phone punctuation form pieces; a gap two blanks wide, a tab or line break, or a
 *    separator no number uses (`,`, `:`, `;`, `--`) cuts them. Digits of dates, times, IP addresses,
 *    web and e-mail addresses and IBANs cut them too and are never candidates.
 * 3. A piece grouped like a payment card, SNILS, passport, amount or version is dropped whole.
 * 4. Within a piece, from the left, the longest stretch that {@link acceptCandidate} takes is a
 *    number; stretches may only end at a blank or slash, so `978-5-699-12014-7` is never cut into a
 *    "phone". An extension (доб., вн., ext., x, #) right after it is kept apart.
 * 5. Each candidate must stand apart from what touches it (letters, `@`, `#`, currency, `.5`).
 * 6. Context decides how strict {@link acceptCandidate} is: the label written before the number in
 *    the text ("Тел.:", "ИНН", "№"), else the one carried over a list, else the run's label (column
 *    header, input attributes) vouches for it, doubts it, or — a number sign — vetoes it. A `tel:`
 *    link's text or target is vouched for.
 *
 * Pure and synchronous; costs nothing for text with fewer than seven digits.
 */
export function detectPhoneNumbers(text: string, options: DetectOptions): Detection[] {
  if (countDigits(text) < MIN_DIGITS) return [];
  const folded = foldSeparators(text);
  const pieces = findDigitPieces(folded, MIN_DIGITS);
  if (pieces.length === 0) return [];

  const context = options.context ?? {};
  const scan: Scan = {
    folded,
    rules: regionRules(options.defaultRegion),
    trusted: context.fromTelLink === true,
    runVerdict: context.label ? classifyLabel(context.label) : undefined,
    carried: undefined,
    consumedTo: 0,
    found: [],
  };
  const blocked = findBlockedRanges(folded);
  for (const piece of pieces) {
    for (const part of cutAtBlocked(piece, blocked, folded)) {
      if (part.digitCount >= MIN_DIGITS) scanPart(scan, part);
    }
  }
  return scan.found;
}

interface Scan {
  folded: string;
  rules: RegionRules;
  /** A `tel:` link's text or target: the digits are a phone number if they parse as one. */
  trusted: boolean;
  runVerdict: LabelVerdict;
  /** A phone label's verdict carries over a list: "Тел.: 9161234567, 4951234567". */
  carried: LabelVerdict;
  /** Text before this index already belongs to a found number (and its extension). */
  consumedTo: number;
  found: Detection[];
}

function scanPart(scan: Scan, part: DigitPiece): void {
  const { folded } = scan;
  const shape = nonPhoneShape(part);
  if (shape !== undefined && shape !== 'thousands') return;
  const groups = part.groups.map((g) => folded.slice(g.start, g.end));
  const n = groups.length;

  let i = 0;
  while (i < n) {
    if (i > 0 && !isSplittableSeparator(part.seps[i - 1]!)) {
      i += 1;
      continue;
    }
    const start = i === 0 ? part.start : openingBracketStart(folded, part.groups[i]!.start);
    const plus = i === 0 && part.plus;
    const verdict = scan.trusted ? 'phone' : verdictAt(scan, start);
    const stance: Stance = verdict === 'phone' ? 'vouched' : verdict === 'not-phone' ? 'doubted' : 'neutral';
    // "№ 8 916…", "Order #…": whatever follows a number sign is an identifier.
    if (verdict === 'identifier' || (shape === 'thousands' && stance !== 'vouched')) return;
    if (start < scan.consumedTo || badLeftEdge(folded, start)) {
      i += 1;
      continue;
    }
    const taken = longestNumberFrom(scan, part, groups, i, start, plus, stance);
    i = taken ?? i + 1;
  }
}

/** Tries `groups[i..j]` for the largest `j` first; records the number found and returns `j + 1`. */
function longestNumberFrom(
  scan: Scan,
  part: DigitPiece,
  groups: string[],
  i: number,
  start: number,
  plus: boolean,
  stance: Stance,
): number | undefined {
  const { folded } = scan;
  const n = groups.length;
  let last = i;
  let digits = groups[i]!.length;
  while (last + 1 < n && digits + groups[last + 1]!.length <= MAX_DIGITS) {
    last += 1;
    digits += groups[last]!.length;
  }
  for (let j = last; j >= i; j -= 1) {
    if (j < last) digits -= groups[j + 1]!.length;
    if (digits < MIN_DIGITS) return undefined;
    if (j < n - 1 && !isSplittableSeparator(part.seps[j]!)) continue;
    // Cheapest rejection first: no number ends on a lone digit (see acceptCandidate).
    if (j > i && groups[j]!.length < 2) continue;
    const digitsEnd = part.groups[j]!.end;
    const extension = readExtension(folded, digitsEnd);
    const end = extension?.end ?? digitsEnd;
    if (badRightEdge(folded, end) || hasAmountCue(folded, start, end)) continue;
    const e164 = acceptCandidate(
      { text: folded.slice(start, digitsEnd), plus, groups: groups.slice(i, j + 1) },
      scan.rules,
      stance,
    );
    if (e164 === undefined) continue;
    scan.found.push({ start, end, e164, ...(extension ? { ext: extension.ext } : {}) });
    scan.consumedTo = end;
    return j + 1;
  }
  return undefined;
}

/**
 * What the text right before `start` says about the number there: the label between the previous
 * digit (or 40 characters back) and the number, else the label carried from earlier in a list, else
 * the run's own label.
 */
function verdictAt(scan: Scan, start: number): LabelVerdict {
  const { folded } = scan;
  let from = start;
  const floor = Math.max(0, start - LABEL_WINDOW);
  while (from > floor && !isDigit(folded.charCodeAt(from - 1))) from -= 1;
  const before = folded.slice(from, start);
  if (LETTER.test(before)) {
    const inline = classifyInlineLabel(before);
    scan.carried = inline === 'phone' ? inline : undefined;
    return inline ?? scan.runVerdict;
  }
  if (before.includes('\n')) scan.carried = undefined;
  return scan.carried ?? scan.runVerdict;
}

/**
 * Splits a piece where its digit groups touch a blocked range (a date, a time, an address): those
 * groups are dropped and the groups on either side are separate parts.
 */
function cutAtBlocked(piece: DigitPiece, blocked: readonly TextRange[], folded: string): DigitPiece[] {
  if (blocked.length === 0 || !overlapsAny(blocked, piece.start, piece.end)) return [piece];
  const parts: DigitPiece[] = [];
  let current: DigitPiece | undefined;
  piece.groups.forEach((group, k) => {
    if (overlapsAny(blocked, group.start, group.end)) {
      if (current) parts.push(current);
      current = undefined;
      return;
    }
    const length = group.end - group.start;
    if (current) {
      current.groups.push(group);
      current.seps.push(piece.seps[k - 1]!);
      current.end = group.end;
      current.digitCount += length;
      return;
    }
    const first = k === 0;
    current = {
      start: first ? piece.start : openingBracketStart(folded, group.start),
      end: group.end,
      plus: first && piece.plus,
      groups: [group],
      seps: [],
      digitCount: length,
    };
  });
  if (current) parts.push(current);
  return parts;
}

/** A number that starts mid-piece owns the opening bracket right before its digits: " (916) …". */
function openingBracketStart(folded: string, digitStart: number): number {
  return folded[digitStart - 1] === '(' ? digitStart - 1 : digitStart;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
