import type { DigitPiece } from '@/lib/detect/digit-pieces';

/**
 * What a piece of digits is when its grouping gives it away as something other than a phone number:
 *
 * - `card`: payment card or account in blocks of four (`4276 1234 5678 9012`), Amex `3782 822463 10005`;
 * - `snils`: Russian pension number `123-456-789 01`;
 * - `passport`: Russian passport series and number `45 06 123456`;
 * - `thousands`: an amount grouped by thousands (`9 876 543 210`, `1.234.567.890`);
 * - `dotted`: dots that make a version, decimal or coordinate (`10.0.19045.3803`, `55.755826`).
 *
 * A piece of that shape is never split into smaller candidates either: the card number's last eight
 * digits are not a phone number. Only `thousands` yields to a label that vouches for a phone, since
 * Spanish or Polish numbers are grouped 3-3-3 too.
 */
export type NonPhoneShape = 'card' | 'snils' | 'passport' | 'thousands' | 'dotted';

/** The shape the piece's grouping gives away, or `undefined` when it could be a phone number. */
export function nonPhoneShape(piece: DigitPiece): NonPhoneShape | undefined {
  const lengths = piece.groups.map((g) => g.end - g.start);
  const seps = piece.seps;
  if (!piece.plus) {
    if (isCard(lengths, piece.digitCount)) return 'card';
    if (same(lengths, [3, 3, 3, 2])) return 'snils';
    if (same(lengths, [2, 2, 6])) return 'passport';
    if (isThousands(lengths, seps)) return 'thousands';
  }
  if (isDotted(lengths, seps)) return 'dotted';
  return undefined;
}

function isCard(lengths: number[], digitCount: number): boolean {
  if (same(lengths, [4, 6, 5]) || same(lengths, [4, 6, 4])) return true;
  if (lengths.length < 4 || digitCount < 13) return false;
  // 4-4-4-4, 4-4-4-4-3, and 20-digit accounts written 4-4-4-4-4.
  return lengths.every((n, i) => n === 4 || (i === lengths.length - 1 && n >= 1 && n <= 4));
}

function isThousands(lengths: number[], seps: string[]): boolean {
  if (lengths.length < 3 || lengths[0]! > 3) return false;
  if (!lengths.slice(1).every((n) => n === 3)) return false;
  const sep = seps[0]!;
  return (sep === ' ' || sep === '.') && seps.every((s) => s === sep);
}

// Dotted phone numbers exist (212.555.0100, 01.23.45.67.89, 8.916.123.45.67) and always have at
// least three groups of two to four digits after an optional short first group.
function isDotted(lengths: number[], seps: string[]): boolean {
  if (seps.length === 0 || !seps.every((s) => s === '.')) return false;
  if (lengths.length === 2) return true;
  if (lengths[0]! > 4) return true;
  return lengths.slice(1).some((n) => n < 2 || n > 4);
}

function same(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
